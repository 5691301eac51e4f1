//! The SQLite pool: WAL, foreign keys, a busy timeout, and the embedded migrations.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Connections the pool opens at most: SQLite in WAL mode reads on all of them at once.
pub const MAX_CONNECTIONS: u32 = 16;

/// Opens (creating if needed) and migrates the database at `path`.
///
/// Errors are one line a person can act on: a read-only file, a file that is
/// not a database, a directory that does not exist.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    skip_memory_statistics();
    let shown = path.display();
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Savepoints and sorts journal in memory rather than in temporary files.
        .pragma("temp_store", "memory");
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("{shown}: cannot open database: {}", one_line(&e)))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("{shown}: cannot migrate database: {}", one_line(&e)))?;
    Ok(pool)
}

/// SQLite counts every allocation under one process-wide lock unless told not to: a thread
/// freeing query results then stalls the thread reading the next rows (a fifth of a large
/// feed's time). Nothing here reads those counts. Takes effect only before SQLite starts.
fn skip_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int; sqlite3_config is called before any
        // connection of this process opens, or else returns SQLITE_MISUSE and changes nothing.
        let code =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0) };
        if code != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(code, "SQLite memory statistics stay on");
        }
    });
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// `rows` as one JSON parameter, for statements that write many rows at once
/// through SQLite's `json_each`: every statement is a round trip to the database thread.
pub fn json_param<T: serde::Serialize + ?Sized>(rows: &T) -> sqlx::Result<String> {
    serde_json::to_string(rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}
