//! `/admin/talks`: events and talks of the catalog.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::store::{self, Event, Seen, Talk};
use crate::admin::AdminLayout;
use crate::clock;
use crate::episodes::editor::{format_clock, parse_clock};
use crate::episodes::model::PersonRef;
use crate::error::{AppError, Result};
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
    Ok(EventsPage {
        layout,
        events: store::events(&mut *state.db.acquire().await?, Seen::Admin).await?,
    })
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
    let mut conn = state.db.acquire().await?;
    let event = store::event_by_slug(&mut conn, &slug, Seen::Admin)
        .await?
        .ok_or(AppError::NotFound)?;
    let talks = store::talks_of_event(&mut conn, event.id, Seen::Admin).await?;
    Ok(EventPage {
        layout,
        event,
        talks,
    })
}

/// The event form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    pub year: String,
    pub url: String,
    pub description: String,
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
    let event = store::event_by_slug(&mut *state.db.acquire().await?, &slug, Seen::Admin)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = EventForm {
        title: event.title,
        year: event.year.map(|y| y.to_string()).unwrap_or_default(),
        url: event.url,
        description: event.description,
    };
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
    let mut errors = FieldErrors::default();
    if form.title.trim().is_empty() {
        errors.add("title", "is required");
    }
    let year = form
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1900..=2200).contains(y));
    if !form.year.trim().is_empty() && year.is_none() {
        errors.add("year", "must be a year like 2025");
    }
    if !form.url.trim().is_empty() && !crate::links::is_web_url(form.url.trim()) {
        errors.add("url", "must start with https:// or http://");
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            EventEditPage {
                layout,
                slug,
                form,
                errors,
                saved: false,
            },
        )
            .into_response());
    }
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query_scalar("update events set title = ?, year = ?, url = ?, description = ? where slug = ? returning id")
        .bind(form.title.trim())
        .bind(year)
        .bind(form.url.trim())
        .bind(form.description.trim())
        .bind(&slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::accounts::store::audit(
        &mut tx,
        Some(layout.user.id),
        "update",
        "event",
        Some(id),
        form.title.trim(),
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(Redirect::to(&format!("/admin/events/{slug}?saved=1")).into_response())
}

/// The talk form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TalkForm {
    pub title: String,
    pub description: String,
    pub speakers: String,
    pub recorded: String,
    pub duration: String,
    pub language: String,
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
    let mut conn = state.db.acquire().await?;
    let talk = store::talk_by_slug(&mut conn, &event, &slug, Seen::Admin)
        .await?
        .ok_or(AppError::NotFound)?;
    let speakers = store::speakers_of(&mut conn, talk.id).await?;
    let form = TalkForm {
        speakers: speakers
            .into_iter()
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
            .join(", "),
        recorded: talk.recorded.unwrap_or_default(),
        duration: if talk.duration_secs.is_some() {
            format_clock(talk.duration_secs)
        } else {
            String::new()
        },
        title: talk.title,
        description: talk.description,
        language: talk.language,
    };
    Ok(TalkPage {
        layout,
        event,
        slug,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

fn check(form: &TalkForm) -> Result<Option<i64>, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.title.trim().is_empty() {
        errors.add("title", "is required");
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if !form.recorded.trim().is_empty() && time::Date::parse(form.recorded.trim(), &date).is_err() {
        errors.add("recorded", "must be a date like 2025-05-16");
    }
    let duration = parse_clock(&form.duration)
        .map_err(|e| errors.add("duration", e))
        .ok()
        .flatten();
    if errors.is_empty() {
        Ok(duration)
    } else {
        Err(errors)
    }
}

/// The text a field is saved as: what was stored when the form sends it back
/// unchanged but for the browser's line endings (CRLF) and surrounding blanks, so
/// saving a talk changes only what the curator changed and export writes the rest
/// as the catalog record had it; else what was typed, trimmed.
fn as_typed_or_kept<'a>(typed: &'a str, stored: &'a str) -> &'a str {
    let normalize = |text: &str| text.replace("\r\n", "\n").trim().to_string();
    if normalize(typed) == normalize(stored) {
        stored
    } else {
        typed.trim()
    }
}

/// `POST /admin/talks/{event}/{talk}`.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((event, slug)): Path<(String, String)>,
    Form(form): Form<TalkForm>,
) -> Result<Response> {
    let duration = match check(&form) {
        Ok(duration) => duration,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                TalkPage {
                    layout,
                    event,
                    slug,
                    form,
                    errors,
                    saved: false,
                },
            )
                .into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let talk = store::talk_by_slug(&mut tx, &event, &slug, Seen::Admin)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query("update talks set title = ?, description = ?, recorded = ?, duration_secs = ?, language = ? where id = ?")
        .bind(as_typed_or_kept(&form.title, &talk.title))
        .bind(as_typed_or_kept(&form.description, &talk.description))
        .bind(Some(form.recorded.trim()).filter(|r| !r.is_empty()))
        .bind(duration)
        .bind(as_typed_or_kept(&form.language, &talk.language))
        .bind(talk.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from talk_speakers where talk_id = ?")
        .bind(talk.id)
        .execute(&mut *tx)
        .await?;
    for (position, name) in form
        .speakers
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .enumerate()
    {
        let person = PersonRef {
            slug: String::new(),
            name: name.to_string(),
        };
        let person_id = crate::people::store::resolve_or_create(&mut tx, &person, true).await?;
        sqlx::query(
            "insert or ignore into talk_speakers (talk_id, person_id, position, credited_as) values (?, ?, ?, ?)",
        )
        .bind(talk.id)
        .bind(person_id)
        .bind(position as i64)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    }
    crate::accounts::store::audit(
        &mut tx,
        Some(layout.user.id),
        "update",
        "talk",
        Some(talk.id),
        form.title.trim(),
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(Redirect::to(&format!("/admin/talks/{event}/{slug}?saved=1")).into_response())
}
