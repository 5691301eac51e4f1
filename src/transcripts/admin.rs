//! The hosts' transcript page of an episode: attach (upload), replace, remove.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::format::Format;
use super::manage::{self, By, TranscriptError};
use super::store::{self, TranscriptRow};
use crate::admin::confirm::ConfirmForm;
use crate::admin::{AdminLayout, ConfirmPage};
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/transcripts/edit.html")]
pub struct TranscriptPage {
    layout: AdminLayout,
    episode_id: i64,
    number: i64,
    title: String,
    current: Option<TranscriptRow>,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl TranscriptPage {
    fn format_label(&self, stored: &str) -> &'static str {
        Format::parse(stored).map_or("a transcript", Format::label)
    }
}

/// `?done=attached|removed`: what the page says after a change.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The page of episode `id`, with a message at the top or an error at the file field.
async fn page(
    state: &AppState,
    layout: AdminLayout,
    id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<TranscriptPage> {
    let mut conn = state.db.acquire().await?;
    let (number, _) = crate::episodes::store::number_and_version(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = crate::episodes::store::episode_by_number(&mut conn, number, true)
        .await?
        .map(|row| row.title)
        .unwrap_or_default();
    Ok(TranscriptPage {
        layout,
        episode_id: id,
        number,
        title,
        current: store::transcript_of(&mut conn, id).await?,
        notice,
        error,
    })
}

/// `GET /admin/episodes/{id}/transcript`.
pub async fn show(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Result<TranscriptPage> {
    let notice = match query.done.as_deref() {
        Some("attached") => Some("The transcript is attached."),
        Some("removed") => Some("The transcript is removed."),
        _ => None,
    };
    page(&state, layout, id, notice, None).await
}

/// `POST /admin/episodes/{id}/transcript` (multipart, a `file` field): a file that reads
/// well replaces the transcript; any other is refused on the page, saying which line is wrong.
pub async fn upload(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response> {
    let user_id = layout.user.id;
    let attached = match uploaded_file(multipart).await {
        Ok((name, bytes)) => manage::attach(&state.db, id, &name, &bytes, By::User(user_id)).await,
        Err(refused) => Err(refused),
    };
    match attached {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/episodes/{id}/transcript?done=attached")).into_response(),
        ),
        Err(TranscriptError::Database(e)) => Err(e.into()),
        Err(TranscriptError::NoEpisode(_)) => Err(AppError::NotFound),
        Err(refused) => {
            let page = page(&state, layout, id, None, Some(sentence(&refused))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The refusal as the page says it: a sentence with a capital.
fn sentence(error: &TranscriptError) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The `file` field's name and bytes; a body over the route's limit reads as too large.
async fn uploaded_file(mut multipart: Multipart) -> Result<(String, Vec<u8>), TranscriptError> {
    let too_large = || TranscriptError::UploadTooLarge;
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = manage::file_name_of(field.file_name().unwrap_or_default());
        let bytes = field.bytes().await.map_err(|_| too_large())?;
        if bytes.is_empty() {
            return Err(TranscriptError::NoFile);
        }
        return Ok((name, bytes.to_vec()));
    }
    Err(TranscriptError::NoFile)
}

/// `GET /admin/episodes/{id}/transcript/remove`: what removing does, and the button that does it.
pub async fn confirm_remove(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<ConfirmPage> {
    let current = page(&state, layout.clone(), id, None, None).await?;
    let Some(transcript) = current.current else {
        return Err(AppError::NotFound);
    };
    Ok(ConfirmPage {
        layout,
        question: format!("Remove the transcript of episode {}?", current.number),
        consequences: vec![
            format!(
                "{} ({} cues) is removed from the episode page, the feeds and search.",
                transcript.source_name, transcript.cue_count
            ),
            "To have it back, attach the file again.".to_string(),
        ],
        action: format!("/admin/episodes/{id}/transcript/remove"),
        fields: Vec::new(),
        confirm_label: "Remove the transcript".to_string(),
        back: format!("/admin/episodes/{id}/transcript"),
    })
}

/// `POST /admin/episodes/{id}/transcript/remove`: with the confirmation page's `confirm`, the
/// transcript goes; without it, only a redirect to that page.
pub async fn remove(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ConfirmForm>,
) -> Result<Redirect> {
    if !form.is_confirmed() {
        return Ok(Redirect::to(&format!(
            "/admin/episodes/{id}/transcript/remove"
        )));
    }
    manage::remove(&state.db, id, By::User(layout.user.id))
        .await
        .map_err(|e| match e {
            TranscriptError::Database(e) => AppError::from(e),
            other => AppError::BadRequest(other.to_string()),
        })?;
    Ok(Redirect::to(&format!(
        "/admin/episodes/{id}/transcript?done=removed"
    )))
}
