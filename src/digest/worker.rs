//! The delivery worker: claims one row at a time, sends it, records the outcome.
//!
//! Exactly once, even when the process is killed: a row is claimed (`sending`, its Message-ID
//! fixed), and the SMTP transaction runs up to the server's go-ahead for the message. Then the
//! row records `handed_at` (an awaited update, see [`crate::mail::Handover`]), and only then are
//! the message and its end-of-data mark written: the server can accept the message no earlier
//! than that record exists. After a crash, a row left in `sending`
//! - without `handed_at` never reached the server whole (servers drop a message whose mark
//!   never came), so once its lease has run out it is sent again, with the same Message-ID;
//! - with `handed_at` was handed over, so it is settled as sent and never transmitted again.
//!
//! What remains is the moment between the record and the write of the mark (the message goes
//! into the socket's buffer at once, see `mail::smtp_server::SEND_BUFFER`): a process killed
//! exactly there leaves a row settled as sent that the server never got, and the row says so.
//! Every confirmed subscriber's row ends `sent`, `failed` or `skipped`.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::message::Mailbox;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::watch;

use super::compose::Prepared;
use super::status::DeliveryStatus;
use super::store::{self, Claim};
use crate::keys::SiteKey;
use crate::mail::{Handover, Mailer, SendError};
use crate::settings::Settings;
use crate::subscribers::subscribe::unsubscribe_url;

/// What the worker needs from the running site (the app's state provides it).
pub trait Site: Send + Sync + 'static {
    /// The database.
    fn db(&self) -> &SqlitePool;
    /// Where mail goes.
    fn mailer(&self) -> &dyn Mailer;
    /// The key unsubscribe links are signed with.
    fn key(&self) -> &SiteKey;
    /// The settings as they are now: an admin may change them while the worker runs.
    fn settings(&self) -> Arc<Settings>;
    /// Called when a digest is sent: the public archive changes.
    fn content_changed(&self);
}

/// How deliveries are paced and retried.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// Sends in flight at once.
    pub concurrency: usize,
    /// Mails per second at most; `None` for no limit.
    pub rate: Option<NonZeroU32>,
    /// Attempts before a temporary failure becomes final.
    pub max_attempts: i64,
    /// Wait before the first retry; doubled for each further one.
    pub retry_base: Duration,
    /// How long a claimed row belongs to its worker before it counts as abandoned.
    pub lease: Duration,
    /// How often an idle worker looks for new work.
    pub idle_poll: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            rate: NonZeroU32::new(50),
            max_attempts: 5,
            retry_base: Duration::from_secs(60),
            lease: crate::mail::SMTP_LEASE,
            idle_poll: Duration::from_secs(1),
        }
    }
}

/// When a worker stops besides the stop signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Only on the stop signal (`serve`).
    Stopped,
    /// When this digest has nothing left in flight (`digest send N`).
    DigestDone(i64),
    /// When no sending digest has anything left in flight (tests).
    Idle,
}

/// Starts the worker `serve` runs: it delivers every sending digest until `stop`.
pub fn spawn_serving(
    site: impl Site,
    config: DeliveryConfig,
    stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    tokio::spawn(Worker::new(site, config).run(Until::Stopped, stop))
}

/// A pool of delivery tasks sharing one rate limit.
pub struct Worker {
    site: Box<dyn Site>,
    config: DeliveryConfig,
    limiter: Option<DefaultDirectRateLimiter>,
    /// Each digest's mail, rendered once per worker.
    digests: Mutex<HashMap<i64, Arc<Prepared>>>,
    /// Our tasks take turns to write: waiting here is a wake-up, while waiting on SQLite's
    /// lock is its busy handler's sleep of milliseconds.
    writing: tokio::sync::Mutex<()>,
}

impl Worker {
    /// A worker sending with the site's mailer.
    pub fn new(site: impl Site, config: DeliveryConfig) -> Arc<Self> {
        let limiter = config
            .rate
            .map(|rate| RateLimiter::direct(Quota::per_second(rate)));
        Arc::new(Self {
            site: Box::new(site),
            config,
            limiter,
            digests: Mutex::new(HashMap::new()),
            writing: tokio::sync::Mutex::new(()),
        })
    }

