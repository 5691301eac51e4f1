//! Every host action on a digest, as a function the admin pages and the CLI both call: each
//! takes the pool and the settings or mailer it needs, and answers with a [`DigestError`].

use lettre::message::Mailbox;
use sqlx::SqlitePool;

use super::compose;
use super::status::{DeliveryStatus, DigestStatus};
use super::store::{self, DigestRow};
use crate::mail::Mailer;
use crate::settings::Settings;
use crate::subscribers::SubscriberEmail;

/// Why a digest action did not happen. The first variants are the host's to read; the rest
/// are internal.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("episode {0} does not exist or is not published")]
    NotPublished(i64),
    #[error("episode {0} has no digest yet; create it first")]
    NoDigest(i64),
    #[error("cannot {verb} the digest of episode {number}: it is {status}")]
    Refused {
        verb: &'static str,
        number: i64,
        status: DigestStatus,
    },
    #[error("unknown digest action {0:?}")]
    UnknownAction(String),
    #[error("{0}")]
    BadAddress(String),
    #[error("The test mail was not sent: {0}")]
    TestNotSent(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl DigestError {
    /// Whether the host can act on the message (as opposed to an internal failure).
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Self::Database(_) | Self::Template(_) | Self::Internal(_)
        )
    }
}

type Result<T, E = DigestError> = std::result::Result<T, E>;

/// Where a digest's deliveries stand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// The digest's status.
    pub status: DigestStatus,
    /// Waiting to be sent (including retries waiting for their time).
    pub queued: i64,
    /// Claimed by a worker right now.
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Not sent because the subscriber left or the digest was cancelled.
    pub skipped: i64,
    pub total: i64,
}

impl Progress {
    /// The status as the admin reads it: "sent, 2 failed" when some mail never arrived.
    pub fn label(&self) -> String {
        self.status.label(self.failed)
    }

    /// Rows with a final outcome.
    pub fn done(&self) -> i64 {
        self.sent + self.failed + self.skipped
    }
}

/// A published episode and its digest's progress, if it has one, for the admin's list.
pub struct DigestLine {
    pub number: i64,
    pub title: String,
    pub status: Option<DigestStatus>,
    pub sent: i64,
    pub failed: i64,
    pub total: i64,
}

impl DigestLine {
    /// The status for the list ("none yet" before a digest exists).
    pub fn label(&self) -> String {
        self.status
            .map_or_else(|| "none yet".to_string(), |s| s.label(self.failed))
    }
}

/// The latest `limit` published episodes with their digest's progress, newest first.
pub async fn lines(db: &SqlitePool, limit: i64) -> Result<Vec<DigestLine>> {
    let mut conn = db.acquire().await?;
    let episodes = crate::episodes::store::published_page(&mut conn, limit, 0).await?;
    let numbers: Vec<i64> = episodes.iter().map(|e| e.number).collect();
    let mut totals = store::totals_by_episode(&mut conn, &numbers).await?;
    Ok(episodes
        .into_iter()
        .map(|episode| {
            let totals = totals.remove(&episode.number).unwrap_or_default();
            DigestLine {
                number: episode.number,
                title: episode.title,
                status: totals.status,
                sent: totals.sent,
                failed: totals.failed,
                total: totals.total,
            }
        })
        .collect())
}

/// Creates (or, while still a draft, re-renders) the digest of a published episode.
pub async fn create_digest(db: &SqlitePool, settings: &Settings, number: i64) -> Result<DigestRow> {
    let mut conn = db.acquire().await?;
    let episode = crate::episodes::load_episode(&mut conn, number, false)
        .await?
        .ok_or(DigestError::NotPublished(number))?;
    let content = compose::render(settings, &episode)?;
    store::upsert_draft(
        &mut conn,
        number,
        &content.subject,
        &content.html,
        &content.text,
    )
    .await?;
    drop(conn);
    digest_of(db, number).await
}

/// The digest of an episode, or [`DigestError::NoDigest`] when there is none yet.
pub async fn digest_of(db: &SqlitePool, number: i64) -> Result<DigestRow> {
    let mut conn = db.acquire().await?;
    store::by_number(&mut conn, number)
        .await?
        .ok_or(DigestError::NoDigest(number))
}

/// The digest's existing row, or a fresh draft.
async fn digest_or_create(db: &SqlitePool, settings: &Settings, number: i64) -> Result<DigestRow> {
    match digest_of(db, number).await {
        Err(DigestError::NoDigest(_)) => create_digest(db, settings, number).await,
        other => other,
    }
}

