//! The words a digest and its deliveries are in, as stored in `digests.status` and
//! `deliveries.status` (issue #14: statuses as types, not bare strings).

use std::fmt;

/// Where a digest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum DigestStatus {
    /// Created from the notes; may still be re-rendered.
    Draft,
    /// Queued: workers hand out its deliveries.
    Sending,
    /// Queued, but nothing is handed out until it resumes.
    Paused,
    /// Every delivery has its outcome.
    Sent,
    /// Stopped for good; what was not sent is skipped.
    Cancelled,
}

impl DigestStatus {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sending => "sending",
            Self::Paused => "paused",
            Self::Sent => "sent",
            Self::Cancelled => "cancelled",
        }
    }

    /// A draft may be re-rendered from the notes, and sent.
    pub fn is_draft(self) -> bool {
        self == Self::Draft
    }

    /// Pausing is allowed while it sends.
    pub fn can_pause(self) -> bool {
        self == Self::Sending
    }

    /// Resuming is allowed while it is paused.
    pub fn can_resume(self) -> bool {
        self == Self::Paused
    }

    /// Cancelling is allowed until it is sent or cancelled.
    pub fn can_cancel(self) -> bool {
        matches!(self, Self::Draft | Self::Sending | Self::Paused)
    }

    /// The status as the admin reads it: "sent, 2 failed" when some mail never arrived.
    pub fn label(self, failed: i64) -> String {
        if self == Self::Sent && failed > 0 {
            format!("sent, {failed} failed")
        } else {
            self.as_str().to_string()
        }
    }
}

impl fmt::Display for DigestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one subscriber's copy of a digest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for a worker (or for its retry time).
    Pending,
    /// Claimed by a worker.
    Sending,
    /// The server took it.
    Sent,
    /// Failed for good.
    Failed,
    /// Never sent: the subscriber left or the digest was cancelled.
    Skipped,
}

impl DeliveryStatus {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_words_are_the_serialized_ones() {
        for status in [
            DigestStatus::Draft,
            DigestStatus::Sending,
            DigestStatus::Paused,
            DigestStatus::Sent,
            DigestStatus::Cancelled,
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(DigestStatus::Sent.label(2), "sent, 2 failed");
        assert_eq!(DigestStatus::Paused.label(2), "paused");
    }
}
