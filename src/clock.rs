//! Time as the project stores it: [`Timestamp`], one UTC moment to the microsecond, stored as
//! fixed-width RFC 3339 text (`2025-05-19T17:00:00.000000Z`) so that text comparison in SQL is
//! time order, whoever wrote the value (a host's chosen publication time, a session's expiry,
//! a delivery's lease).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Sqlite};
use time::format_description::FormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

/// The stored form.
const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The outward form of a moment without a fraction of a second (the API, exports).
const WHOLE_SECONDS: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// A moment in UTC, to the microsecond: every stored time is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// `moment` in UTC, cut to the microsecond (what the stored form holds).
    pub fn of(moment: OffsetDateTime) -> Self {
        let utc = moment.to_offset(UtcOffset::UTC);
        let micros = utc.microsecond();
        Self(utc.replace_microsecond(micros).unwrap_or(utc))
    }

    /// Reads a stored time, or any RFC 3339 time (an import's, an older database's whole
    /// seconds, another zone's offset).
    pub fn parse(text: &str) -> Option<Self> {
        time::PrimitiveDateTime::parse(text, FORMAT)
            .map(time::PrimitiveDateTime::assume_utc)
            .or_else(|_| OffsetDateTime::parse(text, &Rfc3339))
            .ok()
            .map(Self::of)
    }

    /// The moment as `time` knows it, in UTC.
    pub fn moment(self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since 1970.
    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The stored form, `2025-05-19T17:00:00.000000Z`: fixed width, so text order is time order.
    pub fn stored(self) -> String {
        // Numeric fields of a UTC date always format.
        self.0.format(FORMAT).expect("a UTC date formats")
    }

    /// RFC 3339 as people write it: whole seconds when there is no fraction
    /// (`2025-05-27T08:00:00Z`), the stored form otherwise. Pages, the API and exports use it.
    pub fn rfc3339(self) -> String {
        let format = match self.0.nanosecond() {
            0 => WHOLE_SECONDS,
            _ => FORMAT,
        };
        // Numeric fields of a UTC date always format.
        self.0.format(format).expect("a UTC date formats")
    }
}

impl std::ops::Add<Duration> for Timestamp {
    type Output = Self;

    fn add(self, offset: Duration) -> Self {
        Self::of(self.0 + offset)
    }
}

/// As [`Timestamp::rfc3339`] writes it (a page's `<time datetime>`).
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl sqlx::Type<Sqlite> for Timestamp {
    fn type_info() -> SqliteTypeInfo {
        <str as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <str as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Timestamp {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.stored(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
        Self::parse(text).ok_or_else(|| format!("{text:?} is not a stored time").into())
    }
}

/// In JSON as [`Timestamp::rfc3339`] writes it.
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339())
    }
}

/// Any RFC 3339 time.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not an RFC 3339 time like 2025-05-19T17:00:00Z"
            ))
        })
    }
}

/// Now.
pub fn now() -> Timestamp {
    Timestamp::of(OffsetDateTime::now_utc())
}

/// Now plus `offset` (negative for the past).
pub fn after(offset: Duration) -> Timestamp {
    now() + offset
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_moments_sort_after_earlier_ones_as_text() {
        let earlier = after(Duration::milliseconds(-1500)).stored();
        let later = now().stored();
        assert!(earlier < later, "{earlier} {later}");
        assert_eq!(
            Timestamp::parse(&later).map(Timestamp::stored),
            Some(later.clone())
        );
        assert_eq!(later.len(), "2025-05-19T17:00:00.000000Z".len());
    }

    #[test]
    fn a_chosen_whole_second_sorts_before_any_moment_inside_that_second() {
        // A publication time typed to the minute, and the scheduler's clock a little later.
        let chosen = Timestamp::parse("2025-05-27T08:00:00Z").unwrap().stored();
        let clock = Timestamp::parse("2025-05-27T08:00:00.250000Z")
            .unwrap()
            .stored();
        assert!(chosen < clock, "{chosen} must be due at {clock}");
    }

    #[test]
    fn any_rfc3339_time_is_read_as_the_same_moment_in_utc() {
        let berlin = Timestamp::parse("2025-05-27T10:00:00+02:00").unwrap();
        assert_eq!(berlin.stored(), "2025-05-27T08:00:00.000000Z");
        assert_eq!(berlin.rfc3339(), "2025-05-27T08:00:00Z");
        let fraction = Timestamp::parse("2025-05-27T08:00:00.5Z").unwrap();
        assert_eq!(fraction.rfc3339(), "2025-05-27T08:00:00.500000Z");
        assert_eq!(Timestamp::parse("May 27"), None);
    }

    #[test]
    fn times_in_the_audio_read_as_players_show_them() {
        assert_eq!(clock_time(0), "0:00");
        assert_eq!(clock_time(420), "7:00");
        assert_eq!(clock_time(3723), "1:02:03");
    }
}
