//! Each published episode's notes as one HTML fragment for the feeds' `content:encoded`,
//! stored per site address (its links are absolute). Written with the notes, in the writing
//! transaction, so the first feed request after an import or a save reads them instead of
//! building a thousand of them; a feed that finds one missing builds and stores it.

use std::collections::HashMap;

use askama::Template;
use sqlx::SqliteConnection;

use crate::episodes::model::SegmentKind;
use crate::episodes::store::SegmentRow;
use crate::feeds::store;
use crate::feeds::xml_text::into_xml_safe;

/// Names the code that renders the fragments: a new release renders them again.
const RENDERER: &str = concat!(env!("CARGO_PKG_VERSION"), "+notes-1");

/// What the stored fragments for the site at `base_url` are kept under.
pub fn renderer(base_url: &str) -> String {
    format!("{RENDERER} {base_url}")
}

/// Why a fragment could not be made: the database or a template failed.
#[derive(Debug, thiserror::Error)]
pub enum FeedNotesError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Template(#[from] askama::Error),
}

/// A fragment under a new random stamp, which tells a feed's cached item that it changed.
pub struct StoredNotes {
    pub id: i64,
    pub stamp: i64,
    pub html: String,
}

/// Makes the fragments of those of `ids` that are published, for the stored site address,
/// and stores them in the caller's transaction. Every write of notes or of a status calls it
/// last, after the writes whose triggers forget the fragments.
pub async fn refresh(conn: &mut SqliteConnection, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let base_url = crate::settings::load(conn).await?.base_url;
    let rendered = match render(conn, ids, &base_url).await {
        Ok(rendered) => rendered,
        Err(FeedNotesError::Database(error)) => return Err(error),
        // A template failure is a bug: it fails the write as a database error would.
        Err(error) => return Err(sqlx::Error::Encode(Box::new(error))),
    };
    save(conn, &base_url, &rendered).await
}

/// Makes the fragments every published episode lacks, for the stored site address, in the
/// caller's transaction. An import calls it as each batch ends: a batch can make earlier
/// ones' fragments stale (a host's full name learned from a later file is in every one of
/// their episodes' headings), and the first feed request after the import should find them all.
pub async fn refresh_stale(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    let base_url = crate::settings::load(conn).await?.base_url;
    let ids = store::published_without_html(conn, &renderer(&base_url)).await?;
    refresh(conn, &ids).await
}

/// The fragments of those of `ids` that are published, rendered for `base_url`.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[i64],
    base_url: &str,
) -> Result<Vec<StoredNotes>, FeedNotesError> {
    Ok(render_published(conn, ids, base_url)
        .await?
        .into_iter()
        .map(|(id, html)| StoredNotes {
            id,
            stamp: random_stamp(),
            html,
        })
        .collect())
}

/// Stores fragments made by [`render`] for `base_url`, replacing what was stored.
pub async fn save(
    conn: &mut SqliteConnection,
    base_url: &str,
    rendered: &[StoredNotes],
) -> sqlx::Result<()> {
    let rows: Vec<(i64, i64, &str)> = rendered
        .iter()
        .map(|row| (row.id, row.stamp, row.html.as_str()))
        .collect();
    store::save_html(conn, &renderer(base_url), &rows).await
}

fn random_stamp() -> i64 {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).unwrap_or_default();
    i64::from_le_bytes(bytes)
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

/// The fragments of the published episodes among `ids`, by id.
async fn render_published(
    conn: &mut SqliteConnection,
    ids: &[i64],
    base_url: &str,
) -> Result<HashMap<i64, String>, FeedNotesError> {
    let intros = store::published_intros(conn, ids).await?;
    if intros.is_empty() {
        return Ok(HashMap::new());
    }
    let published: Vec<i64> = intros.iter().map(|(id, _, _)| *id).collect();
    let mut segments: HashMap<i64, Vec<NoteSegment>> = HashMap::new();
    for row in store::segments_of(conn, &published).await? {
        segments
            .entry(row.episode_id)
            .or_default()
            .push(note_segment(row, base_url).await);
    }
    let mut rendered = HashMap::with_capacity(intros.len());
    for (id, intro_md, intro_html) in intros {
        let intro_html = super::intro_of(intro_html, intro_md).await;
        let page = NotesHtml {
            segments: segments.remove(&id).unwrap_or_default(),
            intro_html,
        };
        // Sized for the notes it holds: grown by doubling, it was copied several times over.
        let notes: usize = page.segments.iter().map(|s| s.notes_html.len()).sum();
        let mut html = String::with_capacity(notes + page.intro_html.len() + 1024);
        page.render_into(&mut html)?;
        rendered.insert(id, into_xml_safe(html));
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
        url: row.url.filter(|u| crate::links::web_url::is_web_url(u)),
        // Stored when the notes were written (or first read), with the presenter's `rel`.
        notes_html: super::notes_of(row.notes_html, row.notes_md, row.person_is_guest).await,
    }
}
