//! The talk form: what a curator types for a talk, checked, and the form filled from a talk
//! as stored. The writes are in [`super::manage`].

use serde::Deserialize;
use sqlx::{SqliteConnection, SqlitePool};

use super::catalog::FROM_THE_SHOW;
use super::pyvideo::Video as PyVideo;
use super::service::{TalksError, Video};
use super::store::{self, Seen};
use super::store_catalog;
use crate::episodes::editor::{format_clock, parse_clock};
use crate::validation::FieldErrors;

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
    /// The slug of the event the talk belongs in; another event's moves it there. A form
    /// without the field leaves the talk where it is.
    pub event: Option<String>,
}

impl TalkForm {
    /// The form for a new talk: pyvideo's records name their language in ISO 639-3, and most
    /// talks are in English.
    pub fn new_talk() -> Self {
        TalkForm {
            language: "eng".to_string(),
            video_url: Some(String::new()),
            related: Some(String::new()),
            ..TalkForm::default()
        }
    }
}

/// An event a talk may be moved to, as the form's select shows it.
#[derive(Debug, Clone)]
pub struct EventChoice {
    pub slug: String,
    pub title: String,
}

/// The events a talk of event `current` may belong in: every one, but the notes' holding
/// event only for a talk already there (talks join it only from notes).
pub async fn event_choices(db: &SqlitePool, current: &str) -> Result<Vec<EventChoice>, TalksError> {
    let all = store::event_titles(&mut *db.acquire().await?).await?;
    Ok(all
        .into_iter()
        .filter(|(slug, _)| slug != FROM_THE_SHOW || slug == current)
        .map(|(slug, title)| EventChoice { slug, title })
        .collect())
}

/// One related link as typed: `https://… words`.
pub(super) struct RelatedLine<'a> {
    pub url: &'a str,
    pub text: &'a str,
}

/// The related links typed, one a line; the first wrong line's complaint.
pub(super) fn related_lines(typed: &str) -> Result<Vec<RelatedLine<'_>>, String> {
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
    crate::links::web_url::is_web_url(url) && !url.starts_with("mailto:")
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
        event: Some(talk.event),
        title: talk.title,
        description: talk.description,
        language: talk.language,
    })
}

/// The duration the form gives, checked.
pub(super) fn check_talk(form: &TalkForm) -> Result<Option<i64>, FieldErrors> {
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
pub(super) fn as_typed_or_kept<'a>(typed: &'a str, stored: &'a str) -> &'a str {
    let normalize = |text: &str| text.replace("\r\n", "\n").trim().to_string();
    if normalize(typed) == normalize(stored) {
        stored
    } else {
        typed.trim()
    }
}

/// pyvideo's word for where a video lives: `youtube`, `vimeo`, else `url`.
pub(super) fn video_kind(url: &str) -> String {
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
pub(super) async fn related_text(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<String> {
    Ok(store_catalog::catalog_links_of(conn, talk_id)
        .await?
        .into_iter()
        .map(|(url, text, _)| format!("{url} {text}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n"))
}
