//! SQL for episodes and their segments. Every function takes a connection so
//! the caller owns the transaction.

use sqlx::SqliteConnection;

use super::model::{EpisodeDoc, SegmentDoc, Status};
use crate::clock::Timestamp;

/// An episode row, flat.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EpisodeRow {
    pub id: i64,
    pub number: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: Status,
    pub published_at: Option<Timestamp>,
    pub intro_md: String,
    pub intro_html: Option<String>,
    pub audio_url: Option<String>,
    pub audio_bytes: Option<i64>,
    pub audio_type: Option<String>,
    pub duration_secs: Option<i64>,
    pub video_url: Option<String>,
    pub guid: String,
    pub version: i64,
}

/// A segment row joined with its presenter.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct SegmentRow {
    pub id: i64,
    pub episode_id: i64,
    pub position: i64,
    pub kind: String,
    pub number: Option<i64>,
    pub title: String,
    pub url: Option<String>,
    pub notes_md: String,
    pub notes_html: Option<String>,
    pub start_secs: Option<i64>,
    /// Only the episode's own reads select it; feeds do not need it.
    #[sqlx(default)]
    #[serde(default)]
    pub credited_as: Option<String>,
    pub person_slug: Option<String>,
    pub person_name: Option<String>,
    pub person_is_guest: Option<bool>,
}

/// A link of a segment.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct SegmentLinkRow {
    pub segment_id: i64,
    pub url: String,
    pub url_key: String,
    pub text: String,
}

/// A talk a segment discusses.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct SegmentTalkRow {
    pub segment_id: i64,
    pub event: String,
    pub slug: String,
    pub title: String,
}

/// The episode numbered `number`; drafts only when `include_drafts`.
pub async fn episode_by_number(
    conn: &mut SqliteConnection,
    number: i64,
    include_drafts: bool,
) -> sqlx::Result<Option<EpisodeRow>> {
    sqlx::query_as!(
        EpisodeRow,
        r#"select id as "id!", number, slug, title, summary, status as "status: Status",
                published_at as "published_at: Timestamp", intro_md, intro_html, audio_url,
                audio_bytes, audio_type, duration_secs, video_url, guid, version
         from episodes where number = ? and (? or status = 'published')"#,
        number,
        include_drafts,
    )
    .fetch_optional(conn)
    .await
}

