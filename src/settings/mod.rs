//! The show's settings: one row, read at start and kept in memory.

pub mod admin;
pub mod form;
pub mod keys;
mod store;

pub use store::{load, save, set_base_url};

use serde::Serialize;

/// `url` as the site's base URL (without a trailing `/`), or why it cannot be one. The pages
/// link each other from the root of their host (`/episodes/434/…`), so the site cannot live
/// under a path: `https://user.github.io/show` would leave every page without its styles and
/// every link one folder off.
pub fn base_url_of(url: &str) -> Result<String, &'static str> {
    const NOT_AN_ADDRESS: &str = "must be the site's address, like https://pythonbytes.fm";
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|_| NOT_AN_ADDRESS)?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(NOT_AN_ADDRESS);
    }
    if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty() {
        return Err("must be the site's address alone, with no query, fragment or user name");
    }
    if parsed.path() != "/" {
        return Err(
            "must be the root of a host, like https://pythonbytes.fm: the pages link from the \
             root, so the site cannot live under a path (give it a host of its own)",
        );
    }
    Ok(trimmed.to_string())
}

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

#[cfg(test)]
mod tests {
    use super::base_url_of;

    #[test]
    fn a_base_url_is_the_root_of_a_web_host() {
        assert_eq!(
            base_url_of(" https://pythonbytes.fm/ "),
            Ok("https://pythonbytes.fm".to_string())
        );
        assert_eq!(
            base_url_of("http://127.0.0.1:8000"),
            Ok("http://127.0.0.1:8000".to_string())
        );
        for refused in [
            "pythonbytes.fm",
            "mailto:show@example.org",
            "ftp://example.org",
            "https://user.github.io/show",
            "https://example.org/?page=2",
            "https://me@example.org",
        ] {
            assert!(base_url_of(refused).is_err(), "{refused}");
        }
    }
}
