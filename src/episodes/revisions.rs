//! Revisions: every save of an episode keeps the version it made, in the save's transaction,
//! so a host can compare two versions and bring one back. The newest [`KEPT_PER_EPISODE`]
//! are kept; older ones are dropped.

use sqlx::{SqliteConnection, SqlitePool};

use super::model::{EpisodeDoc, Status};
use super::revision_store::{self, NewRevision, RevisionRow};
use super::view::load_episode;
use super::{notes_export, store};
use crate::clock::Timestamp;

/// How many revisions an episode keeps: enough for months of weekly editing with autosave.
pub const KEPT_PER_EPISODE: i64 = 200;

/// What a revision keeps: the episode as the editor edits it, and the same in notes form.
struct Snapshot {
    number: i64,
    title: String,
    doc_json: String,
    notes_md: String,
}

/// The episode `id` as stored now, as a revision keeps it.
async fn snapshot(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Snapshot>> {
    let Some((number, _)) = store::number_and_version(conn, id).await? else {
        return Ok(None);
    };
    let Some(doc) = load_episode(conn, number, true).await? else {
        return Ok(None);
    };
    let notes_md = crate::notes::write(&notes_export::parsed_of(&doc));
    let kept = editable_part(doc);
    let doc_json = serde_json::to_string(&kept).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(Some(Snapshot {
        number: kept.number,
        title: kept.title,
        doc_json,
        notes_md,
    }))
}

/// The fields a host edits, without what is derived (HTML, links, talks) or what buttons
/// change (status): two saves of the same text keep equal documents.
fn editable_part(doc: EpisodeDoc) -> EpisodeDoc {
    let segments = doc
        .segments
        .into_iter()
        .map(|segment| super::model::SegmentDoc {
            notes_html: String::new(),
            links: Vec::new(),
            talks: Vec::new(),
            ..segment
        })
        .collect();
    EpisodeDoc {
        status: Status::Draft,
        intro_html: String::new(),
        hosts: Vec::new(),
        segments,
        ..doc
    }
}

/// Before a save: when the episode as stored is not its newest revision (it was imported, or
/// saved before revisions were kept), keep it first, so the save never loses a version.
pub async fn keep_unrecorded(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    let Some(now) = snapshot(conn, id).await? else {
        return Ok(());
    };
    if revision_store::newest_doc(conn, id).await?.as_deref() == Some(now.doc_json.as_str()) {
        return Ok(());
    }
    let saved_at = store::updated_at(conn, id)
        .await?
        .unwrap_or_else(crate::clock::now);
    insert(conn, id, None, "earlier", &now, &saved_at).await
}

/// After a save by `user_id`: keeps the version it made, and drops the oldest past the bound.
pub async fn record(
    conn: &mut SqliteConnection,
    id: i64,
    user_id: i64,
    at: &Timestamp,
) -> sqlx::Result<()> {
    let Some(saved) = snapshot(conn, id).await? else {
        return Ok(());
    };
    insert(conn, id, Some(user_id), "user", &saved, at).await
}

async fn insert(
    conn: &mut SqliteConnection,
    id: i64,
    user_id: Option<i64>,
    actor: &str,
    snapshot: &Snapshot,
    at: &Timestamp,
) -> sqlx::Result<()> {
    let revision = NewRevision {
        episode_id: id,
        user_id,
        actor,
        number: snapshot.number,
        title: &snapshot.title,
        doc_json: &snapshot.doc_json,
        notes_md: &snapshot.notes_md,
        created_at: at,
    };
    revision_store::insert(conn, &revision).await?;
    revision_store::keep_newest(conn, id, KEPT_PER_EPISODE).await?;
    Ok(())
}

/// An episode's revisions, newest first; none when there is no such episode.
pub async fn list(db: &SqlitePool, id: i64) -> sqlx::Result<Option<Vec<RevisionRow>>> {
    let mut conn = db.acquire().await?;
    if store::number_and_version(&mut conn, id).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(revision_store::list(&mut conn, id).await?))
}

/// One revision, with its document and notes.
pub struct Revision {
    pub row: RevisionRow,
    pub doc: EpisodeDoc,
    pub notes_md: String,
}

/// Revision `revision_id` of episode `id`, if there is one.
pub async fn one(db: &SqlitePool, id: i64, revision_id: i64) -> sqlx::Result<Option<Revision>> {
    let mut conn = db.acquire().await?;
    let Some((row, doc_json, notes_md)) = revision_store::one(&mut conn, id, revision_id).await?
    else {
        return Ok(None);
    };
    let doc = serde_json::from_str(&doc_json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(Some(Revision { row, doc, notes_md }))
}
