//! SQL for the settings row.

use sqlx::SqliteConnection;

use super::Settings;

/// Reads the settings row (the first migration creates it).
pub async fn load(conn: &mut SqliteConnection) -> sqlx::Result<Settings> {
    sqlx::query_as!(
        Settings,
        r#"select title, description, base_url, language, owner_name, owner_email, artwork_url,
                categories, explicit as "explicit: bool", live_url, funding_url, friends_blurb,
                digest_sender, podcast_guid, apple_podcasts_url, spotify_url, overcast_url,
                pocket_casts_url
         from settings where id = 1"#
    )
    .fetch_one(conn)
    .await
}

/// Sets the public base URL (from `--base-url`), so feeds and mails link to it.
pub async fn set_base_url(conn: &mut SqliteConnection, base_url: &str) -> sqlx::Result<()> {
    let base_url = base_url.trim_end_matches('/');
    // The same URL again writes nothing: an update would move the content version, and every
    // cached page and `export site --changed-since` would render again for nothing.
    sqlx::query!(
        "update settings set base_url = ?1 where id = 1 and base_url <> ?1",
        base_url
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves every setting in one statement.
pub async fn save(conn: &mut SqliteConnection, s: &Settings) -> sqlx::Result<()> {
    sqlx::query!(
        "update settings set title = ?, description = ?, base_url = ?, language = ?, owner_name = ?, owner_email = ?,
             artwork_url = ?, categories = ?, explicit = ?, live_url = ?, funding_url = ?, friends_blurb = ?,
             digest_sender = ?, apple_podcasts_url = ?, spotify_url = ?, overcast_url = ?,
             pocket_casts_url = ? where id = 1",
        s.title,
        s.description,
        s.base_url,
        s.language,
        s.owner_name,
        s.owner_email,
        s.artwork_url,
        s.categories,
        s.explicit,
        s.live_url,
        s.funding_url,
        s.friends_blurb,
        s.digest_sender,
        s.apple_podcasts_url,
        s.spotify_url,
        s.overcast_url,
        s.pocket_casts_url,
    )
    .execute(conn)
    .await?;
    Ok(())
}
