//! What curators change in the catalog's events: edit one, add one. Each write is one
//! transaction with its audit entry.

use serde::Deserialize;
use sqlx::SqlitePool;

use super::catalog::FROM_THE_SHOW;
use super::manage::audit_curator;
use super::service::TalksError;
use super::store::{self, Seen};
use super::store_curate::{self, EventFields};
use crate::slug::slugify;
use crate::validation::{FieldErrors, OnUnique};

/// The event form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    /// Only on the new-event form: an event's slug is its folder in the pyvideo layout and
    /// part of every talk's address, so it is chosen once.
    pub slug: String,
    pub year: String,
    pub url: String,
    pub description: String,
}

/// Slugs the admin's own pages take (`/admin/events/new`), which no event may have.
const RESERVED_SLUGS: [&str; 1] = ["new"];

/// The event form filled with event `slug` as stored.
pub async fn event_form(db: &SqlitePool, slug: &str) -> Result<EventForm, TalksError> {
    let event = store::event_by_slug(&mut *db.acquire().await?, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    Ok(EventForm {
        title: event.title,
        slug: event.slug,
        year: event.year.map(|y| y.to_string()).unwrap_or_default(),
        url: event.url,
        description: event.description,
    })
}

/// The year the form gives, checked.
fn check_event(form: &EventForm) -> Result<Option<i64>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let year = check_fields(form, &mut errors);
    errors.into_result().map(|()| year)
}

/// Adds what is wrong with the fields both forms share to `errors`; returns the year.
fn check_fields(form: &EventForm, errors: &mut FieldErrors) -> Option<i64> {
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
    if !form.url.trim().is_empty() && !crate::links::web_url::is_web_url(form.url.trim()) {
        errors.add("url", "must start with https:// or http://");
    }
    year
}

/// The slug a new event gets: the one typed, else one made from the title. A typed slug must
/// already be one (lowercase letters, digits, single hyphens), as pyvideo's folder names are:
/// it is the event's folder on export and part of every address of its talks.
fn new_event_slug(form: &EventForm) -> Result<String, &'static str> {
    let typed = form.slug.trim();
    let slug = if typed.is_empty() {
        slugify(&form.title)
    } else {
        typed.to_string()
    };
    if slug.is_empty() {
        return Err("needs at least one letter or digit");
    }
    if slugify(&slug) != slug {
        return Err(
            "may hold only lowercase letters, digits and single hyphens, like pycon-us-2025",
        );
    }
    if RESERVED_SLUGS.contains(&slug.as_str()) || slug == FROM_THE_SHOW {
        return Err("is taken by another event");
    }
    Ok(slug)
}

/// The form's fields as saved, trimmed.
fn fields_of(form: &EventForm, year: Option<i64>) -> EventFields<'_> {
    EventFields {
        title: form.title.trim(),
        year,
        url: form.url.trim(),
        description: form.description.trim(),
    }
}

/// Adds the event the form describes, audited as `user_id`; returns its slug.
pub async fn create_event(
    db: &SqlitePool,
    user_id: i64,
    form: &EventForm,
) -> Result<String, TalksError> {
    let mut errors = FieldErrors::default();
    let year = check_fields(form, &mut errors);
    let slug = new_event_slug(form).map_err(|e| errors.add("slug", e)).ok();
    errors.into_result().map_err(TalksError::Invalid)?;
    let slug = slug.unwrap_or_default();
    let fields = fields_of(form, year);
    let mut tx = crate::db::begin_write(db).await?;
    let id = store_curate::insert_event(&mut tx, &slug, &fields)
        .await
        .on_unique("events.slug", || {
            TalksError::Invalid(FieldErrors::one("slug", "is taken by another event"))
        })?;
    audit_curator(&mut tx, user_id, "create", "event", id, fields.title).await?;
    tx.commit().await?;
    Ok(slug)
}

/// Saves a curator's edit of event `slug`, audited as `user_id`.
pub async fn update_event(
    db: &SqlitePool,
    user_id: i64,
    slug: &str,
    form: &EventForm,
) -> Result<(), TalksError> {
    let year = check_event(form).map_err(TalksError::Invalid)?;
    let fields = fields_of(form, year);
    let mut tx = crate::db::begin_write(db).await?;
    let id = store_curate::update_event(&mut tx, slug, &fields)
        .await?
        .ok_or(TalksError::NotFound)?;
    audit_curator(&mut tx, user_id, "update", "event", id, fields.title).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, slug: &str) -> EventForm {
        EventForm {
            title: title.to_string(),
            slug: slug.to_string(),
            ..EventForm::default()
        }
    }

    #[test]
    fn a_new_event_slug_comes_from_the_title_unless_one_is_typed() {
        assert_eq!(
            new_event_slug(&form("PyCon US 2026", "")).as_deref(),
            Ok("pycon-us-2026")
        );
        assert_eq!(
            new_event_slug(&form("PyCon US 2026", " pyconus-26 ")).as_deref(),
            Ok("pyconus-26")
        );
    }

    #[test]
    fn a_typed_slug_must_already_be_one_and_not_reserved() {
        for bad in ["PyCon", "py con", "py--con", "-pycon", "pycon/2026", "ü"] {
            assert!(new_event_slug(&form("PyCon", bad)).is_err(), "{bad}");
        }
        assert!(new_event_slug(&form("New", "")).is_err());
        assert!(new_event_slug(&form("x", FROM_THE_SHOW)).is_err());
        assert!(new_event_slug(&form("!!!", "")).is_err());
    }
}
