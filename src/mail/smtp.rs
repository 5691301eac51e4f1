//! SMTP through lettre's pooled async transport (rustls for `smtps://` and STARTTLS).

use std::time::Duration;

use anyhow::Context;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Mailer, SendError};

/// How long one SMTP exchange may take; the delivery lease is longer than this.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A pool of SMTP connections to one server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    /// Connects lazily to the server of `url`; the URL (it may hold a password) is never logged.
    pub fn from_url(url: &str, connections: u32) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SHOWNOTES_SMTP_URL is not a valid smtp:// or smtps:// URL")?
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(connections.max(1)))
            .build();
        Ok(Self { transport })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            // 4xx, timeouts, refused connections: the server may take it later.
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }
}
