//! What every episode feed says about the show: title, owner, artwork, categories.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

use super::xml_text::xml_safe;
use crate::settings::Settings;

/// The Podcasting 2.0 namespace for deriving a podcast's guid from its feed URL.
const PODCAST_GUID_NAMESPACE: uuid::Uuid = uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

/// An Apple Podcasts category, with an optional subcategory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub sub: Option<String>,
}

/// The channel of an episode feed.
#[derive(Debug, Clone)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub self_url: String,
    pub description: String,
    pub language: String,
    pub author: String,
    pub owner_name: String,
    pub owner_email: String,
    pub image: Option<String>,
    pub categories: Vec<Category>,
    pub explicit: bool,
    /// Show-wide identity (`podcast:guid`, `podcast:locked`, funding): the main feed only.
    pub podcast_guid: Option<String>,
    pub funding_url: Option<String>,
    pub last_build: String,
}

impl Channel {
    /// The show's channel for the feed at `path` (e.g. `/episodes/rss`).
    pub fn show(settings: &Settings, path: &str, newest_change: OffsetDateTime) -> Self {
        let base = &settings.base_url;
        let self_url = format!("{base}{path}");
        let podcast_guid = if settings.podcast_guid.trim().is_empty() {
            derived_podcast_guid(&self_url)
        } else {
            settings.podcast_guid.trim().to_string()
        };
        Self {
            title: xml_safe(&settings.title),
            link: format!("{base}/"),
            description: xml_safe(&settings.description),
            language: settings.language.clone(),
            author: xml_safe(if settings.owner_name.is_empty() {
                &settings.title
            } else {
                &settings.owner_name
            }),
            owner_name: xml_safe(&settings.owner_name),
            owner_email: xml_safe(&settings.owner_email),
            image: Some(settings.artwork_url.clone())
                .filter(|u| crate::links::web_url::is_web_url(u)),
            categories: parse_categories(&settings.categories),
            explicit: settings.explicit,
            podcast_guid: Some(podcast_guid),
            funding_url: Some(settings.funding_url.clone())
                .filter(|u| crate::links::web_url::is_web_url(u)),
            last_build: newest_change.format(&Rfc2822).unwrap_or_default(),
            self_url,
        }
    }

    /// A channel of one person's episodes: it is not the show, so it carries no show identity.
    pub fn person(
        settings: &Settings,
        slug: &str,
        name: &str,
        newest_change: OffsetDateTime,
    ) -> Self {
        let mut channel = Self::show(settings, &format!("/hosts/{slug}/rss"), newest_change);
        channel.title = xml_safe(&format!("{} · {name}", settings.title));
        channel.link = format!("{}/hosts/{slug}", settings.base_url);
        channel.description = xml_safe(&format!("Episodes of {} with {name}.", settings.title));
        channel.podcast_guid = None;
        channel.funding_url = None;
        channel
    }
}

/// The Podcasting 2.0 rule: a UUIDv5 of the feed URL without scheme and trailing slashes.
pub fn derived_podcast_guid(feed_url: &str) -> String {
    let bare = feed_url
        .split_once("://")
        .map_or(feed_url, |(_, rest)| rest)
        .trim_end_matches('/');
    uuid::Uuid::new_v5(&PODCAST_GUID_NAMESPACE, bare.as_bytes()).to_string()
}

/// "Technology > Tech News, Education" → two categories, the first with a subcategory.
pub fn parse_categories(text: &str) -> Vec<Category> {
    text.split(',')
        .filter_map(|part| {
            let mut levels = part.split('>').map(str::trim).filter(|l| !l.is_empty());
            let name = levels.next()?.to_string();
            Some(Category {
                name,
                sub: levels.next().map(str::to_string),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_read_parent_and_subcategory() {
        assert_eq!(
            parse_categories("Technology > Tech News, Education ,"),
            [
                Category {
                    name: "Technology".into(),
                    sub: Some("Tech News".into())
                },
                Category {
                    name: "Education".into(),
                    sub: None
                }
            ]
        );
    }

    #[test]
    fn the_podcast_guid_follows_the_podcasting_2_0_example() {
        // The namespace document's own example.
        assert_eq!(
            derived_podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml"),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
    }
}
