//! SQL for search, one query per group.
//!
//! Ranking every match of a common word costs one to two microseconds a row, so each index ranks
//! only its newest [`CANDIDATES`] matches (FTS5 walks them in rowid order and stops): a word in
//! 20,000 talks costs no more than one in 1,000. Snippets are built for the page's hits only.
//! A segment's episode comes from the `segments_episode` index (`indexed by`, in a fixed join
//! order): its rows start pages of notes, and a thousand of those are most of a query's time.

use sqlx::{SqliteConnection, SqlitePool};

use super::query::{MARK_END, MARK_START};

/// Matches ranked per index; totals and paging stop here. 200 keeps a search of a common word
/// across 20,000 talks and 1,000 episodes within 5 ms on two cores; more precise words match fewer.
pub const CANDIDATES: i64 = 200;

/// One search hit as SQL returns it, titles and snippets still carrying match markers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HitRow {
    pub kind: String,
    pub title: String,
    pub snippet: String,
    pub href: String,
    pub context: String,
    pub context_href: Option<String>,
    /// How many ranked matches the group has (the same on every row).
    pub total: i64,
}

/// The newest matches of one FTS5 index, with their bm25 score (titles weigh more).
fn candidates(table: &str, weights: &str) -> String {
    format!(
        "select rowid as id, bm25({table}, {weights}) as score from {table}
         where {table} match ?1 order by rowid desc limit {CANDIDATES}"
    )
}

/// A group's ranked page: `cand` (kind, id, score) sorted, with the group's total.
const PAGE: &str = "hits as (select kind, id, score, count(*) over () as total from cand
     order by score, id limit ?2 offset ?3)";

/// Episodes, segments and transcripts, best first. Drafts never match: each must be in a
/// published episode. A transcript hit links to the transcript on the episode's page.
pub async fn episode_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with cand as (
            select 'episode' as kind, c.id, c.score from ({episodes}) c
            join episodes e on e.id = c.id where e.status = 'published'
            union all
            select 'segment', c.id, c.score from ({segments}) c
            cross join segments s indexed by segments_episode on s.id = c.id
            cross join episodes e on e.id = s.episode_id
            where e.status = 'published'
            union all
            select 'transcript', c.id, c.score from ({transcripts}) c
            join episodes e on e.id = c.id where e.status = 'published'),
         {PAGE}
         select h.kind, h.score, h.total, highlight(episodes_fts, 0, ?4, ?5) as title,
                snippet(episodes_fts, 1, ?4, ?5, '…', 24) as snippet,
                '/episodes/' || e.number || '/' || e.slug as href,
                'Episode ' || e.number as context, null as context_href
         from hits h cross join episodes_fts on episodes_fts.rowid = h.id
         join episodes e on e.id = h.id
         where h.kind = 'episode' and episodes_fts match ?1
         union all
         select h.kind, h.score, h.total, highlight(segments_fts, 0, ?4, ?5),
                snippet(segments_fts, 1, ?4, ?5, '…', 24),
                '/episodes/' || e.number || '/' || e.slug || '#segment-' || s.position,
                'Episode ' || e.number || ': ' || e.title, '/episodes/' || e.number || '/' || e.slug
         from hits h cross join segments_fts on segments_fts.rowid = h.id
         join segments s on s.id = h.id join episodes e on e.id = s.episode_id
         where h.kind = 'segment' and segments_fts match ?1
         union all
         select h.kind, h.score, h.total, e.title,
                snippet(transcripts_fts, 0, ?4, ?5, '…', 24),
                '/episodes/' || e.number || '/' || e.slug || '#transcript',
                'Episode ' || e.number || ' · in the transcript', '/episodes/' || e.number || '/' || e.slug
         from hits h cross join transcripts_fts on transcripts_fts.rowid = h.id
         join episodes e on e.id = h.id
         where h.kind = 'transcript' and transcripts_fts match ?1
         order by 2",
        episodes = candidates("episodes_fts", "10.0, 1.0"),
        segments = candidates("segments_fts", "10.0, 1.0"),
        transcripts = candidates("transcripts_fts", "1.0"),
    );
    hits(conn, &sql, query, limit, offset).await
}

