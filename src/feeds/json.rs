//! The JSON Feed 1.1 of episodes.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::channel::Channel;
use super::content::{FeedEpisode, RenderedItem, rendered_items};
use super::http::{JSON_FEED, respond_document, source};
use super::items::Format;
use crate::error::Result;
use crate::state::AppState;

/// A JSON Feed 1.1 document but for its items, which come last.
#[derive(Serialize)]
pub struct JsonFeed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<String>,
    language: String,
    authors: Vec<Author>,
}

#[derive(Serialize)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    date_published: String,
    date_modified: String,
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<i64>,
}

fn item(episode: &FeedEpisode) -> Item<'_> {
    Item {
        date_published: episode.published_rfc3339(),
        date_modified: episode.updated_rfc3339(),
        id: &episode.guid,
        url: &episode.url,
        title: &episode.title,
        content_html: &episode.content_html,
        summary: &episode.summary,
        authors: episode
            .persons
            .iter()
            .map(|p| Author {
                name: p.name.clone(),
                url: Some(p.href.clone()),
            })
            .collect(),
        attachments: episode
            .audio
            .iter()
            .map(|a| Attachment {
                url: &a.url,
                mime_type: &a.mime_type,
                size_in_bytes: a.length,
                duration_in_seconds: a.duration_secs,
            })
            .collect(),
    }
}

/// `GET /episodes/feed.json`.
pub async fn show(State(state): State<AppState>) -> Result<Response> {
    let settings = state.settings();
    let items = rendered_items(source(&state, &settings), None, Format::Json, |episode| {
        Ok(RenderedItem::new(serde_json::to_string(&item(episode))?))
    })
    .await?;
    let channel = Channel::show(&settings, "/episodes/feed.json", items.newest_change);
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: channel.title,
        home_page_url: channel.link,
        feed_url: channel.self_url,
        description: channel.description,
        icon: channel.image,
        language: channel.language,
        authors: vec![Author {
            name: channel.author,
            url: None,
        }],
    };
    let feed = serde_json::to_string(&feed).map_err(anyhow::Error::from)?;
    // The items go in as the last member of the object: `{…}` becomes `{…,"items":[…]}`.
    let head = format!("{},\"items\":[", feed.strip_suffix('}').unwrap_or(&feed));
    Ok(respond_document(JSON_FEED, items.document(head, ",", "]}")))
}
