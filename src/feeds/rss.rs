//! The podcast RSS feeds: the show's, and one per host.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::channel::Channel;
use super::content::{FeedEpisode, feed_episodes};
use super::http::{RSS, respond};
use super::store;
use crate::error::{AppError, Result};
use crate::web::AppState;

/// RSS 2.0 with the Apple Podcasts and Podcasting 2.0 namespaces.
#[derive(Template)]
#[template(path = "feeds/podcast.xml")]
pub struct PodcastFeed {
    pub channel: Channel,
    pub items: Vec<FeedEpisode>,
}

impl PodcastFeed {
    /// Renders into a buffer sized for the notes up front: growing a 30 MB feed by doubling
    /// would copy it once more.
    fn render_sized(&self) -> askama::Result<String> {
        let notes: usize = self.items.iter().map(|item| item.content_html.len()).sum();
        let mut xml = String::with_capacity(notes + 2_048 * (self.items.len() + 1));
        self.render_into(&mut xml)?;
        Ok(xml)
    }
}

/// `GET /episodes/rss`: every published episode, newest first.
pub async fn show_podcast(State(state): State<AppState>) -> Result<Response> {
    let items = feed_episodes(&state, None).await?;
    let channel = Channel::show(&state.settings(), "/episodes/rss", &items);
    Ok(respond(RSS, PodcastFeed { channel, items }.render_sized()?))
}

/// `GET /hosts/{slug}/rss`: the episodes one person presented in.
pub async fn show_person(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let (id, name) = store::person(&mut *state.db.acquire().await?, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = feed_episodes(&state, Some(id)).await?;
    let channel = Channel::person(&state.settings(), &slug, &name, &items);
    Ok(respond(RSS, PodcastFeed { channel, items }.render_sized()?))
}
