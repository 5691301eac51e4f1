//! Listener pages of the link registry.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::service::{self, LinkView, LinksError, Paging};
use crate::error::{ApiError, AppError, Result};
use crate::state::AppState;
use crate::web::Layout;

impl From<LinksError> for AppError {
    fn from(error: LinksError) -> Self {
        match error {
            LinksError::NotFound => AppError::NotFound,
            LinksError::BadPage(_) => AppError::BadRequest(error.to_string()),
            LinksError::Database(e) => e.into(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "links/index.html")]
pub struct LinksPage {
    layout: Layout,
    links: Vec<LinkView>,
    paging: Paging,
}

/// `?page=N`, 1-based.
#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET /links?page=N`: the covered links, most-covered first, and per link the episodes.
pub async fn show_links(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<PageQuery>,
) -> Result<LinksPage> {
    let page = service::page_number(query.page.as_deref())?;
    let version = state.content_version.current(&state.db).await?;
    let (links, paging) =
        service::covered_page(&state.db, &state.link_ranking, version, page).await?;
    Ok(LinksPage {
        layout,
        links,
        paging,
    })
}

#[derive(Deserialize)]
pub struct LinkQuery {
    url: Option<String>,
}

/// `GET /api/v1/links?url=U`: the link (matched by its key) and the episodes that covered it.
pub async fn api_link(
    State(state): State<AppState>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<LinkView>, ApiError> {
    let url = query.url.filter(|u| !u.trim().is_empty());
    let url =
        url.ok_or_else(|| AppError::BadRequest("the `url` parameter is required".to_string()))?;
    Ok(Json(service::link_by_url(&state.db, &url).await?))
}
