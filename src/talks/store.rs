//! SQL for events and talks.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::SqliteConnection;

/// An event with how many talks it has.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TalkLink {
    pub url: String,
    pub text: String,
}

impl TalkLink {
    /// Whether the URL may be an `href` (http, https or mailto).
    pub fn is_link(&self) -> bool {
        crate::links::is_web_url(&self.url)
    }
}

/// A segment that discussed a talk.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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

impl Seen {
    /// The table or view holding the talks this audience sees (a fixed name, never input).
    fn talks(self) -> &'static str {
        match self {
            Seen::Public => "public_talks",
            Seen::Admin => "talks",
        }
    }

    fn event_select(self) -> String {
        format!(
            "select e.id, e.slug, e.title, e.year, e.url, e.description, \
             (select count(*) from {} t where t.event_id = e.id) as talk_count from events e",
            self.talks()
        )
    }

    fn talk_select(self) -> String {
        format!(
            "select t.id, e.slug as event, e.title as event_title, t.slug, t.title, t.description, t.recorded, \
             t.duration_secs, t.language, t.thumbnail_url, t.video_id, t.videos_json, t.tags_json \
             from {} t join events e on e.id = t.event_id",
            self.talks()
        )
    }
}

/// Every event with talks `seen` sees, newest first; curators also see the events they
/// added that have no talks yet.
pub async fn events(conn: &mut SqliteConnection, seen: Seen) -> sqlx::Result<Vec<Event>> {
    // The notes' holding event is listed only while it holds talks.
    let sql = format!(
        "select * from ({}) where talk_count > 0 or (?1 and slug <> ?2) order by year desc, title",
        seen.event_select()
    );
    sqlx::query_as(&sql)
        .bind(seen == Seen::Admin)
        .bind(super::catalog::FROM_THE_SHOW)
        .fetch_all(conn)
        .await
}

/// Every event as (slug, title), newest first: the choices of a talk's event.
pub async fn event_titles(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("select slug, title from events order by year desc, title")
        .fetch_all(conn)
        .await
}

/// The event with this slug; for listeners, the notes' holding event only while it holds a public talk.
pub async fn event_by_slug(
    conn: &mut SqliteConnection,
    slug: &str,
    seen: Seen,
) -> sqlx::Result<Option<Event>> {
    let sql = format!(
        "select * from ({}) where slug = ?1 and (talk_count > 0 or slug <> ?2 or ?3)",
        seen.event_select()
    );
    sqlx::query_as(&sql)
        .bind(slug)
        .bind(super::catalog::FROM_THE_SHOW)
        .bind(seen == Seen::Admin)
        .fetch_optional(conn)
        .await
}

/// The talks of an event that `seen` sees, by title.
pub async fn talks_of_event(
    conn: &mut SqliteConnection,
    event_id: i64,
    seen: Seen,
) -> sqlx::Result<Vec<Talk>> {
    let sql = format!(
        "{} where t.event_id = ? order by t.title",
        seen.talk_select()
    );
    sqlx::query_as(&sql).bind(event_id).fetch_all(conn).await
}

/// The public talks tagged `tag` (pyvideo's tags, as written), newest first.
pub async fn talks_tagged(conn: &mut SqliteConnection, tag: &str) -> sqlx::Result<Vec<Talk>> {
    let sql = format!(
        "{} where exists (select 1 from json_each(t.tags_json) j where j.value = ?)
         order by t.recorded desc, e.title, t.title",
        Seen::Public.talk_select()
    );
    sqlx::query_as(&sql).bind(tag).fetch_all(conn).await
}

