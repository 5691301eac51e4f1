//! Which notes file each episode came from: the guard against one file overwriting another
//! file's episode.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::SqliteConnection;

use super::model::Status;
use crate::db::json_param;

/// An existing episode as an import sees it.
#[derive(Debug, Clone)]
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

/// The sources of the episodes with these numbers, by number; a number without an episode
/// is absent. One statement for a whole batch of files.
pub async fn notes_sources(
    conn: &mut SqliteConnection,
    numbers: &[i64],
) -> sqlx::Result<HashMap<i64, NotesSource>> {
    let numbers = json_param(numbers)?;
    let rows = sqlx::query!(
        r#"select number, status as "status: Status", source_file, source_sha256,
                from_feed as "from_feed: bool"
         from episodes where number in (select value from json_each(?))"#,
        numbers,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let source = NotesSource {
                status: row.status,
                source_file: row.source_file,
                source_sha256: row.source_sha256,
                from_feed: row.from_feed,
            };
            (row.number, source)
        })
        .collect())
}

/// Of these file names, the (name, SHA-256) of those an episode holds, imported with
/// `status`: a file with the same text is most likely unchanged.
pub async fn imported_files(
    conn: &mut SqliteConnection,
    files: &[&str],
    status: Status,
) -> sqlx::Result<HashSet<(String, String)>> {
    let files = json_param(files)?;
    let rows = sqlx::query!(
        r#"select source_file as "source_file!", source_sha256 as "source_sha256!" from episodes
         where source_file in (select value from json_each(?)) and source_sha256 is not null
           and status = ?"#,
        files,
        status,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.source_file, row.source_sha256))
        .collect())
}

/// That episode `id` now holds what `file` says, its text hashing to `sha256`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceStamp {
    pub id: i64,
    pub file: String,
    pub sha256: String,
}

/// Records where each episode's notes came from, in one statement.
pub async fn set_notes_sources(
    conn: &mut SqliteConnection,
    stamps: &[SourceStamp],
) -> sqlx::Result<()> {
    if stamps.is_empty() {
        return Ok(());
    }
    let stamps = json_param(stamps)?;
    sqlx::query!(
        "update episodes set source_file = j.value ->> 'file', source_sha256 = j.value ->> 'sha256'
         from json_each(?) j where episodes.id = j.value ->> 'id'",
        stamps,
    )
    .execute(conn)
    .await?;
    Ok(())
}
