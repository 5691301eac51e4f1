//! Every host action on a digest, as a function the admin pages and the CLI both call.

use lettre::message::Mailbox;

use super::compose;
use super::store::{self, DigestRow};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::subscribers::SubscriberEmail;

/// Where a digest's deliveries stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// The digest's status: draft, sending, paused, sent, cancelled.
    pub status: String,
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
        status_label(&self.status, self.failed)
    }

    /// Rows with a final outcome.
    pub fn done(&self) -> i64 {
        self.sent + self.failed + self.skipped
    }
}

/// A digest status with its failures, when a sent digest has any.
pub fn status_label(status: &str, failed: i64) -> String {
    if status == "sent" && failed > 0 {
        format!("sent, {failed} failed")
    } else {
        status.to_string()
    }
}

/// Creates (or, while still a draft, re-renders) the digest of a published episode.
pub async fn create_digest(state: &AppState, number: i64) -> Result<DigestRow> {
    let mut conn = state.db.acquire().await?;
    let episode = crate::episodes::load_episode(&mut conn, number, false)
        .await?
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "episode {number} does not exist or is not published"
            ))
        })?;
    let content = compose::render(&state.settings(), &episode)?;
    store::upsert_draft(
        &mut conn,
        number,
        &content.subject,
        &content.html,
        &content.text,
    )
    .await?;
    digest_of(state, number).await
}

/// The digest of an episode, or a clear error when there is none yet.
pub async fn digest_of(state: &AppState, number: i64) -> Result<DigestRow> {
    let mut conn = state.db.acquire().await?;
    store::by_number(&mut conn, number).await?.ok_or_else(|| {
        AppError::BadRequest(format!(
            "episode {number} has no digest yet; create it first"
        ))
    })
}

/// The digest's existing row, or a fresh draft.
async fn digest_or_create(state: &AppState, number: i64) -> Result<DigestRow> {
    match digest_of(state, number).await {
        Ok(digest) => Ok(digest),
        Err(AppError::BadRequest(_)) => create_digest(state, number).await,
        Err(other) => Err(other),
    }
}

/// The whole HTML mail as a subscriber would see it (the unsubscribe link is a sample).
pub async fn preview(state: &AppState, number: i64) -> Result<String> {
    let digest = digest_or_create(state, number).await?;
    let settings = state.settings();
    let sample = format!("{}/friends-of-the-show", settings.base_url);
    Ok(compose::mail_html(&settings, &digest, &sample)?)
}

/// Sends the digest to one address now, subject marked `[Test]`; nothing is queued or recorded.
pub async fn send_test(state: &AppState, number: i64, to: &SubscriberEmail) -> Result<()> {
    let digest = digest_or_create(state, number).await?;
    let settings = state.settings();
    let sample = format!("{}/friends-of-the-show", settings.base_url);
    let address = to
        .as_ref()
        .parse()
        .map_err(|e| AppError::BadRequest(format!("{e}")))?;
    let message_id = crate::mail::new_message_id(&settings.base_url);
    let subject = format!("[Test] {}", digest.subject);
    let message = compose::message(
        &settings,
        &digest,
        Mailbox::new(None, address),
        &sample,
        &message_id,
        &subject,
    )?;
    state
        .mailer
        .send(message)
        .await
        .map_err(|e| AppError::BadRequest(format!("The test mail was not sent: {}", e.detail())))
}

/// Queues the digest for every confirmed subscriber, in one transaction. Repeating it is
/// harmless: the primary key keeps one row per subscriber. Returns how many were added.
pub async fn send_to_all(state: &AppState, number: i64) -> Result<u64> {
    let digest = digest_or_create(state, number).await?;
    let mut tx = state.db.begin().await?;
    if !store::set_status(&mut tx, digest.id, &["draft", "sending"], "sending").await? {
        return Err(refusal(number, &digest.status, "send"));
    }
    let queued = store::enqueue(&mut tx, digest.id).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Stops handing out the digest's rows; mails in flight finish.
pub async fn pause(state: &AppState, number: i64) -> Result<()> {
    transition(state, number, &["sending"], "paused", "pause").await
}

/// Sends the rest of a paused digest.
pub async fn resume(state: &AppState, number: i64) -> Result<()> {
    transition(state, number, &["paused"], "sending", "resume").await
}

/// Stops the digest for good; what was not sent yet is skipped.
pub async fn cancel(state: &AppState, number: i64) -> Result<()> {
    let digest = digest_of(state, number).await?;
    let mut tx = state.db.begin().await?;
    if !store::set_status(
        &mut tx,
        digest.id,
        &["draft", "sending", "paused"],
        "cancelled",
    )
    .await?
    {
        return Err(refusal(number, &digest.status, "cancel"));
    }
    store::skip_pending(&mut tx, digest.id).await?;
    tx.commit().await?;
    Ok(())
}

async fn transition(
    state: &AppState,
    number: i64,
    from: &[&str],
    to: &str,
    verb: &str,
) -> Result<()> {
    let digest = digest_of(state, number).await?;
    let mut conn = state.db.acquire().await?;
    if store::set_status(&mut conn, digest.id, from, to).await? {
        Ok(())
    } else {
        Err(refusal(number, &digest.status, verb))
    }
}

fn refusal(number: i64, status: &str, verb: &str) -> AppError {
    AppError::BadRequest(format!(
        "cannot {verb} the digest of episode {number}: it is {status}"
    ))
}

/// Sent, failed and queued counts of an episode's digest.
pub async fn progress(state: &AppState, number: i64) -> Result<Progress> {
    let digest = digest_of(state, number).await?;
    let mut conn = state.db.acquire().await?;
    let mut progress = Progress {
        status: digest.status,
        ..Progress::default()
    };
    for (status, count) in store::delivery_counts(&mut conn, digest.id).await? {
        match status.as_str() {
            "pending" => progress.queued = count,
            "sending" => progress.sending = count,
            "sent" => progress.sent = count,
            "failed" => progress.failed = count,
            _ => progress.skipped += count,
        }
        progress.total += count;
    }
    Ok(progress)
}

/// Deliveries that failed for good, with the error kept (for the admin's report).
pub async fn failures(state: &AppState, number: i64) -> Result<Vec<(i64, i64, String)>> {
    let digest = digest_of(state, number).await?;
    let mut conn = state.db.acquire().await?;
    Ok(store::failed(&mut conn, digest.id).await?)
}
