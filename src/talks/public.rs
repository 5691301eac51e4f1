//! Listener pages of the talk catalog and their JSON twins.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::store::{self, Discussion, Event, Seen, Talk, TalkLink};
use crate::episodes::model::PersonRef;
use crate::error::{ApiError, AppError, Result};
use crate::state::AppState;
use crate::web::Layout;

/// One video of a talk, pyvideo-shaped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Video {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

impl Video {
    /// Whether the URL may be an `href`: a record keeps any URL for export, a page links only web ones.
    pub fn is_link(&self) -> bool {
        crate::links::is_web_url(&self.url)
    }
}

/// A talk with everything its page shows.
#[derive(Serialize)]
pub struct TalkView {
    #[serde(flatten)]
    pub talk: Talk,
    pub speakers: Vec<PersonRef>,
    pub videos: Vec<Video>,
    pub tags: Vec<String>,
    pub related: Vec<TalkLink>,
    pub discussed_in: Vec<Discussion>,
}

impl TalkView {
    /// The privacy-enhanced YouTube embed URL, when the talk is a YouTube video.
    pub fn embed_url(&self) -> Option<String> {
        let id = self.talk.video_id.as_deref()?;
        let safe = id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        safe.then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
    }

    /// "1h 02m" style length, or empty.
    pub fn duration(&self) -> String {
        crate::episodes::format_duration(self.talk.duration_secs)
    }
}

/// An event with its talks.
#[derive(Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub event: Event,
    pub talks: Vec<Talk>,
}

#[derive(Template, WebTemplate)]
#[template(path = "talks/index.html")]
pub struct EventsPage {
    layout: Layout,
    events: Vec<Event>,
}

#[derive(Template, WebTemplate)]
#[template(path = "talks/event.html")]
pub struct EventPage {
    layout: Layout,
    view: EventView,
}

#[derive(Template, WebTemplate)]
#[template(path = "talks/show.html")]
pub struct TalkPage {
    layout: Layout,
    view: TalkView,
}

async fn load_event(state: &AppState, slug: &str) -> Result<EventView> {
    let mut conn = state.db.acquire().await?;
    let event = store::event_by_slug(&mut conn, slug, Seen::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let talks = store::talks_of_event(&mut conn, event.id, Seen::Public).await?;
    Ok(EventView { event, talks })
}

async fn load_talk(state: &AppState, event: &str, slug: &str) -> Result<TalkView> {
    let mut conn = state.db.acquire().await?;
    let talk = store::talk_by_slug(&mut conn, event, slug, Seen::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let speakers = store::speakers_of(&mut conn, talk.id).await?;
    let related = store::links_of(&mut conn, talk.id).await?;
    let discussed_in = store::discussions_of(&mut conn, talk.id).await?;
    Ok(TalkView {
        videos: serde_json::from_str(&talk.videos_json).unwrap_or_default(),
        tags: serde_json::from_str(&talk.tags_json).unwrap_or_default(),
        speakers: speakers
            .into_iter()
            .map(|(slug, name)| PersonRef { slug, name })
            .collect(),
        talk,
        related,
        discussed_in,
    })
}

/// `GET /talks`.
pub async fn show_events(State(state): State<AppState>, layout: Layout) -> Result<EventsPage> {
    let events = store::events(&mut *state.db.acquire().await?, Seen::Public).await?;
    Ok(EventsPage { layout, events })
}

/// `GET /talks/{event}`.
pub async fn show_event(
    State(state): State<AppState>,
    layout: Layout,
    Path(event): Path<String>,
) -> Result<EventPage> {
    Ok(EventPage {
        layout,
        view: load_event(&state, &event).await?,
    })
}

/// `GET /talks/{event}/{talk}`.
pub async fn show_talk(
    State(state): State<AppState>,
    layout: Layout,
    Path((event, talk)): Path<(String, String)>,
) -> Result<TalkPage> {
    Ok(TalkPage {
        layout,
        view: load_talk(&state, &event, &talk).await?,
    })
}

/// `GET /api/v1/talks`.
pub async fn api_events(State(state): State<AppState>) -> Result<Json<Vec<Event>>, ApiError> {
    Ok(Json(
        store::events(&mut *state.db.acquire().await?, Seen::Public).await?,
    ))
}

/// `GET /api/v1/talks/{event}`.
pub async fn api_event(
    State(state): State<AppState>,
    Path(event): Path<String>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(load_event(&state, &event).await?))
}

/// `GET /api/v1/talks/{event}/{talk}`.
pub async fn api_talk(
    State(state): State<AppState>,
    Path((event, talk)): Path<(String, String)>,
) -> Result<Json<TalkView>, ApiError> {
    Ok(Json(load_talk(&state, &event, &talk).await?))
}
