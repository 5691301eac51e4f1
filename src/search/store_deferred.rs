//! A bulk import's rows indexed once per batch rather than row by row (migration 0060): every
//! statement that followed an indexed row wrote the index's pending terms out as a small segment,
//! and merging those segments took a third of an import's time.

use sqlx::SqliteConnection;

use crate::db::json_param;

/// Rows written while indexing waits, for [`index`].
#[derive(Debug, Default)]
pub struct Deferred {
    episodes: Vec<i64>,
    segments: Vec<i64>,
    talks: Vec<i64>,
}

impl Deferred {
    /// An episode and its segments as saved.
    pub fn episode(&mut self, episode_id: i64, segment_ids: &[i64]) {
        self.episodes.push(episode_id);
        self.segments.extend_from_slice(segment_ids);
    }

    /// Talks found or created.
    pub fn talks(&mut self, talk_ids: &[i64]) {
        self.talks.extend_from_slice(talk_ids);
    }
}

/// From now until [`index`], the episodes, segments and talks this transaction creates are not
/// indexed. A rollback ends it too.
#[tracing::instrument(skip_all)]
pub async fn defer(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query!("insert into search_deferred (deferred) values (1)")
        .execute(conn)
        .await?;
    Ok(())
}

/// Per index: the index, its columns, the table it indexes and the values of a row `r` there,
/// as the insert triggers write them.
const INDEXES: [(&str, &str, &str, &str); 3] = [
    (
        "episodes_fts",
        "title, summary",
        "episodes",
        "r.title, r.summary",
    ),
    (
        "segments_fts",
        "title, notes",
        "segments",
        "r.title, r.notes_md",
    ),
    (
        "talks_fts",
        "title, speakers, description",
        "talks",
        "r.title, coalesce((select group_concat(p.name, ', ') from talk_speakers ts
             join people p on p.id = ts.person_id where ts.talk_id = r.id), ''), r.description",
    ),
];

/// Indexes those of `rows` not indexed yet, one statement per index, and ends [`defer`];
/// before the transaction commits.
#[tracing::instrument(skip_all)]
pub async fn index(conn: &mut SqliteConnection, rows: &Deferred) -> sqlx::Result<()> {
    let ids = [&rows.episodes, &rows.segments, &rows.talks];
    for ((index, columns, table, values), ids) in INDEXES.into_iter().zip(ids) {
        if ids.is_empty() {
            continue;
        }
        // Names from the constant above only (hence unchecked); the ids are one bound parameter.
        sqlx::query(&format!(
            "insert into {index} (rowid, {columns})
             select r.id, {values} from {table} r
             where r.id in (select value from json_each(?))
                 and not exists (select 1 from {index} f where f.rowid = r.id)
             order by r.id"
        ))
        .bind(json_param(ids)?)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!("delete from search_deferred")
        .execute(conn)
        .await?;
    Ok(())
}
