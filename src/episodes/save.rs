//! Saving a whole episode (its row, segments, links) in one transaction.

use sqlx::{SqliteConnection, SqlitePool};

use super::model::{EpisodeDoc, SegmentDoc};
use super::{segment_store, store};
use crate::links::store::{KnownLinks, SegmentLink};
use crate::links::{self, UrlKey};
use crate::markdown::{self, Author};
use crate::people;
use crate::people::store::KnownPeople;
use crate::slug::slugify;

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
    check_urls(&doc)?;
    check_markdown(&doc)?;
    doc.intro_md = unix_lines(&doc.intro_md);
    doc.segments.sort_by_key(|s| s.position);
    for (index, segment) in doc.segments.iter_mut().enumerate() {
        segment.position = index as i64 + 1;
        segment.notes_md = unix_lines(&segment.notes_md);
    }
    Ok(doc)
}

/// Markdown is stored with `\n` line endings whatever it was typed with (browsers send
/// `\r\n`; files from Windows have them): the digest's text part and exports stay uniform.
pub fn unix_lines(text: &str) -> String {
    match text.contains('\r') {
        true => text.replace("\r\n", "\n").replace('\r', "\n"),
        false => text.to_string(),
    }
}

/// Only web URLs may become links: a `javascript:` title link would run in listeners' browsers.
fn check_urls(doc: &EpisodeDoc) -> Result<(), SaveError> {
    if doc
        .audio
        .as_ref()
        .is_some_and(|audio| !links::web_url::is_web_url(&audio.url))
    {
        return Err(invalid("audio.url", "must start with https:// or http://"));
    }
    for (index, segment) in doc.segments.iter().enumerate() {
        if segment
            .url
            .as_deref()
            .is_some_and(|url| !links::web_url::is_web_url(url))
        {
            return Err(invalid(
                format!("segments[{index}].url"),
                "must start with https:// or http://",
            ));
        }
    }
    Ok(())
}

/// Markdown over the size or nesting cap would stall every page that renders it (issue 13).
/// A field that comes rendered was checked by its renderer ([`markdown::try_render`]
/// refuses what is over a cap), and is not parsed again.
fn check_markdown(doc: &EpisodeDoc) -> Result<(), SaveError> {
    if doc.intro_html.is_empty() {
        markdown::check(&doc.intro_md).map_err(|e| invalid("intro_md", e.to_string()))?;
    }
    for (index, segment) in doc.segments.iter().enumerate() {
        if segment.notes_html.is_empty() {
            markdown::check(&segment.notes_md)
                .map_err(|e| invalid(format!("segments[{index}].notes_md"), e.to_string()))?;
        }
    }
    Ok(())
}

/// Saves `doc` as episode `doc.number`: a new episode, or the existing one
/// updated in place (same guid, version bumped). All or nothing.
pub async fn save_episode(db: &SqlitePool, doc: EpisodeDoc) -> Result<i64, SaveError> {
    let mut tx = crate::db::begin_write(db).await?;
    let (episode_id, _) = save_episode_in(&mut tx, doc).await?;
    tx.commit().await?;
    Ok(episode_id)
}

/// What a transaction has already looked up or registered: people by slug, links by key.
/// Forget it when the transaction, or a savepoint in it, rolls back: its ids may be gone.
#[derive(Debug, Default)]
pub struct Known {
    pub people: KnownPeople,
    pub links: KnownLinks,
}

impl Known {
    /// Links of the episodes saved from now on are written by [`Known::flush`], all at once.
    pub fn deferring() -> Self {
        Self {
            links: KnownLinks::deferring(),
            ..Self::default()
        }
    }

    /// Whether writes wait for [`Known::flush`].
    pub fn defers(&self) -> bool {
        self.links.defers()
    }

    /// Writes what was deferred; before the transaction commits.
    pub async fn flush(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        self.links.flush(conn).await
    }
}

/// An episode as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub episode_id: i64,
    /// Whether the episode is new (else an existing one was updated in place).
    pub created: bool,
    /// The new segments' ids in order.
    pub segment_ids: Vec<i64>,
}

