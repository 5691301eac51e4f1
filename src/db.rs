//! The SQLite pool: WAL, foreign keys, a busy timeout, and the embedded migrations.

use std::path::Path;
use std::time::Duration;

use sqlx::Connection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};

/// Connections the pool opens at most: SQLite in WAL mode reads on all of them at once.
pub const MAX_CONNECTIONS: u32 = 16;

/// Opens (creating if needed) and migrates the database at `path`.
///
/// Errors are one line a person can act on: a read-only file, a file that is
/// not a database, a directory that does not exist.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
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
        // A file in this process cannot drop a connection: pinging each one handed out was a
        // round trip to its thread on every page.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("{shown}: cannot open database: {}", one_line(&e)))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("{shown}: cannot migrate database: {}", one_line(&e)))?;
    Ok(pool)
}

/// Connections search reads through: one per result group, so a search runs its groups side
/// by side and the next search waits rather than crowding two cores.
const SEARCH_CONNECTIONS: u32 = 3;
/// Page cache of each search connection (KiB): the full-text indexes of a large archive stay
/// in memory instead of being read back from the file on every query.
const SEARCH_CACHE_KIB: u32 = 16_384;

/// A pool of its own for search, on the same file as `pool`: few connections with large caches
/// hold what every query reads, and searches never take connections the site's pages need.
pub fn search_pool(pool: &SqlitePool) -> SqlitePool {
    let options = (*pool.connect_options())
        .clone()
        .pragma("cache_size", format!("-{SEARCH_CACHE_KIB}"))
        .pragma("query_only", "true");
    SqlitePoolOptions::new()
        .max_connections(SEARCH_CONNECTIONS)
        .test_before_acquire(false)
        .connect_lazy_with(options)
}

/// Write-ahead log pages a bulk writer lets accumulate before copying them back into the
/// database (about 32 MB; SQLite's default is 1,000 pages).
const BULK_AUTOCHECKPOINT_PAGES: u32 = 8_000;

/// A connection of its own for a long run of writes (an import), on the same file as `pool`.
/// It checkpoints eight times less often: each checkpoint copies the pages written since the
/// last one and syncs the file, and at SQLite's default that was a fifth of a large import.
/// The site's own connections keep the default, so a power cut still loses little.
pub async fn bulk_connection(pool: &SqlitePool) -> sqlx::Result<SqliteConnection> {
    let options = (*pool.connect_options())
        .clone()
        .pragma("wal_autocheckpoint", BULK_AUTOCHECKPOINT_PAGES.to_string());
    SqliteConnection::connect_with(&options).await
}

/// Whether the database answers a query (for `/healthz`).
pub async fn answers(pool: &SqlitePool) -> bool {
    // Unchecked: it asks nothing of the schema.
    sqlx::query("select 1").execute(pool).await.is_ok()
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

/// The content version (`migrations/0100_content_version.sql`): moved by every public change.
pub async fn content_version(db: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!("select version from content_version where id = 1")
        .fetch_one(db)
        .await
}

/// Begins a write transaction with `BEGIN IMMEDIATE`, taking the write lock up front. A
/// deferred transaction that reads before it writes cannot upgrade once another connection
/// (the server, a CLI import) committed in between: SQLite answers "database is locked" at
/// once, whatever the busy timeout. Taking the lock first makes it wait its turn instead.
pub async fn begin_write(
    pool: &SqlitePool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}
