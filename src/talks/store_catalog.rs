//! SQL that writes the catalog (pyvideo records, talks found in notes) and reads it back for export.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use super::pyvideo::Record;
use crate::db::json_param;

/// Inserts or updates the event `slug`; returns its id.
pub async fn upsert_event(
    conn: &mut SqliteConnection,
    slug: &str,
    title: &str,
    year: Option<i64>,
    extra: &Map<String, Value>,
    source: &Value,
) -> sqlx::Result<i64> {
    let extra = Value::Object(extra.clone()).to_string();
    let source = source_text(source);
    sqlx::query_scalar!(
        r#"insert into events (slug, title, year, extra_json, source_json) values (?, ?, ?, ?, ?)
         on conflict (slug) do update set title = excluded.title, year = excluded.year,
             extra_json = excluded.extra_json, source_json = excluded.source_json
         returning id as "id!""#,
        slug,
        title,
        year,
        extra,
        source,
    )
    .fetch_one(conn)
    .await
}

/// The JSON a record was read from, as stored; none for a record built in code.
fn source_text(source: &Value) -> Option<String> {
    (!source.is_null()).then(|| source.to_string())
}

/// One catalog record as a talk row: `slug` within its event, `video_id` its YouTube id.
pub struct TalkRow<'a> {
    pub slug: &'a str,
    pub record: &'a Record,
    pub video_id: Option<String>,
}

/// A talk row as one JSON object of the statement's parameter.
#[derive(Serialize)]
struct TalkJson<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    recorded: Option<&'a str>,
    duration: Option<i64>,
    language: &'a str,
    thumbnail_url: &'a str,
    video_id: Option<&'a str>,
    videos: String,
    tags: String,
    extra: String,
    source: Option<String>,
}

impl<'a> TalkJson<'a> {
    fn of(row: &'a TalkRow<'a>) -> Self {
        let record = row.record;
        Self {
            slug: row.slug,
            title: &record.title,
            description: record.description.as_deref().unwrap_or_default(),
            recorded: record.recorded.as_deref(),
            duration: record.duration,
            language: record.language.as_deref().unwrap_or_default(),
            thumbnail_url: record.thumbnail_url.as_deref().unwrap_or_default(),
            video_id: row.video_id.as_deref(),
            videos: serde_json::to_string(&record.videos).unwrap_or_else(|_| "[]".into()),
            tags: serde_json::to_string(&record.tags).unwrap_or_else(|_| "[]".into()),
            extra: Value::Object(record.extra.clone()).to_string(),
            source: source_text(&record.source),
        }
    }
}

/// Inserts the talk of each row, or updates the one with the same event and slug, in one
/// statement, rows in order (a later row with a slug updates the talk an earlier one made);
/// returns each slug's talk id.
pub async fn upsert_talks(
    conn: &mut SqliteConnection,
    event_id: i64,
    rows: &[TalkRow<'_>],
) -> sqlx::Result<HashMap<String, i64>> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let talks: Vec<TalkJson<'_>> = rows.iter().map(TalkJson::of).collect();
    let talks = json_param(&talks)?;
    let ids = sqlx::query!(
        r#"insert into talks (event_id, slug, title, description, recorded, duration_secs, language,
             thumbnail_url, video_id, videos_json, tags_json, extra_json, source_json)
         select ?1, j.value ->> 'slug', j.value ->> 'title', j.value ->> 'description',
             j.value ->> 'recorded', j.value ->> 'duration', j.value ->> 'language',
             j.value ->> 'thumbnail_url', j.value ->> 'video_id', j.value ->> 'videos',
             j.value ->> 'tags', j.value ->> 'extra', j.value ->> 'source'
         from json_each(?2) j where true order by j.key
         on conflict (event_id, slug) do update set
             event_id = excluded.event_id, slug = excluded.slug, title = excluded.title,
             description = excluded.description, recorded = excluded.recorded,
             duration_secs = excluded.duration_secs, language = excluded.language,
             thumbnail_url = excluded.thumbnail_url, video_id = excluded.video_id,
             videos_json = excluded.videos_json, tags_json = excluded.tags_json, extra_json = excluded.extra_json,
             source_json = excluded.source_json
         returning slug, id as "id!""#,
        event_id,
        talks,
    )
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(|r| (r.slug, r.id)).collect())
}

