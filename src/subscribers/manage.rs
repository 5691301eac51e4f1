//! What a host does with the list: search it, export and import CSV, erase someone.
//! Plain functions over the pool, so admin pages and the CLI are thin callers.

use std::collections::HashSet;
use std::io::{Read, Write};

use anyhow::Context;
use sqlx::SqlitePool;

use super::email::{SubscriberEmail, SubscriberName};
use super::status::SubscriberStatus;
use super::store::{self, SubscriberRow};
use crate::clock::Timestamp;

/// Why a list action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("no such subscriber")]
    NotFound,
    #[error("status {0:?} is not one of pending, confirmed, unsubscribed")]
    UnknownStatus(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

type Result<T, E = ListError> = std::result::Result<T, E>;

/// Rows per page of the admin list.
pub const PER_PAGE: i64 = 50;

/// A search of the list: text in the address or name, a status, a 1-based page.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SubscriberQuery {
    #[serde(default)]
    pub search: String,
    pub status: Option<String>,
    pub page: Option<i64>,
}

/// One page of matching subscribers and how many match in all.
#[derive(Debug, serde::Serialize)]
pub struct SubscriberPage {
    pub rows: Vec<SubscriberRow>,
    pub total: i64,
    pub page: i64,
}

/// Lists subscribers (erased ones never show).
pub async fn list(pool: &SqlitePool, query: &SubscriberQuery) -> Result<SubscriberPage> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        Some(word) => Some(
            SubscriberStatus::listed(word)
                .ok_or_else(|| ListError::UnknownStatus(word.to_string()))?,
        ),
        None => None,
    };
    let page = query.page.unwrap_or(1).max(1);
    let mut conn = pool.acquire().await?;
    let (rows, total) = store::search(
        &mut conn,
        query.search.trim(),
        status,
        PER_PAGE,
        (page - 1) * PER_PAGE,
    )
    .await?;
    Ok(SubscriberPage { rows, total, page })
}

/// Calls `each` with every subscriber matching `query`, page after page (the CLI's list).
pub async fn each_match(
    pool: &SqlitePool,
    mut query: SubscriberQuery,
    mut each: impl FnMut(&SubscriberRow),
) -> Result<()> {
    let mut page = 1;
    loop {
        query.page = Some(page);
        let found = list(pool, &query).await?;
        found.rows.iter().for_each(&mut each);
        if page * PER_PAGE >= found.total {
            return Ok(());
        }
        page += 1;
    }
}

/// Writes every subscriber (not the erased) as CSV; returns how many rows.
pub async fn export_csv(pool: &SqlitePool, out: impl Write) -> anyhow::Result<usize> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "email",
        "name",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ])?;
    let mut conn = pool.acquire().await?;
    let mut written = 0;
    loop {
        let (rows, _) = store::search(&mut conn, "", None, 1000, written as i64).await?;
        if rows.is_empty() {
            break;
        }
        written += rows.len();
        for r in rows {
            let record = [
                r.email.unwrap_or_default(),
                r.name,
                r.status.to_string(),
                r.source,
                r.created_at.rfc3339(),
                r.confirmed_at.map(Timestamp::rfc3339).unwrap_or_default(),
                r.unsubscribed_at
                    .map(Timestamp::rfc3339)
                    .unwrap_or_default(),
            ];
            writer.write_record(record.map(inert_cell))?;
        }
    }
    writer.flush()?;
    Ok(written)
}

/// A cell a spreadsheet shows as text: one starting like a formula (`=`, `+`, `-`, `@`, tab,
/// CR) gets a leading `'`, so a subscriber named `=HYPERLINK(…)` cannot act in the admin's sheet.
fn inert_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// What an import did.
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// New confirmed subscribers.
    pub imported: usize,
    /// Addresses already on the list, in any state (an unsubscribed one stays unsubscribed).
    pub already_known: usize,
    /// Rows skipped, with their line in the file and why.
    pub invalid: Vec<InvalidRow>,
}

/// A skipped CSV row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvalidRow {
    pub line: u64,
    pub reason: String,
}

/// Imports `email[,name]` rows (a header row naming the columns is required) as confirmed
/// subscribers with `source`, in one transaction. Bad rows are skipped and reported.
pub async fn import_csv(
    pool: &SqlitePool,
    input: impl Read,
    source: &str,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let rows = parse_csv(input, &mut report.invalid)?;
    let mut tx = crate::db::begin_write(pool).await?;
    for (email, name) in &rows {
        if store::insert_imported(&mut tx, email.as_ref(), name.as_ref(), source).await? {
            report.imported += 1;
        } else {
            report.already_known += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}

fn parse_csv(
    input: impl Read,
    invalid: &mut Vec<InvalidRow>,
) -> anyhow::Result<Vec<(SubscriberEmail, SubscriberName)>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .context("cannot read the CSV header row")?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let email_at = column("email").context("the CSV header row has no \"email\" column")?;
    let name_at = column("name");
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                invalid.push(InvalidRow {
                    line,
                    reason: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let parsed =
            SubscriberEmail::parse(record.get(email_at).unwrap_or_default()).and_then(|email| {
                let name = SubscriberName::parse(
                    name_at.and_then(|i| record.get(i)).unwrap_or_default(),
                    false,
                )?;
                Ok((email, name))
            });
        match parsed {
            Ok((email, _)) if !seen.insert(email.as_ref().to_string()) => {
                invalid.push(InvalidRow {
                    line,
                    reason: "the same address appears earlier in the file".into(),
                })
            }
            Ok(row) => rows.push(row),
            Err(reason) => invalid.push(InvalidRow { line, reason }),
        }
    }
    Ok(rows)
}

/// The subscriber with this id who can still be erased (an erased one is `NotFound`).
pub async fn erasable(pool: &SqlitePool, id: i64) -> Result<SubscriberRow> {
    let mut conn = pool.acquire().await?;
    store::by_id(&mut conn, id)
        .await?
        .filter(|row| row.status != SubscriberStatus::Erased)
        .ok_or(ListError::NotFound)
}

/// Erases a subscriber (GDPR): address and name gone, pending mail skipped, counts kept.
pub async fn erase(pool: &SqlitePool, id: i64) -> Result<()> {
    let mut tx = crate::db::begin_write(pool).await?;
    crate::digest::store::skip_pending_to(&mut tx, id).await?;
    crate::digest::store::forget_errors_of(&mut tx, id).await?;
    let erased = store::erase(&mut tx, id).await?;
    tx.commit().await?;
    if erased {
        Ok(())
    } else {
        Err(ListError::NotFound)
    }
}

/// Erases the subscriber with this address.
pub async fn erase_by_email(pool: &SqlitePool, email: &SubscriberEmail) -> Result<()> {
    let mut conn = pool.acquire().await?;
    let row = store::by_email(&mut conn, email.as_ref())
        .await?
        .ok_or(ListError::NotFound)?;
    drop(conn);
    erase(pool, row.id).await
}

/// How many subscribers are in each status (erased included: counts survive erasure).
pub async fn counts(pool: &SqlitePool) -> Result<Vec<(SubscriberStatus, i64)>> {
    let mut conn = pool.acquire().await?;
    Ok(store::counts(&mut conn).await?)
}
