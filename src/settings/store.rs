//! SQL for the settings row.

use sqlx::SqliteConnection;

use super::Settings;

/// Reads the settings row (the first migration creates it).
pub async fn load(conn: &mut SqliteConnection) -> sqlx::Result<Settings> {
    sqlx::query_as(
        "select title, description, base_url, language, owner_name, owner_email, artwork_url,
                categories, explicit, live_url, funding_url, friends_blurb, digest_sender, podcast_guid,
                apple_podcasts_url, spotify_url, overcast_url, pocket_casts_url
         from settings where id = 1",
    )
    .fetch_one(conn)
    .await
}

/// Sets the public base URL (from `--base-url`), so feeds and mails link to it.
pub async fn set_base_url(conn: &mut SqliteConnection, base_url: &str) -> sqlx::Result<()> {
    sqlx::query("update settings set base_url = ? where id = 1")
        .bind(base_url.trim_end_matches('/'))
        .execute(conn)
        .await?;
    Ok(())
}

/// Saves every setting in one statement.
pub async fn save(conn: &mut SqliteConnection, s: &Settings) -> sqlx::Result<()> {
    sqlx::query(
        "update settings set title = ?, description = ?, base_url = ?, language = ?, owner_name = ?, owner_email = ?,
             artwork_url = ?, categories = ?, explicit = ?, live_url = ?, funding_url = ?, friends_blurb = ?,
             digest_sender = ?, apple_podcasts_url = ?, spotify_url = ?, overcast_url = ?,
             pocket_casts_url = ? where id = 1",
    )
    .bind(&s.title)
    .bind(&s.description)
    .bind(&s.base_url)
    .bind(&s.language)
    .bind(&s.owner_name)
    .bind(&s.owner_email)
    .bind(&s.artwork_url)
    .bind(&s.categories)
    .bind(s.explicit)
    .bind(&s.live_url)
    .bind(&s.funding_url)
    .bind(&s.friends_blurb)
    .bind(&s.digest_sender)
    .bind(&s.apple_podcasts_url)
    .bind(&s.spotify_url)
    .bind(&s.overcast_url)
    .bind(&s.pocket_casts_url)
    .execute(conn)
    .await?;
    Ok(())
}
