//! The catalog's rules: what listeners see of events and talks, and what curators change.
//! Knows nothing of the web: handlers turn [`TalksError`] into responses.

use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use super::catalog;
use super::pyvideo::Video as PyVideo;
use super::store::{self, Discussion, Event, Seen, Talk, TalkFields, TalkLink};
use super::store_catalog;
use crate::accounts::store::audit;
use crate::clock;
use crate::episodes::editor::{format_clock, parse_clock};
use crate::episodes::model::PersonRef;
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
        crate::links::is_web_url(&self.url)
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

/// The page of a pyvideo tag: `/talks/tags/{tag}`, the tag percent-encoded.
pub fn tag_url(tag: &str) -> String {
    let tag = percent_encoding::utf8_percent_encode(tag, percent_encoding::NON_ALPHANUMERIC);
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

/// The public talks with one tag.
#[derive(Serialize)]
pub struct TagView {
    pub tag: String,
    pub talks: Vec<Talk>,
}

/// The public talks tagged `tag`; not found when there are none.
pub async fn tag_view(db: &SqlitePool, tag: &str) -> Result<TagView, TalksError> {
    let talks = store::talks_tagged(&mut *db.acquire().await?, tag).await?;
    if talks.is_empty() {
        return Err(TalksError::NotFound);
    }
    Ok(TagView {
        tag: tag.to_string(),
        talks,
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

/// The event form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    pub year: String,
    pub url: String,
    pub description: String,
}

/// The event form filled with event `slug` as stored.
pub async fn event_form(db: &SqlitePool, slug: &str) -> Result<EventForm, TalksError> {
    let event = store::event_by_slug(&mut *db.acquire().await?, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    Ok(EventForm {
        title: event.title,
        year: event.year.map(|y| y.to_string()).unwrap_or_default(),
        url: event.url,
        description: event.description,
    })
}

/// The year the form gives, checked.
fn check_event(form: &EventForm) -> Result<Option<i64>, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.title.trim().is_empty() {
        errors.add("title", "is required");
    }
    let year = form
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1900..=2200).contains(y));
    if !form.year.trim().is_empty() && year.is_none() {
        errors.add("year", "must be a year like 2025");
    }
    if !form.url.trim().is_empty() && !crate::links::is_web_url(form.url.trim()) {
        errors.add("url", "must start with https:// or http://");
    }
    errors.into_result().map(|()| year)
}

/// Saves a curator's edit of event `slug`, audited as `user_id`.
pub async fn update_event(
    db: &SqlitePool,
    user_id: i64,
    slug: &str,
    form: &EventForm,
) -> Result<(), TalksError> {
    let year = check_event(form).map_err(TalksError::Invalid)?;
    let title = form.title.trim();
    let mut tx = crate::db::begin_write(db).await?;
    let id = store::update_event(
        &mut tx,
        slug,
        title,
        year,
        form.url.trim(),
        form.description.trim(),
    )
    .await?
    .ok_or(TalksError::NotFound)?;
    audit(
        &mut tx,
        Some(user_id),
        "update",
        "event",
        Some(id),
        title,
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The talk form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TalkForm {
    pub title: String,
    pub description: String,
    pub speakers: String,
    pub recorded: String,
    pub duration: String,
    pub language: String,
    /// The talk's video (its first, when the record has several); a form without the field
    /// leaves the videos as they are.
    pub video_url: Option<String>,
    /// The catalog's related links, one a line: the URL, then optionally its words; a form
    /// without the field leaves them as they are.
    pub related: Option<String>,
}

/// One related link as typed: `https://… words`.
struct RelatedLine<'a> {
    url: &'a str,
    text: &'a str,
}

/// The related links typed, one a line; the first wrong line's complaint.
fn related_lines(typed: &str) -> Result<Vec<RelatedLine<'_>>, String> {
    let mut lines = Vec::new();
    for (index, line) in typed.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let (url, text) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if !is_page_url(url) {
            return Err(format!(
                "line {}: must start with https:// or http://",
                index + 1
            ));
        }
        lines.push(RelatedLine {
            url,
            text: text.trim(),
        });
    }
    Ok(lines)
}

/// Whether `url` is a web page's address (not mail).
fn is_page_url(url: &str) -> bool {
    crate::links::is_web_url(url) && !url.starts_with("mailto:")
}

