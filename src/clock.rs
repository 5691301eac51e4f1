//! Timestamps as the database keeps them: UTC, RFC 3339, whole seconds, so text order is time order.

use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

/// Formats a time as `2025-05-27T08:00:00Z`.
pub fn stamp(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Now, stamped.
pub fn now() -> String {
    stamp(OffsetDateTime::now_utc())
}

/// `offset` from now, stamped.
pub fn from_now(offset: Duration) -> String {
    stamp(OffsetDateTime::now_utc() + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_have_whole_seconds_in_utc() {
        let at = OffsetDateTime::from_unix_timestamp(1_748_332_800)
            .unwrap()
            .to_offset(UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(stamp(at), "2025-05-27T08:00:00Z");
        assert!(from_now(Duration::hours(1)) > now());
    }
}
