//! UTC timestamps in one fixed-width RFC 3339 form, so text comparison in SQL is time order.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// Now, e.g. `2025-05-19T17:00:00.000000Z`.
pub fn now() -> String {
    at(OffsetDateTime::now_utc())
}

/// Now plus `offset` (negative for the past).
pub fn after(offset: Duration) -> String {
    at(OffsetDateTime::now_utc() + offset)
}

/// A moment in the stored form.
pub fn at(moment: OffsetDateTime) -> String {
    // The format has only numeric fields of a UTC date, which always format.
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .expect("a UTC date formats")
}

/// A time a person chose (a publication time), to the second: `2025-05-27T08:00:00Z`.
pub fn stamp(moment: OffsetDateTime) -> String {
    let whole_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    // Numeric fields of a UTC date always format.
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(whole_seconds)
        .expect("a UTC date formats")
}

/// A moment in an episode's audio, as players show it: `420` → `7:00`, `3723` → `1:02:03`.
pub fn clock_time(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Reads a stored timestamp back.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(text, FORMAT)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_moments_sort_after_earlier_ones_as_text() {
        let earlier = after(Duration::milliseconds(-1500));
        let later = now();
        assert!(earlier < later, "{earlier} {later}");
        assert_eq!(parse(&later).map(at), Some(later.clone()));
        assert_eq!(later.len(), "2025-05-19T17:00:00.000000Z".len());
    }

    #[test]
    fn times_in_the_audio_read_as_players_show_them() {
        assert_eq!(clock_time(0), "0:00");
        assert_eq!(clock_time(420), "7:00");
        assert_eq!(clock_time(3723), "1:02:03");
    }
}
