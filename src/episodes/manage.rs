//! What hosts do to episodes: create, save with a version check, change status,
//! and the scheduler that publishes episodes when their time comes. Every change is audited.

use sqlx::SqlitePool;

use super::model::{EpisodeDoc, Status};
use super::save::{SaveError, insert_segment};
use super::{revisions, store};
use crate::accounts::store::audit;
use crate::admin::store::{Actor, record};
use crate::clock;
use crate::clock::Timestamp;
use crate::rendered::feed_notes;
use crate::validation::{FieldErrors, OnUnique};

/// Why an edit was not saved.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The form is wrong; the errors say where.
    #[error("the form has errors")]
    Invalid(FieldErrors),
    /// Someone saved the episode after this form was loaded.
    #[error("changed by someone else")]
    Conflict,
    /// The episode no longer exists.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<SaveError> for EditError {
    fn from(error: SaveError) -> Self {
        match error {
            SaveError::Invalid { field, message } => {
                let mut errors = FieldErrors::default();
                errors.add(field, message);
                Self::Invalid(errors)
            }
            SaveError::Database(e) => Self::Database(e),
        }
    }
}

fn number_taken(number: i64) -> EditError {
    let mut errors = FieldErrors::default();
    errors.add(
        "number",
        format!("episode {number} already exists; pick another number"),
    );
    EditError::Invalid(errors)
}

/// Creates a draft episode with its segments, then makes the `change` asked for in the same
/// transaction (publish, schedule); returns its id.
pub async fn create(
    db: &SqlitePool,
    user_id: i64,
    mut doc: EpisodeDoc,
    publishing: Publishing,
) -> Result<i64, EditError> {
    super::save::render_intro(&mut doc).await;
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let guid = uuid::Uuid::new_v4().to_string();
    let id = store::insert_draft(&mut tx, doc.number, &doc.title, &guid, &now)
        .await
        .on_unique("episodes.number", || number_taken(doc.number))?;
    write_fields_and_segments(&mut tx, id, 1, &doc, &now).await?;
    audit(
        &mut tx,
        Some(user_id),
        "create",
        "episode",
        Some(id),
        &format!("#{} {}", doc.number, doc.title),
        &now,
    )
    .await?;
    apply_publishing(&mut tx, user_id, id, &publishing, &now).await?;
    revisions::record(&mut tx, id, user_id, &now).await?;
    feed_notes::refresh(&mut tx, &[id]).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves episode `id` if nobody saved it since `version` was loaded, and then makes the
/// `change` asked for (publish, schedule, back to draft): what was typed is never lost to a
/// status change, and a refused save changes no status.
pub async fn update(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
    version: i64,
    doc: EpisodeDoc,
    publishing: Publishing,
) -> Result<(), EditError> {
    save_as(db, user_id, id, version, doc, publishing, "update").await
}

/// [`update`], recorded in the audit log as `action` (`update`, `restore`). The version the
/// save replaces and the one it makes are both among the episode's revisions afterwards.
pub async fn save_as(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
    version: i64,
    mut doc: EpisodeDoc,
    publishing: Publishing,
    action: &str,
) -> Result<(), EditError> {
    super::save::render_intro(&mut doc).await;
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let Some((_, current)) = store::number_and_version(&mut tx, id).await? else {
        return Err(EditError::NotFound);
    };
    if current != version {
        return Err(EditError::Conflict);
    }
    revisions::keep_unrecorded(&mut tx, id).await?;
    write_fields_and_segments(&mut tx, id, version, &doc, &now).await?;
    audit(
        &mut tx,
        Some(user_id),
        action,
        "episode",
        Some(id),
        &format!("#{} {}", doc.number, doc.title),
        &now,
    )
    .await?;
    apply_publishing(&mut tx, user_id, id, &publishing, &now).await?;
    revisions::record(&mut tx, id, user_id, &now).await?;
    feed_notes::refresh(&mut tx, &[id]).await?;
    tx.commit().await?;
    Ok(())
}

async fn write_fields_and_segments(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    version: i64,
    doc: &EpisodeDoc,
    now: &Timestamp,
) -> Result<(), EditError> {
    // The version check is in the update itself, so a save racing this one cannot slip in between.
    let updated = store::update_if_version(conn, id, version, doc, now)
        .await
        .on_unique("episodes.number", || number_taken(doc.number))?;
    if !updated {
        return Err(EditError::Conflict);
    }
    store::delete_segments(conn, id).await?;
    for segment in &doc.segments {
        insert_segment(conn, id, segment).await?;
    }
    Ok(())
}

/// What a save asks for besides the episode's fields.
#[derive(Debug, Clone, Default)]
pub struct Publishing {
    /// The status change the pressed button asks for (publish, schedule, back to draft).
    pub change: Option<StatusChange>,
    /// The time zone the host dates and schedules in (IANA name), kept with the episode.
    pub time_zone: String,
}

/// A status change a host asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    /// Public now.
    Publish,
    /// Public at this time (stamped UTC).
    Schedule(Timestamp),
    /// Back to draft.
    Unpublish,
}

