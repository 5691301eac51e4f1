//! Writing the catalog: pyvideo records and talks found in show notes, merged by video.

use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use super::pyvideo::{Record, RelatedUrl, Video};
use crate::episodes::model::{PersonRef, slugify};
use crate::links::UrlKey;
use crate::people;

/// The event that holds talks found in notes until a catalog record claims them.
pub const FROM_THE_SHOW: &str = "from-the-show";

/// Inserts or updates the event `slug`; returns its id.
pub async fn upsert_event(
    conn: &mut SqliteConnection,
    slug: &str,
    title: &str,
    extra: &Map<String, Value>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into events (slug, title, year, extra_json) values (?, ?, ?, ?)
         on conflict (slug) do update set title = excluded.title, year = excluded.year, extra_json = excluded.extra_json
         returning id",
    )
    .bind(slug)
    .bind(title)
    .bind(year_in(title))
    .bind(Value::Object(extra.clone()).to_string())
    .fetch_one(conn)
    .await
}

/// The year an event's title names ("PyCon US 2025"), for ordering events.
fn year_in(title: &str) -> Option<i64> {
    title
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse::<i64>().ok())
        .rfind(|year| (1980..=2200).contains(year))
}

/// The YouTube id of the first video that has one: a talk's identity across sources.
pub fn video_id_of(videos: &[Video]) -> Option<String> {
    videos
        .iter()
        .find_map(|v| UrlKey::parse(&v.url).youtube_id().map(str::to_string))
}

/// The talk that is this one: same video, or same event and slug.
async fn existing_talk(
    conn: &mut SqliteConnection,
    video_id: Option<&str>,
    event_id: i64,
    slug: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "select id from talks where video_id = ?1
         union all select id from talks where event_id = ?2 and slug = ?3 limit 1",
    )
    .bind(video_id)
    .bind(event_id)
    .bind(slug)
    .fetch_optional(conn)
    .await
}

/// Saves a catalog record as talk `slug` of `event_id`. A talk already known by
/// its video (from notes, say) takes the record's event, slug, title and
/// speakers; the links the notes gave it stay.
pub async fn save_record(
    conn: &mut SqliteConnection,
    event_id: i64,
    slug: &str,
    record: &Record,
) -> sqlx::Result<i64> {
    let video_id = video_id_of(&record.videos);
    let existing = existing_talk(conn, video_id.as_deref(), event_id, slug).await?;
    let talk_id = match existing {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "insert into talks (event_id, slug, title) values (?, ?, ?) returning id",
            )
            .bind(event_id)
            .bind(slug)
            .bind(&record.title)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    update_talk(conn, talk_id, event_id, slug, video_id.as_deref(), record).await?;
    replace_speakers(conn, talk_id, &record.speakers).await?;
    replace_catalog_links(conn, talk_id, &record.related_urls).await?;
    Ok(talk_id)
}

async fn update_talk(
    conn: &mut SqliteConnection,
    talk_id: i64,
    event_id: i64,
    slug: &str,
    video_id: Option<&str>,
    record: &Record,
) -> sqlx::Result<()> {
    sqlx::query(
        "update talks set event_id = ?, slug = ?, title = ?, description = ?, recorded = ?, duration_secs = ?,
             language = ?, thumbnail_url = ?, video_id = ?, videos_json = ?, tags_json = ?, extra_json = ?
         where id = ?",
    )
    .bind(event_id)
    .bind(slug)
    .bind(&record.title)
    .bind(record.description.as_deref().unwrap_or_default())
    .bind(&record.recorded)
    .bind(record.duration)
    .bind(record.language.as_deref().unwrap_or_default())
    .bind(record.thumbnail_url.as_deref().unwrap_or_default())
    .bind(video_id)
    .bind(serde_json::to_string(&record.videos).unwrap_or_else(|_| "[]".into()))
    .bind(serde_json::to_string(&record.tags).unwrap_or_else(|_| "[]".into()))
    .bind(Value::Object(record.extra.clone()).to_string())
    .bind(talk_id)
    .execute(conn)
    .await?;
    Ok(())
}

