//! The show's settings: one row, read at start and kept in memory.

pub mod admin;
mod store;

pub use store::{load, save, set_base_url};

use serde::Serialize;

/// The base URL a new install starts with (the baseline migration's default).
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8000";

/// The show as the site presents it.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
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
}
