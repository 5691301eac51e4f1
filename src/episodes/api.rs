//! The JSON twins of the episode pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;

use super::model::EpisodeDoc;
use super::summary::{EpisodeSummary, Paging, summaries_page};
use super::view::load_episode;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use crate::web::PageQuery;

/// A page of episode summaries.
#[derive(Serialize)]
pub struct EpisodeList {
    #[serde(flatten)]
    paging: Paging,
    episodes: Vec<EpisodeSummary>,
}

/// `GET /api/v1/episodes?page=N`.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<EpisodeList>, ApiError> {
    let (episodes, paging) = summaries_page(&state.db, query.number()?).await?;
    Ok(Json(EpisodeList { paging, episodes }))
}

/// `GET /api/v1/episodes/{number}`.
pub async fn show(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<EpisodeDoc>, ApiError> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let episode = load_episode(&mut conn, number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(episode))
}
