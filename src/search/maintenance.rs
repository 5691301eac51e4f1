//! Keeps the full-text indexes in one piece. Every write adds a small segment to an FTS5 index
//! and SQLite merges them only now and then, so a live index is read as many segments at once:
//! merged into one, a search of a large archive took half the time. Merging an index that is
//! already whole costs nothing, so this runs on a timer.

use std::time::Duration;

use sqlx::SqlitePool;

/// The full-text indexes (see `migrations/0001_baseline.sql` and `0120_transcripts.sql`).
const INDEXES: [&str; 5] = [
    "episodes_fts",
    "segments_fts",
    "links_fts",
    "talks_fts",
    "transcripts_fts",
];

/// How often the indexes are merged; a search is at worst this long on split indexes.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// Runs forever: one merge now, then one every [`EVERY`].
pub async fn run(db: SqlitePool) {
    let mut interval = tokio::time::interval(EVERY);
    loop {
        interval.tick().await;
        if let Err(error) = merge_indexes(&db).await {
            tracing::warn!(%error, "search indexes not merged");
        }
    }
}

/// Merges each full-text index into a single segment: one short write per index (about a
/// tenth of a second for a thousand episodes of notes), nothing when it is whole already.
pub async fn merge_indexes(db: &SqlitePool) -> sqlx::Result<()> {
    for index in INDEXES {
        super::store::optimize(db, index).await?;
    }
    Ok(())
}
