//! SQL for the feeds. Every list comes from a fixed number of queries, however many items.

use sqlx::SqliteConnection;

use crate::clock::Timestamp;
use crate::episodes::store::SegmentRow;

/// A published episode as the feeds list it, with its cached notes HTML when still valid.
#[derive(Debug, Clone, Hash, serde::Deserialize)]
pub struct FeedRow {
    pub id: i64,
    pub number: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub guid: String,
    pub published_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    pub audio_url: Option<String>,
    pub audio_bytes: Option<i64>,
    pub audio_type: Option<String>,
    pub duration_secs: Option<i64>,
    pub image_url: Option<String>,
    pub has_chapters: bool,
    /// Whether a transcript is attached (`podcast:transcript`).
    pub has_transcript: bool,
    /// The stamp of the stored notes rendering, when one is still valid.
    pub stamp: Option<i64>,
}

/// Someone who presented a segment of a feed episode.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PersonRow {
    pub episode_id: i64,
    pub slug: String,
    pub name: String,
    pub avatar: String,
    pub is_guest: bool,
}

/// A segment with a start time.
#[derive(Debug, Clone)]
pub struct ChapterRow {
    pub kind: String,
    pub title: String,
    pub url: Option<String>,
    pub start_secs: i64,
}

/// A talk as its feed item needs it.
#[derive(Debug, Clone)]
pub struct TalkRow {
    pub event: String,
    pub event_title: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub recorded: Option<String>,
    pub tags_json: String,
    pub speakers: String,
}

/// One address of the sitemap, with its last change when known.
#[derive(Debug, Clone)]
pub struct SitemapRow {
    pub path: String,
    pub lastmod: Option<String>,
}

/// Published episodes, newest first, with the stamp of their notes rendered by `renderer` (if any).
/// `person_id` limits the list to episodes where that person presented something.
pub async fn feed_rows(
    conn: &mut SqliteConnection,
    renderer: &str,
    person_id: Option<i64>,
) -> sqlx::Result<Vec<FeedRow>> {
    let json = sqlx::query_scalar!(
        r#"select json_group_array(json_array(e.id, e.number, e.slug, e.title, e.summary, e.guid,
                e.published_at, e.updated_at, e.audio_url, e.audio_bytes, e.audio_type,
                e.duration_secs, e.image_url,
                json(iif(exists (select 1 from segments c
                                 where c.episode_id = e.id and c.start_secs is not null),
                         'true', 'false')),
                json(iif(exists (select 1 from transcripts t where t.episode_id = e.id),
                         'true', 'false')),
                h.stamp) order by e.published_at desc, e.number desc) as "rows!: String"
         from episodes e
         -- The index holds the stamp: the table's rows start pages of notes the feed skips.
         left join episode_html h indexed by episode_html_stamp
             on h.episode_id = e.id and h.renderer = ?1
         where e.status = 'published' and (?2 is null or e.id in
             (select episode_id from segments where person_id = ?2))"#,
        renderer,
        person_id,
    )
    .fetch_one(conn)
    .await?;
    json_rows(&json)
}

/// The presenters of every feed episode, each once per episode, in order of appearance;
/// `person_id` limits them to episodes where that person presented something.
pub async fn feed_persons(
    conn: &mut SqliteConnection,
    person_id: Option<i64>,
) -> sqlx::Result<Vec<PersonRow>> {
    let json = sqlx::query_scalar!(
        r#"select json_group_array(json_array(episode_id, slug, name, avatar,
                json(iif(is_guest, 'true', 'false'))) order by episode_id, first) as "rows!: String"
         from (select s.episode_id, p.slug, p.name, p.avatar, p.is_guest, min(s.position) as first
               from segments s join people p on p.id = s.person_id
               join episodes e on e.id = s.episode_id
               where e.status = 'published' and (?1 is null or e.id in
                   (select episode_id from segments where person_id = ?1))
               group by s.episode_id, p.id)"#,
        person_id,
    )
    .fetch_one(conn)
    .await?;
    json_rows(&json)
}

