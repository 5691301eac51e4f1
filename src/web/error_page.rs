//! Error pages inside the site's frame: header, navigation and search, so a listener who hits a
//! dead link (404), a limit (429) or a failure (500) can go on from there.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::Response;

use super::Layout;
use crate::error::ErrorShown;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    shown: ErrorShown,
}

/// Replaces the body of an HTML error response with the page in the site layout; the status and
/// the other headers (`Retry-After`…) stay. JSON errors (`/api/v1`) carry no [`ErrorShown`].
pub async fn in_site_layout(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let Some(shown) = response.extensions_mut().remove::<ErrorShown>() else {
        return response;
    };
    let page = ErrorPage {
        layout: Layout::of(&state),
        shown,
    };
    // The plain page already in the body stands if the framed one cannot be rendered.
    if let Ok(html) = page.render() {
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.remove(CONTENT_LENGTH);
        *response.body_mut() = Body::from(html);
    }
    response
}
