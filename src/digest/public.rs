//! The public archive of sent digests, as pages and as RSS.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use time::format_description::well_known::Rfc2822;

use super::status::DigestStatus;
use super::store::{self, DigestRow};
use crate::episodes::format_date;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::Layout;

/// A sent digest in a list.
pub struct ArchiveEntry {
    number: i64,
    subject: String,
    date: String,
    pub_date: String,
    html: String,
}

fn entry_of(row: DigestRow) -> ArchiveEntry {
    let sent = row.sent_at;
    ArchiveEntry {
        number: row.episode_number,
        subject: row.subject,
        date: format_date(sent),
        pub_date: sent
            .and_then(|t| t.moment().format(&Rfc2822).ok())
            .unwrap_or_default(),
        html: row.html,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "digest/archive.html")]
pub struct ArchivePage {
    layout: Layout,
    digests: Vec<ArchiveEntry>,
}

#[derive(Template, WebTemplate)]
#[template(path = "digest/show.html")]
pub struct DigestPage {
    layout: Layout,
    digest: ArchiveEntry,
}

#[derive(Template)]
#[template(path = "digest/rss.xml")]
struct ArchiveFeed {
    layout: Layout,
    digests: Vec<ArchiveEntry>,
}

async fn sent_entries(state: &AppState) -> Result<Vec<ArchiveEntry>> {
    let mut conn = state.db.acquire().await?;
    Ok(store::sent(&mut conn)
        .await?
        .into_iter()
        .map(entry_of)
        .collect())
}

/// `GET /digests`.
pub async fn show_archive(State(state): State<AppState>, layout: Layout) -> Result<ArchivePage> {
    Ok(ArchivePage {
        layout,
        digests: sent_entries(&state).await?,
    })
}

/// `GET /digests/{number}`: only a digest that was sent.
pub async fn show_digest(
    State(state): State<AppState>,
    layout: Layout,
    Path(number): Path<String>,
) -> Result<DigestPage> {
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let row = store::by_number(&mut conn, number)
        .await?
        .filter(|d| d.status == DigestStatus::Sent)
        .ok_or(AppError::NotFound)?;
    Ok(DigestPage {
        layout,
        digest: entry_of(row),
    })
}

/// `GET /digests/rss`.
pub async fn show_feed(State(state): State<AppState>, layout: Layout) -> Result<Response> {
    let feed = ArchiveFeed {
        layout,
        digests: sent_entries(&state).await?,
    }
    .render()?;
    Ok(([(CONTENT_TYPE, "application/rss+xml; charset=utf-8")], feed).into_response())
}