/// Talks listeners see, best first (title, then speakers, then description). The snippet is
/// from the description: the title is shown already, and the speakers in the context.
pub async fn talk_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with cand as (select 'talk' as kind, c.id, c.score from ({talks}) c
             where exists (select 1 from public_talks t where t.id = c.id)),
         {PAGE}
         select h.kind, h.score, h.total, highlight(talks_fts, 0, ?4, ?5) as title,
                snippet(talks_fts, 2, ?4, ?5, '…', 24) as snippet,
                '/talks/' || ev.slug || '/' || t.slug as href,
                ev.title || coalesce(' · ' || nullif(talks_fts.speakers, ''), '') as context,
                '/talks/' || ev.slug as context_href
         from hits h cross join talks_fts on talks_fts.rowid = h.id
         join talks t on t.id = h.id join events ev on ev.id = t.event_id
         where talks_fts match ?1 order by h.score",
        talks = candidates("talks_fts", "10.0, 5.0, 1.0"),
    );
    hits(conn, &sql, query, limit, offset).await
}

/// Links from the notes, best first, each with a published episode that covered it; a link
/// only a draft covers stays hidden. (`exists` and `limit 1` stop at the first covering
/// segment: a link in every episode costs no more than one in a single episode.)
pub async fn link_hits(
    conn: &mut SqliteConnection,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    let sql = format!(
        "with cand as (
            select 'link' as kind, c.id, c.score from ({links}) c where exists ({COVERING_EPISODE} limit 1)),
         {PAGE},
         shown as (select c.*, ({COVERING_EPISODE} limit 1) as episode_id from hits c)
         select h.kind, h.score, h.total, highlight(links_fts, 0, ?4, ?5) as title,
                highlight(links_fts, 1, ?4, ?5) as snippet, l.url as href,
                'Episode ' || e.number as context, '/episodes/' || e.number || '/' || e.slug as context_href
         from shown h cross join links_fts on links_fts.rowid = h.id
         join links l on l.id = h.id join episodes e on e.id = h.episode_id
         where links_fts match ?1 order by h.score",
        links = candidates("links_fts", "10.0, 1.0"),
    );
    hits(conn, &sql, query, limit, offset).await
}

/// The published episodes that link to candidate `c`.
const COVERING_EPISODE: &str = "select e.id from segment_links sl
     cross join segments s indexed by segments_episode on s.id = sl.segment_id
     cross join episodes e on e.id = s.episode_id where sl.link_id = c.id and e.status = 'published'";

async fn hits(
    conn: &mut SqliteConnection,
    sql: &str,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    // Unchecked: the caller chooses the statement (which index, which filters).
    sqlx::query_as(sql)
        .bind(query)
        .bind(limit)
        .bind(offset)
        .bind(MARK_START)
        .bind(MARK_END)
        .fetch_all(conn)
        .await
}

/// Merges the full-text index `index` (a fixed name, never input) into one segment.
pub async fn optimize(db: &SqlitePool, index: &str) -> sqlx::Result<()> {
    // Unchecked: the index is named at run time.
    sqlx::query(&format!(
        "insert into {index} ({index}) values ('optimize')"
    ))
    .execute(db)
    .await?;
    Ok(())
}

/// One entry of the static copy's search index.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub kind: String,
    pub title: String,
    pub href: String,
    pub context: String,
}

/// What listeners can find by title: published episodes and their titled segments, newest
/// first, then the public talks with their event and speakers.
pub async fn static_index(conn: &mut SqliteConnection) -> sqlx::Result<Vec<IndexRow>> {
    sqlx::query_as!(
        IndexRow,
        r#"select kind as "kind!: String", title as "title!: String", href as "href!: String",
                context as "context!: String" from (
            select 'episode' as kind, e.title, '/episodes/' || e.number || '/' || e.slug as href,
                   'Episode ' || e.number as context, e.number as n, -1 as position
            from episodes e where e.status = 'published'
            union all
            select 'segment', s.title,
                   '/episodes/' || e.number || '/' || e.slug || '#segment-' || s.position,
                   'Episode ' || e.number || ': ' || e.title, e.number, s.position
            from segments s join episodes e on e.id = s.episode_id
            where e.status = 'published' and s.title <> ''
            union all
            select 'talk', t.title, '/talks/' || ev.slug || '/' || t.slug,
                   ev.title || coalesce(' · ' || nullif(f.speakers, ''), ''), null, null
            from public_talks t join events ev on ev.id = t.event_id
            left join talks_fts f on f.rowid = t.id)
         order by n desc nulls last, position, href"#
    )
    .fetch_all(conn)
    .await
}
