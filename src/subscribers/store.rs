//! Subscriber SQL. Every function takes a connection; the caller owns the transaction.

use sqlx::SqliteConnection;

use super::status::SubscriberStatus;
use crate::clock::Timestamp;

/// One subscriber as the admin list and CSV export show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubscriberRow {
    pub id: i64,
    pub email: Option<String>,
    pub name: String,
    pub status: SubscriberStatus,
    pub source: String,
    pub created_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub unsubscribed_at: Option<Timestamp>,
}

/// The subscriber with this (case-folded) address.
pub async fn by_email(
    conn: &mut SqliteConnection,
    email: &str,
) -> sqlx::Result<Option<SubscriberRow>> {
    sqlx::query_as!(
        SubscriberRow,
        r#"select id as "id!", email, name, status as "status: SubscriberStatus", source,
                created_at as "created_at: Timestamp", confirmed_at as "confirmed_at: Timestamp",
                unsubscribed_at as "unsubscribed_at: Timestamp"
           from subscribers where email = ?"#,
        email,
    )
    .fetch_optional(conn)
    .await
}

/// The subscriber with this id, erased or not.
pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<SubscriberRow>> {
    sqlx::query_as!(
        SubscriberRow,
        r#"select id as "id!", email, name, status as "status: SubscriberStatus", source,
                created_at as "created_at: Timestamp", confirmed_at as "confirmed_at: Timestamp",
                unsubscribed_at as "unsubscribed_at: Timestamp"
           from subscribers where id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Records a sign-up with a fresh confirmation link: a new address, one still pending, or
/// one that had left. `None` when the address is already confirmed (the row is untouched).
pub async fn upsert_pending(
    conn: &mut SqliteConnection,
    email: &str,
    name: &str,
    token_hash: &str,
    expires_at: &Timestamp,
) -> sqlx::Result<Option<i64>> {
    let now = crate::clock::now();
    sqlx::query_scalar!(
        r#"insert into subscribers (email, name, status, source, confirm_token_hash, confirm_expires_at, created_at)
         values (?, ?, 'pending', 'form', ?, ?, ?)
         on conflict (email) do update set name = excluded.name, status = 'pending', source = 'form',
             confirm_token_hash = excluded.confirm_token_hash, confirm_expires_at = excluded.confirm_expires_at
         where subscribers.status in ('pending', 'unsubscribed')
         returning id as "id!""#,
        email,
        name,
        token_hash,
        expires_at,
        now,
    )
    .fetch_optional(conn)
    .await
}

/// Confirms the pending subscriber holding this unexpired link, once.
pub async fn confirm(conn: &mut SqliteConnection, token_hash: &str) -> sqlx::Result<Option<i64>> {
    let now = crate::clock::now();
    sqlx::query_scalar!(
        r#"update subscribers set status = 'confirmed', confirmed_at = ?1,
                confirm_token_hash = null, confirm_expires_at = null
         where confirm_token_hash = ?2 and confirm_expires_at > ?1 and status = 'pending'
         returning id as "id!""#,
        now,
        token_hash,
    )
    .fetch_optional(conn)
    .await
}

/// Unsubscribes at once; false when the subscriber had already left or was erased.
pub async fn unsubscribe(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let now = crate::clock::now();
    let done = sqlx::query!(
        "update subscribers set status = 'unsubscribed', unsubscribed_at = ?,
                confirm_token_hash = null, confirm_expires_at = null
         where id = ? and status in ('pending', 'confirmed')",
        now,
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An imported address; false when the address is already known (never re-subscribed).
pub async fn insert_imported(
    conn: &mut SqliteConnection,
    email: &str,
    name: &str,
    source: &str,
) -> sqlx::Result<bool> {
    let now = crate::clock::now();
    let done = sqlx::query!(
        "insert into subscribers (email, name, status, source, created_at, confirmed_at)
         values (?1, ?2, 'confirmed', ?3, ?4, ?4) on conflict (email) do nothing",
        email,
        name,
        source,
        now,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A page of subscribers matching a search (address or name) and a status.
pub async fn search(
    conn: &mut SqliteConnection,
    text: &str,
    status: Option<SubscriberStatus>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<SubscriberRow>, i64)> {
    let pattern = format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = sqlx::query_as!(
        SubscriberRow,
        r#"select id as "id!", email, name, status as "status: SubscriberStatus", source,
                created_at as "created_at: Timestamp", confirmed_at as "confirmed_at: Timestamp",
                unsubscribed_at as "unsubscribed_at: Timestamp"
           from subscribers
           where status != 'erased' and (?1 = '' or email like ?2 escape '\' or name like ?2 escape '\')
                 and (?3 is null or status = ?3)
           order by id limit ?4 offset ?5"#,
        text,
        pattern,
        status,
        limit,
        offset,
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "count!: i64" from subscribers
           where status != 'erased' and (?1 = '' or email like ?2 escape '\' or name like ?2 escape '\')
                 and (?3 is null or status = ?3)"#,
        text,
        pattern,
        status,
    )
    .fetch_one(conn)
    .await?;
    Ok((rows, total))
}

/// Removes the address and name; the row stays for counts.
pub async fn erase(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let now = crate::clock::now();
    let done = sqlx::query!(
        "update subscribers set email = null, name = '', status = 'erased', source = '',
                confirm_token_hash = null, confirm_expires_at = null, unsubscribed_at = ?
         where id = ? and status != 'erased'",
        now,
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many subscribers are in each status.
pub async fn counts(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(SubscriberStatus, i64)>> {
    let counts = sqlx::query!(
        r#"select status as "status: SubscriberStatus", count(*) as "count!: i64"
           from subscribers group by status order by status"#
    )
    .fetch_all(conn)
    .await?;
    Ok(counts.into_iter().map(|c| (c.status, c.count)).collect())
}
