//! The episodes every feed lists, with presenters and rendered notes, in a fixed number of
//! queries; and their items in each feed's format, rendered again only when they changed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use sqlx::SqlitePool;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

pub use super::items::{FeedPerson, RenderedItem};
use super::items::{Format, ItemCache, fingerprint, hash_parts};
use super::store::{self, FeedRow, PersonRow};
use super::xml_text::xml_safe;
use crate::clock::Timestamp;
use crate::rendered::feed_notes::{self, FeedNotesError};

/// Why a feed could not be built: the database or a template failed (never the reader's fault).
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl From<FeedNotesError> for FeedError {
    fn from(error: FeedNotesError) -> Self {
        match error {
            FeedNotesError::Database(error) => Self::Database(error),
            FeedNotesError::Template(error) => Self::Template(error),
        }
    }
}

/// What a feed's items are read from: the database, the items kept in memory, the site's address.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub db: &'a SqlitePool,
    pub cache: &'a ItemCache,
    pub base_url: &'a str,
}

type Result<T, E = FeedError> = std::result::Result<T, E>;

/// An episode's audio file.
#[derive(Debug, Clone)]
pub struct Enclosure {
    pub url: String,
    pub length: Option<i64>,
    pub mime_type: String,
    pub duration_secs: Option<i64>,
}

/// One published episode as the feeds show it; every URL is absolute.
#[derive(Debug, Clone)]
pub struct FeedEpisode {
    pub number: i64,
    pub title: String,
    pub summary: String,
    pub guid: String,
    pub url: String,
    pub published: OffsetDateTime,
    pub updated: OffsetDateTime,
    pub audio: Option<Enclosure>,
    /// The episode's own artwork (`itunes:image`), as the show's old feed had it.
    pub image: Option<String>,
    pub persons: Vec<FeedPerson>,
    pub chapters_url: Option<String>,
    /// The transcript's address without its extension (`…/transcript`), when there is one:
    /// the feed names its `.vtt` and `.srt` files.
    pub transcript_url: Option<String>,
    pub content_html: Arc<str>,
}

impl FeedEpisode {
    /// `pubDate`: RFC 2822.
    pub fn pub_date(&self) -> String {
        self.published.format(&Rfc2822).unwrap_or_default()
    }

    /// Atom and JSON Feed dates: RFC 3339.
    pub fn published_rfc3339(&self) -> String {
        self.published.format(&Rfc3339).unwrap_or_default()
    }

    /// When the episode last changed, RFC 3339.
    pub fn updated_rfc3339(&self) -> String {
        self.updated.format(&Rfc3339).unwrap_or_default()
    }

    /// The notes ready to sit inside one CDATA section: a `]]>` in them would end it early,
    /// so it is split across two sections.
    pub fn content_cdata(&self) -> Cow<'_, str> {
        if memchr::memmem::find(self.content_html.as_bytes(), b"]]>").is_some() {
            Cow::Owned(self.content_html.replace("]]>", "]]]]><![CDATA[>"))
        } else {
            Cow::Borrowed(self.content_html.as_ref())
        }
    }

    /// [`Self::content_cdata`] as bytes: the notes as read, shared rather than copied, unless
    /// they hold a `]]>`.
    pub fn content_cdata_bytes(&self) -> Bytes {
        match self.content_cdata() {
            Cow::Borrowed(_) => Bytes::from_owner(SharedText(self.content_html.clone())),
            Cow::Owned(text) => Bytes::from(text),
        }
    }
}

