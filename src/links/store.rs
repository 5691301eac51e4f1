//! SQL for the link registry.

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

/// A link of a segment: where it goes, its key in the registry, and the segment's text for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SegmentLink {
    /// The episode of the segment (a link new to the registry is first covered there).
    pub episode: i64,
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

/// Links already registered in one transaction, by key: an import of many episodes that
/// share links registers each once. Forget it when the transaction or a savepoint rolls back.
#[derive(Debug, Default)]
pub struct KnownLinks {
    by_key: HashMap<String, i64>,
    /// Links attached but not written yet, when writing is deferred.
    deferred: Option<Vec<SegmentLink>>,
}

impl KnownLinks {
    /// Links attached from now on are written by [`KnownLinks::flush`]: a batch of episodes
    /// registers and attaches its links in two statements rather than two per episode.
    pub fn deferring() -> Self {
        Self {
            deferred: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Whether attached links wait for [`KnownLinks::flush`].
    pub fn defers(&self) -> bool {
        self.deferred.is_some()
    }

    /// Attaches `links` to their segments now, or at the next flush when deferring.
    pub async fn attach(
        &mut self,
        conn: &mut SqliteConnection,
        links: Vec<SegmentLink>,
    ) -> sqlx::Result<()> {
        match &mut self.deferred {
            Some(pending) => pending.extend(links),
            None => attach_all(conn, &links, self).await?,
        }
        Ok(())
    }

    /// Writes the links deferred so far.
    pub async fn flush(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let Some(pending) = self.deferred.as_mut() else {
            return Ok(());
        };
        let links = std::mem::take(pending);
        attach_all(conn, &links, self).await
    }
}

/// Registers `links` by key (first URL and text seen win, in order) and attaches each to its
/// segment: one statement for the keys `known` has not met yet, one for the attachments.
async fn attach_all(
    conn: &mut SqliteConnection,
    links: &[SegmentLink],
    known: &mut KnownLinks,
) -> sqlx::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    register(conn, links, known).await?;
    // Arrays rather than objects: SQLite reads a row's fields by index without their names.
    let attached: Vec<(i64, i64, i64, &str, &str)> = links
        .iter()
        .filter_map(|link| {
            let id = known.by_key.get(&link.key)?;
            let (text, url) = (link.text.as_str(), link.url.as_str());
            Some((link.segment, *id, link.position, text, url))
        })
        .collect();
    let attached = crate::db::json_param(&attached)?;
    sqlx::query!(
        "insert into segment_links (segment_id, link_id, position, text, url)
         select j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4
         from json_each(?) j",
        attached,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Learns the ids of the keys of `links` that `known` lacks, inserting those not registered
/// yet. (The no-op update on a conflict is what makes `returning` give existing rows too.)
async fn register(
    conn: &mut SqliteConnection,
    links: &[SegmentLink],
    known: &mut KnownLinks,
) -> sqlx::Result<()> {
    let mut met = HashSet::new();
    let mut unknown: Vec<(&str, &str, &str, i64)> = Vec::new();
    for link in links {
        if !known.by_key.contains_key(&link.key) && met.insert(link.key.as_str()) {
            let (url, key, text) = (link.url.as_str(), link.key.as_str(), link.text.as_str());
            unknown.push((url, key, text, link.episode));
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    let unknown = crate::db::json_param(&unknown)?;
    let ids = sqlx::query!(
        r#"insert into links (url, url_key, title, first_episode)
         select j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 from json_each(?) j
         where true order by j.key
         on conflict (url_key) do update set url_key = excluded.url_key
         returning id as "id!", url_key"#,
        unknown,
    )
    .fetch_all(conn)
    .await?;
    known
        .by_key
        .extend(ids.into_iter().map(|link| (link.url_key, link.id)));
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

/// Every link a published episode covered, most-covered first (then the most recently
/// covered): (link id, how many episodes covered it).
pub async fn ranking(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(i64, i64)>> {
    // Counted per link first, then ordered: a join of every link row before grouping took
    // twice as long. One row of JSON: each row read is a hand-off from the database's thread,
    // and an archive covers tens of thousands of links.
    let json = sqlx::query_scalar!(
        r#"with covered as (
               select sl.link_id, count(distinct s.episode_id) as episodes, max(e.number) as newest
               from segment_links sl join segments s on s.id = sl.segment_id
               join episodes e on e.id = s.episode_id and e.status = 'published'
               group by sl.link_id)
           select json_group_array(json_array(link_id, episodes)
                                   order by episodes desc, newest desc, link_id) as "ranked!: String"
           from covered"#
    )
    .fetch_one(conn)
    .await?;
    serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The links with these ids, with `episode_count` left 0 for the caller to fill.
pub async fn links_by_ids(
    conn: &mut SqliteConnection,
    link_ids: &[i64],
) -> sqlx::Result<Vec<CoveredLink>> {
    let ids = serde_json::to_string(link_ids).unwrap_or_else(|_| "[]".to_string());
    // json_each binds the whole id list as one parameter: no SQL built from values.
    sqlx::query_as!(
        CoveredLink,
        r#"select id as "id!", url, url_key, title, 0 as "episode_count!: i64"
           from links where id in (select value from json_each(?))"#,
        ids,
    )
    .fetch_all(conn)
    .await
}

/// The link with this key, if any published episode covered it.
pub async fn link_by_key(
    conn: &mut SqliteConnection,
    url_key: &str,
) -> sqlx::Result<Option<CoveredLink>> {
    sqlx::query_as!(
        CoveredLink,
        r#"select l.id as "id!", l.url, l.url_key, l.title,
                count(distinct s.episode_id) as "episode_count!: i64"
         from links l join segment_links sl on sl.link_id = l.id join segments s on s.id = sl.segment_id
         join episodes e on e.id = s.episode_id and e.status = 'published'
         where l.url_key = ? group by l.id"#,
        url_key,
    )
    .fetch_optional(conn)
    .await
}

/// The published episodes that covered any of `link_ids`, newest first, at most `per_link` of
/// them for each link.
pub async fn coverage_of(
    conn: &mut SqliteConnection,
    link_ids: &[i64],
    per_link: i64,
) -> sqlx::Result<Vec<Coverage>> {
    if link_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(link_ids).unwrap_or_else(|_| "[]".to_string());
    // json_each binds the whole id list as one parameter: no SQL built from values.
    sqlx::query_as!(
        Coverage,
        r#"select link_id as "link_id!", number as "number!", slug as "slug!", title as "title!",
                segment_title as "segment_title!: String"
         from (select sl.link_id, e.number, e.slug, e.title, min(s.title) as segment_title,
                      row_number() over (partition by sl.link_id order by e.number desc) as nth
               from segment_links sl join segments s on s.id = sl.segment_id
               join episodes e on e.id = s.episode_id and e.status = 'published'
               where sl.link_id in (select value from json_each(?1))
               group by sl.link_id, e.id)
         where nth <= ?2 order by link_id, number desc"#,
        ids,
        per_link,
    )
    .fetch_all(conn)
    .await
}

/// An episode (draft or not) that covered a link, for the editor's "already covered" hint.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct CoveringEpisode {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub status: String,
}

/// The ten newest episodes, drafts included, whose segments link to `url_key`.
pub async fn episodes_covering(
    conn: &mut SqliteConnection,
    url_key: &str,
) -> sqlx::Result<Vec<CoveringEpisode>> {
    sqlx::query_as!(
        CoveringEpisode,
        r#"select distinct e.id as "id!", e.number, e.title, e.status
         from links l join segment_links sl on sl.link_id = l.id
         join segments s on s.id = sl.segment_id join episodes e on e.id = s.episode_id
         where l.url_key = ? order by e.number desc limit 10"#,
        url_key,
    )
    .fetch_all(conn)
    .await
}

/// A link key another episode covered, and that episode.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyCoveredBy {
    pub url_key: String,
    pub id: i64,
    pub number: i64,
    pub title: String,
}

/// For each of `url_keys`, the episodes other than `except_episode` (drafts too) whose
/// segments link to it, newest number first; in one query.
pub async fn keys_covered_elsewhere(
    conn: &mut SqliteConnection,
    url_keys: &[String],
    except_episode: i64,
) -> sqlx::Result<Vec<KeyCoveredBy>> {
    if url_keys.is_empty() {
        return Ok(Vec::new());
    }
    let url_keys = crate::db::json_param(url_keys)?;
    sqlx::query_as!(
        KeyCoveredBy,
        r#"select distinct l.url_key, e.id as "id!", e.number, e.title from links l
         join segment_links sl on sl.link_id = l.id join segments s on s.id = sl.segment_id
         join episodes e on e.id = s.episode_id
         where l.url_key in (select value from json_each(?1)) and e.id <> ?2
         order by e.number desc"#,
        url_keys,
        except_episode,
    )
    .fetch_all(conn)
    .await
}
