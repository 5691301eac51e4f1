//! Publishes scheduled episodes when their time comes, and at start-up
//! catches up on any that came due while the server was down.

use std::time::Duration;

use super::manage::publish_due;
use crate::state::AppState;

/// How often the scheduler looks; an episode goes out at most this late.
const TICK: Duration = Duration::from_secs(30);

/// Runs forever: one pass now, then one per [`TICK`].
pub async fn run(state: AppState) {
    let mut interval = tokio::time::interval(TICK);
    loop {
        interval.tick().await;
        publish_now(&state).await;
    }
}

/// One pass: publishes what is due and refreshes public pages if anything changed.
pub async fn publish_now(state: &AppState) {
    match publish_due(&state.db).await {
        Ok(numbers) if !numbers.is_empty() => {
            tracing::info!(?numbers, "published scheduled episodes");
            state.content_changed();
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "scheduled publishing failed"),
    }
}
