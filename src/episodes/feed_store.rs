//! SQL for what `import feed` reads and writes of episodes: the fields podcast apps know an
//! episode by.

use sqlx::SqliteConnection;

use crate::clock::Timestamp;

/// An episode's feed fields, as stored or as an import would store them.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct StoredFeedFields {
    pub id: i64,
    pub fields: FeedFields,
}

/// Episode `number`'s id and feed fields, `None` when there is no such episode.
pub async fn feed_fields(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<StoredFeedFields>> {
    let found = sqlx::query!(
        r#"select id as "id!", guid, published_at as "published_at: Timestamp", audio_url,
                audio_bytes, audio_type, duration_secs, link_url, image_url
         from episodes where number = ?"#,
        number,
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|e| StoredFeedFields {
        id: e.id,
        fields: FeedFields {
            guid: e.guid,
            published_at: e.published_at,
            audio_url: e.audio_url,
            audio_bytes: e.audio_bytes,
            audio_type: e.audio_type,
            duration_secs: e.duration_secs,
            link_url: e.link_url,
            image_url: e.image_url,
        },
    }))
}

/// The number of the episode with `guid`, if any.
pub async fn number_with_guid(
    conn: &mut SqliteConnection,
    guid: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select number from episodes where guid = ?", guid)
        .fetch_optional(conn)
        .await
}

/// The highest episode number, if there is any episode.
pub async fn highest_number(conn: &mut SqliteConnection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(r#"select max(number) as "highest?: i64" from episodes"#)
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
    sqlx::query!(
        "update episodes set guid = ?, published_at = ?, audio_url = ?, audio_bytes = ?, audio_type = ?,
             duration_secs = ?, link_url = ?, image_url = ?, from_feed = from_feed or ?, updated_at = ?,
             version = version + 1
         where id = ?",
        fields.guid,
        fields.published_at,
        fields.audio_url,
        fields.audio_bytes,
        fields.audio_type,
        fields.duration_secs,
        fields.link_url,
        fields.image_url,
        from_feed,
        now,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}
