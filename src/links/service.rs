//! What listeners see of the link registry. Knows nothing of the web: handlers turn
//! [`LinksError`] into responses.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use super::store::{self, Coverage, CoveredLink};
use super::url_key::UrlKey;

/// Why a link request failed.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    /// No published episode covered that link.
    #[error("not found")]
    NotFound,
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

const MOST_COVERED: i64 = 100;

/// The most-covered links, each with the episodes that covered it.
pub async fn most_covered(db: &SqlitePool) -> Result<Vec<LinkView>, LinksError> {
    let mut conn = db.acquire().await?;
    let links = store::most_covered(&mut conn, MOST_COVERED).await?;
    with_coverage(&mut conn, links).await
}

/// The link `url` is (matched by its key), with the episodes that covered it.
pub async fn link_by_url(db: &SqlitePool, url: &str) -> Result<LinkView, LinksError> {
    let mut conn = db.acquire().await?;
    let link = store::link_by_key(&mut conn, UrlKey::parse(url).as_str())
        .await?
        .ok_or(LinksError::NotFound)?;
    let mut views = with_coverage(&mut conn, vec![link]).await?;
    Ok(views.remove(0))
}

async fn with_coverage(
    conn: &mut SqliteConnection,
    links: Vec<CoveredLink>,
) -> Result<Vec<LinkView>, LinksError> {
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    // One pass to group coverage by link, instead of scanning it once per link.
    let mut by_link: HashMap<i64, Vec<Coverage>> = HashMap::new();
    for row in store::coverage_of(conn, &ids).await? {
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
