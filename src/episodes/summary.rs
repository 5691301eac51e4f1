//! Episode summaries for lists: number, title, date, hosts, topic titles.

use serde::Serialize;
use sqlx::SqlitePool;

use super::model::{PersonRef, SegmentKind};
use super::store;
use super::view::format_date;
use crate::clock::Timestamp;
use crate::error::Result;

/// Episodes per list page.
pub const PER_PAGE: i64 = 20;

/// One episode in a list.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeSummary {
    pub number: i64,
    pub slug: String,
    pub title: String,
    pub published_at: Option<Timestamp>,
    #[serde(skip)]
    pub date: String,
    pub summary: String,
    pub hosts: Vec<PersonRef>,
    pub topics: Vec<String>,
}

pub use crate::paging::Paging;

/// Page `page` of published episodes, newest first, in three queries whatever the page size.
pub async fn summaries_page(db: &SqlitePool, page: i64) -> Result<(Vec<EpisodeSummary>, Paging)> {
    let mut conn = db.acquire().await?;
    let offset = (page - 1) * PER_PAGE;
    let rows = store::published_page(&mut conn, PER_PAGE, offset).await?;
    let segments = store::segments_of_page(&mut conn, PER_PAGE, offset).await?;
    let total = store::published_count(&mut conn).await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut summaries: Vec<EpisodeSummary> = rows
        .into_iter()
        .map(|row| EpisodeSummary {
            date: format_date(row.published_at),
            number: row.number,
            slug: row.slug,
            title: row.title,
            published_at: row.published_at,
            summary: row.summary,
            hosts: Vec::new(),
            topics: Vec::new(),
        })
        .collect();
    for segment in segments
        .into_iter()
        .filter(|s| s.kind == SegmentKind::Topic.as_str())
    {
        let Some(index) = ids.iter().position(|id| *id == segment.episode_id) else {
            continue;
        };
        let summary = &mut summaries[index];
        if let (Some(slug), Some(name)) = (segment.person_slug, segment.person_name)
            && !summary.hosts.iter().any(|h| h.slug == slug)
        {
            summary.hosts.push(PersonRef { slug, name });
        }
        summary.topics.push(segment.title);
    }
    Ok((summaries, Paging::new(page, PER_PAGE, total)))
}
