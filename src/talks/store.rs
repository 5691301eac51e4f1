//! SQL for events and talks.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::SqliteConnection;

/// An event with how many talks it has.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub year: Option<i64>,
    pub url: String,
    pub description: String,
    pub talk_count: i64,
}

/// A talk, flat.
#[derive(Debug, Clone, Serialize)]
pub struct Talk {
    #[serde(skip)]
    pub id: i64,
    pub event: String,
    /// The event's name ("PyCon US 2025"), for pages that would otherwise show its slug.
    pub event_title: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub recorded: Option<String>,
    pub duration_secs: Option<i64>,
    pub language: String,
    pub thumbnail_url: String,
    pub video_id: Option<String>,
    #[serde(skip)]
    pub videos_json: String,
    #[serde(skip)]
    pub tags_json: String,
}

/// A related link of a talk.
#[derive(Debug, Clone, Serialize)]
pub struct TalkLink {
    pub url: String,
    pub text: String,
}

impl TalkLink {
    /// Whether the URL may be an `href` (http, https or mailto).
    pub fn is_link(&self) -> bool {
        crate::links::web_url::is_web_url(&self.url)
    }
}

/// A segment that discussed a talk.
#[derive(Debug, Clone, Serialize)]
pub struct Discussion {
    pub episode_number: i64,
    pub episode_slug: String,
    pub episode_title: String,
    pub segment_title: String,
}

/// Who is looking: listeners see only [`Seen::Public`] talks (the `public_talks` view: catalog
/// records and talks a published episode discusses, issue 13); hosts in the admin see every talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Public,
    Admin,
}

/// Every event with talks `seen` sees, newest first; curators also see the events they
/// added that have no talks yet.
pub async fn events(conn: &mut SqliteConnection, seen: Seen) -> sqlx::Result<Vec<Event>> {
    // Two statements, not one: the table read (`public_talks` or `talks`) is part of the SQL.
    match seen {
        Seen::Public => {
            sqlx::query_as!(
                Event,
                r#"select id as "id!", slug, title, year, url, description, talk_count as "talk_count!: i64"
                   from (select e.id, e.slug, e.title, e.year, e.url, e.description,
                             (select count(*) from public_talks t where t.event_id = e.id) as talk_count
                         from events e)
                   where talk_count > 0 order by year desc, title"#
            )
            .fetch_all(conn)
            .await
        }
        Seen::Admin => {
            // The notes' holding event is listed only while it holds talks.
            sqlx::query_as!(
                Event,
                r#"select id as "id!", slug, title, year, url, description, talk_count as "talk_count!: i64"
                   from (select e.id, e.slug, e.title, e.year, e.url, e.description,
                             (select count(*) from talks t where t.event_id = e.id) as talk_count
                         from events e)
                   where talk_count > 0 or slug <> ? order by year desc, title"#,
                super::catalog::FROM_THE_SHOW,
            )
            .fetch_all(conn)
            .await
        }
    }
}

/// Every event as (slug, title), newest first: the choices of a talk's event.
pub async fn event_titles(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(String, String)>> {
    let events = sqlx::query!("select slug, title from events order by year desc, title")
        .fetch_all(conn)
        .await?;
    Ok(events.into_iter().map(|e| (e.slug, e.title)).collect())
}

/// The event with this slug; for listeners, the notes' holding event only while it holds a public talk.
pub async fn event_by_slug(
    conn: &mut SqliteConnection,
    slug: &str,
    seen: Seen,
) -> sqlx::Result<Option<Event>> {
    match seen {
        Seen::Public => {
            sqlx::query_as!(
                Event,
                r#"select id as "id!", slug, title, year, url, description, talk_count as "talk_count!: i64"
                   from (select e.id, e.slug, e.title, e.year, e.url, e.description,
                             (select count(*) from public_talks t where t.event_id = e.id) as talk_count
                         from events e)
                   where slug = ?1 and (talk_count > 0 or slug <> ?2)"#,
                slug,
                super::catalog::FROM_THE_SHOW,
            )
            .fetch_optional(conn)
            .await
        }
        Seen::Admin => {
            sqlx::query_as!(
                Event,
                r#"select id as "id!", slug, title, year, url, description, talk_count as "talk_count!: i64"
                   from (select e.id, e.slug, e.title, e.year, e.url, e.description,
                             (select count(*) from talks t where t.event_id = e.id) as talk_count
                         from events e)
                   where slug = ?"#,
                slug,
            )
            .fetch_optional(conn)
            .await
        }
    }
}

/// The talks of an event that `seen` sees, by title.
pub async fn talks_of_event(
    conn: &mut SqliteConnection,
    event_id: i64,
    seen: Seen,
) -> sqlx::Result<Vec<Talk>> {
    match seen {
        Seen::Public => {
            sqlx::query_as!(
                Talk,
                r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                        t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                        t.video_id, t.videos_json, t.tags_json
                   from public_talks t join events e on e.id = t.event_id
                   where t.event_id = ? order by t.title"#,
                event_id,
            )
            .fetch_all(conn)
            .await
        }
        Seen::Admin => {
            sqlx::query_as!(
                Talk,
                r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                        t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                        t.video_id, t.videos_json, t.tags_json
                   from talks t join events e on e.id = t.event_id
                   where t.event_id = ? order by t.title"#,
                event_id,
            )
            .fetch_all(conn)
            .await
        }
    }
}

/// Every tag of a public talk (pyvideo's tags, as written), in order.
pub async fn public_tags(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        // Each tag asks for one public talk of its own: joining every (tag, talk) row to the
        // view first took 45 ms with 20,000 talks, this 6 ms.
        r#"select d.tag as "tag!: String" from (select distinct tag from talk_tags) d
           where exists (select 1 from talk_tags tt join public_talks t on t.id = tt.talk_id
                         where tt.tag = d.tag)
           order by 1"#
    )
    .fetch_all(conn)
    .await
}

