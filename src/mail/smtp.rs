//! SMTP over a small pool of kept-open connections (rustls for `smtps://` and STARTTLS).

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use tokio::sync::Semaphore;

use super::smtp_server::{Server, classify};
use super::{Mailer, SendError};

/// How long one SMTP exchange may take; the delivery lease is longer than this.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection idle longer than this is checked with NOOP before it is used again.
const RECHECK_AFTER: Duration = Duration::from_secs(1);

/// A connection idle longer than this is closed rather than reused (servers drop them anyway).
const IDLE_LIMIT: Duration = Duration::from_secs(60);

struct Parked {
    conn: AsyncSmtpConnection,
    since: Instant,
}

/// A pool of SMTP connections to one server.
pub struct SmtpMailer {
    server: Server,
    idle: Mutex<Vec<Parked>>,
    /// One permit per connection that may be open at once.
    slots: Semaphore,
}

impl SmtpMailer {
    /// Connects lazily to the server of `url`; the URL (it may hold a password) is never logged.
    pub fn from_url(url: &str, connections: u32) -> anyhow::Result<Self> {
        let server = Server::from_url(url)
            .context("SHOWNOTES_SMTP_URL is not a valid smtp:// or smtps:// URL")?;
        let size = usize::try_from(connections.max(1)).unwrap_or(1);
        Ok(Self {
            server,
            idle: Mutex::new(Vec::with_capacity(size)),
            slots: Semaphore::new(size),
        })
    }

    async fn exchange(&self, envelope: &Envelope, email: &[u8]) -> Result<(), SendError> {
        let mut conn = self.checkout().await?;
        let outcome = conn.send(envelope, email).await;
        // lettre marks a connection broken after any failed command; only good ones go back.
        if !conn.has_broken() {
            self.park(conn);
        }
        outcome.map(|_| ()).map_err(classify)
    }

    /// An open connection: a parked one that still answers, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, SendError> {
        while let Some(Parked { mut conn, since }) = self.unpark() {
            let idle = since.elapsed();
            if idle < RECHECK_AFTER || (idle < IDLE_LIMIT && conn.test_connected().await) {
                return Ok(conn);
            }
            conn.abort().await;
        }
        self.server.connect().await
    }

    fn unpark(&self) -> Option<Parked> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    fn park(&self, conn: AsyncSmtpConnection) {
        let parked = Parked {
            conn,
            since: Instant::now(),
        };
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(parked);
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        let email = message.formatted();
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| SendError::Temporary("mailer closed".into()))?;
        tokio::time::timeout(SMTP_TIMEOUT, self.exchange(message.envelope(), &email))
            .await
            .unwrap_or_else(|_| Err(SendError::Temporary("SMTP timeout".into())))
    }
}
