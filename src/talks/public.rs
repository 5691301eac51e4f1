//! Listener pages of the talk catalog and their JSON twins.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};

use super::service::{self, EventView, TagView, TalkView};
use super::store::{Event, Seen};
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::web::{Layout, PageQuery};

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

/// `GET /talks`.
pub async fn show_events(State(state): State<AppState>, layout: Layout) -> Result<EventsPage> {
    let events = service::events(&state.db, Seen::Public).await?;
    Ok(EventsPage { layout, events })
}

/// `GET /talks/{event}`.
pub async fn show_event(
    State(state): State<AppState>,
    layout: Layout,
    Path(event): Path<String>,
) -> Result<EventPage> {
    let view = service::event_view(&state.db, &event, Seen::Public).await?;
    Ok(EventPage { layout, view })
}

/// `GET /talks/{event}/{talk}`.
pub async fn show_talk(
    State(state): State<AppState>,
    layout: Layout,
    Path((event, talk)): Path<(String, String)>,
) -> Result<TalkPage> {
    let view = service::talk_view(&state.db, &event, &talk).await?;
    Ok(TalkPage { layout, view })
}

#[derive(Template, WebTemplate)]
#[template(path = "talks/tag.html")]
pub struct TagPage {
    layout: Layout,
    view: TagView,
}

/// `GET /talks/tags/{tag}?page=N`: the talks with one pyvideo tag.
pub async fn show_tag(
    State(state): State<AppState>,
    layout: Layout,
    Path(tag): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<TagPage> {
    let view = service::tag_view(&state.db, &tag, query.number()?).await?;
    Ok(TagPage { layout, view })
}

/// `GET /api/v1/talks/tags/{tag}?page=N`.
pub async fn api_tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<TagView>, ApiError> {
    Ok(Json(
        service::tag_view(&state.db, &tag, query.number()?).await?,
    ))
}

/// `GET /api/v1/talks`.
pub async fn api_events(State(state): State<AppState>) -> Result<Json<Vec<Event>>, ApiError> {
    Ok(Json(service::events(&state.db, Seen::Public).await?))
}

/// `GET /api/v1/talks/{event}`.
pub async fn api_event(
    State(state): State<AppState>,
    Path(event): Path<String>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(
        service::event_view(&state.db, &event, Seen::Public).await?,
    ))
}

/// `GET /api/v1/talks/{event}/{talk}`.
pub async fn api_talk(
    State(state): State<AppState>,
    Path((event, talk)): Path<(String, String)>,
) -> Result<Json<TalkView>, ApiError> {
    Ok(Json(service::talk_view(&state.db, &event, &talk).await?))
}
