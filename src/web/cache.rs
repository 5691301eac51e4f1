//! Public pages are rendered once and served from memory until content changes,
//! with an ETag and a Last-Modified so a conditional GET answers 304 without a body.
//! Each page keeps gzip and brotli copies, made once, sent to whoever accepts them (issue 17).

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, COOKIE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use futures_util::future::Either;

use super::chunks::{BodyTag, Chunks, hash_chunks};
use super::encoding::{self, Accepted, Coding};
use super::negotiate;
use super::request_log::RequestLine;
use crate::state::AppState;
use crate::state::page_cache::CachedPage;

/// The query parameters each cached route reads. Any other parameter (`/links?cb=123`)
/// changes nothing on the page, so it must not make a new entry (issue 13). Keep in step
/// with the handlers' `Query` types.
const ROUTE_PARAMS: [(&str, &[&str]); 4] = [
    ("/episodes", &["page"]),
    ("/links", &["page"]),
    ("/api/v1/episodes", &["page"]),
    ("/api/v1/links", &["url"]),
];
/// Routes with one path parameter after these prefixes (`/hosts/{slug}`) and the query
/// parameters they read.
const PREFIXED_ROUTE_PARAMS: [(&str, &[&str]); 4] = [
    ("/hosts/", &["page"]),
    ("/api/v1/people/", &["page"]),
    ("/talks/tags/", &["page"]),
    ("/api/v1/talks/tags/", &["page"]),
];

/// The query parameters the route at `path` reads.
fn params_read_at(path: &str) -> &'static [&'static str] {
    let exact = ROUTE_PARAMS.iter().find(|(route, _)| *route == path);
    let prefixed = || {
        PREFIXED_ROUTE_PARAMS.iter().find(|(prefix, _)| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        })
    };
    exact
        .or_else(prefixed)
        .map_or(&[][..], |(_, params)| *params)
}
/// Browsers may reuse a page for a minute, then revalidate with the ETag.
const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";

/// Serves cacheable public GETs from memory and stores fresh renders.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_cacheable(&request) {
        return next.run(request).await;
    }
    let key = cache_key(request.uri(), request.headers());
    let negotiated = negotiate::is_negotiated(request.uri().path());
    let conditions = Conditions::of(request.headers());
    let accepted = Accepted::of(request.headers());
    // Without the version nothing can be checked: render afresh (the render reports the error).
    let Ok(version) = state.content_version.current(&state.db).await else {
        return next.run(request).await;
    };
    if let Some(page) = state.cache.get(&key, version) {
        if accepted.wants_compression() {
            encode(&state, &key, &page, accepted).await;
        }
        return page_response(&page, &conditions, accepted, negotiated);
    }
    let generation = state.cache.generation();
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
    let last_modified = state.cache.last_modified(&key, &etag);
    let page = Arc::new(CachedPage {
        last_modified,
        last_modified_header: HeaderValue::from_str(&httpdate::fmt_http_date(last_modified)).ok(),
        etag,
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html")),
        body,
        stored: Instant::now(),
        version,
        gzip: Default::default(),
        br: Default::default(),
        br_in_background: Default::default(),
    });
    state.cache.put(key.clone(), page.clone(), generation);
    if accepted.wants_compression() {
        encode(&state, &key, &page, accepted).await;
    }
    page_response(&page, &conditions, accepted, negotiated)
}

/// The whole site behind a shortcut for its commonest request: a page the cache holds under
/// the content version known now, in a coding the visitor takes that is already made. It is
/// answered before routing and the middleware, with the headers they add and its line in the
/// log; anything else goes down the whole stack. (Under `wrk` the layers' boxed futures,
/// service clones and routing cost as much of the server's own time as the answer.)
#[derive(Clone)]
pub struct HitsFirst<S> {
    site: S,
    state: AppState,
    /// The connection's client, which the site's handlers are told (`ConnectInfo`).
    client: SocketAddr,
}

impl<S> HitsFirst<S> {
    pub fn new(site: S, state: AppState, client: SocketAddr) -> Self {
        Self {
            site,
            state,
            client,
        }
    }
}

impl<S, B> tower::Service<axum::http::Request<B>> for HitsFirst<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.site.poll_ready(cx)
    }

    fn call(&mut self, mut request: axum::http::Request<B>) -> Self::Future {
        if let Some(response) = answer_from_memory(&self.state, &request) {
            return Either::Left(ready(Ok(response)));
        }
        request.extensions_mut().insert(ConnectInfo(self.client));
        Either::Right(self.site.call(request))
    }
}

/// The response [`serve_cached`] would give from memory and the layers around it would finish,
/// when nothing needs waiting for: the version is known without a query and the page and the
/// copy the visitor takes are made.
fn answer_from_memory<B>(state: &AppState, request: &axum::http::Request<B>) -> Option<Response> {
    if !is_cacheable(request) {
        return None;
    }
    let version = state.content_version.known()?;
    let page = state
        .cache
        .get(&cache_key(request.uri(), request.headers()), version)?;
    let accepted = Accepted::of(request.headers());
    if copies_missing(&page, accepted) != (false, false) {
        return None;
    }
    let line = RequestLine::begin(request);
    let negotiated = negotiate::is_negotiated(request.uri().path());
    let conditions = Conditions::of(request.headers());
    let mut response = page_response(&page, &conditions, accepted, negotiated);
    let https = state.is_https();
    super::headers::add_security_headers(response.headers_mut(), false, https);
    line.end(&mut response);
    Some(response)
}

/// Which compressed copies (gzip, brotli) the visitor takes that the page lacks.
fn copies_missing(page: &CachedPage, accepted: Accepted) -> (bool, bool) {
    (
        accepted.takes(Coding::Gzip) && page.gzip.get().is_none(),
        accepted.takes(Coding::Br) && page.br.get().is_none(),
    )
}