/// One page of published episodes, newest publication first; the number orders episodes
/// published together.
pub async fn published_page(
    conn: &mut SqliteConnection,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EpisodeRow>> {
    sqlx::query_as!(
        EpisodeRow,
        r#"select id as "id!", number, slug, title, summary, status as "status: Status",
                published_at as "published_at: Timestamp", intro_md, intro_html, audio_url,
                audio_bytes, audio_type, duration_secs, video_url, guid, version
         from episodes where status = 'published' order by published_at desc, number desc
         limit ? offset ?"#,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// The id of episode `number`, which must exist.
pub async fn id_of_number(conn: &mut SqliteConnection, number: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select id as "id!" from episodes where number = ?"#,
        number
    )
    .fetch_one(conn)
    .await
}

/// The status of episode `number`, if there is one.
pub async fn status_of_number(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<Status>> {
    sqlx::query_scalar!(
        r#"select status as "status: Status" from episodes where number = ?"#,
        number
    )
    .fetch_optional(conn)
    .await
}

/// Every episode's number, drafts included, in order.
pub async fn all_numbers(conn: &mut SqliteConnection) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select number from episodes order by number")
        .fetch_all(conn)
        .await
}

/// How many episodes are published.
pub async fn published_count(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!: i64" from episodes where status = 'published'"#
    )
    .fetch_one(conn)
    .await
}

/// An episode's segments with their links and the talks they discuss, each in order.
pub struct SegmentParts {
    pub segments: Vec<SegmentRow>,
    pub links: Vec<SegmentLinkRow>,
    pub talks: Vec<SegmentTalkRow>,
}

/// The segments of an episode with their links and talks, in one statement that answers one
/// row: every row a statement answers is a hand-off from the database's thread, and an
/// episode's fifty segments, links and talks as rows were most of its page's render.
pub async fn segment_parts(
    conn: &mut SqliteConnection,
    episode_id: i64,
) -> sqlx::Result<SegmentParts> {
    let parts = sqlx::query!(
        r#"select
             (select json_group_array(json_object('id', s.id, 'episode_id', s.episode_id,
                     'position', s.position, 'kind', s.kind, 'number', s.number, 'title', s.title,
                     'url', s.url, 'notes_md', s.notes_md, 'notes_html', s.notes_html,
                     'start_secs', s.start_secs, 'credited_as', s.credited_as,
                     'person_slug', p.slug, 'person_name', p.name,
                     'person_is_guest', case when p.id is null then null
                         when p.is_guest then json('true') else json('false') end)
                     order by s.position)
              from segments s left join people p on p.id = s.person_id
              where s.episode_id = ?1) as "segments!: String",
             (select json_group_array(json_object('segment_id', sl.segment_id,
                     'url', coalesce(sl.url, l.url), 'url_key', l.url_key, 'text', sl.text)
                     order by sl.segment_id, sl.position)
              from segment_links sl
              join links l on l.id = sl.link_id join segments s on s.id = sl.segment_id
              where s.episode_id = ?1) as "links!: String",
             (select json_group_array(json_object('segment_id', st.segment_id, 'event', e.slug,
                     'slug', t.slug, 'title', t.title)
                     order by st.segment_id, st.position)
              from segment_talks st
              join talks t on t.id = st.talk_id join events e on e.id = t.event_id
              join segments s on s.id = st.segment_id
              where s.episode_id = ?1) as "talks!: String""#,
        episode_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(SegmentParts {
        segments: rows_of(&parts.segments)?,
        links: rows_of(&parts.links)?,
        talks: rows_of(&parts.talks)?,
    })
}

/// Rows a statement gave as one JSON array of objects.
fn rows_of<T: serde::de::DeserializeOwned>(json: &str) -> sqlx::Result<Vec<T>> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The segments of a page of published episodes, in one query.
pub async fn segments_of_page(
    conn: &mut SqliteConnection,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<SegmentRow>> {
    sqlx::query_as!(
        SegmentRow,
        r#"select s.id as "id!", s.episode_id, s.position, s.kind, s.number, s.title, s.url, s.notes_md,
                s.notes_html, s.start_secs, s.credited_as, p.slug as "person_slug?",
                p.name as "person_name?", p.is_guest as "person_is_guest?: bool"
         from segments s left join people p on p.id = s.person_id
         where s.episode_id in (select id from episodes where status = 'published'
                                order by published_at desc, number desc limit ? offset ?)
         order by s.episode_id, s.position"#,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// The addresses published episodes had before their slug changed, as (number, old slug) in
/// order of number: the live site redirects them to the current slug, a static copy leads
/// there from a page of its own. A slug an episode has again is left out.
pub async fn old_slugs(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        r#"select e.number as "number!", o.slug as "slug!"
         from episode_old_slugs o join episodes e on e.id = o.episode_id
         where e.status = 'published' and o.slug <> e.slug
         order by e.number, o.slug"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|row| (row.number, row.slug)).collect())
}

/// The published neighbours of episode `number` in publication order: (previous, next) as
/// (number, slug, title).
pub async fn neighbours(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<(Option<(i64, String, String)>, Option<(i64, String, String)>)> {
    // One statement for both: each statement is a round trip to the database's thread, and
    // this page is rendered after every change.
    let rows = sqlx::query!(
        r#"select * from (select 'previous' as "side!: String", e.number, e.slug, e.title
             from episodes e, episodes me
             where me.number = ?1 and e.status = 'published'
               and (e.published_at, e.number) < (me.published_at, me.number)
             order by e.published_at desc, e.number desc limit 1)
         union all
         select * from (select 'next', e.number, e.slug, e.title
             from episodes e, episodes me
             where me.number = ?1 and e.status = 'published'
               and (e.published_at, e.number) > (me.published_at, me.number)
             order by e.published_at, e.number limit 1)"#,
        number,
    )
    .fetch_all(&mut *conn)
    .await?;
    let side = |name: &str| {
        rows.iter()
            .find(|row| row.side == name)
            .map(|e| (e.number, e.slug.clone(), e.title.clone()))
    };
    Ok((side("previous"), side("next")))
}

/// Inserts the episode, or updates the one with the same number in place
/// (same id and guid, version bumped). Returns its id and whether it is new.
pub async fn upsert_episode(
    conn: &mut SqliteConnection,
    doc: &EpisodeDoc,
    guid: &str,
    now: &Timestamp,
) -> sqlx::Result<(i64, bool)> {
    let audio = doc.audio.as_ref();
    // A published episode without a date keeps the one listeners already saw, else gets the
    // day it was recorded, else now.
    // A document without audio (notes have none) keeps the episode's audio: a feed import
    // put it there, and podcast apps already downloaded it (issue 12).
    let status = doc.status.as_str();
    // None until rendered: the first read renders it.
    let intro_html = Some(&doc.intro_html).filter(|html| !html.is_empty());
    let (audio_url, audio_bytes) = (audio.map(|a| &a.url), audio.and_then(|a| a.bytes));
    let audio_type = audio.and_then(|a| a.mime_type.as_ref());
    let duration_secs = audio.and_then(|a| a.duration_secs);
    let saved = sqlx::query!(
        r#"insert into episodes (number, slug, title, summary, status, published_at, intro_md, intro_html, audio_url,
             audio_bytes, audio_type, duration_secs, video_url, guid, created_at, updated_at)
         values (?1, ?2, ?3, ?4, ?5, coalesce(?6, ?16, iif(?5 = 'published', ?15, null)), ?7, ?8, ?9, ?10,
             ?11, ?12, ?13, ?14, ?15, ?15)
         on conflict (number) do update set slug = excluded.slug, title = excluded.title,
             summary = excluded.summary, status = excluded.status,
             published_at = coalesce(?6, episodes.published_at, excluded.published_at),
             intro_md = excluded.intro_md, intro_html = excluded.intro_html,
             audio_url = iif(?9 is null, episodes.audio_url, excluded.audio_url),
             audio_bytes = iif(?9 is null, episodes.audio_bytes, excluded.audio_bytes),
             audio_type = iif(?9 is null, episodes.audio_type, excluded.audio_type),
             duration_secs = iif(?9 is null, episodes.duration_secs, excluded.duration_secs),
             video_url = excluded.video_url, updated_at = excluded.updated_at, version = episodes.version + 1
         returning id as "id!", version = 1 as "is_new!: bool""#,
        doc.number,
        doc.slug,
        doc.title,
        doc.summary,
        status,
        doc.published_at,
        doc.intro_md,
        intro_html,
        audio_url,
        audio_bytes,
        audio_type,
        duration_secs,
        doc.video_url,
        guid,
        now,
        doc.recorded_at,
    )
    .fetch_one(conn)
    .await?;
    Ok((saved.id, saved.is_new))
}

/// Keeps an episode's rendered intro (derived from `intro_md`, never edited).
pub async fn set_intro_html(
    conn: &mut SqliteConnection,
    episode_id: i64,
    html: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update episodes set intro_html = ? where id = ?",
        html,
        episode_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps a segment's rendered notes (derived from `notes_md`, never edited).
pub async fn set_notes_html(
    conn: &mut SqliteConnection,
    segment_id: i64,
    html: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update segments set notes_html = ? where id = ?",
        html,
        segment_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an episode's segments (their links and talk links cascade).
pub async fn delete_segments(conn: &mut SqliteConnection, episode_id: i64) -> sqlx::Result<()> {
    sqlx::query!("delete from segments where episode_id = ?", episode_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts one segment; returns its id.
pub async fn insert_segment(
    conn: &mut SqliteConnection,
    episode_id: i64,
    position: i64,
    segment: &SegmentDoc,
    person_id: Option<i64>,
) -> sqlx::Result<i64> {
    let kind = segment.kind.as_str();
    sqlx::query_scalar!(
        r#"insert into segments (episode_id, position, kind, person_id, credited_as, number, title, url, notes_md, notes_html, start_secs)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id as "id!""#,
        episode_id,
        position,
        kind,
        person_id,
        segment.credited_as,
        segment.number,
        segment.title,
        segment.url,
        segment.notes_md,
        segment.notes_html,
        segment.start_secs,
    )
    .fetch_one(conn)
    .await
}

/// An episode in the admin list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdminEpisodeRow {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub status: Status,
    pub published_at: Option<Timestamp>,
    pub publish_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    pub time_zone: String,
}

/// Every episode (or those with `status`), newest number first.
pub async fn admin_list(
    conn: &mut SqliteConnection,
    status: Option<Status>,
) -> sqlx::Result<Vec<AdminEpisodeRow>> {
    sqlx::query_as!(
        AdminEpisodeRow,
        r#"select id as "id!", number, title, status as "status: Status",
                published_at as "published_at: Timestamp", publish_at as "publish_at: Timestamp",
                updated_at as "updated_at: Timestamp", time_zone
         from episodes where ?1 is null or status = ?1 order by number desc"#,
        status,
    )
    .fetch_all(conn)
    .await
}

/// The number and version of episode `id`.
pub async fn number_and_version(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<(i64, i64)>> {
    let found = sqlx::query!("select number, version from episodes where id = ?", id)
        .fetch_optional(conn)
        .await?;
    Ok(found.map(|e| (e.number, e.version)))
}

/// Creates a draft with just its number and title; a taken number is a unique violation.
pub async fn insert_draft(
    conn: &mut SqliteConnection,
    number: i64,
    title: &str,
    guid: &str,
    now: &Timestamp,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into episodes (number, slug, title, status, guid, created_at, updated_at)
         values (?1, '', ?2, 'draft', ?3, ?4, ?4) returning id as "id!""#,
        number,
        title,
        guid,
        now,
    )
    .fetch_one(conn)
    .await
}

/// Updates the editable fields of episode `id` if it is still at `version`;
/// false when someone else saved first.
pub async fn update_if_version(
    conn: &mut SqliteConnection,
    id: i64,
    version: i64,
    doc: &EpisodeDoc,
    now: &Timestamp,
) -> sqlx::Result<bool> {
    let audio = doc.audio.as_ref();
    let (audio_url, audio_bytes) = (audio.map(|a| &a.url), audio.and_then(|a| a.bytes));
    let audio_type = audio.and_then(|a| a.mime_type.as_ref());
    let duration_secs = audio.and_then(|a| a.duration_secs);
    let done = sqlx::query!(
        "update episodes set number = ?1, slug = ?2, title = ?3, summary = ?4, intro_md = ?5, audio_url = ?6,
             audio_bytes = ?7, audio_type = ?8, duration_secs = ?9, video_url = ?10, intro_html = ?11,
             updated_at = ?12, version = version + 1,
             -- The same minute keeps the seconds the episode had (from a feed, say).
             published_at = case when ?15 is null or substr(published_at, 1, 16) = substr(?15, 1, 16)
                 then published_at else ?15 end
         where id = ?13 and version = ?14",
        doc.number,
        doc.slug,
        doc.title,
        doc.summary,
        doc.intro_md,
        audio_url,
        audio_bytes,
        audio_type,
        duration_secs,
        doc.video_url,
        doc.intro_html,
        now,
        id,
        version,
        doc.published_at,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets an episode's status (and the times that go with it), bumping its version.
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: i64,
    status: Status,
    publish_at: Option<Timestamp>,
    now: &Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update episodes set status = ?1, publish_at = ?2,
             published_at = case when ?1 = 'published' then coalesce(published_at, ?3) else published_at end,
             updated_at = ?3, version = version + 1
         where id = ?4",
        status,
        publish_at,
        now,
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes every scheduled episode whose time has come; returns their numbers.
pub async fn publish_due(
    conn: &mut SqliteConnection,
    now: &Timestamp,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let published = sqlx::query!(
        r#"update episodes set status = 'published', published_at = coalesce(published_at, publish_at),
             publish_at = null, version = version + 1, updated_at = ?1
         where status = 'scheduled' and publish_at <= ?1 returning id as "id!", number"#,
        now,
    )
    .fetch_all(conn)
    .await?;
    Ok(published.into_iter().map(|e| (e.id, e.number)).collect())
}

/// Where episode `id` stands: its status, when it goes (or went) public, and the time zone its
/// host dates it in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    pub status: Status,
    pub publish_at: Option<Timestamp>,
    pub published_at: Option<Timestamp>,
    pub time_zone: String,
}

/// Where episode `id` stands, if it exists.
pub async fn standing_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Standing>> {
    sqlx::query_as!(
        Standing,
        r#"select status as "status: Status", publish_at as "publish_at: Timestamp",
                published_at as "published_at: Timestamp", time_zone
         from episodes where id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Keeps the time zone the host dates episode `id` in.
pub async fn set_time_zone(conn: &mut SqliteConnection, id: i64, zone: &str) -> sqlx::Result<()> {
    sqlx::query!("update episodes set time_zone = ? where id = ?", zone, id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The number after the highest, and the intro of the episode with the highest number (empty
/// when there is none): where a new episode starts.
pub async fn next_number_and_last_intro(
    conn: &mut SqliteConnection,
) -> sqlx::Result<(i64, String)> {
    let last = sqlx::query!("select number, intro_md from episodes order by number desc limit 1")
        .fetch_optional(conn)
        .await?;
    Ok(last
        .map(|e| (e.number + 1, e.intro_md))
        .unwrap_or((1, String::new())))
}

/// An episode's number, title and how many segments it has: what deleting it takes away.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EpisodeOutline {
    pub number: i64,
    pub title: String,
    pub status: Status,
    pub segments: i64,
}

/// The number, title, status and segment count of episode `id`.
pub async fn outline_of(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<EpisodeOutline>> {
    sqlx::query_as!(
        EpisodeOutline,
        r#"select number, title, status as "status: Status",
                (select count(*) from segments where episode_id = e.id) as "segments!: i64"
         from episodes e where id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Deletes episode `id`; its segments, their links and talk links, and its rendered page go
/// with it (cascades). False when there was no such episode.
pub async fn delete_episode(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from episodes where id = ?", id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// When episode `id` was last saved.
pub async fn updated_at(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Timestamp>> {
    sqlx::query_scalar!(
        r#"select updated_at as "updated_at: Timestamp" from episodes where id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await
}
