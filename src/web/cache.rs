//! Public pages are rendered once and served from memory until content changes,
//! with an ETag and a Last-Modified so a conditional GET answers 304 without a body.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, COOKIE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    SET_COOKIE,
};

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;

use super::AppState;
use super::chunks::{BodyTag, Chunks, hash_chunks};

/// Another process (a CLI import) may change the file; entries older than this are re-rendered.
const MAX_AGE: Duration = Duration::from_secs(5);
/// How many bytes of pages the cache holds unless configured (`SHOWNOTES_CACHE_BYTES`).
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;
/// The query parameters each cached route reads. Any other parameter (`/links?cb=123`)
/// changes nothing on the page, so it must not make a new entry (issue 13). Keep in step
/// with the handlers' `Query` types.
const ROUTE_PARAMS: [(&str, &[&str]); 3] = [
    ("/episodes", &["page"]),
    ("/api/v1/episodes", &["page"]),
    ("/api/v1/links", &["url"]),
];
/// Browsers may reuse a page for a minute, then revalidate with the ETag.
const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";

/// One rendered page.
struct CachedPage {
    /// The body as the handler gave it, in chunks (a feed's items are shared, not copied).
    body: Vec<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
    /// When this exact body was first served (whole seconds, as HTTP dates have).
    last_modified: SystemTime,
    stored: Instant,
}

impl CachedPage {
    /// What the page counts against the budget: its body and its key.
    fn cost(&self, key: &str) -> usize {
        key.len() + self.body.iter().map(Bytes::len).sum::<usize>()
    }
}

/// The pages and the bytes they hold.
#[derive(Default)]
struct Pages {
    by_key: HashMap<String, std::sync::Arc<CachedPage>>,
    bytes: usize,
}

impl Pages {
    fn remove(&mut self, key: &str) {
        if let Some(page) = self.by_key.remove(key) {
            self.bytes -= page.cost(key);
        }
    }

    /// Drops the oldest pages until `needed` more bytes fit in `budget`.
    fn make_room(&mut self, needed: usize, budget: usize) {
        if self.bytes + needed <= budget {
            return;
        }
        let mut oldest: Vec<(Instant, String)> = self
            .by_key
            .iter()
            .map(|(key, page)| (page.stored, key.clone()))
            .collect();
        oldest.sort_unstable();
        for (_, key) in oldest {
            if self.bytes + needed <= budget {
                break;
            }
            self.remove(&key);
        }
    }
}

/// Rendered pages by path and known query parameters, valid for one content generation,
/// holding at most a budget of bytes.
pub struct PageCache {
    budget: AtomicUsize,
    generation: AtomicU64,
    /// No page rendered from now on may claim an older Last-Modified (seconds since the epoch).
    earliest_last_modified: AtomicU64,
    /// The latest Last-Modified handed out (seconds since the epoch).
    latest_last_modified: AtomicU64,
    pages: RwLock<Pages>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            budget: AtomicUsize::new(DEFAULT_BUDGET),
            generation: AtomicU64::default(),
            earliest_last_modified: AtomicU64::default(),
            latest_last_modified: AtomicU64::default(),
            pages: RwLock::default(),
        }
    }
}

impl PageCache {
    /// Sets how many bytes of pages (bodies and keys) the cache may hold; the oldest go first.
    pub fn set_budget(&self, bytes: usize) {
        self.budget.store(bytes, Ordering::SeqCst);
    }

    /// Forgets every page: content changed.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        // Pages rendered after this change must look newer than any page served before it,
        // even within the same second.
        let next_second = epoch_seconds(SystemTime::now()) + 1;
        let after_latest = self.latest_last_modified.load(Ordering::SeqCst) + 1;
        self.earliest_last_modified
            .fetch_max(next_second.max(after_latest), Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.write() {
            *pages = Pages::default();
        }
    }

    fn get(&self, key: &str) -> Option<std::sync::Arc<CachedPage>> {
        let pages = self.pages.read().ok()?;
        pages
            .by_key
            .get(key)
            .filter(|page| page.stored.elapsed() < MAX_AGE)
            .cloned()
    }

    /// The Last-Modified of a fresh render: kept while the body is unchanged, and always later
    /// than the one of the body it replaces, so `If-Modified-Since` never hides a change.
    fn last_modified(&self, key: &str, etag: &HeaderValue) -> SystemTime {
        let earliest = self.earliest_last_modified.load(Ordering::SeqCst);
        let now = epoch_seconds(SystemTime::now()).max(earliest);
        let previous = self.pages.read().ok().and_then(|pages| {
            pages
                .by_key
                .get(key)
                .map(|page| (page.etag.clone(), epoch_seconds(page.last_modified)))
        });
        let seconds = match previous {
            Some((previous_etag, at)) if previous_etag == etag => at,
            Some((_, at)) if at >= now => at + 1,
            _ => now,
        };
        self.latest_last_modified
            .fetch_max(seconds, Ordering::SeqCst);
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn put(&self, key: String, page: CachedPage, rendered_at: u64) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        // A page rendered before a write finished must not outlive that write.
        if self.generation.load(Ordering::SeqCst) != rendered_at {
            return;
        }
        let budget = self.budget.load(Ordering::SeqCst);
        let cost = page.cost(&key);
        pages.remove(&key);
        if cost > budget {
            return;
        }
        pages.make_room(cost, budget);
        pages.bytes += cost;
        pages.by_key.insert(key, std::sync::Arc::new(page));
    }
}

