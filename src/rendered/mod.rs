//! The HTML derived from episodes' markdown: who renders it, when, and when it is forgotten.
//!
//! Notes and intros are rendered when they are written (the editor on save; `import notes` on
//! its parsing threads, so the writing thread never waits for it) and kept with the row. What
//! a write could not render is rendered by its first read and kept: a guest's imported notes
//! (their links get `nofollow ugc`, and the import learns who is a guest only as it writes),
//! and rows whose presenter changed role since. Each published episode's feed notes are made
//! from these in the writing transaction (`feed_notes`), and the page cache revalidates on a
//! content version bumped by every write.

use sqlx::SqliteConnection;

pub mod feed_notes;

use crate::episodes::store::{self, EpisodeRow, SegmentRow};
use crate::markdown::{self, Author};

/// Who a segment's notes are rendered for: its presenter when a guest, else a host.
pub fn author_of(presenter_is_guest: Option<bool>) -> Author {
    match presenter_is_guest {
        Some(true) => Author::Guest,
        _ => Author::Host,
    }
}

/// An episode's intro and notes rendered for its hosts, off the async threads: what an import
/// stores with each episode.
#[derive(Debug, Default, Clone)]
pub struct ForHosts {
    pub intro_html: String,
    /// One per segment, in order.
    pub notes_html: Vec<String>,
}

/// Which field of an episode is over a cap of [`markdown`], and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverCap {
    /// `None` for the intro, else the segment's index.
    pub segment: Option<usize>,
    pub refused: markdown::Refused,
}

impl ForHosts {
    /// Renders `intro_md` and each of `notes`; blocks for as long as that takes. Markdown over
    /// a cap is refused here, so the save need not parse it again to check it.
    pub fn render<'a>(
        intro_md: &str,
        notes: impl Iterator<Item = &'a str>,
    ) -> Result<Self, OverCap> {
        let over = |segment| move |refused| OverCap { segment, refused };
        Ok(Self {
            intro_html: markdown::try_render(intro_md, Author::Host).map_err(over(None))?,
            notes_html: notes
                .enumerate()
                .map(|(index, notes_md)| {
                    markdown::try_render(notes_md, Author::Host).map_err(over(Some(index)))
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Renders and keeps what the row and its segments lack (see the module's comment).
pub async fn fill_missing(
    conn: &mut SqliteConnection,
    episode: &mut EpisodeRow,
    segments: &mut [SegmentRow],
) -> sqlx::Result<()> {
    if episode.intro_html.is_none() {
        let html = markdown::render_pooled(episode.intro_md.clone(), Author::Host).await;
        store::set_intro_html(conn, episode.id, &html).await?;
        episode.intro_html = Some(html);
    }
    for segment in segments.iter_mut().filter(|s| s.notes_html.is_none()) {
        let author = author_of(segment.person_is_guest);
        let html = markdown::render_pooled(segment.notes_md.clone(), author).await;
        store::set_notes_html(conn, segment.id, &html).await?;
        segment.notes_html = Some(html);
    }
    Ok(())
}

/// A segment's notes as stored, else rendered now for its presenter.
pub async fn notes_of(
    notes_html: Option<String>,
    notes_md: String,
    presenter_is_guest: Option<bool>,
) -> String {
    match notes_html {
        Some(html) => html,
        None if notes_md.is_empty() => String::new(),
        None => markdown::render_pooled(notes_md, author_of(presenter_is_guest)).await,
    }
}

/// An intro as stored, else rendered now.
pub async fn intro_of(intro_html: Option<String>, intro_md: String) -> String {
    match intro_html {
        Some(html) => html,
        None if intro_md.is_empty() => String::new(),
        None => markdown::render_pooled(intro_md, Author::Host).await,
    }
}
