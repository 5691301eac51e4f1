//! The delivery worker: claims rows a batch at a time, sends them, records the outcomes.
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
use std::time::{Duration, SystemTime};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::message::Mailbox;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::{MappedMutexGuard, MutexGuard, watch};

use super::compose::Prepared;
use super::status::DeliveryStatus;
use super::store::{self, Claim};
use crate::clock::Timestamp;
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

/// Rows a task claims at once. A claim, and recording the rows sent, are a write each;
/// per batch they cost little. Pausing or cancelling a digest lets the batches under way
/// finish: at most this many mails a task after the click.
const BATCH: usize = 32;

/// A pool of delivery tasks sharing one rate limit.
pub struct Worker {
    site: Box<dyn Site>,
    config: DeliveryConfig,
    limiter: Option<DefaultDirectRateLimiter>,
    /// Each digest's mail, rendered once per worker.
    digests: Mutex<HashMap<i64, Arc<Prepared>>>,
    /// The one connection our tasks use, taking turns (opened on first use). Waiting for it is
    /// a wake-up, while waiting on SQLite's lock is its busy handler's sleep of milliseconds;
    /// and with every write on one connection, its page cache stays valid from one to the next
    /// (a write from another connection makes a connection read its pages again).
    writer: tokio::sync::Mutex<Option<SqliteConnection>>,
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
            writer: tokio::sync::Mutex::new(None),
        })
    }

    /// Runs `concurrency` tasks until `until` or the stop signal; each finishes its current send.
    #[tracing::instrument(skip_all, name = "digest_worker")]
    pub async fn run(
        self: Arc<Self>,
        until: Until,
        stop: watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        // As many sends in flight as there may be SMTP connections, within reason.
        let tasks = self
            .config
            .concurrency
            .clamp(1, crate::db::MAX_CONNECTIONS as usize / 2);
        // Digests left "sending" with every row settled end now, whoever queued them.
        self.finish_all().await?;
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

    /// Sends due rows one after another until none is left or the stop signal. Rows are
    /// claimed [`BATCH`] at a time and the sent ones recorded together after the batch: each
    /// was recorded as handed over before its end-of-data mark, so a crash before that record
    /// still settles them as sent (see the module comment). Other outcomes are recorded at once.
    async fn work_until_idle(
        &self,
        digest: Option<i64>,
        stop: &watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        while !*stop.borrow() {
            let claims = self.claim(digest).await?;
            if claims.is_empty() {
                return Ok(());
            }
            let subscribers: Vec<i64> = claims.iter().map(|c| c.subscriber_id).collect();
            let recipients = store::recipients(&mut *self.writer().await?, &subscribers).await?;
            let mut sent = Vec::with_capacity(claims.len());
            let mut left = claims.into_iter();
            for claim in left.by_ref() {
                let recipient = recipients.get(&claim.subscriber_id);
                match self.deliver(&claim, recipient).await {
                    Ok(true) => sent.push(claim),
                    outcome => self.record(&claim, outcome).await?,
                }
                if *stop.borrow() {
                    break;
                }
            }
            let untried: Vec<Claim> = left.collect();
            self.record_batch(&sent, &untried).await?;
        }
        Ok(())
    }

    /// Records one row's outcome. The row's outcome and its digest's end commit together:
    /// whoever settles the last row marks the digest sent, and no crash leaves it "sending"
    /// with nothing left.
    async fn record(&self, claim: &Claim, outcome: Result<bool, SendError>) -> anyhow::Result<()> {
        let (status, error, next) = self.record_of(claim, outcome);
        let mut conn = self.writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        store::finish_claim(&mut tx, claim, status, error.as_deref(), next).await?;
        let ended = store::finish_digest(&mut tx, claim.digest_id).await?;
        tx.commit().await?;
        if ended {
            self.site.content_changed();
        }
        Ok(())
    }

    /// Records a batch's sent rows, gives back its untried ones, and ends the digests with
    /// nothing left, in one transaction.
    async fn record_batch(&self, sent: &[Claim], untried: &[Claim]) -> anyhow::Result<()> {
        let mut digests: Vec<i64> = sent.iter().chain(untried).map(|c| c.digest_id).collect();
        digests.sort_unstable();
        digests.dedup();
        let mut conn = self.writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        store::finish_sent(&mut tx, sent, &crate::clock::now()).await?;
        store::release(&mut tx, untried).await?;
        let mut ended = false;
        for digest in digests {
            ended |= store::finish_digest(&mut tx, digest).await?;
        }
        tx.commit().await?;
        if ended {
            self.site.content_changed();
        }
        Ok(())
    }

    /// Marks every digest with nothing left in flight as sent (rows settled by a stale lease,
    /// or by a version that never marked them).
    async fn finish_all(&self) -> anyhow::Result<()> {
        self.finish_all_on(&mut *self.writer().await?).await
    }

    async fn finish_all_on(&self, conn: &mut SqliteConnection) -> anyhow::Result<()> {
        if store::finish_digests(conn).await? > 0 {
            self.site.content_changed();
        }
        Ok(())
    }

    /// The worker's connection, once it is this task's turn.
    async fn writer(&self) -> anyhow::Result<MappedMutexGuard<'_, SqliteConnection>> {
        let mut writer = self.writer.lock().await;
        if writer.is_none() {
            let options = self.site.db().connect_options();
            *writer = Some(SqliteConnection::connect_with(&options).await?);
        }
        MutexGuard::try_map(writer, Option::as_mut)
            .map_err(|_| anyhow::anyhow!("the worker's connection is not open"))
    }

    /// Whether there is nothing left to wait for; marks finished digests as sent.
    async fn finished(&self, digest: Option<i64>) -> anyhow::Result<bool> {
        let mut conn = self.writer().await?;
        self.finish_all_on(&mut conn).await?;
        Ok(!store::has_unfinished(&mut conn, digest).await?)
    }

    /// Claims up to [`BATCH`] due rows, or else one row a stopped worker left behind.
    async fn claim(&self, digest: Option<i64>) -> anyhow::Result<Vec<Claim>> {
        let settings = self.site.settings();
        let now = crate::clock::now();
        let message_ids: Vec<String> = (0..BATCH)
            .map(|_| crate::mail::new_message_id(&settings.base_url))
            .collect();
        let mut conn = self.writer().await?;
        let conn = &mut *conn;
        let claims = store::claim_pending(conn, digest, &now, &message_ids).await?;
        if !claims.is_empty() {
            return Ok(claims);
        }
        let lease = time::Duration::try_from(self.config.lease).unwrap_or(time::Duration::HOUR);
        let stale_before = crate::clock::after(-lease);
        if store::settle_handed(conn, digest, &stale_before).await? > 0 {
            self.finish_all_on(conn).await?;
        }
        Ok(store::claim_stale(conn, digest, &now, &stale_before)
            .await?
            .into_iter()
            .collect())
    }

    /// Sends one claimed row to `recipient` (its address and name); `Ok(false)` when the
    /// subscriber has left since it was queued.
    async fn deliver(
        &self,
        claim: &Claim,
        recipient: Option<&(String, String)>,
    ) -> Result<bool, SendError> {
        if claim.attempts > self.config.max_attempts {
            return Err(SendError::Permanent(
                "no outcome recorded after the last attempt".into(),
            ));
        }
        let internal = |e: anyhow::Error| SendError::Temporary(format!("{e:#}"));
        let digest = self.digest(claim.digest_id).await.map_err(internal)?;
        let Some((email, name)) = recipient else {
            return Ok(false);
        };
        let settings = self.site.settings();
        let address = email
            .parse()
            .map_err(|_| SendError::Permanent("invalid stored address".into()))?;
        let to = Mailbox::new(Some(name.clone()).filter(|n| !n.is_empty()), address);
        let unsubscribe = unsubscribe_url(&settings.base_url, self.site.key(), claim.subscriber_id);
        let mail = digest
            .outgoing(to, &unsubscribe, &claim.message_id, SystemTime::now())
            .map_err(|e| SendError::Permanent(format!("{e:#}")))?;
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        let mut handover = RecordHandover {
            worker: self,
            claim,
        };
        self.site
            .mailer()
            .send_outgoing(&mail, &mut handover)
            .await
            .map(|()| true)
    }

    /// The row's next status, error text and next attempt time (none: no further attempt).
    fn record_of(
        &self,
        claim: &Claim,
        outcome: Result<bool, SendError>,
    ) -> (DeliveryStatus, Option<String>, Option<Timestamp>) {
        let ids = (claim.digest_id, claim.subscriber_id, claim.attempts);
        match outcome {
            Ok(true) => (DeliveryStatus::Sent, None, None),
            Ok(false) => (DeliveryStatus::Skipped, None, None),
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
                (DeliveryStatus::Pending, Some(error), Some(next))
            }
            Err(error) => {
                tracing::warn!(
                    digest = ids.0,
                    subscriber = ids.1,
                    attempts = ids.2,
                    "delivery failed for good"
                );
                let error = Some(error.detail().to_string());
                (DeliveryStatus::Failed, error, None)
            }
        }
    }

    async fn digest(&self, id: i64) -> anyhow::Result<Arc<Prepared>> {
        if let Some(digest) = self.digests.lock().ok().and_then(|d| d.get(&id).cloned()) {
            return Ok(digest);
        }
        let row = store::by_id(&mut *self.writer().await?, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("digest {id} vanished"))?;
        let settings = self.site.settings();
        // A link as long as most recipients' (five-digit ids): lettre's choice of encoding
        // depends on line lengths, and a body is prepared for the usual choice.
        let typical = unsubscribe_url(&settings.base_url, self.site.key(), 10_000);
        let digest = Arc::new(Prepared::new(&settings, &row, &typical)?);
        if let Ok(mut digests) = self.digests.lock() {
            digests.insert(id, digest.clone());
        }
        Ok(digest)
    }
}

/// Records the handover of a claimed row before the mailer writes the message (see the
/// module comment), on the worker's connection.
struct RecordHandover<'a> {
    worker: &'a Worker,
    claim: &'a Claim,
}

#[async_trait::async_trait]
impl Handover for RecordHandover<'_> {
    async fn record(&mut self) -> bool {
        let now = crate::clock::now();
        let claim = self.claim;
        let recorded = match self.worker.writer().await {
            Ok(mut conn) => store::record_handover(&mut conn, claim, &now)
                .await
                .map_err(anyhow::Error::from),
            Err(error) => Err(error),
        };
        match recorded {
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
