//! SQL for what `import feed` reads and writes of episodes: the fields podcast apps know an
//! episode by.

use sqlx::SqliteConnection;

use crate::clock::Timestamp;

/// An episode's feed fields, as stored or as an import would store them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedFields {
    pub guid: String,
    pub published_at: Option<Timestamp>,
    pub audio_url: Option<String>,
    pub audio_bytes: Option<i64>,
    pub audio_type: Option<String>,
    pub duration_secs: Option<i64>,
    pub link_url: Option<String>,
    pub image_url: Option<String>,
}

/// An episode's id with its feed fields.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFeedFields {
    pub id: i64,
    #[sqlx(flatten)]
    pub fields: FeedFields,
}

/// Episode `number`'s id and feed fields, `None` when there is no such episode.
pub async fn feed_fields(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<StoredFeedFields>> {
    sqlx::query_as(
        "select id, guid, published_at, audio_url, audio_bytes, audio_type, duration_secs, link_url, image_url
         from episodes where number = ?",
    )
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// The number of the episode with `guid`, if any.
pub async fn number_with_guid(
    conn: &mut SqliteConnection,
    guid: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("select number from episodes where guid = ?")
        .bind(guid)
        .fetch_optional(conn)
        .await
}

/// The highest episode number, if there is any episode.
pub async fn highest_number(conn: &mut SqliteConnection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("select max(number) from episodes")
        .fetch_one(conn)
        .await
}

/// Stores `fields` on episode `id`, bumping its version; `from_feed` marks an episode the
/// feed alone created.
pub async fn set_feed_fields(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &FeedFields,
    from_feed: bool,
    now: &Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "update episodes set guid = ?, published_at = ?, audio_url = ?, audio_bytes = ?, audio_type = ?,
             duration_secs = ?, link_url = ?, image_url = ?, from_feed = from_feed or ?, updated_at = ?,
             version = version + 1
         where id = ?",
    )
    .bind(&fields.guid)
    .bind(fields.published_at)
    .bind(&fields.audio_url)
    .bind(fields.audio_bytes)
    .bind(&fields.audio_type)
    .bind(fields.duration_secs)
    .bind(&fields.link_url)
    .bind(&fields.image_url)
    .bind(from_feed)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
