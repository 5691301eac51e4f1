//! Full-text search over episodes, segments, talks and links (SQLite FTS5).

pub mod maintenance;
mod public;
mod query;
pub mod service;
pub mod static_index;
mod store;
pub mod store_deferred;

pub use query::{Snippet, fts_prefix_query, fts_query};

use axum::Router;
use axum::routing::get;

use crate::error::AppError;
use crate::state::AppState;
use service::SearchError;

impl From<SearchError> for AppError {
    fn from(error: SearchError) -> Self {
        match error {
            SearchError::BadRequest(message) => AppError::BadRequest(message),
            SearchError::Database(e) => e.into(),
        }
    }
}

/// `/search` and its JSON twin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(public::show_search))
        .route("/api/v1/search", get(public::api_search))
}
