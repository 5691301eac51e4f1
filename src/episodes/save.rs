//! Saving a whole episode (its row, segments, links) in one transaction.

use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::model::{EpisodeDoc, SegmentDoc, Status, slugify};
use super::store;
use crate::links::{self, UrlKey};
use crate::markdown::{self, Author};
use crate::people;

/// Why an episode could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The document is wrong in a way its author can fix.
    #[error("{field}: {message}")]
    Invalid {
        /// Which field.
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> SaveError {
    SaveError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks and completes a document: slug, positions, publication date.
fn prepare(mut doc: EpisodeDoc) -> Result<EpisodeDoc, SaveError> {
    doc.title = doc.title.trim().to_string();
    if doc.number < 0 {
        return Err(invalid("number", "must be 0 or more"));
    }
    if doc.title.is_empty() {
        return Err(invalid("title", "is required"));
    }
    if doc.slug.is_empty() {
        doc.slug = slugify(&doc.title);
    }
    if let Some(at) = &doc.published_at {
        OffsetDateTime::parse(at, &Rfc3339).map_err(|_| {
            invalid(
                "published_at",
                format!("{at:?} is not an RFC 3339 time like 2025-05-19T17:00:00Z"),
            )
        })?;
    }
    check_urls(&doc)?;
    doc.segments.sort_by_key(|s| s.position);
    for (index, segment) in doc.segments.iter_mut().enumerate() {
        segment.position = index as i64 + 1;
    }
    Ok(doc)
}

/// Only web URLs may become links: a `javascript:` title link would run in listeners' browsers.
fn check_urls(doc: &EpisodeDoc) -> Result<(), SaveError> {
    if doc
        .audio
        .as_ref()
        .is_some_and(|audio| !links::is_web_url(&audio.url))
    {
        return Err(invalid("audio.url", "must start with https:// or http://"));
    }
    for (index, segment) in doc.segments.iter().enumerate() {
        if segment
            .url
            .as_deref()
            .is_some_and(|url| !links::is_web_url(url))
        {
            return Err(invalid(
                format!("segments[{index}].url"),
                "must start with https:// or http://",
            ));
        }
    }
    Ok(())
}

/// Saves `doc` as episode `doc.number`: a new episode, or the existing one
/// updated in place (same guid, version bumped). All or nothing.
pub async fn save_episode(db: &SqlitePool, doc: EpisodeDoc) -> Result<i64, SaveError> {
    let mut tx = db.begin().await?;
    let (episode_id, _) = save_episode_in(&mut tx, doc).await?;
    tx.commit().await?;
    Ok(episode_id)
}

/// [`save_episode`] inside the caller's transaction; returns the episode id
/// and the new segments' ids in order.
pub async fn save_episode_in(
    conn: &mut SqliteConnection,
    doc: EpisodeDoc,
) -> Result<(i64, Vec<i64>), SaveError> {
    let mut doc = prepare(doc)?;
    render_intro(&mut doc);
    if doc.status == Status::Published && doc.published_at.is_none() {
        // Re-importing a published episode keeps the date listeners already saw.
        let known = store::published_at_of(conn, doc.number).await?;
        doc.published_at = Some(known.unwrap_or_else(crate::clock::now));
    }
    let guid = uuid::Uuid::new_v4().to_string();
    let episode_id = store::upsert_episode(conn, &doc, &guid, &crate::clock::now()).await?;
    store::delete_segments(conn, episode_id).await?;
    let mut segment_ids = Vec::with_capacity(doc.segments.len());
    for segment in &doc.segments {
        segment_ids.push(insert_segment(conn, episode_id, segment).await?);
    }
    Ok((episode_id, segment_ids))
}

/// Notes rendered once, when saved: a guest's links get `nofollow ugc`.
async fn render_notes(
    conn: &mut SqliteConnection,
    notes_md: &str,
    person_id: Option<i64>,
) -> sqlx::Result<String> {
    let guest = match person_id {
        Some(id) => people::store::is_guest(conn, id).await?,
        None => false,
    };
    Ok(markdown::render(
        notes_md,
        if guest { Author::Guest } else { Author::Host },
    ))
}

/// The episode's derived HTML, rendered when it is saved.
pub fn render_intro(doc: &mut EpisodeDoc) {
    doc.intro_html = markdown::render(&doc.intro_md, Author::Host);
}

/// Inserts a segment with its presenter and links; returns its id.
pub async fn insert_segment(
    conn: &mut SqliteConnection,
    episode_id: i64,
    segment: &SegmentDoc,
) -> Result<i64, SaveError> {
    let person_id = match &segment.person {
        // A bare name (typed in the editor) may be a known typo or nickname.
        Some(person) if person.slug.is_empty() && !person.name.trim().is_empty() => Some(
            people::aliases::resolve_name(conn, &person.name, false)
                .await?
                .id,
        ),
        Some(person) if !person.name.trim().is_empty() => {
            Some(people::store::resolve_or_create(conn, person, false).await?)
        }
        _ => None,
    };
    let rendered = SegmentDoc {
        notes_html: render_notes(conn, &segment.notes_md, person_id).await?,
        ..segment.clone()
    };
    let segment_id =
        store::insert_segment(conn, episode_id, segment.position, &rendered, person_id).await?;
    let title_link = segment.url.iter().map(|url| links::FoundLink {
        url: url.clone(),
        text: segment.title.clone(),
    });
    let found = title_link.chain(links::extract(&segment.notes_md));
    for (position, link) in found.enumerate() {
        let key = UrlKey::parse(&link.url);
        let link_id =
            links::store::ensure_link(conn, &link.url, key.as_str(), &link.text, episode_id)
                .await?;
        links::store::attach(conn, segment_id, link_id, position as i64 + 1, &link.text).await?;
    }
    Ok(segment_id)
}
