//! What curators add to and take from the catalog in the admin: a new event, a new talk, and
//! deleting a talk (after a confirmation page that says what goes).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::manage::{self, Doomed};
use super::manage_event::{self, EventForm};
use super::service::TalksError;
use super::store::Event;
use super::talk_form::TalkForm;
use crate::admin::AdminLayout;
use crate::admin::confirm::{ConfirmForm, ConfirmPage};
use crate::error::Result;
use crate::state::AppState;
use crate::validation::FieldErrors;

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/event_new.html")]
pub struct NewEventPage {
    layout: AdminLayout,
    form: EventForm,
    errors: FieldErrors,
}

/// `GET /admin/events/new`.
pub async fn new_event(layout: AdminLayout) -> NewEventPage {
    NewEventPage {
        layout,
        form: EventForm::default(),
        errors: FieldErrors::default(),
    }
}

/// `POST /admin/events/new`: the new event's admin page, or the form again with what is wrong.
pub async fn create_event(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<EventForm>,
) -> Result<Response> {
    match manage_event::create_event(&state.db, layout.user.id, &form).await {
        Ok(slug) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/talks/{slug}?created=1")).into_response())
        }
        Err(TalksError::Invalid(errors)) => {
            let page = NewEventPage {
                layout,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/talks/new.html")]
pub struct NewTalkPage {
    layout: AdminLayout,
    event: Event,
    form: TalkForm,
    errors: FieldErrors,
}

/// `GET /admin/events/{event}/new-talk`.
pub async fn new_talk(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(event): Path<String>,
) -> Result<NewTalkPage> {
    Ok(NewTalkPage {
        event: manage::event_for_new_talk(&state.db, &event).await?,
        layout,
        form: TalkForm::new_talk(),
        errors: FieldErrors::default(),
    })
}

/// `POST /admin/events/{event}/new-talk`: the new talk's admin page, or the form again with
/// what is wrong.
pub async fn create_talk(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(event): Path<String>,
    Form(form): Form<TalkForm>,
) -> Result<Response> {
    match manage::create_talk(&state.db, layout.user.id, &event, &form).await {
        Ok(placed) => {
            state.content_changed();
            Ok(Redirect::to(&format!("{}?saved=1", placed.admin_url())).into_response())
        }
        Err(TalksError::Invalid(errors)) => {
            let page = NewTalkPage {
                event: manage::event_for_new_talk(&state.db, &event).await?,
                layout,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/talks/{event}/{talk}/delete`: "Delete talk 'Title'?" and what goes with it.
pub async fn confirm_delete(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
) -> Result<ConfirmPage> {
    let doomed = manage::delete_preview(&state.db, &event, &slug).await?;
    Ok(ConfirmPage {
        layout,
        question: format!("Delete the talk “{}”?", doomed.title),
        consequences: consequences(&doomed),
        action: format!("/admin/talks/{event}/{slug}/delete"),
        fields: Vec::new(),
        confirm_label: "Delete talk".to_string(),
        back: format!("/admin/talks/{event}/{slug}"),
    })
}

/// What deleting the talk takes with it, one sentence each.
fn consequences(doomed: &Doomed) -> Vec<String> {
    let mut lines = vec![format!(
        "Its public page goes, and it leaves {}, the search and the catalog export.",
        doomed.event_title
    )];
    lines.push(match doomed.segments {
        0 => "No episode segment links to it.".to_string(),
        1 => "1 episode segment will no longer link to it.".to_string(),
        n => format!("{n} episode segments will no longer link to it."),
    });
    if doomed.segments > 0 {
        // A notes import finds talks by their video and makes one for a video it cannot place.
        lines.push(
            "Their notes still name its video: importing them again brings it back, among the talks discussed on the show."
                .to_string(),
        );
    }
    lines.push("Its speakers stay in the people list. This cannot be undone.".to_string());
    lines
}

/// `POST /admin/talks/{event}/{talk}/delete`: with the confirmation page's `confirm`, the talk
/// is gone; without it, only a redirect to that page.
pub async fn delete(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Form(form): Form<ConfirmForm>,
) -> Result<Redirect> {
    if !form.is_confirmed() {
        return Ok(Redirect::to(&format!("/admin/talks/{event}/{slug}/delete")));
    }
    manage::delete_talk(&state.db, layout.user.id, &event, &slug).await?;
    state.content_changed();
    Ok(Redirect::to(&format!("/admin/talks/{event}?deleted=1")))
}
