//! The settings form's fields and rules, shared by the admin's settings page and
//! `shownotes settings set`: one set of checks, whoever changes a setting.

use serde::Deserialize;

use super::Settings;
use super::keys::SettingError;
use crate::links::web_url::is_web_url;
use crate::validation::FieldErrors;

/// The settings form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub owner_name: String,
    pub owner_email: String,
    pub artwork_url: String,
    pub categories: String,
    pub explicit: Option<String>,
    pub live_url: String,
    pub funding_url: String,
    pub friends_blurb: String,
    pub digest_sender: String,
    pub apple_podcasts_url: String,
    pub spotify_url: String,
    pub overcast_url: String,
    pub pocket_casts_url: String,
}

impl SettingsForm {
    /// The form filled with `s`.
    pub fn of(s: &Settings) -> Self {
        Self {
            title: s.title.clone(),
            description: s.description.clone(),
            base_url: s.base_url.clone(),
            language: s.language.clone(),
            owner_name: s.owner_name.clone(),
            owner_email: s.owner_email.clone(),
            artwork_url: s.artwork_url.clone(),
            categories: s.categories.clone(),
            explicit: s.explicit.then(|| "on".to_string()),
            live_url: s.live_url.clone(),
            funding_url: s.funding_url.clone(),
            friends_blurb: s.friends_blurb.clone(),
            digest_sender: s.digest_sender.clone(),
            apple_podcasts_url: s.apple_podcasts_url.clone(),
            spotify_url: s.spotify_url.clone(),
            overcast_url: s.overcast_url.clone(),
            pocket_casts_url: s.pocket_casts_url.clone(),
        }
    }

    /// The settings as typed, or what is wrong, by field; `current` keeps what the form lacks.
    pub fn to_settings(&self, current: &Settings) -> Result<Settings, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.title.trim().is_empty() {
            errors.add("title", "is required");
        }
        if let Err(why) = super::base_url_of(&self.base_url) {
            errors.add("base_url", why);
        }
        if self.language.trim().is_empty() {
            errors.add("language", "is required, like en or en-us");
        }
        for (field, value) in [
            ("artwork_url", &self.artwork_url),
            ("live_url", &self.live_url),
            ("funding_url", &self.funding_url),
            ("apple_podcasts_url", &self.apple_podcasts_url),
            ("spotify_url", &self.spotify_url),
            ("overcast_url", &self.overcast_url),
            ("pocket_casts_url", &self.pocket_casts_url),
        ] {
            if !value.trim().is_empty() && !is_web_url(value.trim()) {
                errors.add(field, "must start with https:// or http://");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let t = |s: &String| s.trim().to_string();
        Ok(Settings {
            title: t(&self.title),
            description: t(&self.description),
            base_url: self.base_url.trim().trim_end_matches('/').to_string(),
            language: t(&self.language),
            owner_name: t(&self.owner_name),
            owner_email: t(&self.owner_email),
            artwork_url: t(&self.artwork_url),
            categories: t(&self.categories),
            explicit: self.explicit.is_some(),
            live_url: t(&self.live_url),
            funding_url: t(&self.funding_url),
            friends_blurb: self.friends_blurb.clone(),
            digest_sender: t(&self.digest_sender),
            podcast_guid: current.podcast_guid.clone(),
            apple_podcasts_url: t(&self.apple_podcasts_url),
            spotify_url: t(&self.spotify_url),
            overcast_url: t(&self.overcast_url),
            pocket_casts_url: t(&self.pocket_casts_url),
        })
    }
}

impl SettingsForm {
    /// The field `key` as typed (`explicit` reads `true` or `false`).
    pub fn value(&self, key: &str) -> Option<String> {
        if key == "explicit" {
            return Some(self.explicit.is_some().to_string());
        }
        // One table of names, the setter's: read it through a copy.
        self.clone().text_field_mut(key).cloned()
    }

    /// Sets the field `key` to `value`; `explicit` takes true/false, yes/no, on/off or 1/0.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        if key == "explicit" {
            self.explicit = match value.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some("on".to_string()),
                "false" | "no" | "off" | "0" => None,
                _ => {
                    return Err(SettingError::Invalid {
                        key: key.to_string(),
                        message: "must be true or false".to_string(),
                    });
                }
            };
            return Ok(());
        }
        let field = self
            .text_field_mut(key)
            .ok_or_else(|| SettingError::Unknown(key.to_string()))?;
        *field = value.to_string();
        Ok(())
    }

    fn text_field_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "title" => &mut self.title,
            "description" => &mut self.description,
            "base_url" => &mut self.base_url,
            "language" => &mut self.language,
            "owner_name" => &mut self.owner_name,
            "owner_email" => &mut self.owner_email,
            "artwork_url" => &mut self.artwork_url,
            "categories" => &mut self.categories,
            "live_url" => &mut self.live_url,
            "funding_url" => &mut self.funding_url,
            "friends_blurb" => &mut self.friends_blurb,
            "digest_sender" => &mut self.digest_sender,
            "apple_podcasts_url" => &mut self.apple_podcasts_url,
            "spotify_url" => &mut self.spotify_url,
            "overcast_url" => &mut self.overcast_url,
            "pocket_casts_url" => &mut self.pocket_casts_url,
            _ => return None,
        })
    }
}
