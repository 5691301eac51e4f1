//! Digest and delivery SQL. The claim is one `update … returning`, so two workers (even in
//! two processes) never take the same row.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::status::{DeliveryStatus, DigestStatus};
use crate::clock::Timestamp;

/// A digest as stored.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DigestRow {
    pub id: i64,
    pub episode_number: i64,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub status: DigestStatus,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
}

/// The digest of an episode.
pub async fn by_number(
    conn: &mut SqliteConnection,
    number: i64,
) -> sqlx::Result<Option<DigestRow>> {
    sqlx::query_as!(
        DigestRow,
        r#"select id as "id!", episode_number, subject, html, text, status as "status: DigestStatus",
                created_at as "created_at: Timestamp", started_at as "started_at: Timestamp",
                sent_at as "sent_at: Timestamp"
           from digests where episode_number = ?"#,
        number,
    )
    .fetch_optional(conn)
    .await
}

/// A digest by id.
pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<DigestRow>> {
    sqlx::query_as!(
        DigestRow,
        r#"select id as "id!", episode_number, subject, html, text, status as "status: DigestStatus",
                created_at as "created_at: Timestamp", started_at as "started_at: Timestamp",
                sent_at as "sent_at: Timestamp"
           from digests where id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Sent digests, newest episode first.
pub async fn sent(conn: &mut SqliteConnection) -> sqlx::Result<Vec<DigestRow>> {
    sqlx::query_as!(
        DigestRow,
        r#"select id as "id!", episode_number, subject, html, text, status as "status: DigestStatus",
                created_at as "created_at: Timestamp", started_at as "started_at: Timestamp",
                sent_at as "sent_at: Timestamp"
           from digests where status = 'sent' order by episode_number desc"#
    )
    .fetch_all(conn)
    .await
}

/// A digest's status and delivery counts, as the admin's list shows them.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct Totals {
    pub status: Option<DigestStatus>,
    pub sent: i64,
    pub failed: i64,
    pub total: i64,
}

/// The status and delivery counts of the digests of these episodes, by episode number.
pub async fn totals_by_episode(
    conn: &mut SqliteConnection,
    numbers: &[i64],
) -> sqlx::Result<HashMap<i64, Totals>> {
    let numbers = serde_json::to_string(numbers).unwrap_or_default();
    let rows = sqlx::query!(
        r#"select d.episode_number, d.status as "status: DigestStatus",
                count(case when l.status = 'sent' then 1 end) as "sent!: i64",
                count(case when l.status = 'failed' then 1 end) as "failed!: i64",
                count(l.digest_id) as "total!: i64"
         from digests d left join deliveries l on l.digest_id = d.id
         where d.episode_number in (select value from json_each(?))
         group by d.episode_number"#,
        numbers,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let totals = Totals {
                status: Some(row.status),
                sent: row.sent,
                failed: row.failed,
                total: row.total,
            };
            (row.episode_number, totals)
        })
        .collect())
}

