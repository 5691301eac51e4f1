//! Podcasting 2.0 JSON chapters from the segments that have a start time.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;

use super::http::{JSON, respond};
use super::store::{self, ChapterRow};
use crate::episodes::model::SegmentKind;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// The chapters document, version 1.2.0 of the format.
#[derive(Debug, Serialize)]
pub struct Chapters {
    version: &'static str,
    chapters: Vec<Chapter>,
}

/// One chapter.
#[derive(Debug, Serialize)]
pub struct Chapter {
    #[serde(rename = "startTime")]
    start_time: i64,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

fn chapter(row: ChapterRow) -> Chapter {
    let label = match SegmentKind::parse(&row.kind).unwrap_or(SegmentKind::Other) {
        SegmentKind::Extra => "Extras",
        SegmentKind::Joke => "Joke",
        SegmentKind::Sponsor => "Sponsor",
        SegmentKind::Topic | SegmentKind::Other => "",
    };
    let title = match (label.is_empty(), row.title.is_empty()) {
        (true, _) => row.title,
        (false, true) => label.to_string(),
        (false, false) => format!("{label}: {}", row.title),
    };
    Chapter {
        start_time: row.start_secs,
        title,
        url: row.url.filter(|u| crate::links::web_url::is_web_url(u)),
    }
}

/// `GET /episodes/{number}/chapters.json`: 404 unless the episode is published.
pub async fn show(State(state): State<AppState>, Path(number): Path<String>) -> Result<Response> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let id = store::published_episode_id(&mut conn, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let chapters = Chapters {
        version: "1.2.0",
        chapters: store::chapters_of(&mut conn, id)
            .await?
            .into_iter()
            .map(chapter)
            .collect(),
    };
    let body = serde_json::to_string(&chapters).map_err(anyhow::Error::from)?;
    Ok(respond(JSON, body))
}
