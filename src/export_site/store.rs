//! What the static copy's pages are made from, read as fingerprints: `--changed-since`
//! renders an episode's own pages again only when the rows they show moved.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use futures_util::TryStreamExt;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Row, SqliteConnection};

/// Every row an episode's own pages (its page, chapters, transcript files, digest page) show,
/// each with the id of its episode first. Rows shared between episodes (links, talks, their
/// events) are read through the episode that shows them, so a link retitled moves the
/// fingerprint of every episode citing it.
const PER_EPISODE: &[&str] = &[
    "select id, * from episodes",
    "select episode_id, * from segments",
    "select s.episode_id, sl.*, l.* from segment_links sl
     join segments s on s.id = sl.segment_id join links l on l.id = sl.link_id",
    "select s.episode_id, st.*, t.*, ev.* from segment_talks st
     join segments s on s.id = st.segment_id join talks t on t.id = st.talk_id
     join events ev on ev.id = t.event_id",
    "select e.id, g.* from published_guids g join episodes e on e.number = g.number",
    "select episode_id, * from transcripts",
    "select episode_id, * from transcript_cues",
    "select e.id, d.* from digests d join episodes e on e.number = d.episode_number",
    // The addresses that lead to the episode's page.
    "select episode_id, * from episode_old_slugs",
];

/// Tables no episode page reads beyond [`PER_EPISODE`]: those rows themselves, what is derived
/// from them (search indexes, stored renderings), pages that are rendered on every export
/// anyway (the talk catalog), and what listeners never see (accounts, subscribers, the
/// delivery queue, history, bookkeeping). Every other table, and any table added later, is
/// read into [`site_fingerprint`]: a change there renders every page again.
const NOT_SITE_WIDE: &[&str] = &[
    "episodes",
    "segments",
    "segment_links",
    "links",
    "segment_talks",
    "talks",
    "events",
    "talk_links",
    "talk_speakers",
    "published_guids",
    "transcripts",
    "transcript_cues",
    "digests",
    "episode_old_slugs",
    "episode_html",
    "search_deferred",
    "users",
    "sessions",
    "setup_tokens",
    "password_resets",
    "server_keys",
    "subscribers",
    "deliveries",
    "audit_log",
    "episode_revisions",
    "content_version",
    "_sqlx_migrations",
];

/// The published episodes in publication order, newest first: (number, id).
pub(super) async fn published_order(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        r#"select number, id as "id!" from episodes where status = 'published'
           order by published_at desc, number desc"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|row| (row.number, row.id)).collect())
}

/// Episode id → a hash of every row its own pages show.
pub(super) async fn episode_fingerprints(
    conn: &mut SqliteConnection,
) -> sqlx::Result<HashMap<i64, u64>> {
    let mut prints: HashMap<i64, u64> = HashMap::new();
    for (table, sql) in PER_EPISODE.iter().enumerate() {
        let mut rows = sqlx::query(sql).fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let episode: i64 = row.try_get(0)?;
            let print = prints.entry(episode).or_default();
            // Summed, so the order rows come in does not matter.
            *print = print.wrapping_add(row_hash(&row, table, 1)?);
        }
    }
    Ok(prints)
}

/// Each person's published episodes with a segment of theirs, newest first, as (the address of
/// their page, the episodes' ids): what the pages of `/hosts/{slug}` list.
pub(super) async fn presenters_episodes(
    conn: &mut SqliteConnection,
) -> sqlx::Result<Vec<(String, Vec<i64>)>> {
    let rows = sqlx::query_as::<_, (String, i64)>(
        "select distinct '/hosts/' || p.slug, e.id, e.published_at, e.number
         from segments s join people p on p.id = s.person_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         order by 1, e.published_at desc, e.number desc",
    )
    .fetch_all(conn)
    .await?;
    let mut lists: Vec<(String, Vec<i64>)> = Vec::new();
    for (path, episode) in rows {
        match lists.last_mut() {
            Some((last, episodes)) if *last == path => episodes.push(episode),
            _ => lists.push((path, vec![episode])),
        }
    }
    Ok(lists)
}

/// What a page of `/links` shows of each link: the link, and every published episode segment
/// citing it, each row with the link's id first.
const LINK_COVERAGE: &str = "select sl.link_id, l.url, l.url_key, l.title, e.number, e.slug,
        e.title, s.title
    from segment_links sl join links l on l.id = sl.link_id
    join segments s on s.id = sl.segment_id
    join episodes e on e.id = s.episode_id and e.status = 'published'";

/// A fingerprint of each page of `/links` (`per_page` links each, in the links' ranking):
/// the links on it, their counts, and all it shows of them.
pub(super) async fn link_page_prints(
    conn: &mut SqliteConnection,
    per_page: usize,
) -> sqlx::Result<Vec<u64>> {
    let ranking = crate::links::store::ranking(conn).await?;
    let mut shown: HashMap<i64, u64> = HashMap::with_capacity(ranking.len());
    let mut rows = sqlx::query(LINK_COVERAGE).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        let link: i64 = row.try_get(0)?;
        let print = shown.entry(link).or_default();
        *print = print.wrapping_add(row_hash(&row, 0, 1)?);
    }
    Ok(ranking
        .chunks(per_page.max(1))
        .map(|page| {
            let links: Vec<(i64, i64, u64)> = page
                .iter()
                .map(|(id, count)| (*id, *count, shown.get(id).copied().unwrap_or_default()))
                .collect();
            hasher().hash_one(links)
        })
        .collect())
}

/// A hash of every table some page of every episode reads (the show's settings, its people):
/// see [`NOT_SITE_WIDE`].
pub(super) async fn site_fingerprint(conn: &mut SqliteConnection) -> sqlx::Result<u64> {
    let tables = sqlx::query_scalar!(
        r#"select name as "name!" from sqlite_master
           where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%'
           order by name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut print = 0u64;
    for (index, table) in tables
        .iter()
        .filter(|table| !NOT_SITE_WIDE.contains(&table.as_str()))
        .enumerate()
    {
        // A table's name cannot be a bound parameter; this one comes from the schema itself.
        let sql = format!("select * from \"{}\"", table.replace('"', "\"\""));
        let mut rows = sqlx::query(&sql).fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            print = print.wrapping_add(row_hash(&row, index, 0)?);
        }
        print = print.wrapping_add(hasher().hash_one(table));
    }
    Ok(print)
}

/// Columns derived from others in the row (the stored renderings of `intro_md` and
/// `notes_md`), filled when first read: their source and the build say all they hold.
const DERIVED: &[&str] = &["intro_html", "notes_html"];

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0)
}

/// A hash of the columns of `row` from `first` on, and of the query it came from.
fn row_hash(row: &SqliteRow, query: usize, first: usize) -> sqlx::Result<u64> {
    let mut hasher = hasher().build_hasher();
    query.hash(&mut hasher);
    for (index, column) in row.columns().iter().enumerate().skip(first) {
        if DERIVED.contains(&column.name()) {
            continue;
        }
        // Any column as its bytes (SQLite gives numbers as their text), NULL as none.
        let value: Option<&[u8]> = row.try_get_unchecked(index)?;
        value.hash(&mut hasher);
    }
    Ok(hasher.finish())
}