/// Above this size a page's brotli copy is made in the background when the visitor also takes
/// gzip: brotli takes several times gzip's time (a 12 MB feed: about 130 ms against 30), and
/// the first visitors after a change get gzip rather than wait for it.
const BROTLI_IN_BACKGROUND_ABOVE: usize = 256 * 1024;

/// Makes the compressed copies the visitor takes that the page lacks, each once (visitors
/// asking meanwhile wait for the same work), on blocking threads, and counts them against the
/// cache's budget.
async fn encode(state: &AppState, key: &str, page: &Arc<CachedPage>, accepted: Accepted) {
    let takes_gzip = accepted.takes(Coding::Gzip);
    let (needs_gzip, needs_br) = copies_missing(page, accepted);
    if !needs_gzip && !needs_br {
        // Every request once the page has its copies: nothing to make, nothing to recount.
        return;
    }
    if needs_gzip {
        make_copy(state, page, Coding::Gzip).await;
    }
    if needs_br {
        if takes_gzip && page.body_len() > BROTLI_IN_BACKGROUND_ABOVE {
            // One task makes it, however many visitors ask meanwhile.
            if !page.br_in_background.swap(true, Ordering::AcqRel) {
                let (state, key, page) = (state.clone(), key.to_string(), page.clone());
                tokio::spawn(async move {
                    make_copy(&state, &page, Coding::Br).await;
                    state.cache.recount(&key, &page);
                });
            }
        } else {
            make_copy(state, page, Coding::Br).await;
        }
    }
    state.cache.recount(key, page);
}

async fn make_copy(state: &AppState, page: &Arc<CachedPage>, coding: Coding) {
    let cell = match coding {
        Coding::Br => &page.br,
        Coding::Gzip => &page.gzip,
        Coding::Identity => return,
    };
    cell.get_or_init(|| {
        let page = page.clone();
        let spool = state.cache.spool().map(Path::to_path_buf);
        async move {
            tokio::task::spawn_blocking(move || {
                encoding::encode(&page.body, &page.etag, coding, spool.as_deref())
            })
            .await
            .unwrap_or_default()
        }
    })
    .await;
}

/// The path and, in their order, only the query parameters its route reads (decoded and
/// encoded again, so `%32` and `2` are one entry); a feed opened in a browser is its page,
/// an entry of its own beside the feed.
fn cache_key(uri: &Uri, headers: &HeaderMap) -> String {
    let key = path_and_params(uri);
    if negotiate::is_negotiated(uri.path()) && negotiate::prefers_html(headers) {
        // A space never occurs in a request's path, so no address can name this entry.
        return format!("{key} (page)");
    }
    key
}

fn path_and_params(uri: &Uri) -> String {
    let path = uri.path();
    let known = params_read_at(path);
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
fn has_session_cookie<B>(request: &axum::http::Request<B>) -> bool {
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
fn is_cacheable<B>(request: &axum::http::Request<B>) -> bool {
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
    /// `etag` is the one of the representation the request would get.
    fn not_modified(&self, etag: &HeaderValue, last_modified: SystemTime) -> bool {
        if let Some(tags) = &self.if_none_match {
            let etag = etag.to_str().unwrap_or_default();
            return tags.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|tag| tag.trim() == etag || tag.trim() == "*")
            });
        }
        self.if_modified_since
            .is_some_and(|since| last_modified <= since)
    }
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
        .is_some_and(|v| {
            v.starts_with("text/")
                || v.contains("json")
                || v.contains("xml")
                || v.starts_with("application/x-subrip")
        })
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

/// The page in the coding the visitor prefers among those it has, or 304 when the visitor
/// holds that very representation.
fn page_response(
    page: &CachedPage,
    conditions: &Conditions,
    accepted: Accepted,
    negotiated: bool,
) -> Response {
    let gzip = page.gzip.get().and_then(Option::as_ref);
    let br = page.br.get().and_then(Option::as_ref);
    let coding = accepted.choose(br.is_some(), gzip.is_some());
    let variant = match coding {
        Coding::Br => br,
        Coding::Gzip => gzip,
        Coding::Identity => None,
    };
    let etag = variant.map_or(&page.etag, |v| &v.etag);
    let mut response = if conditions.not_modified(etag, page.last_modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = match variant {
            Some(variant) => Chunks::body([variant.body.clone()]),
            None => Chunks::body(page.body.iter().cloned()),
        };
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        // Room for the headers this and the security headers add, made once.
        headers.reserve(16);
        headers.insert(CONTENT_TYPE, page.content_type.clone());
        if let Some(value) = coding.header() {
            headers.insert(CONTENT_ENCODING, value);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, etag.clone());
    if let Some(date) = &page.last_modified_header {
        headers.insert(LAST_MODIFIED, date.clone());
    }
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
    );
    let vary = match negotiated {
        true => "Accept, Accept-Encoding",
        false => "Accept-Encoding",
    };
    headers.insert(VARY, HeaderValue::from_static(vary));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uri: &str) -> String {
        path_and_params(&uri.parse::<Uri>().expect("uri"))
    }

    #[test]
    fn a_hosts_page_keeps_its_page_and_drops_what_it_does_not_read() {
        assert_eq!(key("/hosts/brian?page=2&cb=1"), "/hosts/brian?page=2");
        assert_eq!(
            key("/api/v1/people/brian?page=3"),
            "/api/v1/people/brian?page=3"
        );
        assert_eq!(key("/hosts/brian/rss?page=2"), "/hosts/brian/rss");
        assert_eq!(key("/hosts?page=2"), "/hosts");
        assert_eq!(key("/links?cb=123"), "/links");
    }
}