/// Text shared by an episode and the feed items sent from it.
struct SharedText(Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A feed's items in its format, newest first.
pub struct RenderedItems {
    pub items: Vec<RenderedItem>,
    /// The latest publication or change among them (the epoch for an empty feed).
    pub newest_change: OffsetDateTime,
}

/// A feed document as chunks, and a tag that changes whenever any chunk does.
pub struct Document {
    pub chunks: Vec<Bytes>,
    pub tag: u64,
}

impl RenderedItems {
    /// The whole document: `head`, the items in order with `separator` between them, `tail`.
    /// The items are shared with the cache, not copied; the tag hashes the items' hashes.
    pub fn document(&self, head: String, separator: &'static str, tail: &'static str) -> Document {
        let mut chunks = Vec::with_capacity(4 * self.items.len() + 2);
        let mut hashes = Vec::with_capacity(self.items.len() + 2);
        hashes.push(hash_parts(&[
            head.as_bytes(),
            separator.as_bytes(),
            tail.as_bytes(),
        ]));
        chunks.push(Bytes::from(head));
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                chunks.push(Bytes::from_static(separator.as_bytes()));
            }
            chunks.extend(item.parts.iter().cloned());
            hashes.push(item.hash);
        }
        chunks.push(Bytes::from_static(tail.as_bytes()));
        let hashes: Vec<u8> = hashes.iter().flat_map(|hash| hash.to_le_bytes()).collect();
        Document {
            chunks,
            tag: hash_parts(&[&hashes[..]]),
        }
    }
}

/// The items of the published episodes in `format`, newest first; only those `person_id`
/// presented in, when given. An item is taken from memory while nothing it shows has changed,
/// else rendered by `render`.
pub async fn rendered_items(
    source: Source<'_>,
    person_id: Option<i64>,
    format: Format,
    render: impl Fn(&FeedEpisode) -> Result<RenderedItem>,
) -> Result<RenderedItems> {
    let base_url = source.base_url;
    let renderer = feed_notes::renderer(base_url);
    // One read snapshot: notes rendered here are stored only if nothing changed meanwhile
    // (SQLite refuses the write of a stale snapshot), so no stale rendering is ever kept.
    let mut tx = source.db.begin().await?;
    let rows = store::feed_rows(&mut tx, &renderer, person_id).await?;
    let persons = group_persons(store::feed_persons(&mut tx, person_id).await?, base_url);
    let cache = source.cache;
    if person_id.is_none() {
        cache.keep_only(format, &rows);
    }
    let presenters = |row: &FeedRow| persons.get(&row.id).map_or(&[][..], Vec::as_slice);
    let fingerprints: Vec<u64> = rows
        .iter()
        .map(|row| fingerprint(row, presenters(row), &renderer))
        .collect();
    let mut items: Vec<Option<RenderedItem>> = rows
        .iter()
        .zip(&fingerprints)
        .map(|(row, print)| cache.get(format, row.id, *print))
        .collect();
    let stale: Vec<&FeedRow> = rows
        .iter()
        .zip(&items)
        .filter(|(_, item)| item.is_none())
        .map(|(row, _)| row)
        .collect();
    if !stale.is_empty() {
        let mut notes = notes_of(tx, &stale, &renderer, base_url).await?;
        for ((row, print), slot) in rows.iter().zip(&fingerprints).zip(&mut items) {
            if slot.is_some() {
                continue;
            }
            let html = notes.remove(&row.id).unwrap_or_else(|| Arc::from(""));
            let episode = feed_episode(row, presenters(row).to_vec(), html, base_url);
            let item = render(&episode)?;
            // Notes rendered just now have no stamp in `row`: the next request keeps the item.
            if row.stamp.is_some() {
                cache.keep(format, row.id, *print, item.clone());
            }
            *slot = Some(item);
        }
    }
    Ok(RenderedItems {
        newest_change: rows
            .iter()
            .map(last_change)
            .max()
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        items: items.into_iter().flatten().collect(),
    })
}

/// When an episode was published or last changed, whichever is later.
fn last_change(row: &FeedRow) -> OffsetDateTime {
    let updated = row.updated_at.moment();
    row.published_at
        .map_or(updated, |published| published.moment().max(updated))
}

