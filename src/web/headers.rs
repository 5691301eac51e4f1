//! Security headers on every response.

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// No inline script anywhere; embeds only from YouTube's privacy-enhanced host.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
media-src https: http:; frame-src https://www.youtube-nocookie.com; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One year: the value HSTS preload lists ask for; without `includeSubDomains`, because the
/// show's domain may have subdomains this server does not run.
const HSTS: &str = "max-age=31536000";

/// Adds CSP, nosniff, referrer policy and frame denial. A response that brings its own CSP
/// (the sandboxed digest preview) keeps it. Everything under `/admin` (pages, exports, the
/// sign-in form) is `no-store`: it holds addresses and tokens no shared or local cache may keep.
/// HSTS goes out only when the base URL is https, so a plain-http install is never locked out.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let admin = is_admin_path(request.uri().path());
    let https = state.is_https();
    let mut response = next.run(request).await;
    add_security_headers(response.headers_mut(), admin, https);
    response
}

/// The headers [`security_headers`] adds, for a response made without it (a cache hit
/// answered before routing, [`super::cache::HitsFirst`]).
pub(crate) fn add_security_headers(headers: &mut HeaderMap, admin: bool, https: bool) {
    if admin {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}
