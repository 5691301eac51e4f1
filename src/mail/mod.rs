//! Sending mail: over SMTP with lettre, or into an outbox folder when no SMTP server is set,
//! so a fresh install works. Addresses never reach the logs.

mod headers;
mod outbox;
mod smtp;
mod smtp_server;
mod spliced;

use std::path::PathBuf;
use std::sync::Arc;

use lettre::Message;
use lettre::address::Envelope;

pub use headers::{ListUnsubscribe, ListUnsubscribePost};
pub use outbox::OutboxMailer;
pub use smtp::{SMTP_TIMEOUT, SmtpMailer};
pub use spliced::SplicedBody;

/// How long a claimed delivery belongs to its worker: well past the SMTP timeout, so the
/// first attempt is certainly over before anyone tries again.
pub const SMTP_LEASE: std::time::Duration = std::time::Duration::from_secs(120);

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: a 4xx reply, a timeout, a connection that failed.
    #[error("temporary: {0}")]
    Temporary(String),
    /// Trying again will not help: a 5xx reply, a message that cannot be built.
    #[error("permanent: {0}")]
    Permanent(String),
}

impl SendError {
    /// The error's text, kept with the delivery (never logged: servers echo addresses).
    pub fn detail(&self) -> &str {
        match self {
            Self::Temporary(text) | Self::Permanent(text) => text,
        }
    }
}

/// Awaited once, right before a message is written out to become final (for SMTP: after the
/// server said "354 go ahead", before the body and its end-of-data mark). Returning false
/// abandons the message unsent. This is where a sender records "handed over": from then on
/// the message may be delivered even if the process dies before it hears the server's answer.
#[async_trait::async_trait]
pub trait Handover: Send {
    /// Records the handover; false when it could not be recorded.
    async fn record(&mut self) -> bool;
}

/// A plain function as a handover, for a record kept in memory (or none: `|| true`).
#[async_trait::async_trait]
impl<F: FnMut() -> bool + Send> Handover for F {
    async fn record(&mut self) -> bool {
        self()
    }
}

/// A message as it goes out: its bytes, its envelope and its Message-ID. A digest writes its
/// mails this way directly (see `digest::compose`), without a lettre [`Message`] each.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub envelope: Envelope,
    /// With its angle brackets; empty when the message has none.
    pub message_id: String,
    /// The whole message, headers and body, lines ending `\r\n`.
    pub bytes: Vec<u8>,
}

impl From<&Message> for Outgoing {
    fn from(message: &Message) -> Self {
        Self {
            envelope: message.envelope().clone(),
            message_id: message
                .headers()
                .get_raw("Message-ID")
                .unwrap_or_default()
                .to_string(),
            bytes: message.formatted(),
        }
    }
}

/// Hands a finished message to whatever delivers mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one formatted message to the recipients of its envelope, calling `handover` first.
    async fn send_outgoing(
        &self,
        mail: &Outgoing,
        handover: &mut dyn Handover,
    ) -> Result<(), SendError>;

    /// Sends one message to the recipients of its envelope, calling `handover` first.
    async fn send_with_handover(
        &self,
        message: Message,
        handover: &mut dyn Handover,
    ) -> Result<(), SendError> {
        self.send_outgoing(&Outgoing::from(&message), handover)
            .await
    }

    /// Sends one message to the recipients of its envelope.
    async fn send(&self, message: Message) -> Result<(), SendError> {
        self.send_with_handover(message, &mut || true).await
    }

    /// Whether mail reaches its recipients (the outbox folder only keeps it).
    fn delivers(&self) -> bool {
        true
    }
}

/// Where mail goes: `SHOWNOTES_SMTP_URL`, or else the outbox folder.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://host:587?tls=required`, `smtps://user:pass@host`.
    pub smtp_url: Option<String>,
    /// Folder for `.eml` files when no SMTP server is set.
    pub outbox: PathBuf,
    /// How many SMTP connections may be open at once.
    pub connections: u32,
}

/// The mailer for a configuration.
pub fn mailer(config: &MailConfig) -> anyhow::Result<Arc<dyn Mailer>> {
    match config.smtp_url.as_deref().filter(|url| !url.is_empty()) {
        Some(url) => Ok(Arc::new(SmtpMailer::from_url(url, config.connections)?)),
        None => Ok(Arc::new(OutboxMailer::new(config.outbox.clone()))),
    }
}

/// The address the show configured for its mail: the digest sender setting, else the owner's
/// address; named after the show when it has no name. `None` when neither is set.
pub fn configured_sender(settings: &crate::settings::Settings) -> Option<lettre::message::Mailbox> {
    use lettre::message::Mailbox;
    [&settings.digest_sender, &settings.owner_email]
        .into_iter()
        .find_map(|configured| configured.trim().parse::<Mailbox>().ok())
        .map(|mailbox| match mailbox.name {
            Some(_) => mailbox,
            None => Mailbox::new(Some(settings.title.clone()), mailbox.email),
        })
}

/// The From of every mail: the configured sender, else a no-reply address at the site's host,
/// named after the show.
pub fn sender(settings: &crate::settings::Settings) -> lettre::message::Mailbox {
    use lettre::message::Mailbox;
    if let Some(configured) = configured_sender(settings) {
        return configured;
    }
    let address = format!("noreply@{}", mail_domain(&settings.base_url))
        .parse()
        .unwrap_or_else(|_| lettre::Address::new("noreply", "localhost").expect("a valid address"));
    Mailbox::new(Some(settings.title.clone()), address)
}

/// The domain for Message-IDs and fallback addresses: the site's host, or `localhost`.
pub fn mail_domain(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|host| host.contains('.') && !host.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .unwrap_or_else(|| "localhost".to_string())
}

/// A fresh, globally unique Message-ID (with its angle brackets).
pub fn new_message_id(base_url: &str) -> String {
    format!(
        "<{}@{}>",
        crate::keys::random_token(),
        mail_domain(base_url)
    )
}

/// A one-part plain-text mail (confirmation links and notices).
pub fn plain_message(
    settings: &crate::settings::Settings,
    to: lettre::message::Mailbox,
    subject: &str,
    text: String,
) -> anyhow::Result<Message> {
    use lettre::message::header::ContentType;
    Ok(Message::builder()
        .from(sender(settings))
        .to(to)
        .subject(subject)
        .message_id(Some(new_message_id(&settings.base_url)))
        .header(ContentType::TEXT_PLAIN)
        .body(text)?)
}
