//! Mail written as `.eml` files: what a fresh install does until SMTP is configured.

use std::path::PathBuf;

use super::{Handover, Mailer, Outgoing, SendError};

/// Writes each message to `<dir>/<message-id>.eml`.
pub struct OutboxMailer {
    dir: PathBuf,
}

impl OutboxMailer {
    /// A mailer writing into `dir` (created on first use).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }
}

#[async_trait::async_trait]
impl Mailer for OutboxMailer {
    /// Writes the mail under a temporary name and renames it into place after the handover:
    /// the `.eml` appears whole, or not at all.
    async fn send_outgoing(
        &self,
        mail: &Outgoing,
        handover: &mut dyn Handover,
    ) -> Result<(), SendError> {
        let id = Some(file_name_of(&mail.message_id))
            .filter(|id| !id.is_empty())
            .unwrap_or_else(crate::keys::random_token);
        let io = |e: std::io::Error| SendError::Temporary(format!("outbox: {e}"));
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let path = self.dir.join(format!("{id}.eml"));
        let partial = self.dir.join(format!("{id}.eml.part"));
        tokio::fs::write(&partial, &mail.bytes).await.map_err(io)?;
        if !handover.record().await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(SendError::Temporary("the handover was not recorded".into()));
        }
        tokio::fs::rename(&partial, &path).await.map_err(io)
    }

    /// The outbox only keeps mail: nobody receives it.
    fn delivers(&self) -> bool {
        false
    }
}

/// A Message-ID made safe as a file name.
fn file_name_of(message_id: &str) -> String {
    message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
