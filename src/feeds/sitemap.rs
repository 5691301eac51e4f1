//! `/sitemap.xml` and `/robots.txt`, for search engines.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sqlx::SqliteConnection;

use super::http::{TEXT, XML, respond};
use super::store::{self, SitemapRow};
use crate::error::Result;
use crate::state::AppState;

/// The sitemap protocol's limit on addresses in one file (less the fixed pages).
const MAX_URLS: i64 = 50_000 - 4;

#[derive(Template)]
#[template(path = "feeds/sitemap.xml")]
struct Sitemap {
    base_url: String,
    rows: Vec<SitemapRow>,
}

/// `GET /sitemap.xml`: every public page.
pub async fn show(State(state): State<AppState>) -> Result<Response> {
    let rows = public_pages(&mut *state.db.acquire().await?, MAX_URLS).await?;
    let sitemap = Sitemap {
        base_url: state.settings().base_url.clone(),
        rows,
    };
    Ok(respond(XML, sitemap.render()?))
}

/// The first `limit` public pages past the fixed ones: the episodes, people, events and talks
/// of [`store::sitemap`], then each talk tag's page.
pub async fn public_pages(
    conn: &mut SqliteConnection,
    limit: i64,
) -> sqlx::Result<Vec<SitemapRow>> {
    let mut rows = store::sitemap(&mut *conn, limit).await?;
    let room = usize::try_from(limit)
        .unwrap_or(0)
        .saturating_sub(rows.len());
    let tags = crate::talks::store::public_tags(conn).await?;
    rows.extend(tags.iter().take(room).map(|tag| SitemapRow {
        path: crate::talks::service::tag_url(tag),
        lastmod: None,
    }));
    Ok(rows)
}

/// `GET /robots.txt`: crawl everything public; the admin area is not for robots.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = &state.settings().base_url;
    respond(
        TEXT,
        format!("User-agent: *\nAllow: /\nDisallow: /admin\n\nSitemap: {base}/sitemap.xml\n"),
    )
}
