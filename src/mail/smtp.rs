//! SMTP over a small pool of kept-open connections (rustls for `smtps://` and STARTTLS).

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use tokio::sync::Semaphore;

use super::smtp_server::{Server, classify};
use super::{Handover, Mailer, Outgoing, SendError};

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
        handover: &mut dyn Handover,
    ) -> Result<(), SendError> {
        let mut conn = self.checkout().await?;
        match transact(&mut conn, envelope, email, handover).await {
            Ok(_) => {
                self.park(conn);
                Ok(())
            }
            Err(Failed::Smtp(error)) => {
                conn.abort().await;
                Err(classify(error))
            }
            // Dropping the connection mid-DATA closes it; a server discards a message whose
            // end-of-data mark never came.
            Err(Failed::NotHandedOver) => Err(SendError::Temporary(
                "the handover was not recorded; the message was abandoned".into(),
            )),
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
    async fn send_outgoing(
        &self,
        mail: &Outgoing,
        handover: &mut dyn Handover,
    ) -> Result<(), SendError> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| SendError::Temporary("mailer closed".into()))?;
        let exchange = self.exchange(&mail.envelope, &mail.bytes, handover);
        tokio::time::timeout(SMTP_TIMEOUT, exchange)
            .await
            .unwrap_or_else(|_| Err(SendError::Temporary("SMTP timeout".into())))
    }
}

/// Why a mail transaction stopped.
enum Failed {
    /// The server or the connection failed.
    Smtp(lettre::transport::smtp::Error),
    /// The handover could not be recorded, so the message was not written.
    NotHandedOver,
}

impl From<lettre::transport::smtp::Error> for Failed {
    fn from(error: lettre::transport::smtp::Error) -> Self {
        Self::Smtp(error)
    }
}

/// One mail transaction, as lettre's `send` runs it, except that the handover is recorded
/// between the server's go-ahead for DATA and the message (body and end-of-data mark, which
/// go out in one write: see `smtp_server::SEND_BUFFER`).
async fn transact(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    email: &[u8],
    handover: &mut dyn Handover,
) -> Result<Response, Failed> {
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
    if !handover.record().await {
        return Err(Failed::NotHandedOver);
    }
    match data_with_mark(email) {
        Some(data) => Ok(conn.command(data.as_str()).await?),
        None => Ok(conn.message(email).await?),
    }
}

/// The DATA lettre's `message` writes (every line starting with a dot gets a second one, and
/// the end-of-data mark follows), as one text: one write instead of two, and no copy byte by
/// byte. `None` for a message that is not UTF-8 (lettre's own path takes it).
fn data_with_mark(email: &[u8]) -> Option<String> {
    let mut rest = std::str::from_utf8(email).ok()?;
    let mut data = String::with_capacity(email.len() + 16);
    if rest.starts_with('.') {
        data.push('.');
    }
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), b"\r\n.") {
        let (line, after) = rest.split_at(at + 3);
        data.push_str(line);
        data.push('.');
        rest = after;
    }
    data.push_str(rest);
    data.push_str("\r\n.\r\n");
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_starting_a_line_are_doubled_and_the_mark_follows() {
        assert_eq!(
            data_with_mark(b".a\r\n.\r\nb.c\r\n..d\n.e").unwrap(),
            "..a\r\n..\r\nb.c\r\n...d\n.e\r\n.\r\n"
        );
        assert_eq!(data_with_mark(&[0xff, b'a']), None);
    }
}
