//! One tracing line per request, with a request id that the response carries too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::error::LoggedError;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Path segments that come right after one of these are secrets: confirm, unsubscribe,
/// setup and invitation links (issue 13).
const SECRET_AFTER: [&str; 5] = ["confirm", "unsubscribe", "setup", "invite", "reset"];

/// Query parameters whose values may be logged; any other value may be a token, or words
/// a listener searched for.
const PLAIN_PARAMS: [&str; 4] = ["page", "kind", "status", "saved"];

/// Marks a request the program makes of its own router (`export site` asks for every page):
/// its line is logged at debug level, so an export of thousands of pages prints its summary,
/// not a line a page. A failure is still logged as an error.
#[derive(Debug, Clone, Copy)]
pub struct InProcess;

/// This process's id, asked of the system once (each ask is a system call).
fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}

/// Logs method, path and query with their secrets redacted, status and time.
pub async fn log_request(request: Request, next: Next) -> Response {
    let line = RequestLine::begin(&request);
    let mut response = next.run(request).instrument(line.span.clone()).await;
    line.end(&mut response);
    response
}

/// A request's line in the log, begun when it arrives and written when its response is made;
/// the response carries its id (`x-request-id`: the client's own when it sent one).
pub(crate) struct RequestLine {
    id: String,
    span: tracing::Span,
    method: Method,
    uri: Uri,
    in_process: bool,
    started: Instant,
}

impl RequestLine {
    pub(crate) fn begin<B>(request: &axum::http::Request<B>) -> Self {
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= 64)
            .map(str::to_string)
            .unwrap_or_else(|| {
                format!(
                    "{:x}-{}",
                    process_id(),
                    NEXT_ID.fetch_add(1, Ordering::Relaxed)
                )
            });
        Self {
            span: tracing::info_span!("request", request_id = %id),
            id,
            method: request.method().clone(),
            uri: request.uri().clone(),
            in_process: request.extensions().get::<InProcess>().is_some(),
            started: Instant::now(),
        }
    }

    /// Writes the line (its fields are made only when the line is written: most are filtered
    /// out under load).
    pub(crate) fn end(self, response: &mut Response) {
        let status = response.status().as_u16();
        let micros = self.started.elapsed().as_micros();
        let (method, uri) = (&self.method, &self.uri);
        let _entered = self.span.enter();
        match response.extensions().get::<LoggedError>() {
            Some(LoggedError(error)) => {
                tracing::error!(%method, path = %loggable(uri), status, micros, %error, "request failed")
            }
            None if self.in_process => {
                tracing::debug!(%method, path = %loggable(uri), status, micros, "request")
            }
            None => tracing::info!(%method, path = %loggable(uri), status, micros, "request"),
        }
        if let Ok(value) = HeaderValue::from_maybe_shared(Bytes::from(self.id)) {
            response.headers_mut().insert("x-request-id", value);
        }
    }
}

/// The request's path and query as the log may show them: a token segment becomes
/// `[redacted]` (`/friends-of-the-show/confirm/[redacted]`), and so does every query value
/// but the plain ones.
fn loggable(uri: &Uri) -> String {
    let mut shown = String::new();
    let mut secret_next = false;
    for segment in uri.path().split('/').skip(1) {
        shown.push('/');
        shown.push_str(if secret_next { REDACTED } else { segment });
        secret_next = SECRET_AFTER.contains(&segment);
    }
    if let Some(query) = uri.query() {
        let pairs: Vec<String> = query.split('&').map(loggable_pair).collect();
        shown.push('?');
        shown.push_str(&pairs.join("&"));
    }
    shown
}

const REDACTED: &str = "[redacted]";

fn loggable_pair(pair: &str) -> String {
    match pair.split_once('=') {
        Some((key, _)) if PLAIN_PARAMS.contains(&key) => pair.to_string(),
        Some((key, _)) => format!("{key}={REDACTED}"),
        None => REDACTED.to_string(),
    }
}
