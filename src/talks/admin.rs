//! `/admin/talks`: events and talks of the catalog.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, EventForm, TalkForm, TalksError};
use super::store::{Event, Seen, Talk};
use crate::admin::AdminLayout;
use crate::error::Result;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/index.html")]
pub struct EventsPage {
    layout: AdminLayout,
    events: Vec<Event>,
}

/// `GET /admin/talks`: every event with its talk count.
pub async fn list(State(state): State<AppState>, layout: AdminLayout) -> Result<EventsPage> {
    let events = service::events(&state.db, Seen::Admin).await?;
    Ok(EventsPage { layout, events })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/event.html")]
pub struct EventPage {
    layout: AdminLayout,
    event: Event,
    talks: Vec<Talk>,
}

/// `GET /admin/talks/{event}`: an event's talks.
pub async fn show_event(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(slug): Path<String>,
) -> Result<EventPage> {
    let view = service::event_view(&state.db, &slug, Seen::Admin).await?;
    Ok(EventPage {
        layout,
        event: view.event,
        talks: view.talks,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/event_edit.html")]
pub struct EventEditPage {
    layout: AdminLayout,
    slug: String,
    form: EventForm,
    errors: FieldErrors,
    saved: bool,
}

/// `GET /admin/events/{event}`.
pub async fn edit_event(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(slug): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<EventEditPage> {
    let form = service::event_form(&state.db, &slug).await?;
    Ok(EventEditPage {
        layout,
        slug,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

/// `POST /admin/events/{event}`.
pub async fn update_event(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(slug): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response> {
    match service::update_event(&state.db, layout.user.id, &slug, &form).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/events/{slug}?saved=1")).into_response())
        }
        Err(TalksError::Invalid(errors)) => {
            let page = EventEditPage {
                layout,
                slug,
                form,
                errors,
                saved: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/edit.html")]
pub struct TalkPage {
    layout: AdminLayout,
    event: String,
    slug: String,
    form: TalkForm,
    errors: FieldErrors,
    saved: bool,
}

/// `GET /admin/talks/{event}/{talk}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> Result<TalkPage> {
    let form = service::talk_form(&state.db, &event, &slug).await?;
    Ok(TalkPage {
        layout,
        event,
        slug,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

/// `POST /admin/talks/{event}/{talk}`.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Form(form): Form<TalkForm>,
) -> Result<Response> {
    match service::update_talk(&state.db, layout.user.id, &event, &slug, &form).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/talks/{event}/{slug}?saved=1")).into_response())
        }
        Err(TalksError::Invalid(errors)) => {
            let page = TalkPage {
                layout,
                event,
                slug,
                form,
                errors,
                saved: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