/// The talk form filled with talk `slug` of `event` as stored.
pub async fn talk_form(db: &SqlitePool, event: &str, slug: &str) -> Result<TalkForm, TalksError> {
    let mut conn = db.acquire().await?;
    let talk = store::talk_by_slug(&mut conn, event, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    let speakers = store::speakers_of(&mut conn, talk.id).await?;
    let videos: Vec<PyVideo> = serde_json::from_str(&talk.videos_json).unwrap_or_default();
    let related = related_text(&mut conn, talk.id).await?;
    Ok(TalkForm {
        video_url: Some(videos.first().map(|v| v.url.clone()).unwrap_or_default()),
        related: Some(related),
        speakers: speakers
            .into_iter()
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
            .join(", "),
        recorded: talk.recorded.unwrap_or_default(),
        duration: if talk.duration_secs.is_some() {
            format_clock(talk.duration_secs)
        } else {
            String::new()
        },
        title: talk.title,
        description: talk.description,
        language: talk.language,
    })
}

/// The duration the form gives, checked.
fn check_talk(form: &TalkForm) -> Result<Option<i64>, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.title.trim().is_empty() {
        errors.add("title", "is required");
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if !form.recorded.trim().is_empty() && time::Date::parse(form.recorded.trim(), &date).is_err() {
        errors.add("recorded", "must be a date like 2025-05-16");
    }
    let duration = parse_clock(&form.duration)
        .map_err(|e| errors.add("duration", e))
        .ok()
        .flatten();
    let video = form.video_url.as_deref().unwrap_or_default().trim();
    if !video.is_empty() && !is_page_url(video) {
        errors.add("video_url", "must start with https:// or http://");
    }
    if let Err(message) = related_lines(form.related.as_deref().unwrap_or_default()) {
        errors.add("related", message);
    }
    errors.into_result().map(|()| duration)
}

/// The text a field is saved as: what was stored when the form sends it back
/// unchanged but for the browser's line endings (CRLF) and surrounding blanks, so
/// saving a talk changes only what the curator changed and export writes the rest
/// as the catalog record had it; else what was typed, trimmed.
fn as_typed_or_kept<'a>(typed: &'a str, stored: &'a str) -> &'a str {
    let normalize = |text: &str| text.replace("\r\n", "\n").trim().to_string();
    if normalize(typed) == normalize(stored) {
        stored
    } else {
        typed.trim()
    }
}

/// Saves a curator's edit of talk `slug` of `event`, speakers included, audited as `user_id`.
pub async fn update_talk(
    db: &SqlitePool,
    user_id: i64,
    event: &str,
    slug: &str,
    form: &TalkForm,
) -> Result<(), TalksError> {
    let duration = check_talk(form).map_err(TalksError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let talk = store::talk_by_slug(&mut tx, event, slug, Seen::Admin)
        .await?
        .ok_or(TalksError::NotFound)?;
    let fields = TalkFields {
        title: as_typed_or_kept(&form.title, &talk.title),
        description: as_typed_or_kept(&form.description, &talk.description),
        recorded: Some(form.recorded.trim()).filter(|r| !r.is_empty()),
        duration_secs: duration,
        language: as_typed_or_kept(&form.language, &talk.language),
    };
    store::update_talk(&mut tx, talk.id, &fields).await?;
    let mut speakers = Vec::new();
    for name in form
        .speakers
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let person = PersonRef {
            slug: String::new(),
            name: name.to_string(),
        };
        let person_id = crate::people::store::resolve_or_create(&mut tx, &person, true).await?;
        speakers.push((person_id, name));
    }
    store::set_speakers(&mut tx, talk.id, &speakers).await?;
    if let Some(url) = &form.video_url {
        save_video(&mut tx, &talk, url.trim()).await?;
    }
    if let Some(related) = &form.related {
        save_related(&mut tx, talk.id, related).await?;
    }
    let title = form.title.trim();
    audit(
        &mut tx,
        Some(user_id),
        "update",
        "talk",
        Some(talk.id),
        title,
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    store::set_videos(
        conn,
        talk.id,
        &json,
        catalog::video_id_of(&videos).as_deref(),
    )
    .await
}

/// pyvideo's word for where a video lives: `youtube`, `vimeo`, else `url`.
fn video_kind(url: &str) -> String {
    let provider = Video {
        kind: "url".to_string(),
        url: url.to_string(),
    }
    .provider();
    match provider.as_str() {
        "YouTube" => "youtube",
        "Vimeo" => "vimeo",
        _ => "url",
    }
    .to_string()
}

/// The catalog links of talk `talk_id` as the form shows them, one a line.
async fn related_text(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<String> {
    Ok(store_catalog::catalog_links_of(conn, talk_id)
        .await?
        .into_iter()
        .map(|(url, text, _)| format!("{url} {text}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n"))
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