/// Applies a status change to episode `id`.
pub async fn change_status(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
    change: StatusChange,
) -> Result<(), EditError> {
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    apply_status(&mut tx, user_id, id, &change, &now).await?;
    feed_notes::refresh(&mut tx, &[id]).await?;
    tx.commit().await?;
    Ok(())
}

async fn apply_publishing(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    id: i64,
    publishing: &Publishing,
    now: &Timestamp,
) -> Result<(), EditError> {
    if !publishing.time_zone.is_empty() {
        store::set_time_zone(conn, id, &publishing.time_zone).await?;
    }
    if let Some(change) = &publishing.change {
        apply_status(conn, user_id, id, change, now).await?;
    }
    Ok(())
}

/// Sets the status (with its audit line) inside the caller's transaction.
async fn apply_status(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    id: i64,
    change: &StatusChange,
    now: &Timestamp,
) -> Result<(), EditError> {
    let (status, publish_at) = match change {
        StatusChange::Publish => (Status::Published, None),
        StatusChange::Schedule(at) => (Status::Scheduled, Some(*at)),
        StatusChange::Unpublish => (Status::Draft, None),
    };
    if !store::set_status(conn, id, status, publish_at, now).await? {
        return Err(EditError::NotFound);
    }
    let detail = publish_at
        .map(|at| format!("{status} for {at}"))
        .unwrap_or_else(|| status.to_string());
    audit(
        conn,
        Some(user_id),
        "status",
        "episode",
        Some(id),
        &detail,
        now,
    )
    .await?;
    Ok(())
}

/// Publishes every scheduled episode that is due; returns their numbers.
pub async fn publish_due(db: &SqlitePool) -> sqlx::Result<Vec<i64>> {
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let published = store::publish_due(&mut tx, &now).await?;
    for (id, number) in &published {
        let detail = format!("#{number} published on schedule");
        record(
            &mut tx,
            Actor::Scheduler,
            "status",
            "episode",
            Some(*id),
            &detail,
            &now,
        )
        .await?;
    }
    let ids: Vec<i64> = published.iter().map(|(id, _)| *id).collect();
    feed_notes::refresh(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(published.into_iter().map(|(_, number)| number).collect())
}

/// Deletes episode `id` with its segments (their links and talk links go too), and records
/// it; returns what was deleted.
pub async fn delete(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
) -> Result<store::EpisodeOutline, EditError> {
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let outline = store::outline_of(&mut tx, id)
        .await?
        .ok_or(EditError::NotFound)?;
    if !store::delete_episode(&mut tx, id).await? {
        return Err(EditError::NotFound);
    }
    let detail = format!(
        "#{} {} ({} segments)",
        outline.number, outline.title, outline.segments
    );
    audit(
        &mut tx,
        Some(user_id),
        "delete",
        "episode",
        Some(id),
        &detail,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(outline)
}

/// A new draft from episode `id`: the next free number, "Copy of …" as its title, the same
/// summary, intro and segments. Audio, video and dates stay behind: they belong to the
/// recording the original was about. Returns the new episode's id.
pub async fn duplicate(db: &SqlitePool, user_id: i64, id: i64) -> Result<i64, EditError> {
    let original = {
        let mut conn = db.acquire().await?;
        let (number, _) = store::number_and_version(&mut conn, id)
            .await?
            .ok_or(EditError::NotFound)?;
        super::view::load_episode(&mut conn, number, true)
            .await?
            .ok_or(EditError::NotFound)?
    };
    let (next, _) = store::next_number_and_last_intro(&mut *db.acquire().await?).await?;
    let title = format!("Copy of {}", original.title);
    let copy = EpisodeDoc {
        number: next,
        slug: crate::slug::slugify(&title),
        title,
        summary: original.summary,
        intro_md: original.intro_md,
        segments: original.segments,
        ..EpisodeDoc::default()
    };
    create(db, user_id, copy, Publishing::default()).await
}

/// Makes revision `revision_id` the content of episode `id` again, if nobody saved the episode
/// since `version`. Restoring is a save: it keeps a revision of its own, so it can be undone
/// the same way. Status and publication times stay as they are: only their buttons change them.
pub async fn restore(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
    revision_id: i64,
    version: i64,
) -> Result<(), EditError> {
    let revision = revisions::one(db, id, revision_id)
        .await?
        .ok_or(EditError::NotFound)?;
    let doc = EpisodeDoc {
        published_at: None,
        ..revision.doc
    };
    save_as(
        db,
        user_id,
        id,
        version,
        doc,
        Publishing::default(),
        "restore",
    )
    .await
}