/// Serves cacheable public GETs from memory and stores fresh renders.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_cacheable(&request) {
        return next.run(request).await;
    }
    let key = cache_key(request.uri());
    let conditions = Conditions::of(request.headers());
    if let Some(page) = state.cache.get(&key) {
        return page_response(&page, &conditions);
    }
    let generation = state.cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || !has_text_body(response.headers())
        || is_private(response.headers())
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = body.into_data_stream().try_collect::<Vec<Bytes>>().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_of(&body, parts.extensions.get::<BodyTag>());
    let page = CachedPage {
        last_modified: state.cache.last_modified(&key, &etag),
        etag,
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html")),
        body,
        stored: Instant::now(),
    };
    let response = page_response(&page, &conditions);
    state.cache.put(key, page, generation);
    response
}

/// The path and, in their order, only the query parameters its route reads (decoded and
/// encoded again, so `%32` and `2` are one entry).
fn cache_key(uri: &Uri) -> String {
    let path = uri.path();
    let known = ROUTE_PARAMS
        .iter()
        .find(|(route, _)| *route == path)
        .map_or(&[][..], |(_, params)| *params);
    let query = uri.query().unwrap_or_default();
    let mut kept = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if known.contains(&name.as_ref()) {
            kept.append_pair(&name, &value);
        }
    }
    match kept.finish() {
        query if query.is_empty() => path.to_string(),
        query => format!("{path}?{query}"),
    }
}

/// A signed-in visitor; other cookies (a form's token) change nothing on public pages.
fn has_session_cookie(request: &Request) -> bool {
    let session = crate::accounts::session::SESSION_COOKIE;
    request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|cookies| cookies.split(';').any(|c| c.trim().starts_with(session)))
}

/// Only anonymous GETs of public pages: admin pages and signed-in views are never shared.
/// Search results are not kept: every query is a new page, and they would crowd out the rest.
fn is_cacheable(request: &Request) -> bool {
    let path = request.uri().path();
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && !has_session_cookie(request)
        && !path.starts_with("/admin")
        && !path.starts_with("/static/")
        && path != "/healthz"
        && path != "/search"
        && path != "/api/v1/search"
}

/// The validators a conditional GET sent.
struct Conditions {
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<SystemTime>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        Self {
            if_none_match: headers.get(IF_NONE_MATCH).cloned(),
            if_modified_since: headers
                .get(IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| httpdate::parse_http_date(v).ok()),
        }
    }

    /// RFC 9110 §13.2.2: when If-None-Match is present, If-Modified-Since is ignored.
    fn not_modified(&self, page: &CachedPage) -> bool {
        if let Some(tags) = &self.if_none_match {
            let etag = page.etag.to_str().unwrap_or_default();
            return tags.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|tag| tag.trim() == etag || tag.trim() == "*")
            });
        }
        self.if_modified_since
            .is_some_and(|since| page.last_modified <= since)
    }
}

fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// A response that sets a cookie or says `no-store` is for one visitor only (CSRF tokens,
/// single-use links).
fn is_private(headers: &HeaderMap) -> bool {
    headers.contains_key(SET_COOKIE)
        || headers
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"))
}

fn has_text_body(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/") || v.contains("json") || v.contains("xml"))
}

/// The ETag of `body`: its handler's tag when it gave one, else a hash of the body (the same
/// in every process, so ETags hold across restarts).
fn etag_of(body: &[Bytes], tag: Option<&BodyTag>) -> HeaderValue {
    let hash = match tag {
        Some(BodyTag(tag)) => *tag,
        None => hash_chunks(body.iter().map(|chunk| &chunk[..])),
    };
    let length: usize = body.iter().map(Bytes::len).sum();
    let tag = format!("\"{hash:016x}-{length:x}\"");
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn page_response(page: &CachedPage, conditions: &Conditions) -> Response {
    let mut response = if conditions.not_modified(page) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Chunks::body(page.body.iter().cloned()));
        response
            .headers_mut()
            .insert(CONTENT_TYPE, page.content_type.clone());
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, page.etag.clone());
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(page.last_modified)) {
        headers.insert(LAST_MODIFIED, date);
    }
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
    );
    response
}
