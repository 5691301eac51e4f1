//! The search page and its JSON twin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};

use super::service::{Group, SearchParams, SearchResults, search};
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::web::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "search/index.html")]
pub struct SearchPage {
    layout: Layout,
    results: SearchResults,
}

impl SearchPage {
    /// A query was given and no group found anything.
    fn nothing_found(&self) -> bool {
        self.results.groups.iter().all(|group| group.total == 0)
    }

    /// The URL of page `page` of `group` for the current query.
    fn page_url(&self, group: &Group, page: i64) -> String {
        let q = percent_encoding::utf8_percent_encode(
            &self.results.query,
            percent_encoding::NON_ALPHANUMERIC,
        );
        format!("/search?q={q}&kind={}&page={page}", group.as_str())
    }
}

/// `GET /search?q=…`: the form, and results grouped by kind when there is a query.
pub async fn show_search(
    State(state): State<AppState>,
    layout: Layout,
    Query(params): Query<SearchParams>,
) -> Result<SearchPage> {
    let results = search(&state.search_db, &params).await?;
    Ok(SearchPage { layout, results })
}

/// `GET /api/v1/search?q=…`.
pub async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(search(&state.search_db, &params).await?))
}