/// The talk `slug` of event `event`, if `seen` sees it.
pub async fn talk_by_slug(
    conn: &mut SqliteConnection,
    event: &str,
    slug: &str,
    seen: Seen,
) -> sqlx::Result<Option<Talk>> {
    let sql = format!("{} where e.slug = ? and t.slug = ?", seen.talk_select());
    sqlx::query_as(&sql)
        .bind(event)
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Talk `id`, as curators see it.
pub async fn talk_by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Talk>> {
    let sql = format!("{} where t.id = ?", Seen::Admin.talk_select());
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// `wanted` if event `event_id` has no talk with that slug, else the first of `wanted-2`,
/// `wanted-3`… it has not.
pub async fn free_talk_slug(
    conn: &mut SqliteConnection,
    event_id: i64,
    wanted: &str,
) -> sqlx::Result<String> {
    // `like` may match more than `wanted-N` (`_` is a wildcard); the exact check is below.
    let taken: HashSet<String> = sqlx::query_scalar(
        "select slug from talks where event_id = ?1 and (slug = ?2 or slug like ?2 || '-%')",
    )
    .bind(event_id)
    .bind(wanted)
    .fetch_all(conn)
    .await?
    .into_iter()
    .collect();
    Ok(first_free(wanted, &taken))
}

/// `wanted`, else `wanted-2`, `wanted-3`…: the first not in `taken`.
fn first_free(wanted: &str, taken: &HashSet<String>) -> String {
    std::iter::once(wanted.to_string())
        .chain((2..).map(|n| format!("{wanted}-{n}")))
        .find(|slug| !taken.contains(slug))
        .unwrap_or_default()
}

/// Creates talk `slug` of event `event_id` titled `title`, with `extra_json` (pyvideo fields
/// the catalog does not model); returns its id. Its other fields are set by [`update_talk`].
pub async fn insert_talk(
    conn: &mut SqliteConnection,
    event_id: i64,
    slug: &str,
    title: &str,
    extra_json: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into talks (event_id, slug, title, extra_json) values (?, ?, ?, ?) returning id",
    )
    .bind(event_id)
    .bind(slug)
    .bind(title)
    .bind(extra_json)
    .fetch_one(conn)
    .await
}

/// How many episode segments link to talk `talk_id`, published or not.
pub async fn segment_count(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from segment_talks where talk_id = ?")
        .bind(talk_id)
        .fetch_one(conn)
        .await
}

/// Deletes talk `id`; its speaker credits, related links and segment links go with it
/// (`on delete cascade`), and the search index forgets it (trigger).
pub async fn delete_talk(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("delete from talks where id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The speakers of a talk, in order, as (person slug, name as the talk credits them).
pub async fn speakers_of(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "select p.slug, coalesce(ts.credited_as, p.name) from talk_speakers ts join people p on p.id = ts.person_id
         where ts.talk_id = ? order by ts.position",
    )
    .bind(talk_id)
    .fetch_all(conn)
    .await
}

/// A talk someone spoke at, for their page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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
    sqlx::query_as(
        "select e.slug as event, e.title as event_title, t.slug, t.title, t.recorded
         from talk_speakers ts join public_talks t on t.id = ts.talk_id join events e on e.id = t.event_id
         where ts.person_id = ? order by t.recorded desc, e.slug, t.slug",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// The related links of a talk.
pub async fn links_of(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<Vec<TalkLink>> {
    sqlx::query_as("select url, text from talk_links where talk_id = ? order by position")
        .bind(talk_id)
        .fetch_all(conn)
        .await
}

/// The published segments that discussed a talk.
pub async fn discussions_of(
    conn: &mut SqliteConnection,
    talk_id: i64,
) -> sqlx::Result<Vec<Discussion>> {
    sqlx::query_as(
        "select e.number as episode_number, e.slug as episode_slug, e.title as episode_title, s.title as segment_title
         from segment_talks st join segments s on s.id = st.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         where st.talk_id = ? order by e.number desc",
    )
    .bind(talk_id)
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
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select t.video_id, t.id from talks t join events e on e.id = t.event_id
         where e.slug = ? and t.video_id in (select value from json_each(?)) order by t.id desc",
    )
    .bind(event)
    .bind(crate::db::json_param(videos)?)
    .fetch_all(conn)
    .await?;
    // Ordered newest first, so the oldest talk with a video is the one kept.
    Ok(rows.into_iter().collect())
}

/// Moves talk `id` to event `event_id` as `slug`, unless that event already has a
/// talk with that slug (which then stays the record's talk).
pub async fn move_talk(
    conn: &mut SqliteConnection,
    id: i64,
    event_id: i64,
    slug: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "update talks set event_id = ?1, slug = ?2 where id = ?3
         and not exists (select 1 from talks where event_id = ?1 and slug = ?2)",
    )
    .bind(event_id)
    .bind(slug)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The curated fields of an event, as saved.
pub struct EventFields<'a> {
    pub title: &'a str,
    pub year: Option<i64>,
    pub url: &'a str,
    pub description: &'a str,
}

/// Creates event `slug` with its curated fields; returns its id.
pub async fn insert_event(
    conn: &mut SqliteConnection,
    slug: &str,
    fields: &EventFields<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into events (title, year, url, description, slug) values (?, ?, ?, ?, ?) returning id",
    )
    .bind(fields.title)
    .bind(fields.year)
    .bind(fields.url)
    .bind(fields.description)
    .bind(slug)
    .fetch_one(conn)
    .await
}

/// Sets the curated fields of event `slug`; returns its id, none when there is no such event.
pub async fn update_event(
    conn: &mut SqliteConnection,
    slug: &str,
    fields: &EventFields<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "update events set title = ?, year = ?, url = ?, description = ? where slug = ? returning id",
    )
    .bind(fields.title)
    .bind(fields.year)
    .bind(fields.url)
    .bind(fields.description)
    .bind(slug)
    .fetch_optional(conn)
    .await
}

