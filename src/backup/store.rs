//! SQL for copying the whole database: `VACUUM INTO` and the checks a copy must pass.
//! Unchecked statements (`sqlx::query`, not `query!`): sqlx cannot describe `vacuum` or a
//! pragma, and `is_shownotes` must run on any file, whatever its schema.

use sqlx::SqliteConnection;

/// Writes a consistent copy of the database to `target` (a file that must not exist yet).
/// `VACUUM INTO` reads inside one transaction, so writers keep going and the copy is the
/// database as of one moment, compacted.
pub async fn vacuum_into(conn: &mut SqliteConnection, target: &str) -> sqlx::Result<()> {
    sqlx::query("vacuum into ?")
        .bind(target)
        .execute(conn)
        .await?;
    Ok(())
}

/// `PRAGMA integrity_check`'s first line: `ok` for a sound file.
pub async fn integrity(conn: &mut SqliteConnection) -> sqlx::Result<String> {
    sqlx::query_scalar("pragma integrity_check")
        .fetch_one(conn)
        .await
}

/// Whether the file has the tables every shownotes database has (migrations, settings, episodes).
pub async fn is_shownotes(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from sqlite_master where type = 'table'
         and name in ('_sqlx_migrations', 'settings', 'episodes')",
    )
    .fetch_one(conn)
    .await?;
    Ok(tables == 3)
}