    /// Runs `concurrency` tasks until `until` or the stop signal; each finishes its current send.
    #[tracing::instrument(skip_all, name = "digest_worker")]
    pub async fn run(
        self: Arc<Self>,
        until: Until,
        stop: watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        // Each busy task holds a connection: half the pool stays for everyone else.
        let tasks = self
            .config
            .concurrency
            .clamp(1, crate::db::MAX_CONNECTIONS as usize / 2);
        // Digests left "sending" with every row settled end now, whoever queued them.
        self.finish_all(&mut *self.site.db().acquire().await?)
            .await?;
        let tasks: Vec<_> = (0..tasks)
            .map(|_| tokio::spawn(self.clone().task(until, stop.clone())))
            .collect();
        for task in tasks {
            task.await?;
        }
        Ok(())
    }

    async fn task(self: Arc<Self>, until: Until, mut stop: watch::Receiver<bool>) {
        let digest = match until {
            Until::DigestDone(id) => Some(id),
            _ => None,
        };
        while !*stop.borrow() {
            match self.work_until_idle(digest, &stop).await {
                Ok(()) => {
                    if until != Until::Stopped && self.finished(digest).await.unwrap_or(false) {
                        return;
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "delivery worker error")
                }
            }
            tokio::select! {
                () = tokio::time::sleep(self.config.idle_poll) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// Sends due rows one after another on one connection (which the handover needs at hand)
    /// until none is left or the stop signal; an idle task holds no connection.
    async fn work_until_idle(
        &self,
        digest: Option<i64>,
        stop: &watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let mut conn = self.site.db().acquire().await?;
        while !*stop.borrow() {
            let Some(claim) = self.claim(&mut conn, digest).await? else {
                return Ok(());
            };
            let outcome = self.deliver(&mut conn, &claim).await;
            let (status, error, next) = self.record_of(&claim, outcome);
            let _turn = self.writing.lock().await;
            // The row's outcome and its digest's end commit together: whoever settles the
            // last row marks the digest sent, and no crash leaves it "sending" with nothing left.
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            store::finish_claim(&mut tx, &claim, status, error.as_deref(), &next).await?;
            let ended = store::finish_digest(&mut tx, claim.digest_id).await?;
            tx.commit().await?;
            if ended {
                self.site.content_changed();
            }
        }
        Ok(())
    }

    /// Marks every digest with nothing left in flight as sent (rows settled by a stale lease,
    /// or by a version that never marked them).
    async fn finish_all(&self, conn: &mut SqliteConnection) -> anyhow::Result<()> {
        if store::finish_digests(conn).await? > 0 {
            self.site.content_changed();
        }
        Ok(())
    }

    /// Whether there is nothing left to wait for; marks finished digests as sent.
    async fn finished(&self, digest: Option<i64>) -> anyhow::Result<bool> {
        let mut conn = self.site.db().acquire().await?;
        self.finish_all(&mut conn).await?;
        Ok(!store::has_unfinished(&mut conn, digest).await?)
    }

    async fn claim(
        &self,
        conn: &mut SqliteConnection,
        digest: Option<i64>,
    ) -> anyhow::Result<Option<Claim>> {
        let settings = self.site.settings();
        let now = crate::clock::now();
        let message_id = crate::mail::new_message_id(&settings.base_url);
        let _turn = self.writing.lock().await;
        if let Some(claim) = store::claim_pending(conn, digest, &now, &message_id).await? {
            return Ok(Some(claim));
        }
        let lease = time::Duration::try_from(self.config.lease).unwrap_or(time::Duration::HOUR);
        let stale_before = crate::clock::after(-lease);
        if store::settle_handed(conn, digest, &stale_before).await? > 0 {
            self.finish_all(conn).await?;
        }
        Ok(store::claim_stale(conn, digest, &now, &stale_before).await?)
    }

    /// Sends one claimed row; `Ok(false)` when the subscriber has left since it was queued.
    async fn deliver(&self, conn: &mut SqliteConnection, claim: &Claim) -> Result<bool, SendError> {
        if claim.attempts > self.config.max_attempts {
            return Err(SendError::Permanent(
                "no outcome recorded after the last attempt".into(),
            ));
        }
        let internal = |e: anyhow::Error| SendError::Temporary(format!("{e:#}"));
        let digest = self.digest(conn, claim.digest_id).await.map_err(internal)?;
        let recipient = store::recipient(conn, claim.subscriber_id)
            .await
            .map_err(|e| internal(e.into()))?;
        let Some((email, name)) = recipient else {
            return Ok(false);
        };
        let settings = self.site.settings();
        let address = email
            .parse()
            .map_err(|_| SendError::Permanent("invalid stored address".into()))?;
        let to = Mailbox::new(Some(name).filter(|n| !n.is_empty()), address);
        let unsubscribe = unsubscribe_url(&settings.base_url, self.site.key(), claim.subscriber_id);
        let message = digest
            .message(to, &unsubscribe, &claim.message_id, &digest.subject)
            .map_err(|e| SendError::Permanent(format!("{e:#}")))?;
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        let mut handover = RecordHandover { conn, claim };
        self.site
            .mailer()
            .send_with_handover(message, &mut handover)
            .await
            .map(|()| true)
    }

    /// The row's next status, error text and next attempt time.
    fn record_of(
        &self,
        claim: &Claim,
        outcome: Result<bool, SendError>,
    ) -> (DeliveryStatus, Option<String>, String) {
        let ids = (claim.digest_id, claim.subscriber_id, claim.attempts);
        match outcome {
            Ok(true) => (DeliveryStatus::Sent, None, String::new()),
            Ok(false) => (DeliveryStatus::Skipped, None, String::new()),
            Err(SendError::Temporary(error)) if claim.attempts < self.config.max_attempts => {
                tracing::info!(
                    digest = ids.0,
                    subscriber = ids.1,
                    attempts = ids.2,
                    "temporary failure, will retry"
                );
                let factor =
                    2u32.saturating_pow(u32::try_from(claim.attempts - 1).unwrap_or(0).min(16));
                let wait = self
                    .config
                    .retry_base
                    .saturating_mul(factor)
                    .min(Duration::from_secs(6 * 3600));
                let wait = time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
                let next = crate::clock::after(wait);
                (DeliveryStatus::Pending, Some(error), next)
            }
            Err(error) => {
                tracing::warn!(
                    digest = ids.0,
                    subscriber = ids.1,
                    attempts = ids.2,
                    "delivery failed for good"
                );
                let error = Some(error.detail().to_string());
                (DeliveryStatus::Failed, error, String::new())
            }
        }
    }

    async fn digest(&self, conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Arc<Prepared>> {
        if let Some(digest) = self.digests.lock().ok().and_then(|d| d.get(&id).cloned()) {
            return Ok(digest);
        }
        let row = store::by_id(conn, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("digest {id} vanished"))?;
        let digest = Arc::new(Prepared::new(&self.site.settings(), &row)?);
        if let Ok(mut digests) = self.digests.lock() {
            digests.insert(id, digest.clone());
        }
        Ok(digest)
    }
}

/// Records the handover of a claimed row before the mailer writes the message (see the
/// module comment), on the connection the row was claimed with.
struct RecordHandover<'a> {
    conn: &'a mut SqliteConnection,
    claim: &'a Claim,
}

#[async_trait::async_trait]
impl Handover for RecordHandover<'_> {
    async fn record(&mut self) -> bool {
        let now = crate::clock::now();
        let claim = self.claim;
        match store::record_handover(self.conn, claim, &now).await {
            Ok(true) => true,
            Ok(false) => {
                tracing::warn!(
                    digest = claim.digest_id,
                    subscriber = claim.subscriber_id,
                    "delivery taken over by another worker; not sent"
                );
                false
            }
            Err(error) => {
                tracing::warn!(%error, "handover not recorded; not sent");
                false
            }
        }
    }
}
