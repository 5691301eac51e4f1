//! Static assets, embedded in the binary so it runs from any directory, served
//! under a content-hashed URL with a year-long cache.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppError;
use crate::links::web_url::is_web_url;
use crate::state::AppState;

const SITE_CSS: &str = include_str!("../../static/css/site.css");
const SITE_JS: &str = include_str!("../../static/js/site.js");
const FAVICON_SVG: &str = include_str!("../../static/favicon.svg");
/// Turns a feed opened in a browser into a page (see the file); it links the stylesheet by
/// its current URL, so it is filled in once.
const FEED_XSL_SOURCE: &str = include_str!("../../static/feed.xsl");

static FEED_XSL: LazyLock<String> =
    LazyLock::new(|| FEED_XSL_SOURCE.replace("{{CSS_URL}}", css_url()));

static CSS_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/{}/css/site.css", hash_of(SITE_CSS)));
static JS_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/{}/js/site.js", hash_of(SITE_JS)));
static FEED_XSL_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/{}/feed.xsl", hash_of(&FEED_XSL)));
static FAVICON_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/{}/favicon.svg", hash_of(FAVICON_SVG)));

fn hash_of(text: &str) -> String {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// The stylesheet's URL, changing whenever its content does.
pub fn css_url() -> &'static str {
    &CSS_URL
}

/// The script's URL, changing whenever its content does.
pub fn js_url() -> &'static str {
    &JS_URL
}

/// The feed stylesheet's URL, changing whenever it (or the site's stylesheet) does.
pub fn feed_xsl_url() -> &'static str {
    &FEED_XSL_URL
}

/// The default icon's URL (a microphone), for a show without artwork.
pub fn favicon_url() -> &'static str {
    &FAVICON_URL
}

/// `GET /favicon.ico`, which browsers ask for whatever the page says: the show's artwork
/// when there is one, else the default icon.
pub async fn favicon(State(state): State<AppState>) -> Response {
    let artwork = state.settings().artwork_url.clone();
    if is_web_url(&artwork) {
        return Redirect::temporary(&artwork).into_response();
    }
    Redirect::temporary(favicon_url()).into_response()
}

/// `GET /static/{hash}/{file}`: any hash serves the current file.
pub async fn serve(Path(path): Path<String>) -> Result<Response, AppError> {
    let file = path
        .split_once('/')
        .map(|(_, file)| file)
        .unwrap_or_default();
    let (body, content_type) = match file {
        "css/site.css" => (SITE_CSS, "text/css; charset=utf-8"),
        "js/site.js" => (SITE_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (FAVICON_SVG, "image/svg+xml"),
        "feed.xsl" => (FEED_XSL.as_str(), "text/xsl; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}
