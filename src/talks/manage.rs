//! What curators change in the catalog's talks: edit one, add one, move one to another event,
//! delete one. Each write is one transaction with its audit entry.

use sqlx::{SqliteConnection, SqlitePool};

use super::catalog::{self, FROM_THE_SHOW};
use super::pyvideo::Video as PyVideo;
use super::service::TalksError;
use super::store::{self, Event, Seen, Talk};
use super::store_catalog;
use super::store_curate::{self, TalkFields};
use super::talk_form::{
    TalkForm, as_typed_or_kept, check_talk, related_lines, related_text, video_kind,
};
use crate::accounts::store::audit;
use crate::clock;
use crate::people::person_ref::PersonRef;
use crate::slug::slugify;
use crate::validation::FieldErrors;

/// Where a talk lives after a save: its event's slug and its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub event: String,
    pub slug: String,
}

impl Placed {
    /// The talk's admin page.
    pub fn admin_url(&self) -> String {
        format!("/admin/talks/{}/{}", self.event, self.slug)
    }
}

/// The pyvideo fields a record made on the site has beyond those the catalog models, so
/// export writes the keys every pyvideo record has (`copyright_text` among them).
const SITE_RECORD_EXTRA: &str = r#"{"copyright_text": null}"#;

/// Saves a curator's edit of talk `slug` of `event`, speakers included, audited as `user_id`.
/// A form naming another event moves the talk there (its slug kept unless taken there);
/// returns where the talk now lives.
pub async fn update_talk(
    db: &SqlitePool,
    user_id: i64,
    event: &str,
    slug: &str,
    form: &TalkForm,
) -> Result<Placed, TalksError> {
    let duration = check_talk(form).map_err(TalksError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let talk = store::talk_by_slug(&mut tx, event, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    let target = form
        .event
        .as_deref()
        .map(str::trim)
        .filter(|target| !target.is_empty() && *target != talk.event);
    let placed = match target {
        Some(target) => move_talk(&mut tx, user_id, &talk, target).await?,
        None => Placed {
            event: talk.event.clone(),
            slug: talk.slug.clone(),
        },
    };
    apply_form(&mut tx, &talk, form, duration).await?;
    audit_talk(&mut tx, user_id, "update", talk.id, form.title.trim()).await?;
    tx.commit().await?;
    Ok(placed)
}

/// Adds the talk the form describes to event `event`, audited as `user_id`. Its slug comes
/// from its title (`-2`, `-3` when the event has it already); it is public at once, as
/// every catalog record is. Returns where it lives.
pub async fn create_talk(
    db: &SqlitePool,
    user_id: i64,
    event: &str,
    form: &TalkForm,
) -> Result<Placed, TalksError> {
    let duration = check_talk(form).map_err(TalksError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let event = catalog_event(&mut tx, event).await?;
    let title = form.title.trim();
    let wanted = Some(slugify(title))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "talk".to_string());
    let slug = store_curate::free_talk_slug(&mut tx, event.id, &wanted).await?;
    let id = store_curate::insert_talk(&mut tx, event.id, &slug, title, SITE_RECORD_EXTRA).await?;
    let talk = store::talk_by_id(&mut tx, id)
        .await?
        .ok_or(TalksError::NotFound)?;
    apply_form(&mut tx, &talk, form, duration).await?;
    audit_talk(&mut tx, user_id, "create", id, title).await?;
    tx.commit().await?;
    Ok(Placed {
        event: event.slug,
        slug,
    })
}

/// Event `slug`, where curators may add talks: any but the notes' holding event, whose
/// talks come only from notes.
async fn catalog_event(conn: &mut SqliteConnection, slug: &str) -> Result<Event, TalksError> {
    store::event_by_slug(conn, slug, Seen::Admin)
        .await?
        .filter(|event| event.slug != FROM_THE_SHOW)
        .ok_or(TalksError::NotFound)
}

/// Event `slug`, if curators may add talks to it; not found otherwise.
pub async fn event_for_new_talk(db: &SqlitePool, slug: &str) -> Result<Event, TalksError> {
    catalog_event(&mut *db.acquire().await?, slug).await
}

/// Moves `talk` to event `target`, keeping its slug unless the event has it (then `-2`…).
/// Its speakers, related links and the segments that discuss it go with it.
async fn move_talk(
    conn: &mut SqliteConnection,
    user_id: i64,
    talk: &Talk,
    target: &str,
) -> Result<Placed, TalksError> {
    let event = catalog_event(conn, target).await.map_err(|e| match e {
        // The select offers only events it may join; anything else was not typed there.
        TalksError::NotFound => TalksError::Invalid(FieldErrors::one(
            "event",
            "must be one of the events listed",
        )),
        other => other,
    })?;
    let slug = store_curate::free_talk_slug(conn, event.id, &talk.slug).await?;
    // The slug is free there, so the move happens.
    store::move_talk(conn, talk.id, event.id, &slug).await?;
    let detail = format!(
        "{}: from {}/{} to {}/{slug}",
        talk.title, talk.event, talk.slug, event.slug
    );
    audit_talk(conn, user_id, "move", talk.id, &detail).await?;
    Ok(Placed {
        event: event.slug,
        slug,
    })
}

/// What deleting a talk takes with it, for the confirmation page and the audit.
#[derive(Debug, Clone)]
pub struct Doomed {
    pub title: String,
    pub event_title: String,
    /// Episode segments that link to the talk.
    pub segments: i64,
}

/// What deleting talk `slug` of `event` would take with it.
pub async fn delete_preview(
    db: &SqlitePool,
    event: &str,
    slug: &str,
) -> Result<Doomed, TalksError> {
    doomed(&mut *db.acquire().await?, event, slug)
        .await
        .map(|(_, doomed)| doomed)
}

async fn doomed(
    conn: &mut SqliteConnection,
    event: &str,
    slug: &str,
) -> Result<(i64, Doomed), TalksError> {
    let talk = store::talk_by_slug(conn, event, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    let segments = store_curate::segment_count(conn, talk.id).await?;
    Ok((
        talk.id,
        Doomed {
            title: talk.title,
            event_title: talk.event_title,
            segments,
        },
    ))
}

/// Deletes talk `slug` of `event` with its speakers' credits, related links and segment
/// links, audited as `user_id`; returns what went.
pub async fn delete_talk(
    db: &SqlitePool,
    user_id: i64,
    event: &str,
    slug: &str,
) -> Result<Doomed, TalksError> {
    let mut tx = crate::db::begin_write(db).await?;
    let (id, doomed) = doomed(&mut tx, event, slug).await?;
    store_curate::delete_talk(&mut tx, id).await?;
    let detail = format!(
        "{} ({}; linked from {} segment{})",
        doomed.title,
        doomed.event_title,
        doomed.segments,
        if doomed.segments == 1 { "" } else { "s" }
    );
    audit_talk(&mut tx, user_id, "delete", id, &detail).await?;
    tx.commit().await?;
    Ok(doomed)
}

/// Records that curator `user_id` did `action` to talk `talk_id`, now.
async fn audit_talk(
    conn: &mut SqliteConnection,
    user_id: i64,
    action: &str,
    talk_id: i64,
    detail: &str,
) -> sqlx::Result<()> {
    audit_curator(conn, user_id, action, "talk", talk_id, detail).await
}

/// Records that curator `user_id` did `action` to `entity` `id` (an event or a talk), now.
pub(super) async fn audit_curator(
    conn: &mut SqliteConnection,
    user_id: i64,
    action: &str,
    entity: &str,
    id: i64,
    detail: &str,
) -> sqlx::Result<()> {
    audit(
        conn,
        Some(user_id),
        action,
        entity,
        Some(id),
        detail,
        &clock::now(),
    )
    .await
}

/// Saves the form's fields, speakers, video and related links to `talk`.
async fn apply_form(
    conn: &mut SqliteConnection,
    talk: &Talk,
    form: &TalkForm,
    duration: Option<i64>,
) -> sqlx::Result<()> {
    let fields = TalkFields {
        title: as_typed_or_kept(&form.title, &talk.title),
        description: as_typed_or_kept(&form.description, &talk.description),
        recorded: Some(form.recorded.trim()).filter(|r| !r.is_empty()),
        duration_secs: duration,
        language: as_typed_or_kept(&form.language, &talk.language),
    };
    store_curate::update_talk(conn, talk.id, &fields).await?;
    save_speakers(conn, talk.id, &form.speakers).await?;
    if let Some(url) = &form.video_url {
        save_video(conn, talk, url.trim()).await?;
    }
    if let Some(related) = &form.related {
        save_related(conn, talk.id, related).await?;
    }
    Ok(())
}

/// Makes the people `typed` names (comma-separated), in order, the talk's speakers. Each
/// name is found as written or by alias, else becomes a person of its own: two names that
/// look alike are never taken for one person.
async fn save_speakers(conn: &mut SqliteConnection, talk_id: i64, typed: &str) -> sqlx::Result<()> {
    let mut speakers = Vec::new();
    for name in typed.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let person = PersonRef {
            slug: String::new(),
            name: name.to_string(),
        };
        let person_id = crate::people::store::resolve_or_create(conn, &person, true).await?;
        speakers.push((person_id, name));
    }
    store_curate::set_speakers(conn, talk_id, &speakers).await
}

/// Makes `url` the talk's first video (none when empty), keeping any others of its record;
/// the talk's identity (its YouTube id) follows.
async fn save_video(conn: &mut SqliteConnection, talk: &Talk, url: &str) -> sqlx::Result<()> {
    let mut videos: Vec<PyVideo> = serde_json::from_str(&talk.videos_json).unwrap_or_default();
    let unchanged =
        videos.first().is_some_and(|v| v.url == url) || (videos.is_empty() && url.is_empty());
    if unchanged {
        return Ok(());
    }
    let typed = PyVideo {
        kind: video_kind(url),
        url: url.to_string(),
    };
    match (videos.is_empty(), url.is_empty()) {
        (_, true) => {
            videos.remove(0);
        }
        (true, false) => videos.push(typed),
        (false, false) => videos[0] = typed,
    }
    let json = serde_json::to_string(&videos).map_err(|e| sqlx::Error::Encode(e.into()))?;
    store_curate::set_videos(
        conn,
        talk.id,
        &json,
        catalog::video_id_of(&videos).as_deref(),
    )
    .await
}

/// Replaces the talk's catalog links with those typed; links found in notes stay. Sent back
/// as shown, the links stay as the record had them (labels and all).
async fn save_related(conn: &mut SqliteConnection, talk_id: i64, typed: &str) -> sqlx::Result<()> {
    let shown = related_text(conn, talk_id).await?;
    if as_typed_or_kept(typed, &shown) == shown {
        return Ok(());
    }
    // Checked by `check_talk` before any write.
    let lines = related_lines(typed).unwrap_or_default();
    let rows: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(offset, line)| {
            serde_json::json!({
                "talk": talk_id, "offset": offset + 1, "url": line.url,
                "text": line.text, "bare": line.text.is_empty(),
            })
        })
        .collect();
    store_catalog::replace_catalog_links(conn, &[talk_id], &rows).await
}
