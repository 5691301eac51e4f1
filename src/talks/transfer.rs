//! `import talks DIR` and `export talks --out DIR`: the pyvideo layout in and out.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sqlx::{SqliteConnection, SqlitePool};

use super::catalog;
use super::pyvideo::{self, Category, Record, RelatedUrl, Video};
use super::store_catalog::{self, TalkRecordRow};
use crate::admin::store::record_import;

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
    let mut tx = crate::db::begin_write(db).await?;
    let event_id = catalog::upsert_event(
        &mut tx,
        &event.slug,
        &event.category.title,
        &event.category.extra,
        &event.category.source,
    )
    .await?;
    catalog::save_records(&mut tx, event_id, &event.talks).await?;
    let detail = format!(
        "{} talks of {} from its pyvideo folder",
        event.talks.len(),
        event.slug
    );
    record_import(&mut tx, "event", event_id, &detail).await?;
    tx.commit().await?;
    Ok(event.talks.len())
}

/// Writes every event with talks as `out/<event>/…`; returns (events, talks) written.
pub async fn export_dir(db: &SqlitePool, out: &Path) -> anyhow::Result<(usize, usize)> {
    let mut conn = db.acquire().await?;
    let events = store_catalog::events_to_export(&mut conn).await?;
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
    let rows = store_catalog::talks_to_export(conn, event_id).await?;
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
    let rows = store_catalog::catalog_links_of(conn, talk_id).await?;
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

fn record_of(row: TalkRecordRow, speakers: Vec<String>, related_urls: Vec<RelatedUrl>) -> Record {
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
