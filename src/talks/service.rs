//! The catalog's rules: what listeners see of events and talks (what curators change is in
//! [`super::manage`] and [`super::manage_event`]). Knows nothing of the web: handlers turn
//! [`TalksError`] into responses.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::store::{self, Discussion, Event, Seen, Talk, TalkLink};
use crate::paging::Paging;
use crate::people::person_ref::PersonRef;
use crate::validation::FieldErrors;

/// Why a catalog request failed.
#[derive(Debug, thiserror::Error)]
pub enum TalksError {
    /// No such event or talk (or not one listeners may see).
    #[error("not found")]
    NotFound,
    /// The form is wrong; the errors say where.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// One video of a talk, pyvideo-shaped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Video {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

impl Video {
    /// Whether the URL may be an `href`: a record keeps any URL for export, a page links only web ones.
    pub fn is_link(&self) -> bool {
        crate::links::web_url::is_web_url(&self.url)
    }

    /// The site that hosts the video, by its proper name ("YouTube"), from the URL's host;
    /// the host itself for a site without a known name.
    pub fn provider(&self) -> String {
        let host = url::Url::parse(self.url.trim())
            .ok()
            .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let site = host
            .strip_prefix("www.")
            .or_else(|| host.strip_prefix("m."))
            .unwrap_or(&host);
        let known = PROVIDERS
            .iter()
            .find(|(domain, _)| site == *domain || site.ends_with(&format!(".{domain}")));
        match known {
            Some((_, name)) => name.to_string(),
            None if site.is_empty() => self.kind.clone(),
            None => site.to_string(),
        }
    }
}

/// Video sites by domain, with the names they call themselves.
const PROVIDERS: [(&str, &str); 6] = [
    ("youtube.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("youtube-nocookie.com", "YouTube"),
    ("vimeo.com", "Vimeo"),
    ("archive.org", "the Internet Archive"),
    ("peertube.tv", "PeerTube"),
];

/// What a tag keeps as it is in its page's address: letters, digits and the marks a URL path
/// never escapes (`machine-learning`, `node.js`); the rest is percent-encoded.
const TAG_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The page of a pyvideo tag: `/talks/tags/{tag}`, the tag percent-encoded.
pub fn tag_url(tag: &str) -> String {
    // A tag of dots alone (`..`) would be read as the folder or its parent.
    let escaped = if tag.bytes().all(|b| b == b'.') {
        percent_encoding::NON_ALPHANUMERIC
    } else {
        TAG_ESCAPED
    };
    let tag = percent_encoding::utf8_percent_encode(tag, escaped);
    format!("/talks/tags/{tag}")
}

/// A talk with everything its page shows.
#[derive(Serialize)]
pub struct TalkView {
    #[serde(flatten)]
    pub talk: Talk,
    pub speakers: Vec<PersonRef>,
    pub videos: Vec<Video>,
    pub tags: Vec<String>,
    pub related: Vec<TalkLink>,
    pub discussed_in: Vec<Discussion>,
}

impl TalkView {
    /// The privacy-enhanced YouTube embed URL, when the talk is a YouTube video.
    pub fn embed_url(&self) -> Option<String> {
        let id = self.talk.video_id.as_deref()?;
        let safe = id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        safe.then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
    }

    /// "1h 02m" style length, or empty.
    pub fn duration(&self) -> String {
        crate::episodes::format_duration(self.talk.duration_secs)
    }

    /// The page of one of the talk's tags.
    pub fn tag_url(&self, tag: &str) -> String {
        tag_url(tag)
    }
}

/// Talks on a page of a tag: a catalog's most common tags have thousands (a page of 7,000 was
/// 1.1 MB of HTML); a hundred rows are about 15 KB.
pub const TALKS_PER_TAG_PAGE: i64 = 100;

/// A page of the public talks with one tag.
#[derive(Serialize)]
pub struct TagView {
    pub tag: String,
    pub talks: Vec<Talk>,
    pub paging: Paging,
}

impl TagView {
    /// The address of page `page` of this tag.
    pub fn page_url(&self, page: &i64) -> String {
        let first = tag_url(&self.tag);
        if *page > 1 {
            format!("{first}?page={page}")
        } else {
            first
        }
    }
}

/// Page `page` of the public talks tagged `tag`; not found when there are none, or fewer.
pub async fn tag_view(db: &SqlitePool, tag: &str, page: i64) -> Result<TagView, TalksError> {
    let mut conn = db.acquire().await?;
    let total = store::count_tagged(&mut conn, tag).await?;
    let paging = Paging::new(page, TALKS_PER_TAG_PAGE, total);
    if total == 0 || page > paging.pages {
        return Err(TalksError::NotFound);
    }
    let talks = store::talks_tagged(&mut conn, tag, TALKS_PER_TAG_PAGE, paging.offset()).await?;
    Ok(TagView {
        tag: tag.to_string(),
        talks,
        paging,
    })
}

/// An event with its talks.
#[derive(Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub event: Event,
    pub talks: Vec<Talk>,
}

/// Every event with talks `seen` sees, newest first.
pub async fn events(db: &SqlitePool, seen: Seen) -> Result<Vec<Event>, TalksError> {
    Ok(store::events(&mut *db.acquire().await?, seen).await?)
}

/// An event and its talks, as `seen` sees them.
pub async fn event_view(db: &SqlitePool, slug: &str, seen: Seen) -> Result<EventView, TalksError> {
    let mut conn = db.acquire().await?;
    let event = store::event_by_slug(&mut conn, slug, seen)
        .await?
        .ok_or(TalksError::NotFound)?;
    let talks = store::talks_of_event(&mut conn, event.id, seen).await?;
    Ok(EventView { event, talks })
}

/// A public talk with its speakers, videos, tags, related links and the episodes that discussed it.
pub async fn talk_view(db: &SqlitePool, event: &str, slug: &str) -> Result<TalkView, TalksError> {
    let mut conn = db.acquire().await?;
    let talk = store::talk_by_slug(&mut conn, event, slug, Seen::Public)
        .await?
        .ok_or(TalksError::NotFound)?;
    let speakers = store::speakers_of(&mut conn, talk.id).await?;
    let related = store::links_of(&mut conn, talk.id).await?;
    let discussed_in = store::discussions_of(&mut conn, talk.id).await?;
    Ok(TalkView {
        videos: serde_json::from_str(&talk.videos_json).unwrap_or_default(),
        tags: serde_json::from_str(&talk.tags_json).unwrap_or_default(),
        speakers: speakers
            .into_iter()
            .map(|(slug, name)| PersonRef { slug, name })
            .collect(),
        talk,
        related,
        discussed_in,
    })
}

#[cfg(test)]
mod tests {
    use super::tag_url;

    #[test]
    fn a_tags_address_keeps_its_words_and_escapes_the_rest() {
        assert_eq!(tag_url("machine-learning"), "/talks/tags/machine-learning");
        assert_eq!(tag_url("node.js"), "/talks/tags/node.js");
        assert_eq!(tag_url("CI/CD"), "/talks/tags/CI%2FCD");
        assert_eq!(tag_url("data science"), "/talks/tags/data%20science");
        assert_eq!(tag_url("c++"), "/talks/tags/c%2B%2B");
        assert_eq!(tag_url(".."), "/talks/tags/%2E%2E");
    }
}