/// Rows gathered by SQLite into one JSON array of arrays (in the fields' order): a thousand
/// rows cross from the database thread as one value instead of fourteen thousand.
fn json_rows<T: serde::de::DeserializeOwned>(json: &str) -> sqlx::Result<Vec<T>> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The intros of the published episodes among `ids`, as (id, intro_md, intro_html when
/// rendered).
pub async fn published_intros(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, String, Option<String>)>> {
    let ids = crate::db::json_param(ids)?;
    let intros = sqlx::query!(
        r#"select id as "id!", intro_md, intro_html from episodes
           where status = 'published' and id in (select value from json_each(?))"#,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(intros
        .into_iter()
        .map(|i| (i.id, i.intro_md, i.intro_html))
        .collect())
}

/// The segments of the given episodes, in order.
pub async fn segments_of(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<SegmentRow>> {
    let ids = crate::db::json_param(ids)?;
    // `query!`, not `query_as!`: the feeds do not select the segment's `credited_as`.
    let segments = sqlx::query!(
        r#"select s.id as "id!", s.episode_id, s.position, s.kind, s.number, s.title, s.url,
                -- The markdown only where no rendering is stored: it is rendered from then.
                iif(s.notes_html is null, s.notes_md, '') as "notes_md!: String", s.notes_html,
                s.start_secs, p.slug as "person_slug?", p.name as "person_name?",
                p.is_guest as "person_is_guest?: bool"
         from segments s left join people p on p.id = s.person_id
         where s.episode_id in (select value from json_each(?)) order by s.episode_id, s.position"#,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(segments
        .into_iter()
        .map(|s| SegmentRow {
            id: s.id,
            episode_id: s.episode_id,
            position: s.position,
            kind: s.kind,
            number: s.number,
            title: s.title,
            url: s.url,
            notes_md: s.notes_md,
            notes_html: s.notes_html,
            start_secs: s.start_secs,
            credited_as: None,
            person_slug: s.person_slug,
            person_name: s.person_name,
            person_is_guest: s.person_is_guest,
        })
        .collect())
}

/// Stored notes renderings of the given episodes: (id, html).
pub async fn stored_html(
    conn: &mut SqliteConnection,
    renderer: &str,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, String)>> {
    let ids = crate::db::json_param(ids)?;
    let stored = sqlx::query!(
        r#"select episode_id as "episode_id!", html from episode_html
           where renderer = ? and episode_id in (select value from json_each(?))"#,
        renderer,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(stored.into_iter().map(|h| (h.episode_id, h.html)).collect())
}

/// The published episodes with no notes rendering stored by `renderer`.
pub async fn published_without_html(
    conn: &mut SqliteConnection,
    renderer: &str,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select e.id as "id!" from episodes e
         where e.status = 'published' and not exists
             (select 1 from episode_html h indexed by episode_html_stamp
              where h.episode_id = e.id and h.renderer = ?)"#,
        renderer,
    )
    .fetch_all(conn)
    .await
}

/// Rows of rendered notes written per statement: a statement's parameters stay well under
/// SQLite's limit (32,766).
const HTML_ROWS_PER_STATEMENT: usize = 500;

/// Stores rendered notes, `rows` being (episode id, stamp, html), a few statements for all.
/// The HTML is bound as it is: a whole archive's notes (megabytes) as one JSON parameter
/// cost more to encode and decode than to write.
pub async fn save_html(
    conn: &mut SqliteConnection,
    renderer: &str,
    rows: &[(i64, i64, &str)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(HTML_ROWS_PER_STATEMENT) {
        // Unchecked: the number of `values` rows, hence the SQL, depends on the chunk.
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "insert or replace into episode_html (episode_id, renderer, stamp, html) ",
        );
        insert.push_values(chunk, |mut row, (id, stamp, html)| {
            row.push_bind(*id)
                .push_bind(renderer)
                .push_bind(*stamp)
                .push_bind(*html);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The id of the published episode numbered `number`.
pub async fn published_episode_id(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"select id as "id!" from episodes where number = ? and status = 'published'"#,
        number,
    )
    .fetch_optional(conn)
    .await
}

/// The segments of an episode that have a start time, in playing order.
pub async fn chapters_of(
    conn: &mut SqliteConnection,
    episode_id: i64,
) -> sqlx::Result<Vec<ChapterRow>> {
    sqlx::query_as!(
        ChapterRow,
        r#"select kind, title, url, start_secs as "start_secs!" from segments
           where episode_id = ? and start_secs is not null order by start_secs, position"#,
        episode_id,
    )
    .fetch_all(conn)
    .await
}

/// The id and name of the person with this slug.
pub async fn person(
    conn: &mut SqliteConnection,
    slug: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    let person = sqlx::query!(
        r#"select id as "id!", name from public_people where slug = ?"#,
        slug
    )
    .fetch_optional(conn)
    .await?;
    Ok(person.map(|p| (p.id, p.name)))
}

/// The title of the event with this slug, while it holds a public talk.
pub async fn event_title(conn: &mut SqliteConnection, slug: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select title from events e where slug = ? and exists (select 1 from public_talks t where t.event_id = e.id)",
        slug,
    )
    .fetch_optional(conn)
    .await
}

/// Talks, most recently recorded first; only those of `event` when given.
pub async fn talks(
    conn: &mut SqliteConnection,
    event: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<TalkRow>> {
    sqlx::query_as!(
        TalkRow,
        r#"select e.slug as event, e.title as event_title, t.slug, t.title, t.description, t.recorded,
                t.tags_json,
                coalesce((select group_concat(p.name, ', ') from talk_speakers ts
                          join people p on p.id = ts.person_id where ts.talk_id = t.id), '') as "speakers!: String"
         from public_talks t join events e on e.id = t.event_id
         where ?1 is null or e.slug = ?1
         order by t.recorded desc nulls last, t.id desc limit ?2"#,
        event,
        limit,
    )
    .fetch_all(conn)
    .await
}

/// Every public address but the tags': episodes, the people who presented in a published
/// episode or spoke in a talk listeners see, events and those talks.
pub async fn sitemap(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<SitemapRow>> {
    sqlx::query_as!(
        SitemapRow,
        r#"select '/episodes/' || number || '/' || slug as "path!: String", updated_at as "lastmod?: String"
             from episodes where status = 'published'
         union all
         select '/hosts/' || p.slug, null from people p
             where exists (select 1 from segments s join episodes e on e.id = s.episode_id
                           where s.person_id = p.id and e.status = 'published')
                or exists (select 1 from talk_speakers ts join public_talks t on t.id = ts.talk_id
                           where ts.person_id = p.id)
         union all
         select '/talks/' || slug, null from events e
             where exists (select 1 from public_talks t where t.event_id = e.id)
         union all
         select '/talks/' || e.slug || '/' || t.slug, null from public_talks t join events e on e.id = t.event_id
         limit ?"#,
        limit,
    )
    .fetch_all(conn)
    .await
}

/// Published episodes whose guid differs from one they were published with: (number, old guid).
pub async fn changed_guids(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(i64, String)>> {
    let changed = sqlx::query!(
        "select g.number, g.guid from published_guids g
         join episodes e on e.number = g.number and e.status = 'published'
         where g.guid <> e.guid order by g.first_seen"
    )
    .fetch_all(conn)
    .await?;
    Ok(changed.into_iter().map(|g| (g.number, g.guid)).collect())
}