async fn replace_speakers(
    conn: &mut SqliteConnection,
    talk_id: i64,
    speakers: &[String],
) -> sqlx::Result<()> {
    sqlx::query("delete from talk_speakers where talk_id = ?")
        .bind(talk_id)
        .execute(&mut *conn)
        .await?;
    for (position, name) in speakers
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.trim().is_empty())
    {
        let person = PersonRef {
            slug: String::new(),
            name: name.trim().to_string(),
        };
        let person_id = people::store::resolve_or_create(conn, &person, true).await?;
        sqlx::query(
            "insert or ignore into talk_speakers (talk_id, person_id, position) values (?, ?, ?)",
        )
        .bind(talk_id)
        .bind(person_id)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn replace_catalog_links(
    conn: &mut SqliteConnection,
    talk_id: i64,
    related: &[RelatedUrl],
) -> sqlx::Result<()> {
    sqlx::query("delete from talk_links where talk_id = ? and from_notes = 0")
        .bind(talk_id)
        .execute(&mut *conn)
        .await?;
    let start = next_link_position(conn, talk_id).await?;
    for (offset, link) in related.iter().enumerate() {
        let (url, label, bare) = match link {
            RelatedUrl::Bare(url) => (url.as_str(), "", true),
            RelatedUrl::Labelled { label, url } => (url.as_str(), label.as_str(), false),
        };
        sqlx::query("insert into talk_links (talk_id, position, url, text, bare, from_notes) values (?, ?, ?, ?, ?, 0)")
            .bind(talk_id)
            .bind(start + offset as i64)
            .bind(url)
            .bind(label)
            .bind(bare)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn next_link_position(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("select coalesce(max(position), 0) + 1 from talk_links where talk_id = ?")
        .bind(talk_id)
        .fetch_one(conn)
        .await
}

/// A talk named in show notes: its title, video URL and the related links under it.
pub struct NotedTalk<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub related: Vec<(&'a str, &'a str)>,
}

/// The catalog talk for a talk found in notes: the one with the same video if
/// known, else a new talk in [`FROM_THE_SHOW`]. Related links are added once.
pub async fn talk_from_notes(
    conn: &mut SqliteConnection,
    talk: &NotedTalk<'_>,
) -> sqlx::Result<i64> {
    let video_id = UrlKey::parse(talk.url).youtube_id().map(str::to_string);
    let event_id: i64 = sqlx::query_scalar("select id from events where slug = ?")
        .bind(FROM_THE_SHOW)
        .fetch_one(&mut *conn)
        .await?;
    let slug = slugify(talk.title);
    let talk_id = match existing_talk(conn, video_id.as_deref(), event_id, &slug).await? {
        Some(id) => id,
        None => insert_noted_talk(conn, event_id, &slug, talk, video_id.as_deref()).await?,
    };
    for (url, text) in &talk.related {
        add_noted_link(conn, talk_id, url, text).await?;
    }
    Ok(talk_id)
}

async fn insert_noted_talk(
    conn: &mut SqliteConnection,
    event_id: i64,
    slug: &str,
    talk: &NotedTalk<'_>,
    video_id: Option<&str>,
) -> sqlx::Result<i64> {
    let kind = if video_id.is_some() {
        "youtube"
    } else {
        "link"
    };
    let videos = serde_json::to_string(&[Video {
        kind: kind.to_string(),
        url: talk.url.to_string(),
    }])
    .unwrap_or_default();
    sqlx::query_scalar("insert into talks (event_id, slug, title, video_id, videos_json) values (?, ?, ?, ?, ?) returning id")
        .bind(event_id)
        .bind(if slug.is_empty() { "talk" } else { slug })
        .bind(talk.title)
        .bind(video_id)
        .bind(videos)
        .fetch_one(conn)
        .await
}

async fn add_noted_link(
    conn: &mut SqliteConnection,
    talk_id: i64,
    url: &str,
    text: &str,
) -> sqlx::Result<()> {
    let known: Option<i64> =
        sqlx::query_scalar("select 1 from talk_links where talk_id = ? and url = ?")
            .bind(talk_id)
            .bind(url)
            .fetch_optional(&mut *conn)
            .await?;
    if known.is_some() {
        return Ok(());
    }
    let position = next_link_position(conn, talk_id).await?;
    sqlx::query(
        "insert into talk_links (talk_id, position, url, text, from_notes) values (?, ?, ?, ?, 1)",
    )
    .bind(talk_id)
    .bind(position)
    .bind(url)
    .bind(text)
    .execute(conn)
    .await?;
    Ok(())
}

/// Links a segment to the talks it discusses, in order.
pub async fn attach_to_segment(
    conn: &mut SqliteConnection,
    segment_id: i64,
    talk_ids: &[i64],
) -> sqlx::Result<()> {
    for (position, talk_id) in talk_ids.iter().enumerate() {
        sqlx::query(
            "insert or ignore into segment_talks (segment_id, talk_id, position) values (?, ?, ?)",
        )
        .bind(segment_id)
        .bind(talk_id)
        .bind(position as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
