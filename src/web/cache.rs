//! Public pages are rendered once and served from memory until content changes,
//! with an ETag so a conditional GET answers 304 without a body.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, ETAG, IF_NONE_MATCH, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// Another process (a CLI import) may change the file; entries older than this are re-rendered.
const MAX_AGE: Duration = Duration::from_secs(5);
/// A bound on memory: past this many pages the cache starts over.
const MAX_ENTRIES: usize = 4096;
/// Browsers may reuse a page for a minute, then revalidate with the ETag.
const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";

/// One rendered page.
struct CachedPage {
    body: Bytes,
    content_type: HeaderValue,
    etag: HeaderValue,
    stored: Instant,
}

/// Rendered pages by path and query, valid for one content generation.
#[derive(Default)]
pub struct PageCache {
    generation: AtomicU64,
    pages: RwLock<HashMap<String, std::sync::Arc<CachedPage>>>,
}

impl PageCache {
    /// Forgets every page: content changed.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.write() {
            pages.clear();
        }
    }

    fn get(&self, key: &str) -> Option<std::sync::Arc<CachedPage>> {
        let pages = self.pages.read().ok()?;
        pages
            .get(key)
            .filter(|page| page.stored.elapsed() < MAX_AGE)
            .cloned()
    }

    fn put(&self, key: String, page: CachedPage, rendered_at: u64) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        // A page rendered before a write finished must not outlive that write.
        if self.generation.load(Ordering::SeqCst) != rendered_at {
            return;
        }
        if pages.len() >= MAX_ENTRIES {
            pages.clear();
        }
        pages.insert(key, std::sync::Arc::new(page));
    }
}

/// Serves cacheable public GETs from memory and stores fresh renders.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_cacheable(&request) {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    if let Some(page) = state.cache.get(&key) {
        return page_response(&page, if_none_match.as_ref());
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
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = CachedPage {
        etag: etag_of(&body),
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html")),
        body,
        stored: Instant::now(),
    };
    let response = page_response(&page, if_none_match.as_ref());
    state.cache.put(key, page, generation);
    response
}

/// Only anonymous GETs of public pages: admin pages and signed-in views are never shared.
fn is_cacheable(request: &Request) -> bool {
    let path = request.uri().path();
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && !request.headers().contains_key(COOKIE)
        && !path.starts_with("/admin")
        && !path.starts_with("/static/")
        && path != "/healthz"
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

fn etag_of(body: &[u8]) -> HeaderValue {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let tag = format!("\"{:016x}-{:x}\"", hasher.finish(), body.len());
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn page_response(page: &CachedPage, if_none_match: Option<&HeaderValue>) -> Response {
    let matches = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|tag| {
                tag.trim() == page.etag.to_str().unwrap_or_default() || tag.trim() == "*"
            })
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(page.body.clone()));
        response
            .headers_mut()
            .insert(CONTENT_TYPE, page.content_type.clone());
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, page.etag.clone());
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
    );
    response
}
