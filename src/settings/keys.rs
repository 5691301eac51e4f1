//! The settings by name, for `shownotes settings show|set`: the same fields and the same rules
//! as the admin's settings form ([`SettingsForm`]), with secrets in URLs masked when shown.

use sqlx::SqlitePool;

use super::Settings;
use super::form::SettingsForm;
use crate::admin::store::{Actor, record};

/// Every setting's name, in the settings form's order.
pub const KEYS: [&str; 17] = [
    "title",
    "description",
    "base_url",
    "language",
    "owner_name",
    "owner_email",
    "artwork_url",
    "categories",
    "explicit",
    "live_url",
    "funding_url",
    "apple_podcasts_url",
    "spotify_url",
    "overcast_url",
    "pocket_casts_url",
    "friends_blurb",
    "digest_sender",
];

/// Why a setting was not changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    #[error("there is no setting {0:?}; the settings are: {known}", known = KEYS.join(", "))]
    Unknown(String),
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl SettingError {
    /// Whether the value or key was refused (rather than the database failing).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, Self::Database(_))
    }
}

/// Every setting as `(name, value)`, secrets in URLs masked.
pub async fn show(pool: &SqlitePool) -> Result<Vec<(&'static str, String)>, SettingError> {
    let stored = super::load(&mut *pool.acquire().await?).await?;
    let form = SettingsForm::of(&stored);
    Ok(KEYS
        .iter()
        .map(|key| (*key, masked(&form.value(key).unwrap_or_default())))
        .collect())
}

/// Sets one setting after the settings form's checks; audited as the command line's change.
pub async fn set(pool: &SqlitePool, key: &str, value: &str) -> Result<(), SettingError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let current = super::load(&mut tx).await?;
    let mut form = SettingsForm::of(&current);
    form.set(key, value)?;
    let settings: Settings = form.to_settings(&current).map_err(|errors| {
        let message = errors
            .get(key)
            .or_else(|| errors.all().first().map(|(_, m)| m.as_str()))
            .unwrap_or("is not valid")
            .to_string();
        SettingError::Invalid {
            key: key.to_string(),
            message,
        }
    })?;
    super::save(&mut tx, &settings).await?;
    let now = crate::clock::now();
    record(
        &mut tx,
        Actor::CommandLine,
        "update",
        "settings",
        None,
        key,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The value with any password in a URL replaced by `****`.
fn masked(value: &str) -> String {
    match url::Url::parse(value) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("****"));
            url.to_string()
        }
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_url_is_masked_and_other_values_stay() {
        assert_eq!(
            masked("https://user:hunter2@live.example/stream"),
            "https://user:****@live.example/stream"
        );
        assert_eq!(masked("https://pythonbytes.fm"), "https://pythonbytes.fm");
        assert_eq!(masked("Python Bytes"), "Python Bytes");
    }
}
