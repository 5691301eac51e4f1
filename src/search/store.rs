//! SQL for search. Each group ranks its matches first and only then builds snippets, so a common
//! word costs one ranking pass, not one snippet per match.

use sqlx::SqliteConnection;

use super::query::{MARK_END, MARK_START};

/// One search hit as SQL returns it, titles and snippets still carrying match markers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HitRow {
    pub kind: String,
    pub title: String,
    pub snippet: String,
    pub href: String,
    pub context: String,
    pub context_href: Option<String>,
}

/// Drafts never match: episodes and segments must belong to a published episode.
const EPISODE_HITS: &str = "
    select 'episode' as kind, episodes_fts.rowid as id, bm25(episodes_fts, 10.0, 1.0) as score
    from episodes_fts join episodes e on e.id = episodes_fts.rowid
    where episodes_fts match ?1 and e.status = 'published'
    union all
    select 'segment', segments_fts.rowid, bm25(segments_fts, 10.0, 1.0)
    from segments_fts join segments s on s.id = segments_fts.rowid
    join episodes e on e.id = s.episode_id
    where segments_fts match ?1 and e.status = 'published'";

/// Episodes and segments, best first.
pub async fn episode_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with hits as ({EPISODE_HITS} order by score, id limit ?2 offset ?3)
         select h.kind, h.score, highlight(episodes_fts, 0, ?4, ?5) as title,
                snippet(episodes_fts, 1, ?4, ?5, '…', 24) as snippet,
                '/episodes/' || e.number || '/' || e.slug as href,
                'Episode ' || e.number as context, null as context_href
         from hits h join episodes_fts on episodes_fts.rowid = h.id join episodes e on e.id = h.id
         where h.kind = 'episode' and episodes_fts match ?1
         union all
         select h.kind, h.score, highlight(segments_fts, 0, ?4, ?5),
                snippet(segments_fts, 1, ?4, ?5, '…', 24),
                '/episodes/' || e.number || '/' || e.slug || '#segment-' || s.position,
                'Episode ' || e.number || ': ' || e.title, '/episodes/' || e.number || '/' || e.slug
         from hits h join segments_fts on segments_fts.rowid = h.id join segments s on s.id = h.id
         join episodes e on e.id = s.episode_id
         where h.kind = 'segment' and segments_fts match ?1
         order by 2"
    );
    hits(conn, &sql, query, limit, offset).await
}

/// How many episodes and segments match.
pub async fn episode_count(conn: &mut SqliteConnection, query: &str) -> sqlx::Result<i64> {
    count(
        conn,
        &format!("select count(*) from ({EPISODE_HITS})"),
        query,
    )
    .await
}

const TALK_HITS: &str = "select rowid as id, rank as score from talks_fts where talks_fts match ?1";

/// Talks, best first (title, then speakers, then description).
pub async fn talk_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with hits as ({TALK_HITS} order by rank limit ?2 offset ?3)
         select 'talk' as kind, h.score, highlight(talks_fts, 0, ?4, ?5) as title,
                snippet(talks_fts, -1, ?4, ?5, '…', 24) as snippet,
                '/talks/' || ev.slug || '/' || t.slug as href,
                ev.title || coalesce(' · ' || nullif(talks_fts.speakers, ''), '') as context,
                '/talks/' || ev.slug as context_href
         from hits h join talks_fts on talks_fts.rowid = h.id join talks t on t.id = h.id
         join events ev on ev.id = t.event_id
         where talks_fts match ?1 order by h.score"
    );
    hits(conn, &sql, query, limit, offset).await
}

/// How many talks match.
pub async fn talk_count(conn: &mut SqliteConnection, query: &str) -> sqlx::Result<i64> {
    count(conn, &format!("select count(*) from ({TALK_HITS})"), query).await
}

/// A link counts only once a published episode covers it: drafts' links stay hidden.
const LINK_HITS: &str = "
    select links_fts.rowid as id, bm25(links_fts, 10.0, 1.0) as score
    from links_fts where links_fts match ?1 and exists (
        select 1 from segment_links sl join segments s on s.id = sl.segment_id
        join episodes e on e.id = s.episode_id
        where sl.link_id = links_fts.rowid and e.status = 'published')";

/// Links from the notes, best first, each with the newest episode that covered it.
pub async fn link_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with hits as ({LINK_HITS} order by score, id limit ?2 offset ?3),
         covered as (
            select h.id, max(e.number) as number from hits h
            join segment_links sl on sl.link_id = h.id join segments s on s.id = sl.segment_id
            join episodes e on e.id = s.episode_id and e.status = 'published' group by h.id)
         select 'link' as kind, h.score, highlight(links_fts, 0, ?4, ?5) as title,
                highlight(links_fts, 1, ?4, ?5) as snippet, l.url as href,
                'Episode ' || e.number as context, '/episodes/' || e.number || '/' || e.slug as context_href
         from hits h join links_fts on links_fts.rowid = h.id join links l on l.id = h.id
         join covered c on c.id = h.id join episodes e on e.number = c.number
         where links_fts match ?1 order by h.score"
    );
    hits(conn, &sql, query, limit, offset).await
}

/// How many links match.
pub async fn link_count(conn: &mut SqliteConnection, query: &str) -> sqlx::Result<i64> {
    count(conn, &format!("select count(*) from ({LINK_HITS})"), query).await
}

async fn hits(
    conn: &mut SqliteConnection,
    sql: &str,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    sqlx::query_as(sql)
        .bind(query)
        .bind(limit)
        .bind(offset)
        .bind(MARK_START)
        .bind(MARK_END)
        .fetch_all(conn)
        .await
}

async fn count(conn: &mut SqliteConnection, sql: &str, query: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(sql).bind(query).fetch_one(conn).await
}
