//! Which notes file each episode came from: the guard against one file overwriting another
//! file's episode.

use sqlx::SqliteConnection;

use super::model::Status;

/// An existing episode as an import sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotesSource {
    /// Its status now.
    pub status: Status,
    /// The notes file it was imported from; `None` when written on the site or through the API.
    pub source_file: Option<String>,
    /// The SHA-256 of that file's text when it was imported.
    pub source_sha256: Option<String>,
    /// Whether `import feed` created it from an item only the feed had.
    pub from_feed: bool,
}

/// Episode `number`'s source, `None` when there is no such episode.
pub async fn notes_source(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<NotesSource>> {
    sqlx::query_as(
        "select status, source_file, source_sha256, from_feed from episodes where number = ?",
    )
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// Records that episode `id` now holds what `file` (with text hashing to `sha256`) says.
pub async fn set_notes_source(
    conn: &mut SqliteConnection,
    id: i64,
    file: &str,
    sha256: &str,
) -> sqlx::Result<()> {
    sqlx::query("update episodes set source_file = ?, source_sha256 = ? where id = ?")
        .bind(file)
        .bind(sha256)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
