//! Publishes scheduled episodes when their time comes, and at start-up
//! catches up on any that came due while the server was down.

use std::time::Duration;

use sqlx::SqlitePool;

use super::manage::publish_due;

/// How often the scheduler looks; an episode goes out at most this late.
const TICK: Duration = Duration::from_secs(30);

/// Runs forever: one pass now, then one per [`TICK`]. `published` is told whenever a pass
/// published something, so whoever keeps public copies of pages can drop them.
pub async fn run(db: SqlitePool, published: impl Fn()) {
    let mut interval = tokio::time::interval(TICK);
    loop {
        interval.tick().await;
        if publish_now(&db).await {
            published();
        }
    }
}

/// One pass: publishes what is due; says whether anything went out.
pub async fn publish_now(db: &SqlitePool) -> bool {
    match publish_due(db).await {
        Ok(numbers) if !numbers.is_empty() => {
            tracing::info!(?numbers, "published scheduled episodes");
            true
        }
        Ok(_) => false,
        Err(error) => {
            tracing::error!(%error, "scheduled publishing failed");
            false
        }
    }
}
