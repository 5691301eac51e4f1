//! Feed responses: a body and its media type. The page cache adds ETag and Last-Modified.

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::content::{Document, FeedError, Source};
use crate::error::AppError;
use crate::settings::Settings;
use crate::state::AppState;
use crate::web::chunks::{BodyTag, Chunks};

impl From<FeedError> for AppError {
    fn from(error: FeedError) -> Self {
        Self::Internal(error.into())
    }
}

/// Where the episode feeds read their items from, in this request's state.
pub fn source<'a>(state: &'a AppState, settings: &'a Settings) -> Source<'a> {
    Source {
        db: &state.db,
        cache: &state.feed_items,
        base_url: &settings.base_url,
    }
}

/// Atom 1.0.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";
/// JSON Feed 1.1.
pub const JSON_FEED: &str = "application/feed+json; charset=utf-8";
/// Plain JSON (chapters).
pub const JSON: &str = "application/json; charset=utf-8";
/// Generic XML: the sitemap, and the RSS feeds (so that browsers apply their stylesheet).
pub const XML: &str = "application/xml; charset=utf-8";
/// Plain text (robots.txt).
pub const TEXT: &str = "text/plain; charset=utf-8";

/// A 200 response with `body` as `content_type`.
pub fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A 200 response with `document` as `content_type`, sent as its chunks and tagged for the
/// page cache's ETag.
pub fn respond_document(content_type: &'static str, document: Document) -> Response {
    let mut response = Chunks::body(document.chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.extensions_mut().insert(BodyTag(document.tag));
    response
}
