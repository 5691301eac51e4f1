//! The search index of the static copy (`export site` writes it as `search-index.json`):
//! every title a listener may look for, with where it leads, searched in the browser by
//! `static/js/site.js` where no server answers `/search`.

use serde::Serialize;
use sqlx::SqliteConnection;

use super::store;

/// The file's name at the root of the copy.
pub const FILE: &str = "search-index.json";

/// One entry, with short keys: the index of a large show is read by every searching visitor.
#[derive(Debug, Serialize)]
struct Entry {
    /// `episode`, `segment` or `talk`.
    k: String,
    /// The title.
    t: String,
    /// Where it leads.
    u: String,
    /// What it belongs to (the episode, or the event and speakers).
    c: String,
}

/// The index as JSON: `{"entries": [{"k", "t", "u", "c"}, …]}`.
pub async fn json(conn: &mut SqliteConnection) -> sqlx::Result<Vec<u8>> {
    let entries: Vec<Entry> = store::static_index(conn)
        .await?
        .into_iter()
        .map(|row| Entry {
            k: row.kind,
            t: row.title,
            u: row.href,
            c: row.context,
        })
        .collect();
    let index = serde_json::json!({ "entries": entries });
    // Serializing plain strings cannot fail.
    Ok(serde_json::to_vec(&index).unwrap_or_default())
}
