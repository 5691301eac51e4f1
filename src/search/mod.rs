//! Full-text search over episodes, segments, talks and links (SQLite FTS5).

pub mod deferred;
pub mod maintenance;
mod public;
mod query;
mod store;

pub use query::{Snippet, fts_query};

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// `/search` and its JSON twin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(public::show_search))
        .route("/api/v1/search", get(public::api_search))
}
