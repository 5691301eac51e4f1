//! The podcast RSS feeds: the show's, and one per host.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::VARY;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use bytes::Bytes;

use super::channel::Channel;
use super::content::{FeedEpisode, RenderedItem, RenderedItems, rendered_items};
use super::http::{XML, respond_document, source};
use super::items::Format;
use super::page::subscribe_page;
use super::store;
use crate::error::{AppError, Result};
use crate::settings::Settings;
use crate::state::AppState;
use crate::web::Layout;
use crate::web::negotiate::prefers_html;

/// RSS 2.0 with the Apple Podcasts and Podcasting 2.0 namespaces, up to its first item.
#[derive(Template)]
#[template(path = "feeds/podcast_head.xml")]
pub struct PodcastHead {
    pub channel: Channel,
    /// Shows the feed as a page in a browser; apps ignore it.
    pub stylesheet: &'static str,
}

/// One episode's `<item>` up to its notes: the template ends by opening `content:encoded`,
/// and the notes and [`ITEM_END`] follow.
#[derive(Template)]
#[template(path = "feeds/podcast_item.xml")]
struct PodcastItem<'a> {
    item: &'a FeedEpisode,
}

const TAIL: &str = "</channel>\n</rss>\n";

/// Room for an item's markup before its notes (titles, enclosure, presenters).
const ITEM_MARKUP: usize = 4096;

/// What closes an item after its notes.
const ITEM_END: &str = "]]></content:encoded>\n</item>";

/// The items of the published episodes (only `person_id`'s, when given).
async fn items(
    state: &AppState,
    settings: &Settings,
    person_id: Option<i64>,
) -> Result<RenderedItems> {
    let items = rendered_items(source(state, settings), person_id, Format::Rss, |item| {
        let mut head = String::with_capacity(ITEM_MARKUP);
        PodcastItem { item }.render_into(&mut head)?;
        // The notes are the stored rendering's bytes, not a copy: most of a feed's bytes.
        Ok(RenderedItem::of_parts(vec![
            Bytes::from(head),
            item.content_cdata_bytes(),
            Bytes::from_static(ITEM_END.as_bytes()),
        ]))
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
    let mut response = respond_document(XML, items.document(head, "", TAIL));
    // The same address answers browsers with a page (`super::page`).
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// `GET /episodes/rss`: every published episode, newest first; a browser gets the page that
/// says how to follow the show.
pub async fn show_podcast(
    State(state): State<AppState>,
    layout: Layout,
    headers: HeaderMap,
) -> Result<Response> {
    if prefers_html(&headers) {
        return subscribe_page(&state, layout, "/episodes/rss", None).await;
    }
    let settings = state.settings();
    let items = items(&state, &settings, None).await?;
    let channel = Channel::show(&settings, "/episodes/rss", items.newest_change);
    document(channel, &items)
}

/// `GET /hosts/{slug}/rss`: the episodes one person presented in; a browser gets the page.
pub async fn show_person(
    State(state): State<AppState>,
    layout: Layout,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response> {
    let (id, name) = store::person(&mut *state.db.acquire().await?, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if prefers_html(&headers) {
        let path = format!("/hosts/{slug}/rss");
        return subscribe_page(&state, layout, &path, Some((id, name))).await;
    }
    let settings = state.settings();
    let items = items(&state, &settings, Some(id)).await?;
    let channel = Channel::person(&settings, &slug, &name, items.newest_change);
    document(channel, &items)
}
