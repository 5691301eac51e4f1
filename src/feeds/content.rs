//! The episodes every feed lists, with presenters and rendered notes, in a fixed number of
//! queries; and their items in each feed's format, rendered again only when they changed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use bytes::Bytes;
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

pub use super::items::{FeedPerson, RenderedItem};
use super::items::{Format, ItemCache, fingerprint, hash_parts};
use super::store::{self, FeedRow, PersonRow};
use crate::episodes::model::SegmentKind;
use crate::episodes::store::SegmentRow;

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

/// What a feed's items are read from: the database, the items kept in memory, the site's address.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub db: &'a SqlitePool,
    pub cache: &'a ItemCache,
    pub base_url: &'a str,
}

type Result<T, E = FeedError> = std::result::Result<T, E>;

/// Names the code that renders cached notes: a new release re-renders them.
const RENDERER: &str = concat!(env!("CARGO_PKG_VERSION"), "+notes-1");

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
        if self.content_html.contains("]]>") {
            Cow::Owned(self.content_html.replace("]]>", "]]]]><![CDATA[>"))
        } else {
            Cow::Borrowed(self.content_html.as_ref())
        }
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
        let mut chunks = Vec::with_capacity(2 * self.items.len() + 2);
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
            chunks.push(item.text.clone());
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
    render: impl Fn(&FeedEpisode) -> Result<String>,
) -> Result<RenderedItems> {
    let base_url = source.base_url;
    let renderer = format!("{RENDERER} {base_url}");
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
            let item = RenderedItem::new(render(&episode)?);
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
    let updated = parse_time(Some(&row.updated_at)).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    parse_time(row.published_at.as_deref()).map_or(updated, |published| published.max(updated))
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
        let ids = serde_json::to_string(&ids)?;
        for (id, html) in store::stored_html(&mut tx, renderer, &ids).await? {
            notes.insert(id, Arc::from(html));
        }
    }
    if !unrendered.is_empty() {
        let ids: Vec<i64> = unrendered.iter().map(|row| row.id).collect();
        let rendered = render_notes(&mut tx, &ids, base_url).await?;
        let stored: Vec<StoredNotes> = rendered
            .into_iter()
            .map(|(id, html)| StoredNotes {
                id,
                stamp: random_stamp(),
                html: Arc::from(html),
            })
            .collect();
        let rows: Vec<(i64, i64, &str)> = stored
            .iter()
            .map(|row| (row.id, row.stamp, &*row.html))
            .collect();
        match store::save_html(&mut tx, renderer, &rows).await {
            Ok(()) => {
                if let Err(error) = tx.commit().await {
                    tracing::debug!(%error, "rendered notes not stored");
                }
            }
            Err(error) => tracing::debug!(%error, "rendered notes not stored"),
        }
        notes.extend(stored.into_iter().map(|row| (row.id, row.html)));
    }
    Ok(notes)
}

/// A rendering as stored, under its stamp.
struct StoredNotes {
    id: i64,
    stamp: i64,
    html: Arc<str>,
}

fn random_stamp() -> i64 {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).unwrap_or_default();
    i64::from_le_bytes(bytes)
}

fn group_persons(rows: Vec<PersonRow>, base_url: &str) -> HashMap<i64, Vec<FeedPerson>> {
    let mut groups: HashMap<i64, Vec<FeedPerson>> = HashMap::new();
    for row in rows {
        groups.entry(row.episode_id).or_default().push(FeedPerson {
            role: if row.is_guest { "guest" } else { "host" },
            href: format!("{base_url}/hosts/{}", row.slug),
            img: Some(row.avatar).filter(|a| crate::links::is_web_url(a)),
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
    let updated = parse_time(Some(&row.updated_at)).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let audio = row
        .audio_url
        .clone()
        .filter(|u| crate::links::is_web_url(u))
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
        published: parse_time(row.published_at.as_deref()).unwrap_or(updated),
        updated,
        number: row.number,
        title: xml_safe(&row.title),
        summary: xml_safe(&row.summary),
        guid: xml_safe(&row.guid),
        audio,
        image: row
            .image_url
            .clone()
            .filter(|u| crate::links::is_web_url(u)),
        persons,
        content_html: html,
    }
}

/// Reads an RFC 3339 timestamp.
pub fn parse_time(text: Option<&str>) -> Option<OffsetDateTime> {
    text.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
}

/// Drops the characters XML 1.0 forbids (most control characters), which no parser would accept.
pub fn xml_safe(text: &str) -> String {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(allowed) {
        text.to_string()
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
}

/// The notes of an episode as one HTML fragment: what `content:encoded` carries.
#[derive(Template)]
#[template(path = "feeds/notes.html")]
struct NotesHtml {
    segments: Vec<NoteSegment>,
    intro_html: String,
}

struct NoteSegment {
    is_sponsor: bool,
    heading: String,
    heading_href: Option<String>,
    title: String,
    url: Option<String>,
    notes_html: String,
}

async fn render_notes(
    conn: &mut SqliteConnection,
    ids: &[i64],
    base_url: &str,
) -> Result<HashMap<i64, String>> {
    let ids_json = serde_json::to_string(ids)?;
    let mut segments: HashMap<i64, Vec<NoteSegment>> = HashMap::new();
    for row in store::segments_of(conn, &ids_json).await? {
        segments
            .entry(row.episode_id)
            .or_default()
            .push(note_segment(row, base_url).await);
    }
    let mut rendered = HashMap::new();
    for (id, intro_md, intro_html) in store::intros(conn, &ids_json).await? {
        let intro_html = crate::rendered::intro_of(intro_html, intro_md).await;
        let page = NotesHtml {
            segments: segments.remove(&id).unwrap_or_default(),
            intro_html,
        };
        rendered.insert(id, xml_safe(&page.render()?));
    }
    Ok(rendered)
}

async fn note_segment(row: SegmentRow, base_url: &str) -> NoteSegment {
    let kind = SegmentKind::parse(&row.kind).unwrap_or(SegmentKind::Other);
    let name = row.person_name.unwrap_or_default();
    let heading = match (kind, row.number) {
        (SegmentKind::Topic, Some(number)) if !name.is_empty() => format!("{name} #{number}:"),
        (SegmentKind::Extra, _) if !name.is_empty() => format!("Extras from {name}"),
        (SegmentKind::Extra, _) => "Extras".to_string(),
        (SegmentKind::Joke, _) => "Joke:".to_string(),
        (SegmentKind::Sponsor, _) => "Sponsored by".to_string(),
        _ => String::new(),
    };
    let presents = matches!(kind, SegmentKind::Topic | SegmentKind::Extra) && !name.is_empty();
    NoteSegment {
        is_sponsor: kind == SegmentKind::Sponsor,
        heading,
        heading_href: row
            .person_slug
            .filter(|_| presents)
            .map(|slug| format!("{base_url}/hosts/{slug}")),
        title: row.title,
        url: row.url.filter(|u| crate::links::is_web_url(u)),
        // Stored when the notes were written (or first read), with the presenter's `rel`.
        notes_html: crate::rendered::notes_of(row.notes_html, row.notes_md, row.person_is_guest)
            .await,
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

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_safe("a\u{0}b\u{B}c\td\u{FFFF}"), "abc\td");
    }
}
