//! The link registry: every link of every segment, keyed by its normalized URL.

mod public;
pub mod service;
pub mod store;
mod url_key;

pub use url_key::UrlKey;

/// A link found in markdown: its URL and plain text.
pub use crate::notes::ParsedLink as FoundLink;

/// Every link of `markdown`, in order, adjacent links with one URL merged:
/// the registry counts links exactly as the notes format reads them.
pub fn extract(markdown: &str) -> Vec<FoundLink> {
    crate::notes::links_of_markdown(markdown, "")
}

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

use crate::state::AppState;

/// `/links` and its JSON twin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/links", get(public::show_links))
        .route("/api/v1/links", get(public::api_link))
}
