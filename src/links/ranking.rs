//! The order of the most-covered links, computed once per content version: every page of
//! `/links` is a slice of it, so page 300 costs what page 1 does (an offset into a grouped
//! query cost the whole grouping, 75-140 ms, on every page of a 16,000-link archive).

use std::sync::{Arc, Mutex, PoisonError};

use sqlx::SqliteConnection;

use super::store;

/// (link id, episodes that covered it), most-covered first.
pub type Ranked = Arc<Vec<(i64, i64)>>;

/// The ranking as last computed, with the content version it was computed under.
#[derive(Default)]
pub struct LinkRanking {
    kept: Mutex<Option<(i64, Ranked)>>,
}

impl LinkRanking {
    /// The ranking under content version `version`, computed again when that moved.
    pub async fn under(&self, version: i64, conn: &mut SqliteConnection) -> sqlx::Result<Ranked> {
        if let Some(ranked) = self.kept(version) {
            return Ok(ranked);
        }
        let ranked = Arc::new(store::ranking(conn).await?);
        *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = Some((version, ranked.clone()));
        Ok(ranked)
    }

    fn kept(&self, version: i64) -> Option<Ranked> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.as_ref()
            .filter(|(at, _)| *at == version)
            .map(|(_, ranked)| ranked.clone())
    }
}