/// Creates the draft, or re-renders it while it is still a draft (a sent digest never changes).
pub async fn upsert_draft(
    conn: &mut SqliteConnection,
    number: i64,
    subject: &str,
    html: &str,
    text: &str,
) -> sqlx::Result<()> {
    let now = crate::clock::now();
    sqlx::query!(
        "insert into digests (episode_number, subject, html, text, status, created_at)
         values (?, ?, ?, ?, 'draft', ?)
         on conflict (episode_number) do update set subject = excluded.subject, html = excluded.html,
             text = excluded.text where digests.status = 'draft'",
        number,
        subject,
        html,
        text,
        now,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a digest from one of `from` to `to`; false when it was in none of them.
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: i64,
    from: &[DigestStatus],
    to: DigestStatus,
) -> sqlx::Result<bool> {
    let from = serde_json::to_string(from).unwrap_or_default();
    let now = crate::clock::now();
    let done = sqlx::query!(
        "update digests set status = ?1, started_at = case when ?1 = 'sending' then coalesce(started_at, ?2) else started_at end
         where id = ?3 and status in (select value from json_each(?4))",
        to,
        now,
        id,
        from,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One delivery row per confirmed subscriber; the primary key makes a repeat harmless.
pub async fn enqueue(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into deliveries (digest_id, subscriber_id)
         select ?, id from subscribers where status = 'confirmed'
         on conflict do nothing",
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Pending rows of a cancelled digest are never sent.
pub async fn skip_pending(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update deliveries set status = 'skipped' where digest_id = ? and status = 'pending'",
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Mail not yet sent to a subscriber who left is never sent.
pub async fn skip_pending_to(conn: &mut SqliteConnection, subscriber_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update deliveries set status = 'skipped' where subscriber_id = ? and status = 'pending'",
        subscriber_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the error texts of a subscriber's deliveries: a mail server's answer may quote the
/// address, which erasing a subscriber removes.
pub async fn forget_errors_of(conn: &mut SqliteConnection, subscriber_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update deliveries set last_error = null where subscriber_id = ?",
        subscriber_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts of a digest's deliveries by status.
pub async fn delivery_counts(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Vec<(DeliveryStatus, i64)>> {
    let counts = sqlx::query!(
        r#"select status as "status: DeliveryStatus", count(*) as "count!: i64"
           from deliveries where digest_id = ? group by status"#,
        id,
    )
    .fetch_all(conn)
    .await?;
    Ok(counts.into_iter().map(|c| (c.status, c.count)).collect())
}

/// A delivery that failed for good.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Failure {
    pub subscriber_id: i64,
    pub attempts: i64,
    pub error: String,
}

/// Failed deliveries: subscriber, attempts, the error kept.
pub async fn failed(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Vec<Failure>> {
    sqlx::query_as!(
        Failure,
        r#"select subscriber_id, attempts, coalesce(last_error, '') as "error!: String" from deliveries
         where digest_id = ? and status = 'failed' order by subscriber_id"#,
        id,
    )
    .fetch_all(conn)
    .await
}

/// A claimed delivery: ready to send with this Message-ID.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claim {
    pub digest_id: i64,
    pub subscriber_id: i64,
    pub attempts: i64,
    pub message_id: String,
}

/// Claims a row left in `sending` by a worker that stopped (its lease ran out before
/// `stale_before`) before it handed the message over.
pub async fn claim_stale(
    conn: &mut SqliteConnection,
    digest: Option<i64>,
    now: &Timestamp,
    stale_before: &Timestamp,
) -> sqlx::Result<Option<Claim>> {
    sqlx::query_as!(
        Claim,
        r#"update deliveries set attempts = attempts + 1, claimed_at = ?1
         where rowid = (select d.rowid from deliveries d join digests g on g.id = d.digest_id
                        where d.status = 'sending' and d.claimed_at < ?2 and d.handed_at is null
                          and g.status = 'sending' and (?3 is null or d.digest_id = ?3) limit 1)
         returning digest_id, subscriber_id, attempts, message_id as "message_id!""#,
        now,
        stale_before,
        digest,
    )
    .fetch_optional(conn)
    .await
}

/// Claims up to `limit` due pending rows at once, fixing each one's Message-ID (the next of
/// `new_message_ids` where it has none yet) before anything is sent.
pub async fn claim_pending(
    conn: &mut SqliteConnection,
    digest: Option<i64>,
    now: &Timestamp,
    new_message_ids: &[String],
) -> sqlx::Result<Vec<Claim>> {
    let limit = i64::try_from(new_message_ids.len()).unwrap_or(i64::MAX);
    let ids = serde_json::to_string(new_message_ids).unwrap_or_default();
    sqlx::query_as!(
        Claim,
        r#"with due as (select d.rowid as row, row_number() over (order by d.next_attempt_at) - 1 as n
                      from deliveries d join digests g on g.id = d.digest_id
                      where d.status = 'pending' and d.next_attempt_at <= ?1 and g.status = 'sending'
                        and (?3 is null or d.digest_id = ?3)
                      order by d.next_attempt_at limit ?4)
         update deliveries set status = 'sending', attempts = attempts + 1, claimed_at = ?1,
                message_id = coalesce(message_id, (select value from json_each(?2) where key = due.n)),
                handed_at = null
         from due where deliveries.rowid = due.row
         returning digest_id, subscriber_id, attempts, message_id as "message_id!""#,
        now,
        ids,
        digest,
        limit,
    )
    .fetch_all(conn)
    .await
}

/// Records that the claimed message is being handed over (see `deliveries.handed_at` in
/// `migrations/0001_baseline.sql`); false when the row is no longer this claim's (another worker took it over).
pub async fn record_handover(
    conn: &mut SqliteConnection,
    claim: &Claim,
    now: &Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update deliveries set handed_at = ?
         where digest_id = ? and subscriber_id = ? and status = 'sending' and attempts = ?",
        now,
        claim.digest_id,
        claim.subscriber_id,
        claim.attempts,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Settles rows whose worker stopped after handing the message over (lease run out before
/// `stale_before`) as sent: sending again could only deliver a second copy.
pub async fn settle_handed(
    conn: &mut SqliteConnection,
    digest: Option<i64>,
    stale_before: &Timestamp,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update deliveries set status = 'sent', sent_at = handed_at,
             last_error = 'no answer recorded: the sender stopped right after handing the message over'
         where status = 'sending' and handed_at is not null and claimed_at < ?1
           and (?2 is null or digest_id = ?2)",
        stale_before,
        digest,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The address and name to send to of each of `subscribers` still confirmed, by id.
pub async fn recipients(
    conn: &mut SqliteConnection,
    subscribers: &[i64],
) -> sqlx::Result<HashMap<i64, (String, String)>> {
    let ids = serde_json::to_string(subscribers).unwrap_or_default();
    let rows = sqlx::query!(
        r#"select id as "id!", email as "email!", name from subscribers
         where id in (select value from json_each(?)) and status = 'confirmed' and email is not null"#,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, (row.email, row.name)))
        .collect())
}

/// The rows of `claims` as JSON pairs `[digest_id, subscriber_id]`, for `json_each`.
fn pairs_of(claims: &[Claim]) -> String {
    let pairs: Vec<[i64; 2]> = claims
        .iter()
        .map(|c| [c.digest_id, c.subscriber_id])
        .collect();
    serde_json::to_string(&pairs).unwrap_or_default()
}

/// Records claimed rows as sent, all in one statement (what [`finish_claim`] does for one).
pub async fn finish_sent(
    conn: &mut SqliteConnection,
    claims: &[Claim],
    now: &Timestamp,
) -> sqlx::Result<()> {
    if claims.is_empty() {
        return Ok(());
    }
    let pairs = pairs_of(claims);
    sqlx::query!(
        "update deliveries set status = 'sent', last_error = null, next_attempt_at = '', sent_at = ?1
         where status = 'sending' and (digest_id, subscriber_id) in
               (select value ->> 0, value ->> 1 from json_each(?2))",
        now,
        pairs,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives back claimed rows that were never tried (the worker is stopping): pending again, as if
/// never claimed, or skipped when their digest was cancelled meanwhile.
pub async fn release(conn: &mut SqliteConnection, claims: &[Claim]) -> sqlx::Result<()> {
    if claims.is_empty() {
        return Ok(());
    }
    let pairs = pairs_of(claims);
    sqlx::query!(
        "update deliveries
         set status = case when (select g.status from digests g where g.id = deliveries.digest_id)
                                = 'cancelled' then 'skipped' else 'pending' end,
             attempts = attempts - 1, handed_at = null
         where status = 'sending' and handed_at is null and (digest_id, subscriber_id) in
               (select value ->> 0, value ->> 1 from json_each(?))",
        pairs,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the outcome of a claimed row: `sent`, `failed`, `skipped`, or back to `pending`.
pub async fn finish_claim(
    conn: &mut SqliteConnection,
    claim: &Claim,
    status: DeliveryStatus,
    error: Option<&str>,
    next_attempt_at: Option<Timestamp>,
) -> sqlx::Result<()> {
    // A row with no next attempt keeps the column's "never" ('').
    let now = crate::clock::now();
    sqlx::query!(
        "update deliveries set status = ?1, last_error = ?2, next_attempt_at = coalesce(?3, ''),
                sent_at = case when ?1 = 'sent' then ?4 else sent_at end
         where digest_id = ?5 and subscriber_id = ?6 and status = 'sending'",
        status,
        error,
        next_attempt_at,
        now,
        claim.digest_id,
        claim.subscriber_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the digest sent if it is sending and none of its rows is pending or in flight.
///
/// Each status is looked up in its own partial index (here and in [`finish_digests`]): a scan
/// of `deliveries` would pass every row already sent, once per mail, and that made sending
/// quadratic in the number of subscribers (1.7 ms of CPU a mail at 20,000). The planner picks
/// the scan unless told (its statistics see few pending rows).
pub async fn finish_digest(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let now = crate::clock::now();
    let done = sqlx::query!(
        "update digests set status = 'sent', sent_at = ?
         where id = ? and status = 'sending'
           and not exists (select 1 from deliveries indexed by deliveries_pending
                           where status = 'pending' and digest_id = digests.id)
           and not exists (select 1 from deliveries indexed by deliveries_sending
                           where status = 'sending' and digest_id = digests.id)",
        now,
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks digests with nothing left to send as sent; returns how many.
pub async fn finish_digests(conn: &mut SqliteConnection) -> sqlx::Result<u64> {
    let now = crate::clock::now();
    let done = sqlx::query!(
        "update digests set status = 'sent', sent_at = ?
         where status = 'sending'
           and not exists (select 1 from deliveries indexed by deliveries_pending
                           where status = 'pending' and digest_id = digests.id)
           and not exists (select 1 from deliveries indexed by deliveries_sending
                           where status = 'sending' and digest_id = digests.id)",
        now,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Whether any digest is sending with rows still pending or in flight.
pub async fn has_unfinished(
    conn: &mut SqliteConnection,
    digest: Option<i64>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from deliveries d join digests g on g.id = d.digest_id
                        where g.status = 'sending' and d.status in ('pending', 'sending')
                          and (?1 is null or d.digest_id = ?1)) as "unfinished!: bool""#,
        digest,
    )
    .fetch_one(conn)
    .await
}
