//! SMTP over a small pool of kept-open connections (rustls for `smtps://` and STARTTLS).

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::FutureExt;
use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use tokio::sync::Semaphore;

use super::smtp_server::{Server, classify};
use super::{Handover, Mailer, SendError};

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

    async fn exchange(
        &self,
        envelope: &Envelope,
        email: &[u8],
        handover: Handover<'_>,
    ) -> Result<(), SendError> {
        let mut conn = self.checkout().await?;
        let outcome = AssertUnwindSafe(transact(&mut conn, envelope, email, handover))
            .catch_unwind()
            .await;
        match outcome {
            Ok(Ok(_)) => {
                self.park(conn);
                Ok(())
            }
            Ok(Err(error)) => {
                conn.abort().await;
                Err(classify(error))
            }
            // Dropping the connection mid-DATA closes it; a server discards a message whose
            // end-of-data mark never came.
            Err(payload) if payload.is::<HandoverRefused>() => Err(SendError::Temporary(
                "the handover was not recorded; the message was abandoned".into(),
            )),
            Err(payload) => std::panic::resume_unwind(payload),
        }
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
    async fn send_with_handover(
        &self,
        message: Message,
        handover: Handover<'_>,
    ) -> Result<(), SendError> {
        let email = message.formatted();
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| SendError::Temporary("mailer closed".into()))?;
        let exchange = self.exchange(message.envelope(), &email, handover);
        tokio::time::timeout(SMTP_TIMEOUT, exchange)
            .await
            .unwrap_or_else(|_| Err(SendError::Temporary("SMTP timeout".into())))
    }
}

/// Unwinds out of lettre's DATA writer when the handover could not be recorded: the only way
/// to stop it before it writes the end-of-data mark. (`resume_unwind` skips the panic hook.)
struct HandoverRefused;

/// One mail transaction, as lettre's `send` runs it, except that `handover` is called between
/// the message body and the end-of-data mark.
async fn transact(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    email: &[u8],
    handover: Handover<'_>,
) -> Result<Response, lettre::transport::smtp::Error> {
    let mut options = Vec::new();
    let non_ascii_addresses = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|address| !AsRef::<str>::as_ref(address).is_ascii());
    if non_ascii_addresses {
        options.push(MailParameter::SmtpUtfEight);
    }
    if !email.is_ascii() {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    conn.command(Mail::new(envelope.from().cloned(), options))
        .await?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), Vec::new())).await?;
    }
    conn.command(Data).await?;
    conn.message_iter(BodyThenHandover {
        body: Some(email),
        handover,
    })
    .await
}

/// Yields the message body; when asked for more, calls the handover and ends, so that lettre
/// writes the end-of-data mark right after it.
struct BodyThenHandover<'a, 'h> {
    body: Option<&'a [u8]>,
    handover: Handover<'h>,
}

impl<'a> Iterator for BodyThenHandover<'a, '_> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if let Some(body) = self.body.take() {
            return Some(body);
        }
        if !(self.handover)() {
            std::panic::resume_unwind(Box::new(HandoverRefused));
        }
        None
    }
}
