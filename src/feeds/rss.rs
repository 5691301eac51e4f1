//! The podcast RSS feeds: the show's, and one per host.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::channel::Channel;
use super::content::{FeedEpisode, RenderedItems, rendered_items};
use super::http::{XML, respond_document, source};
use super::items::Format;
use super::store;
use crate::error::{AppError, Result};
use crate::settings::Settings;
use crate::state::AppState;

/// RSS 2.0 with the Apple Podcasts and Podcasting 2.0 namespaces, up to its first item.
#[derive(Template)]
#[template(path = "feeds/podcast_head.xml")]
pub struct PodcastHead {
    pub channel: Channel,
    /// Shows the feed as a page in a browser; apps ignore it.
    pub stylesheet: &'static str,
}

/// One episode's `<item>`.
#[derive(Template)]
#[template(path = "feeds/podcast_item.xml")]
struct PodcastItem<'a> {
    item: &'a FeedEpisode,
}

const TAIL: &str = "</channel>\n</rss>\n";

/// The items of the published episodes (only `person_id`'s, when given).
async fn items(
    state: &AppState,
    settings: &Settings,
    person_id: Option<i64>,
) -> Result<RenderedItems> {
    let items = rendered_items(source(state, settings), person_id, Format::Rss, |item| {
        Ok(PodcastItem { item }.render()?)
    })
    .await?;
    Ok(items)
}

fn document(channel: Channel, items: &RenderedItems) -> Result<Response> {
    let head = PodcastHead {
        channel,
        stylesheet: crate::web::statics::feed_xsl_url(),
    }
    .render()?;
    // Served as XML, which podcast apps read as they read RSS: browsers show an
    // `application/rss+xml` body as bare text and never apply its stylesheet.
    Ok(respond_document(XML, items.document(head, "", TAIL)))
}

/// `GET /episodes/rss`: every published episode, newest first.
pub async fn show_podcast(State(state): State<AppState>) -> Result<Response> {
    let settings = state.settings();
    let items = items(&state, &settings, None).await?;
    let channel = Channel::show(&settings, "/episodes/rss", items.newest_change);
    document(channel, &items)
}

/// `GET /hosts/{slug}/rss`: the episodes one person presented in.
pub async fn show_person(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let (id, name) = store::person(&mut *state.db.acquire().await?, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = state.settings();
    let items = items(&state, &settings, Some(id)).await?;
    let channel = Channel::person(&settings, &slug, &name, items.newest_change);
    document(channel, &items)
}
