//! One tracing line per request, with a request id that the response carries too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::error::LoggedError;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Logs method, path (never the query: it may hold tokens), status and time.
pub async fn log_request(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64)
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "{:x}-{}",
                std::process::id(),
                NEXT_ID.fetch_add(1, Ordering::Relaxed)
            )
        });
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let micros = started.elapsed().as_micros();
    let _entered = span.enter();
    match response.extensions().get::<LoggedError>() {
        Some(LoggedError(error)) => {
            tracing::error!(%method, %path, status, micros, %error, "request failed")
        }
        None => tracing::info!(%method, %path, status, micros, "request"),
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
