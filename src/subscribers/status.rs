//! The words a subscriber's row is in, as stored in `subscribers.status` (issue #14).

use std::fmt;

/// Where a subscriber stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum SubscriberStatus {
    /// Signed up; the confirmation link is not used yet.
    Pending,
    /// Gets the digest.
    Confirmed,
    /// Left; a new sign-up may bring them back.
    Unsubscribed,
    /// Address and name removed for good; the row stays for the counts.
    Erased,
}

impl SubscriberStatus {
    /// The statuses a host can filter the list by.
    pub const LISTED: [Self; 3] = [Self::Pending, Self::Confirmed, Self::Unsubscribed];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Unsubscribed => "unsubscribed",
            Self::Erased => "erased",
        }
    }

    /// One of the listed statuses, by its word.
    pub fn listed(word: &str) -> Option<Self> {
        Self::LISTED.into_iter().find(|s| s.as_str() == word)
    }
}

impl fmt::Display for SubscriberStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