/// Replaces the speakers of `talks` with `rows` (objects with `talk`, `person`, `position`,
/// `credited_as`), in order.
pub async fn replace_speakers<T: Serialize>(
    conn: &mut SqliteConnection,
    talks: &[i64],
    rows: &[T],
) -> sqlx::Result<()> {
    let talks = json_param(talks)?;
    sqlx::query!(
        "delete from talk_speakers where talk_id in (select value from json_each(?))",
        talks,
    )
    .execute(&mut *conn)
    .await?;
    // `or ignore`: a speaker named twice keeps their first place.
    let rows = json_param(rows)?;
    sqlx::query!(
        "insert or ignore into talk_speakers (talk_id, person_id, position, credited_as)
         select j.value ->> 'talk', j.value ->> 'person', j.value ->> 'position', j.value ->> 'credited_as'
         from json_each(?) j order by j.key",
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the catalog links of `talks` with `rows` (objects with `talk`, `offset`, `url`,
/// `text`, `bare`), placed after any links from notes.
pub async fn replace_catalog_links<T: Serialize>(
    conn: &mut SqliteConnection,
    talks: &[i64],
    rows: &[T],
) -> sqlx::Result<()> {
    let talks = json_param(talks)?;
    sqlx::query!(
        "delete from talk_links where from_notes = 0 and talk_id in (select value from json_each(?))",
        talks,
    )
    .execute(&mut *conn)
    .await?;
    // SQLite reads the select into a temporary table before inserting, so `max` sees only the links before this statement.
    let rows = json_param(rows)?;
    sqlx::query!(
        "insert into talk_links (talk_id, position, url, text, bare, from_notes)
         select j.value ->> 'talk',
             (select coalesce(max(t.position), 0) from talk_links t where t.talk_id = j.value ->> 'talk') + (j.value ->> 'offset'),
             j.value ->> 'url', j.value ->> 'text', j.value ->> 'bare', 0
         from json_each(?) j",
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The id of event `event`, and for each of `wanted` (objects with `video` and `slug`, in order)
/// the talk that already has its video and the talk of the event that already has its slug.
/// Several catalog records may share a video: the talk earlier notes attach to comes first, else
/// the first by event slug then talk slug, catalog events before `event`.
pub async fn talks_by_video_or_slug<T: Serialize>(
    conn: &mut SqliteConnection,
    event: &str,
    wanted: &[T],
) -> sqlx::Result<Vec<(i64, Option<i64>, Option<i64>)>> {
    let wanted = json_param(wanted)?;
    let found = sqlx::query!(
        r#"select e.id as "id!", (select t.id from talks t join events te on te.id = t.event_id
                 where t.video_id = j.value ->> 'video'
                 order by exists (select 1 from segment_talks st where st.talk_id = t.id) desc,
                     te.slug = ?1, te.slug, t.slug limit 1) as "by_video?: i64",
             (select id from talks where event_id = e.id and slug = j.value ->> 'slug') as "by_slug?: i64"
         from events e, json_each(?2) j where e.slug = ?1 order by j.key"#,
        event,
        wanted,
    )
    .fetch_all(conn)
    .await?;
    Ok(found
        .into_iter()
        .map(|r| (r.id, r.by_video, r.by_slug))
        .collect())
}

/// Creates talks in event `event_id` from `rows` (objects with `slug`, `title`, `video`,
/// `videos`); returns the new ids by slug.
pub async fn insert_noted_talks<T: Serialize>(
    conn: &mut SqliteConnection,
    event_id: i64,
    rows: &[T],
) -> sqlx::Result<HashMap<String, i64>> {
    let rows = json_param(rows)?;
    let created = sqlx::query!(
        r#"insert into talks (event_id, slug, title, video_id, videos_json)
         select ?1, j.value ->> 'slug', j.value ->> 'title', j.value ->> 'video', j.value ->> 'videos'
         from json_each(?2) j order by j.key
         returning slug, id as "id!""#,
        event_id,
        rows,
    )
    .fetch_all(conn)
    .await?;
    Ok(created.into_iter().map(|r| (r.slug, r.id)).collect())
}

/// Adds each talk's related links from notes (objects with `talk`, `url`, `text`) it does not
/// have yet, after its other links.
pub async fn add_related_links<T: Serialize>(
    conn: &mut SqliteConnection,
    rows: &[T],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // SQLite reads the select into a temporary table before inserting, so `max` sees only the links before this statement.
    let rows = json_param(rows)?;
    sqlx::query!(
        "insert into talk_links (talk_id, position, url, text, from_notes)
         select w.talk_id,
             (select coalesce(max(t.position), 0) from talk_links t where t.talk_id = w.talk_id)
                 + row_number() over (partition by w.talk_id order by w.key),
             w.url, w.text, 1
         from (select j.key, j.value ->> 'talk' as talk_id, j.value ->> 'url' as url, j.value ->> 'text' as text
               from json_each(?) j) w
         where not exists (select 1 from talk_links t where t.talk_id = w.talk_id and t.url = w.url)
         order by w.key",
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Links segments to the talks they discuss (objects with `segment`, `talk`, `position`).
pub async fn attach_to_segments<T: Serialize>(
    conn: &mut SqliteConnection,
    rows: &[T],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // `or ignore`: a talk named twice in a segment keeps its first place.
    let rows = json_param(rows)?;
    sqlx::query!(
        "insert or ignore into segment_talks (segment_id, talk_id, position)
         select j.value ->> 'segment', j.value ->> 'talk', j.value ->> 'position' from json_each(?) j
         order by j.key",
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An event as export writes it.
pub struct EventRecordRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub extra_json: String,
    pub source_json: Option<String>,
}

/// A talk as export writes it.
pub struct TalkRecordRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub recorded: Option<String>,
    pub duration_secs: Option<i64>,
    pub language: String,
    pub thumbnail_url: String,
    pub videos_json: String,
    pub tags_json: String,
    pub extra_json: String,
    pub source_json: Option<String>,
}

/// Every event with talks, by slug.
pub async fn events_to_export(conn: &mut SqliteConnection) -> sqlx::Result<Vec<EventRecordRow>> {
    sqlx::query_as!(
        EventRecordRow,
        r#"select id as "id!", slug, title, extra_json, source_json from events e
           where exists (select 1 from talks t where t.event_id = e.id) order by slug"#
    )
    .fetch_all(conn)
    .await
}

/// Every talk of an event, by slug.
pub async fn talks_to_export(
    conn: &mut SqliteConnection,
    event_id: i64,
) -> sqlx::Result<Vec<TalkRecordRow>> {
    sqlx::query_as!(
        TalkRecordRow,
        r#"select id as "id!", slug, title, description, recorded, duration_secs, language, thumbnail_url,
                videos_json, tags_json, extra_json, source_json
           from talks where event_id = ? order by slug"#,
        event_id,
    )
    .fetch_all(conn)
    .await
}

/// A talk's catalog links (not those from notes), in order, as (url, text, bare).
pub async fn catalog_links_of(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<Vec<(String, String, bool)>> {
    let links = sqlx::query!(
        r#"select url, text, bare as "bare: bool" from talk_links
           where talk_id = ? and from_notes = 0 order by position"#,
        talk_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(links.into_iter().map(|l| (l.url, l.text, l.bare)).collect())
}
