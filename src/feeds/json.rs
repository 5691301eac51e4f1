//! The JSON Feed 1.1 of episodes.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::channel::Channel;
use super::content::{FeedEpisode, feed_episodes};
use super::http::{JSON_FEED, respond};
use crate::error::Result;
use crate::web::AppState;

/// A JSON Feed 1.1 document.
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
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Item {
    id: String,
    url: String,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    date_published: String,
    date_modified: String,
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
}

#[derive(Serialize)]
struct Attachment {
    url: String,
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<i64>,
}

fn item(episode: FeedEpisode) -> Item {
    Item {
        date_published: episode.published_rfc3339(),
        date_modified: episode.updated_rfc3339(),
        id: episode.guid,
        url: episode.url,
        title: episode.title,
        content_html: episode.content_html.to_string(),
        summary: episode.summary,
        authors: episode
            .persons
            .into_iter()
            .map(|p| Author {
                name: p.name,
                url: Some(p.href),
            })
            .collect(),
        attachments: episode
            .audio
            .into_iter()
            .map(|a| Attachment {
                url: a.url,
                mime_type: a.mime_type,
                size_in_bytes: a.length,
                duration_in_seconds: a.duration_secs,
            })
            .collect(),
    }
}

/// `GET /episodes/feed.json`.
pub async fn show(State(state): State<AppState>) -> Result<Response> {
    let items = feed_episodes(&state, None).await?;
    let channel = Channel::show(&state.settings(), "/episodes/feed.json", &items);
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
        items: items.into_iter().map(item).collect(),
    };
    let body = serde_json::to_string(&feed).map_err(anyhow::Error::from)?;
    Ok(respond(JSON_FEED, body))
}