/// The whole HTML mail as a subscriber would see it (the unsubscribe link is a sample).
pub async fn preview(db: &SqlitePool, settings: &Settings, number: i64) -> Result<String> {
    let digest = digest_or_create(db, settings, number).await?;
    let sample = format!("{}/friends-of-the-show", settings.base_url);
    Ok(compose::mail_html(settings, &digest, &sample)?)
}

/// Sends the digest to one address now, subject marked `[Test]`; nothing is queued or recorded.
pub async fn send_test(
    db: &SqlitePool,
    settings: &Settings,
    mailer: &dyn Mailer,
    number: i64,
    to: &SubscriberEmail,
) -> Result<()> {
    let digest = digest_or_create(db, settings, number).await?;
    let sample = format!("{}/friends-of-the-show", settings.base_url);
    let address = to
        .as_ref()
        .parse()
        .map_err(|e| DigestError::BadAddress(format!("{e}")))?;
    let message_id = crate::mail::new_message_id(&settings.base_url);
    let subject = format!("[Test] {}", digest.subject);
    let message = compose::message(
        settings,
        &digest,
        Mailbox::new(None, address),
        &sample,
        &message_id,
        &subject,
    )?;
    mailer
        .send(message)
        .await
        .map_err(|e| DigestError::TestNotSent(e.detail().to_string()))
}

/// Queues the digest for every confirmed subscriber, in one transaction. Repeating it is
/// harmless: the primary key keeps one row per subscriber. Returns how many were added.
pub async fn send_to_all(db: &SqlitePool, settings: &Settings, number: i64) -> Result<u64> {
    let digest = digest_or_create(db, settings, number).await?;
    let mut tx = crate::db::begin_write(db).await?;
    let from = [DigestStatus::Draft, DigestStatus::Sending];
    if !store::set_status(&mut tx, digest.id, &from, DigestStatus::Sending).await? {
        return Err(refusal(number, digest.status, "send"));
    }
    let queued = store::enqueue(&mut tx, digest.id).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Stops handing out the digest's rows; mails in flight finish.
pub async fn pause(db: &SqlitePool, number: i64) -> Result<()> {
    let from = [DigestStatus::Sending];
    transition(db, number, &from, DigestStatus::Paused, "pause").await
}

/// Sends the rest of a paused digest.
pub async fn resume(db: &SqlitePool, number: i64) -> Result<()> {
    let from = [DigestStatus::Paused];
    transition(db, number, &from, DigestStatus::Sending, "resume").await
}

/// Stops the digest for good; what was not sent yet is skipped.
pub async fn cancel(db: &SqlitePool, number: i64) -> Result<()> {
    let digest = digest_of(db, number).await?;
    let mut tx = crate::db::begin_write(db).await?;
    let from = [
        DigestStatus::Draft,
        DigestStatus::Sending,
        DigestStatus::Paused,
    ];
    if !store::set_status(&mut tx, digest.id, &from, DigestStatus::Cancelled).await? {
        return Err(refusal(number, digest.status, "cancel"));
    }
    store::skip_pending(&mut tx, digest.id).await?;
    tx.commit().await?;
    Ok(())
}

async fn transition(
    db: &SqlitePool,
    number: i64,
    from: &[DigestStatus],
    to: DigestStatus,
    verb: &'static str,
) -> Result<()> {
    let digest = digest_of(db, number).await?;
    let mut conn = db.acquire().await?;
    if store::set_status(&mut conn, digest.id, from, to).await? {
        Ok(())
    } else {
        Err(refusal(number, digest.status, verb))
    }
}

fn refusal(number: i64, status: DigestStatus, verb: &'static str) -> DigestError {
    DigestError::Refused {
        verb,
        number,
        status,
    }
}

/// Sent, failed and queued counts of an episode's digest.
pub async fn progress(db: &SqlitePool, number: i64) -> Result<Progress> {
    let digest = digest_of(db, number).await?;
    let mut conn = db.acquire().await?;
    let mut progress = Progress {
        status: digest.status,
        queued: 0,
        sending: 0,
        sent: 0,
        failed: 0,
        skipped: 0,
        total: 0,
    };
    for (status, count) in store::delivery_counts(&mut conn, digest.id).await? {
        match status {
            DeliveryStatus::Pending => progress.queued = count,
            DeliveryStatus::Sending => progress.sending = count,
            DeliveryStatus::Sent => progress.sent = count,
            DeliveryStatus::Failed => progress.failed = count,
            DeliveryStatus::Skipped => progress.skipped += count,
        }
        progress.total += count;
    }
    Ok(progress)
}

/// Deliveries that failed for good, with the error kept (for the admin's report).
pub async fn failures(db: &SqlitePool, number: i64) -> Result<Vec<store::Failure>> {
    let digest = digest_of(db, number).await?;
    let mut conn = db.acquire().await?;
    Ok(store::failed(&mut conn, digest.id).await?)
}
