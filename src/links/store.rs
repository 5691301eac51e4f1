//! SQL for the link registry.

use sqlx::SqliteConnection;

/// A link of a segment: where it goes, its key in the registry, and the segment's text for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SegmentLink {
    /// The segment it belongs to.
    pub segment: i64,
    /// Its place among the segment's links, from 1.
    pub position: i64,
    /// The URL as written.
    pub url: String,
    /// The normalized key (see [`crate::links::UrlKey`]).
    pub key: String,
    /// The link text.
    pub text: String,
}

/// Registers `links` by key (first URL and text seen win, in order) and
/// attaches each to its segment, in two statements however many links.
pub async fn attach_all(
    conn: &mut SqliteConnection,
    episode_id: i64,
    links: &[SegmentLink],
) -> sqlx::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let rows = crate::db::json_param(links)?;
    // `where true` keeps `on conflict` from reading as a join constraint (SQLite's upsert syntax).
    sqlx::query(
        "insert into links (url, url_key, title, first_episode)
         select j.value ->> 'url', j.value ->> 'key', j.value ->> 'text', ?2 from json_each(?1) j
         where true order by j.key
         on conflict (url_key) do nothing",
    )
    .bind(&rows)
    .bind(episode_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into segment_links (segment_id, link_id, position, text)
         select j.value ->> 'segment', l.id, j.value ->> 'position', j.value ->> 'text'
         from json_each(?) j join links l on l.url_key = j.value ->> 'key'",
    )
    .bind(&rows)
    .execute(conn)
    .await?;
    Ok(())
}

/// A link with how many published episodes covered it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CoveredLink {
    #[serde(skip)]
    pub id: i64,
    pub url: String,
    pub url_key: String,
    pub title: String,
    pub episode_count: i64,
}

/// An episode that covered a link.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Coverage {
    #[serde(skip)]
    pub link_id: i64,
    pub number: i64,
    pub slug: String,
    pub title: String,
    pub segment_title: String,
}

/// The links covered by the most published episodes.
pub async fn most_covered(
    conn: &mut SqliteConnection,
    limit: i64,
) -> sqlx::Result<Vec<CoveredLink>> {
    sqlx::query_as(
        "select l.id, l.url, l.url_key, l.title, count(distinct s.episode_id) as episode_count
         from links l join segment_links sl on sl.link_id = l.id join segments s on s.id = sl.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         group by l.id order by episode_count desc, l.id limit ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The link with this key, if any published episode covered it.
pub async fn link_by_key(
    conn: &mut SqliteConnection,
    url_key: &str,
) -> sqlx::Result<Option<CoveredLink>> {
    sqlx::query_as(
        "select l.id, l.url, l.url_key, l.title, count(distinct s.episode_id) as episode_count
         from links l join segment_links sl on sl.link_id = l.id join segments s on s.id = sl.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         where l.url_key = ? group by l.id",
    )
    .bind(url_key)
    .fetch_optional(conn)
    .await
}

/// The published episodes that covered any of `link_ids`, newest first.
pub async fn coverage_of(
    conn: &mut SqliteConnection,
    link_ids: &[i64],
) -> sqlx::Result<Vec<Coverage>> {
    if link_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(link_ids).unwrap_or_else(|_| "[]".to_string());
    // json_each binds the whole id list as one parameter: no SQL built from values.
    sqlx::query_as(
        "select sl.link_id, e.number, e.slug, e.title, min(s.title) as segment_title
         from segment_links sl join segments s on s.id = sl.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         where sl.link_id in (select value from json_each(?))
         group by sl.link_id, e.id order by sl.link_id, e.number desc",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}
