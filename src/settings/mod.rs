//! The show's settings: one row, read at start and kept in memory.

pub mod admin;
pub mod form;
pub mod keys;
mod store;

pub use store::{load, save, set_base_url};

use serde::Serialize;

/// The base URL a new install starts with (the baseline migration's default).
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8000";

/// The show as the site presents it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Settings {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub owner_name: String,
    pub owner_email: String,
    pub artwork_url: String,
    pub categories: String,
    pub explicit: bool,
    pub live_url: String,
    pub funding_url: String,
    pub friends_blurb: String,
    pub digest_sender: String,
    pub podcast_guid: String,
    /// The show's page in Apple Podcasts, Spotify, Overcast and Pocket Casts ('' when unset).
    pub apple_podcasts_url: String,
    pub spotify_url: String,
    pub overcast_url: String,
    pub pocket_casts_url: String,
}

impl Settings {
    /// The podcast apps the show is listed in, as (app name, URL), in a fixed order.
    pub fn listening_apps(&self) -> Vec<(&'static str, &str)> {
        [
            ("Apple Podcasts", self.apple_podcasts_url.as_str()),
            ("Spotify", self.spotify_url.as_str()),
            ("Overcast", self.overcast_url.as_str()),
            ("Pocket Casts", self.pocket_casts_url.as_str()),
        ]
        .into_iter()
        .filter(|(_, url)| !url.is_empty())
        .collect()
    }
}
