//! `/admin/talks`: events and talks of the catalog.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::catalog::FROM_THE_SHOW;
use super::manage;
use super::manage_event::{self, EventForm};
use super::service::{self, TalksError};
use super::store::{Event, Seen, Talk};
use super::talk_form::{self, EventChoice, TalkForm};
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
    /// Whether curators may add talks here (not to the notes' holding event).
    takes_new_talks: bool,
    notice: EventNotice,
}

/// `?created=1` after an event is added, `?deleted=1` after one of its talks is deleted.
#[derive(Debug, Default, serde::Deserialize)]
pub struct EventNotice {
    pub created: Option<String>,
    pub deleted: Option<String>,
}

/// `GET /admin/talks/{event}`: an event's talks.
pub async fn show_event(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(slug): Path<String>,
    Query(notice): Query<EventNotice>,
) -> Result<EventPage> {
    let view = service::event_view(&state.db, &slug, Seen::Admin).await?;
    Ok(EventPage {
        layout,
        takes_new_talks: view.event.slug != FROM_THE_SHOW,
        event: view.event,
        talks: view.talks,
        notice,
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
    let form = manage_event::event_form(&state.db, &slug).await?;
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
    match manage_event::update_event(&state.db, layout.user.id, &slug, &form).await {
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
    /// The events the talk may be moved to, its own among them.
    events: Vec<EventChoice>,
    errors: FieldErrors,
    saved: bool,
}

impl TalkPage {
    /// Whether the event select shows event `slug` chosen.
    fn is_chosen(&self, slug: &str) -> bool {
        self.form.event.as_deref() == Some(slug)
    }
}

/// `GET /admin/talks/{event}/{talk}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> Result<TalkPage> {
    let form = talk_form::talk_form(&state.db, &event, &slug).await?;
    Ok(TalkPage {
        events: talk_form::event_choices(&state.db, &event).await?,
        layout,
        event,
        slug,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

/// `POST /admin/talks/{event}/{talk}`: saves the talk, and moves it when another event is
/// chosen (its address changes: the redirect goes to the new one).
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Form(form): Form<TalkForm>,
) -> Result<Response> {
    match manage::update_talk(&state.db, layout.user.id, &event, &slug, &form).await {
        Ok(placed) => {
            state.content_changed();
            Ok(Redirect::to(&format!("{}?saved=1", placed.admin_url())).into_response())
        }
        Err(TalksError::Invalid(errors)) => {
            let page = TalkPage {
                events: talk_form::event_choices(&state.db, &event).await?,
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
