//! The link registry: every link of every segment, keyed by its normalized URL.

mod public;
pub mod ranking;
pub mod service;
pub mod store;
mod url_key;
pub mod web_url;

pub use url_key::UrlKey;

/// A link found in markdown: its URL and plain text.
pub use crate::notes::ParsedLink as FoundLink;

/// Every link of `markdown`, in order, adjacent links with one URL merged:
/// the registry counts links exactly as the notes format reads them.
pub fn extract(markdown: &str) -> Vec<FoundLink> {
    crate::notes::links_of_markdown(markdown, "")
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