/// How many public talks are tagged `tag`.
pub async fn count_tagged(conn: &mut SqliteConnection, tag: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!: i64" from talk_tags tt join public_talks t on t.id = tt.talk_id
           where tt.tag = ?"#,
        tag,
    )
    .fetch_one(conn)
    .await
}

/// `limit` public talks tagged `tag` (pyvideo's tags, as written) after the first `offset`,
/// newest first.
pub async fn talks_tagged(
    conn: &mut SqliteConnection,
    tag: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Talk>> {
    sqlx::query_as!(
        Talk,
        r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                t.video_id, t.videos_json, t.tags_json
           from talk_tags tt join public_talks t on t.id = tt.talk_id
                join events e on e.id = t.event_id
           where tt.tag = ?
           order by t.recorded desc, e.title, t.title, t.id
           limit ? offset ?"#,
        tag,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// The talk `slug` of event `event`, if `seen` sees it.
pub async fn talk_by_slug(
    conn: &mut SqliteConnection,
    event: &str,
    slug: &str,
    seen: Seen,
) -> sqlx::Result<Option<Talk>> {
    match seen {
        Seen::Public => {
            sqlx::query_as!(
                Talk,
                r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                        t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                        t.video_id, t.videos_json, t.tags_json
                   from public_talks t join events e on e.id = t.event_id
                   where e.slug = ? and t.slug = ?"#,
                event,
                slug,
            )
            .fetch_optional(conn)
            .await
        }
        Seen::Admin => {
            sqlx::query_as!(
                Talk,
                r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                        t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                        t.video_id, t.videos_json, t.tags_json
                   from talks t join events e on e.id = t.event_id
                   where e.slug = ? and t.slug = ?"#,
                event,
                slug,
            )
            .fetch_optional(conn)
            .await
        }
    }
}

/// Talk `id`, as curators see it.
pub async fn talk_by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Talk>> {
    sqlx::query_as!(
        Talk,
        r#"select t.id as "id!", e.slug as event, e.title as event_title, t.slug, t.title,
                t.description, t.recorded, t.duration_secs, t.language, t.thumbnail_url,
                t.video_id, t.videos_json, t.tags_json
           from talks t join events e on e.id = t.event_id
           where t.id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// The speakers of a talk, in order, as (person slug, name as the talk credits them).
pub async fn speakers_of(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    let speakers = sqlx::query!(
        r#"select p.slug, coalesce(ts.credited_as, p.name) as "name!: String"
           from talk_speakers ts join people p on p.id = ts.person_id
           where ts.talk_id = ? order by ts.position"#,
        talk_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(speakers.into_iter().map(|s| (s.slug, s.name)).collect())
}

/// A talk someone spoke at, for their page.
#[derive(Debug, Clone, Serialize)]
pub struct SpokenTalk {
    pub event: String,
    pub event_title: String,
    pub slug: String,
    pub title: String,
    pub recorded: Option<String>,
}

/// The public talks a person spoke at, newest first.
pub async fn talks_spoken_by(
    conn: &mut SqliteConnection,
    person_id: i64,
) -> sqlx::Result<Vec<SpokenTalk>> {
    sqlx::query_as!(
        SpokenTalk,
        "select e.slug as event, e.title as event_title, t.slug, t.title, t.recorded
         from talk_speakers ts join public_talks t on t.id = ts.talk_id join events e on e.id = t.event_id
         where ts.person_id = ? order by t.recorded desc, e.slug, t.slug",
        person_id,
    )
    .fetch_all(conn)
    .await
}

/// The related links of a talk.
pub async fn links_of(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<Vec<TalkLink>> {
    sqlx::query_as!(
        TalkLink,
        "select url, text from talk_links where talk_id = ? order by position",
        talk_id,
    )
    .fetch_all(conn)
    .await
}

/// The published segments that discussed a talk.
pub async fn discussions_of(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<Vec<Discussion>> {
    sqlx::query_as!(
        Discussion,
        "select e.number as episode_number, e.slug as episode_slug, e.title as episode_title, s.title as segment_title
         from segment_talks st join segments s on s.id = st.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         where st.talk_id = ? order by e.number desc",
        talk_id,
    )
    .fetch_all(conn)
    .await
}

/// The talks of event `event` that have one of `videos`, by video id: talks found in
/// notes that a catalog record may claim.
pub async fn held_talks_by_video(
    conn: &mut SqliteConnection,
    event: &str,
    videos: &[String],
) -> sqlx::Result<HashMap<String, i64>> {
    if videos.is_empty() {
        return Ok(HashMap::new());
    }
    let videos = crate::db::json_param(videos)?;
    let rows = sqlx::query!(
        r#"select t.video_id as "video_id!", t.id as "id!" from talks t join events e on e.id = t.event_id
           where e.slug = ? and t.video_id in (select value from json_each(?)) order by t.id desc"#,
        event,
        videos,
    )
    .fetch_all(conn)
    .await?;
    // Ordered newest first, so the oldest talk with a video is the one kept.
    Ok(rows.into_iter().map(|r| (r.video_id, r.id)).collect())
}

/// Moves talk `id` to event `event_id` as `slug`, unless that event already has a
/// talk with that slug (which then stays the record's talk).
pub async fn move_talk(
    conn: &mut SqliteConnection,
    id: i64,
    event_id: i64,
    slug: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update talks set event_id = ?1, slug = ?2 where id = ?3
         and not exists (select 1 from talks where event_id = ?1 and slug = ?2)",
        event_id,
        slug,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}
