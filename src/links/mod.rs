//! The link registry: every link of every segment, keyed by its normalized URL.

mod extract;
mod public;
pub mod store;
mod url_key;

pub use extract::{FoundLink, extract};
pub use url_key::UrlKey;

/// Whether `url` is safe to put in an `href` or `src`: an absolute http(s) or mailto URL.
pub fn is_web_url(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

use axum::Router;
use axum::routing::get;

use crate::web::AppState;

/// `/links` and its JSON twin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/links", get(public::show_links))
        .route("/api/v1/links", get(public::api_link))
}
