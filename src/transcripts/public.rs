//! The transcript files listeners and podcast apps download, written from the stored cues.

use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::format::{self, Cue};
use super::store;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// WebVTT's media type.
pub const VTT: &str = "text/vtt; charset=utf-8";
/// SRT's media type, as the Podcasting 2.0 namespace names it.
pub const SRT: &str = "application/x-subrip; charset=utf-8";

/// The cues of published episode `number` (the path's `{number}`), or a 404.
async fn published_cues(state: &AppState, number: &str) -> Result<Vec<Cue>> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let cues = store::cues_of_number(&mut *state.db.acquire().await?, number, false).await?;
    if cues.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(cues)
}

fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `GET /episodes/{number}/transcript.vtt`.
pub async fn show_vtt(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Response> {
    let cues = published_cues(&state, &number).await?;
    Ok(respond(VTT, format::write_vtt(&cues)))
}

/// `GET /episodes/{number}/transcript.srt`.
pub async fn show_srt(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Response> {
    let cues = published_cues(&state, &number).await?;
    Ok(respond(SRT, format::write_srt(&cues)))
}