/// The curated fields of a talk, as saved.
pub struct TalkFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub recorded: Option<&'a str>,
    pub duration_secs: Option<i64>,
    pub language: &'a str,
}

/// Sets the curated fields of talk `id`.
pub async fn update_talk(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &TalkFields<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update talks set title = ?, description = ?, recorded = ?, duration_secs = ?, language = ? where id = ?",
    )
    .bind(fields.title)
    .bind(fields.description)
    .bind(fields.recorded)
    .bind(fields.duration_secs)
    .bind(fields.language)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `people` (person id, name as credited), in order, the speakers of talk `talk_id`;
/// someone named twice keeps their first place.
pub async fn set_speakers(
    conn: &mut SqliteConnection,
    talk_id: i64,
    people: &[(i64, &str)],
) -> sqlx::Result<()> {
    sqlx::query("delete from talk_speakers where talk_id = ?")
        .bind(talk_id)
        .execute(&mut *conn)
        .await?;
    for (position, (person_id, name)) in people.iter().enumerate() {
        sqlx::query(
            "insert or ignore into talk_speakers (talk_id, person_id, position, credited_as) values (?, ?, ?, ?)",
        )
        .bind(talk_id)
        .bind(person_id)
        .bind(position as i64)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets the videos of talk `id` (pyvideo's `videos` array as JSON) and the YouTube id that
/// identifies it.
pub async fn set_videos(
    conn: &mut SqliteConnection,
    id: i64,
    videos_json: &str,
    video_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("update talks set videos_json = ?, video_id = ? where id = ?")
        .bind(videos_json)
        .bind(video_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_slug_gets_the_first_free_number() {
        let taken = |slugs: &[&str]| slugs.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        assert_eq!(first_free("intro", &taken(&[])), "intro");
        assert_eq!(first_free("intro", &taken(&["intro-2"])), "intro");
        assert_eq!(first_free("intro", &taken(&["intro"])), "intro-2");
        assert_eq!(
            first_free("intro", &taken(&["intro", "intro-2", "intro-4"])),
            "intro-3"
        );
    }
}
