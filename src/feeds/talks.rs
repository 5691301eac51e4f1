//! RSS feeds of the talk catalog: the newest talks, and one event's talks.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use time::format_description::well_known::Rfc2822;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::http::{XML, respond};
use super::store::{self, TalkRow};
use super::xml_text::xml_safe;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// The catalog feed lists this many of the most recently recorded talks.
const RECENT_TALKS: i64 = 100;
/// An event's feed lists all of its talks, up to this many.
const EVENT_TALKS: i64 = 2_000;

#[derive(Template)]
#[template(path = "feeds/talks.xml")]
struct TalkFeed {
    title: String,
    link: String,
    self_url: String,
    description: String,
    language: String,
    /// Shows the feed as a page in a browser; feed readers ignore it.
    stylesheet: &'static str,
    items: Vec<TalkItem>,
}

struct TalkItem {
    title: String,
    url: String,
    pub_date: Option<String>,
    speakers: String,
    event_title: String,
    tags: Vec<String>,
    description: String,
}

fn talk_item(row: TalkRow, base_url: &str) -> TalkItem {
    let tags: Vec<String> = serde_json::from_str(&row.tags_json).unwrap_or_default();
    TalkItem {
        url: format!("{base_url}/talks/{}/{}", row.event, row.slug),
        pub_date: row.recorded.as_deref().and_then(recorded_rfc2822),
        title: xml_safe(&row.title),
        speakers: xml_safe(&row.speakers),
        event_title: xml_safe(&row.event_title),
        tags: tags.iter().map(|t| xml_safe(t)).collect(),
        description: xml_safe(&row.description),
    }
}

/// pyvideo's `recorded` ("2025-05-16") as an RFC 2822 date at midnight UTC.
fn recorded_rfc2822(recorded: &str) -> Option<String> {
    let format = format_description!("[year]-[month]-[day]");
    let date = Date::parse(recorded.get(..10)?, &format).ok()?;
    let at = OffsetDateTime::new_utc(date, time::Time::MIDNIGHT);
    at.format(&Rfc2822).ok()
}

async fn render(state: &AppState, event: Option<(&str, String)>) -> Result<Response> {
    let settings = state.settings();
    let base = &settings.base_url;
    let slug = event.as_ref().map(|(slug, _)| *slug);
    let limit = if slug.is_some() {
        EVENT_TALKS
    } else {
        RECENT_TALKS
    };
    let rows = store::talks(&mut *state.db.acquire().await?, slug, limit).await?;
    let (title, path) = match &event {
        Some((slug, title)) => (
            format!("{title} · {}", settings.title),
            format!("/talks/{slug}"),
        ),
        None => (format!("Talks · {}", settings.title), "/talks".to_string()),
    };
    let feed = TalkFeed {
        title: xml_safe(&title),
        link: format!("{base}{path}"),
        self_url: format!("{base}{path}/rss"),
        description: xml_safe(&format!(
            "Conference talks in the {} catalog.",
            settings.title
        )),
        language: settings.language.clone(),
        stylesheet: crate::web::statics::feed_xsl_url(),
        items: rows.into_iter().map(|row| talk_item(row, base)).collect(),
    };
    // As XML, like the episode feed: a browser then applies the stylesheet.
    Ok(respond(XML, feed.render()?))
}

/// `GET /talks/rss`: the most recently recorded talks.
pub async fn show_recent(State(state): State<AppState>) -> Result<Response> {
    render(&state, None).await
}

/// `GET /talks/{event}/rss`: one event's talks.
pub async fn show_event(
    State(state): State<AppState>,
    Path(event): Path<String>,
) -> Result<Response> {
    let title = store::event_title(&mut *state.db.acquire().await?, &event)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&state, Some((&event, title))).await
}

#[cfg(test)]
mod tests {
    use super::recorded_rfc2822;

    #[test]
    fn recorded_dates_become_rfc_2822() {
        assert_eq!(
            recorded_rfc2822("2025-05-16").as_deref(),
            Some("Fri, 16 May 2025 00:00:00 +0000")
        );
        assert_eq!(recorded_rfc2822("soon"), None);
    }
}