/// Each row's notes: read back when a rendering is stored, else rendered now and stored
/// (committing `tx`).
async fn notes_of(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    rows: &[&FeedRow],
    renderer: &str,
    base_url: &str,
) -> Result<HashMap<i64, Arc<str>>> {
    let (stored, unrendered): (Vec<&FeedRow>, Vec<&FeedRow>) =
        rows.iter().partition(|row| row.stamp.is_some());
    let mut notes = HashMap::with_capacity(rows.len());
    if !stored.is_empty() {
        let ids: Vec<i64> = stored.iter().map(|row| row.id).collect();
        for (id, html) in store::stored_html(&mut tx, renderer, &ids).await? {
            notes.insert(id, Arc::from(html));
        }
    }
    if !unrendered.is_empty() {
        let ids: Vec<i64> = unrendered.iter().map(|row| row.id).collect();
        let rendered = feed_notes::render(&mut tx, &ids, base_url).await?;
        // Stored only if nothing changed since the snapshot was read: SQLite refuses the write
        // of a stale one, and the next request renders them again.
        match feed_notes::save(&mut tx, base_url, &rendered).await {
            Ok(()) => {
                if let Err(error) = tx.commit().await {
                    tracing::debug!(%error, "rendered notes not stored");
                }
            }
            Err(error) => tracing::debug!(%error, "rendered notes not stored"),
        }
        notes.extend(
            rendered
                .into_iter()
                .map(|row| (row.id, Arc::from(row.html))),
        );
    }
    Ok(notes)
}

fn group_persons(rows: Vec<PersonRow>, base_url: &str) -> HashMap<i64, Vec<FeedPerson>> {
    let mut groups: HashMap<i64, Vec<FeedPerson>> = HashMap::new();
    for row in rows {
        groups.entry(row.episode_id).or_default().push(FeedPerson {
            role: if row.is_guest { "guest" } else { "host" },
            href: format!("{base_url}/hosts/{}", row.slug),
            img: Some(row.avatar).filter(|a| crate::links::web_url::is_web_url(a)),
            name: xml_safe(&row.name),
        });
    }
    groups
}

fn feed_episode(
    row: &FeedRow,
    persons: Vec<FeedPerson>,
    html: Arc<str>,
    base_url: &str,
) -> FeedEpisode {
    let updated = row.updated_at.moment();
    let audio = row
        .audio_url
        .clone()
        .filter(|u| crate::links::web_url::is_web_url(u))
        .map(|url| Enclosure {
            url,
            length: row.audio_bytes,
            mime_type: row
                .audio_type
                .clone()
                .unwrap_or_else(|| "audio/mpeg".to_string()),
            duration_secs: row.duration_secs,
        });
    FeedEpisode {
        url: format!("{base_url}/episodes/{}/{}", row.number, row.slug),
        chapters_url: row
            .has_chapters
            .then(|| format!("{base_url}/episodes/{}/chapters.json", row.number)),
        transcript_url: row
            .has_transcript
            .then(|| format!("{base_url}/episodes/{}/transcript", row.number)),
        published: row.published_at.map_or(updated, Timestamp::moment),
        updated,
        number: row.number,
        title: xml_safe(&row.title),
        summary: xml_safe(&row.summary),
        guid: xml_safe(&row.guid),
        audio,
        image: row
            .image_url
            .clone()
            .filter(|u| crate::links::web_url::is_web_url(u)),
        persons,
        content_html: html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_holding_the_cdata_terminator_come_back_whole() {
        let html = "<p>a ]]> b ]]]]> c</p>";
        let episode = FeedEpisode {
            number: 1,
            title: String::new(),
            summary: String::new(),
            guid: String::new(),
            url: String::new(),
            published: OffsetDateTime::UNIX_EPOCH,
            updated: OffsetDateTime::UNIX_EPOCH,
            audio: None,
            image: None,
            persons: Vec::new(),
            chapters_url: None,
            transcript_url: None,
            content_html: Arc::from(html),
        };
        let xml = format!("<x><![CDATA[{}]]></x>", episode.content_cdata());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        assert_eq!(doc.root_element().text(), Some(html));
    }
}
