//! Listener pages of the link registry.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use super::UrlKey;
use super::store::{self, Coverage, CoveredLink};
use crate::error::{ApiError, AppError, Result};
use crate::state::AppState;
use crate::web::Layout;

const MOST_COVERED: i64 = 100;

/// A link with the episodes that covered it.
#[derive(Serialize)]
pub struct LinkView {
    #[serde(flatten)]
    pub link: CoveredLink,
    pub episodes: Vec<Coverage>,
}

#[derive(Template, WebTemplate)]
#[template(path = "links/index.html")]
pub struct LinksPage {
    layout: Layout,
    links: Vec<LinkView>,
}

/// `GET /links`: the most-covered links and, per link, the episodes.
pub async fn show_links(State(state): State<AppState>, layout: Layout) -> Result<LinksPage> {
    let mut conn = state.db.acquire().await?;
    let links = store::most_covered(&mut conn, MOST_COVERED).await?;
    let links = with_coverage(&mut conn, links).await?;
    Ok(LinksPage { layout, links })
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
    let mut conn = state.db.acquire().await?;
    let link = store::link_by_key(&mut conn, UrlKey::parse(&url).as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut views = with_coverage(&mut conn, vec![link]).await?;
    Ok(Json(views.remove(0)))
}

async fn with_coverage(
    conn: &mut sqlx::SqliteConnection,
    links: Vec<CoveredLink>,
) -> Result<Vec<LinkView>> {
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    // One pass to group coverage by link, instead of scanning it once per link.
    let mut by_link: HashMap<i64, Vec<Coverage>> = HashMap::new();
    for row in store::coverage_of(conn, &ids).await? {
        by_link.entry(row.link_id).or_default().push(row);
    }
    Ok(links
        .into_iter()
        .map(|link| {
            let episodes = by_link.remove(&link.id).unwrap_or_default();
            LinkView { link, episodes }
        })
        .collect())
}
