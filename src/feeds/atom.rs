//! The Atom 1.0 feed of episodes.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::channel::Channel;
use super::content::{FeedEpisode, feed_episodes};
use super::http::{ATOM, respond};
use crate::error::Result;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "feeds/atom.xml")]
struct AtomFeed {
    feed_id: String,
    updated: String,
    channel: Channel,
    items: Vec<FeedEpisode>,
}

impl AtomFeed {
    /// An entry's permanent id: its guid, as a URN when it is a UUID (Atom ids must be IRIs).
    fn entry_id(&self, item: &FeedEpisode) -> String {
        atom_id(&item.guid, &self.channel.link)
    }
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
    let items = feed_episodes(&state, None).await?;
    let channel = Channel::show(&state.settings(), "/episodes/atom", &items);
    let updated = items
        .iter()
        .map(|item| item.updated.max(item.published))
        .max()
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let feed = AtomFeed {
        feed_id: atom_id(
            channel.podcast_guid.as_deref().unwrap_or_default(),
            &channel.link,
        ),
        updated: updated.format(&Rfc3339).unwrap_or_default(),
        channel,
        items,
    };
    Ok(respond(ATOM, feed.render()?))
}
