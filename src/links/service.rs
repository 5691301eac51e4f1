//! What listeners see of the link registry. Knows nothing of the web: handlers turn
//! [`LinksError`] into responses.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use super::ranking::LinkRanking;
use super::store::{self, Coverage, CoveredLink};
use super::url_key::UrlKey;

/// Why a link request failed.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    /// No published episode covered that link.
    #[error("not found")]
    NotFound,
    /// The page number is not a positive whole number.
    #[error("page {0:?} is not a page number (1, 2, 3…)")]
    BadPage(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A link with the episodes that covered it.
#[derive(Serialize)]
pub struct LinkView {
    #[serde(flatten)]
    pub link: CoveredLink,
    pub episodes: Vec<Coverage>,
}

impl LinkView {
    /// The episodes that covered the link beyond those named.
    pub fn unnamed_episodes(&self) -> i64 {
        (self.link.episode_count - self.episodes.len() as i64).max(0)
    }
}

/// Links on a page.
pub const PER_PAGE: i64 = 50;

/// The episodes a page of links names under each link, newest first: a sponsor's link is in
/// every episode, and naming all of them made the first page of a 1,000-episode show 1.9 MB.
pub const EPISODES_PER_LINK: i64 = 5;

/// Where a page is among all of them.
#[derive(Debug, Clone, Serialize)]
pub struct Paging {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl Paging {
    /// The previous page's number, if any.
    pub fn previous(&self) -> Option<i64> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The next page's number, if any.
    pub fn next(&self) -> Option<i64> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

/// The page a `?page=` parameter names: 1 when absent.
pub fn page_number(typed: Option<&str>) -> Result<i64, LinksError> {
    match typed {
        None | Some("") => Ok(1),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| LinksError::BadPage(text.to_string())),
    }
}

/// Page `page` of the covered links, each with the episodes that covered it, as of content
/// version `version` (whose ranking `ranking` keeps).
pub async fn covered_page(
    db: &SqlitePool,
    ranking: &LinkRanking,
    version: i64,
    page: i64,
) -> Result<(Vec<LinkView>, Paging), LinksError> {
    let mut conn = db.acquire().await?;
    let ranked = ranking.under(version, &mut conn).await?;
    let total = ranked.len() as i64;
    let paging = Paging {
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        total,
    };
    let first = usize::try_from((page - 1) * PER_PAGE).unwrap_or(usize::MAX);
    let on_page: Vec<(i64, i64)> = ranked
        .iter()
        .skip(first)
        .take(PER_PAGE as usize)
        .copied()
        .collect();
    let ids: Vec<i64> = on_page.iter().map(|(id, _)| *id).collect();
    let mut rows: HashMap<i64, CoveredLink> = store::links_by_ids(&mut conn, &ids)
        .await?
        .into_iter()
        .map(|link| (link.id, link))
        .collect();
    let links = on_page
        .into_iter()
        .filter_map(|(id, episodes)| {
            let mut link = rows.remove(&id)?;
            link.episode_count = episodes;
            Some(link)
        })
        .collect();
    Ok((
        with_coverage(&mut conn, links, EPISODES_PER_LINK).await?,
        paging,
    ))
}

/// The link `url` is (matched by its key), with the episodes that covered it.
pub async fn link_by_url(db: &SqlitePool, url: &str) -> Result<LinkView, LinksError> {
    let mut conn = db.acquire().await?;
    let link = store::link_by_key(&mut conn, UrlKey::parse(url).as_str())
        .await?
        .ok_or(LinksError::NotFound)?;
    let mut views = with_coverage(&mut conn, vec![link], i64::MAX).await?;
    Ok(views.remove(0))
}

/// `links`, each with the newest `per_link` published episodes that covered it.
async fn with_coverage(
    conn: &mut SqliteConnection,
    links: Vec<CoveredLink>,
    per_link: i64,
) -> Result<Vec<LinkView>, LinksError> {
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    // One pass to group coverage by link, instead of scanning it once per link.
    let mut by_link: HashMap<i64, Vec<Coverage>> = HashMap::new();
    for row in store::coverage_of(conn, &ids, per_link).await? {
        by_link.entry(row.link_id).or_default().push(row);
    }
    Ok(links
        .into_iter()
        .map(|link| {
            let episodes = by_link.remove(&link.id).unwrap_or_default();
            LinkView { link, episodes }
        })
        .collect())
}
