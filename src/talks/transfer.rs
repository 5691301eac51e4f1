//! `import talks DIR` and `export talks --out DIR`: the pyvideo layout in and out.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sqlx::{SqliteConnection, SqlitePool};

use super::catalog;
use super::pyvideo::{self, Category, Record, RelatedUrl, Video};

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Events imported.
    pub events: usize,
    /// Talks imported.
    pub talks: usize,
    /// Records or folders skipped, by path, with the reason.
    pub rejected: Vec<(PathBuf, String)>,
}

/// Imports every event folder under `dir`, one transaction per event; bad records are reported and skipped.
pub async fn import_dir(db: &SqlitePool, dir: &Path) -> anyhow::Result<ImportReport> {
    let folders =
        pyvideo::event_folders(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    let mut report = ImportReport::default();
    for folder in folders {
        match pyvideo::read_event(&folder) {
            Ok(event) => {
                report.talks += import_event(db, &event).await?;
                report.events += 1;
                report.rejected.extend(event.rejected);
            }
            Err(reason) => report.rejected.push((folder, reason)),
        }
    }
    Ok(report)
}

async fn import_event(db: &SqlitePool, event: &pyvideo::EventFolder) -> sqlx::Result<usize> {
    let mut tx = db.begin().await?;
    let event_id = catalog::upsert_event(
        &mut tx,
        &event.slug,
        &event.category.title,
        &event.category.extra,
        &event.category.source,
    )
    .await?;
    catalog::save_records(&mut tx, event_id, &event.talks).await?;
    tx.commit().await?;
    Ok(event.talks.len())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    slug: String,
    title: String,
    extra_json: String,
    source_json: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TalkRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    recorded: Option<String>,
    duration_secs: Option<i64>,
    language: String,
    thumbnail_url: String,
    videos_json: String,
    tags_json: String,
    extra_json: String,
    source_json: Option<String>,
}

/// Writes every event with talks as `out/<event>/…`; returns (events, talks) written.
pub async fn export_dir(db: &SqlitePool, out: &Path) -> anyhow::Result<(usize, usize)> {
    let mut conn = db.acquire().await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "select id, slug, title, extra_json, source_json from events e where exists (select 1 from talks t where t.event_id = e.id) order by slug",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut talks_written = 0;
    for event in &events {
        let talks = records_of(&mut conn, event.id).await?;
        let category = pyvideo::category_value(&Category {
            title: event.title.clone(),
            extra: json_object(&event.extra_json),
            source: stored_json(event.source_json.as_deref()),
        });
        pyvideo::write_event(out, &event.slug, &category, &talks)
            .map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
        talks_written += talks.len();
    }
    Ok((events.len(), talks_written))
}

/// Each talk of the event as export writes it, by slug.
async fn records_of(
    conn: &mut SqliteConnection,
    event_id: i64,
) -> sqlx::Result<Vec<(String, Value)>> {
    let rows: Vec<TalkRow> = sqlx::query_as(
        "select id, slug, title, description, recorded, duration_secs, language, thumbnail_url, videos_json, tags_json, extra_json, source_json
         from talks where event_id = ? order by slug",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let speakers = super::store::speakers_of(conn, row.id)
            .await?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        let related = catalog_links(conn, row.id).await?;
        let slug = row.slug.clone();
        records.push((
            slug,
            pyvideo::record_value(&record_of(row, speakers, related)),
        ));
    }
    Ok(records)
}

async fn catalog_links(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<Vec<RelatedUrl>> {
    let rows: Vec<(String, String, bool)> =
        sqlx::query_as("select url, text, bare from talk_links where talk_id = ? and from_notes = 0 order by position")
            .bind(talk_id)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(url, label, bare)| {
            if bare {
                RelatedUrl::Bare(url)
            } else {
                RelatedUrl::Labelled { label, url }
            }
        })
        .collect())
}

fn record_of(row: TalkRow, speakers: Vec<String>, related_urls: Vec<RelatedUrl>) -> Record {
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    Record {
        title: row.title,
        description: non_empty(row.description),
        speakers,
        recorded: row.recorded,
        duration: row.duration_secs,
        language: non_empty(row.language),
        thumbnail_url: non_empty(row.thumbnail_url),
        videos: serde_json::from_str::<Vec<Video>>(&row.videos_json).unwrap_or_default(),
        related_urls,
        tags: serde_json::from_str(&row.tags_json).unwrap_or_default(),
        extra: json_object(&row.extra_json),
        source: stored_json(row.source_json.as_deref()),
    }
}

/// The stored source JSON of a row, `null` when it has none.
fn stored_json(text: Option<&str>) -> Value {
    text.and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

fn json_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