/// [`save_episode`] inside the caller's transaction, with the episode's feed notes when it is
/// published; returns the episode id and the new segments' ids in order.
pub async fn save_episode_in(
    conn: &mut SqliteConnection,
    doc: EpisodeDoc,
) -> Result<(i64, Vec<i64>), SaveError> {
    let saved = save_episode_with(conn, doc, &mut Known::default()).await?;
    crate::rendered::feed_notes::refresh(conn, &[saved.episode_id]).await?;
    Ok((saved.episode_id, saved.segment_ids))
}

/// [`save_episode_in`], answering from and adding to what the transaction already `known`.
pub async fn save_episode_with(
    conn: &mut SqliteConnection,
    doc: EpisodeDoc,
    known: &mut Known,
) -> Result<Saved, SaveError> {
    // The intro's HTML is derived: its first read renders and keeps it (see `load_episode`), so
    // an import of a whole archive renders nothing.
    let doc = prepare(doc)?;
    let (episode_id, created) = store::upsert_episode(
        conn,
        &doc,
        &uuid::Uuid::new_v4().to_string(),
        &crate::clock::now(),
    )
    .await?;
    if !created {
        store::delete_segments(conn, episode_id).await?;
    }
    let presenters = doc.segments.iter().filter_map(|s| s.person.as_ref());
    known.people.learn(conn, presenters).await?;
    let mut rows = Vec::with_capacity(doc.segments.len());
    for segment in &doc.segments {
        let person_id = person_of(conn, segment, &mut known.people).await?;
        rows.push(segment_store::NewSegment::of(segment, person_id));
    }
    let segment_ids = segment_store::insert_segments(conn, episode_id, &rows).await?;
    let found: Vec<SegmentLink> = doc
        .segments
        .iter()
        .zip(&segment_ids)
        .flat_map(|(segment, id)| links_of(episode_id, *id, segment))
        .collect();
    known.links.attach(conn, found).await?;
    Ok(Saved {
        episode_id,
        created,
        segment_ids,
    })
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
    let author = crate::rendered::author_of(Some(guest));
    Ok(markdown::render_pooled(notes_md.to_string(), author).await)
}

/// The episode's derived HTML, rendered when it is saved.
pub async fn render_intro(doc: &mut EpisodeDoc) {
    doc.intro_html = markdown::render_pooled(doc.intro_md.clone(), Author::Host).await;
}

/// Inserts a segment with its presenter and links; returns its id.
pub async fn insert_segment(
    conn: &mut SqliteConnection,
    episode_id: i64,
    segment: &SegmentDoc,
) -> Result<i64, SaveError> {
    let person_id = person_of(conn, segment, &mut KnownPeople::default()).await?;
    let rendered = SegmentDoc {
        notes_html: render_notes(conn, &segment.notes_md, person_id).await?,
        ..segment.clone()
    };
    let segment_id =
        store::insert_segment(conn, episode_id, segment.position, &rendered, person_id).await?;
    let links = links_of(episode_id, segment_id, segment);
    KnownLinks::default().attach(conn, links).await?;
    Ok(segment_id)
}

/// The presenter's id: found, remembered or created.
async fn person_of(
    conn: &mut SqliteConnection,
    segment: &SegmentDoc,
    people: &mut KnownPeople,
) -> Result<Option<i64>, SaveError> {
    Ok(match &segment.person {
        // A bare name (typed in the editor) may be a known typo or nickname.
        Some(person) if person.slug.is_empty() && !person.name.trim().is_empty() => Some(
            people::aliases::resolve_name(conn, &person.name, false)
                .await?
                .id,
        ),
        Some(person) if !person.name.trim().is_empty() => {
            Some(people.resolve_or_create(conn, person, false).await?)
        }
        _ => None,
    })
}

/// A segment's links in order: its title link, then those of its notes.
fn links_of(episode_id: i64, segment_id: i64, segment: &SegmentDoc) -> Vec<SegmentLink> {
    let title_link = segment.url.iter().map(|url| links::FoundLink {
        url: url.clone(),
        text: segment.title.clone(),
    });
    // Other schemes stay text in the notes and never become links (issue 13).
    let note_links = links::extract(&segment.notes_md)
        .into_iter()
        .filter(|link| links::web_url::is_web_url(&link.url));
    title_link
        .chain(note_links)
        .enumerate()
        .map(|(index, link)| SegmentLink {
            episode: episode_id,
            segment: segment_id,
            position: index as i64 + 1,
            key: UrlKey::parse(&link.url).as_str().to_string(),
            url: link.url,
            text: link.text,
        })
        .collect()
}
