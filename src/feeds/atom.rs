//! The Atom 1.0 feed of episodes.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::format_description::well_known::Rfc3339;

use super::channel::Channel;
use super::content::{FeedEpisode, RenderedItem, rendered_items};
use super::http::{ATOM, respond_document, source};
use super::items::Format;
use crate::error::Result;
use crate::state::AppState;

/// The Atom feed up to its first entry.
#[derive(Template)]
#[template(path = "feeds/atom_head.xml")]
struct AtomHead {
    feed_id: String,
    updated: String,
    channel: Channel,
}

/// One episode's `<entry>`; `id` is its guid as an IRI.
#[derive(Template)]
#[template(path = "feeds/atom_entry.xml")]
struct AtomEntry<'a> {
    id: String,
    item: &'a FeedEpisode,
}

/// `guid` as an IRI: `urn:uuid:…` for UUIDs, itself when already a URI, else under the site.
pub fn atom_id(guid: &str, site: &str) -> String {
    if let Ok(uuid) = uuid::Uuid::parse_str(guid) {
        return format!("urn:uuid:{uuid}");
    }
    if url::Url::parse(guid).is_ok() {
        return guid.to_string();
    }
    let encoded = percent_encoding::utf8_percent_encode(guid, percent_encoding::NON_ALPHANUMERIC);
    format!("{site}guid/{encoded}")
}

/// `GET /episodes/atom`.
pub async fn show(State(state): State<AppState>) -> Result<Response> {
    let settings = state.settings();
    let site = format!("{}/", settings.base_url);
    let items = rendered_items(source(&state, &settings), None, Format::Atom, |item| {
        let id = atom_id(&item.guid, &site);
        // Escaped notes grow a little; sized up front like the RSS items.
        let mut text = String::with_capacity(item.content_html.len() * 5 / 4 + 4096);
        AtomEntry { id, item }.render_into(&mut text)?;
        Ok(RenderedItem::new(text))
    })
    .await?;
    let channel = Channel::show(&settings, "/episodes/atom", items.newest_change);
    let head = AtomHead {
        feed_id: atom_id(
            channel.podcast_guid.as_deref().unwrap_or_default(),
            &channel.link,
        ),
        updated: items.newest_change.format(&Rfc3339).unwrap_or_default(),
        channel,
    }
    .render()?;
    Ok(respond_document(
        ATOM,
        items.document(head, "", "</feed>\n"),
    ))
}
