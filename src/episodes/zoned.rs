//! Times as hosts type and read them: wall-clock times in their own time zone (an IANA name
//! such as `Europe/Berlin`, as the browser reports it), stored as UTC.

use jiff::Zoned;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::clock::Timestamp;

/// A time zone a host works in, known to the tz database.
#[derive(Debug, Clone)]
pub struct HostZone {
    name: String,
    zone: TimeZone,
}

impl HostZone {
    /// The zone called `name`; empty is UTC (a browser without scripts says nothing).
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = match name.trim() {
            "" => "UTC",
            name => name,
        };
        let zone = TimeZone::get(name).map_err(|_| format!("the time zone {name:?} is unknown"))?;
        Ok(Self {
            name: name.to_string(),
            zone,
        })
    }

    /// UTC.
    pub fn utc() -> Self {
        Self {
            name: "UTC".to_string(),
            zone: TimeZone::UTC,
        }
    }

    /// The zone's name, as stored and shown.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A `datetime-local` value (`2025-12-02T18:00`) in this zone as the moment it names.
    /// A time the clocks skip or repeat reads as the one before the change.
    pub fn to_utc(&self, local: &str) -> Result<Timestamp, String> {
        let bad = || "must be a date and time like 2025-12-02 18:00".to_string();
        let wall: DateTime = local.trim().parse().map_err(|_| bad())?;
        let zoned = wall.to_zoned(self.zone.clone()).map_err(|_| bad())?;
        let seconds = zoned.timestamp().as_second();
        time::OffsetDateTime::from_unix_timestamp(seconds)
            .map(Timestamp::of)
            .map_err(|_| bad())
    }

    /// A moment as this zone's `datetime-local` value; empty when out of range.
    pub fn to_local_input(&self, at: Timestamp) -> String {
        self.zoned(at)
            .map(|at| at.strftime("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }

    /// A moment as a host reads it: "Tue 2 Dec, 18:00 (Europe/Berlin)", with the
    /// year when it is not this year's.
    pub fn words(&self, at: Timestamp) -> Option<String> {
        let at = self.zoned(at)?;
        let this_year = jiff::Timestamp::now().to_zoned(self.zone.clone()).year() == at.year();
        let format = if this_year {
            "%a %-d %b, %H:%M"
        } else {
            "%a %-d %b %Y, %H:%M"
        };
        Some(format!("{} ({})", at.strftime(format), self.name))
    }

    fn zoned(&self, at: Timestamp) -> Option<Zoned> {
        let at = jiff::Timestamp::from_second(at.unix_seconds()).ok()?;
        Some(at.to_zoned(self.zone.clone()))
    }
}

/// Whether `at` is later than now.
pub fn is_future(at: Timestamp) -> bool {
    at > crate::clock::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn local_times_are_stored_in_utc_and_read_back_in_the_zone() {
        let berlin = HostZone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            berlin.to_utc("2025-12-02T18:00").unwrap(),
            at("2025-12-02T17:00:00Z")
        );
        assert_eq!(
            berlin.to_utc("2025-07-01T18:00").unwrap(),
            at("2025-07-01T16:00:00Z"),
            "summer time"
        );
        assert_eq!(
            berlin.to_local_input(at("2025-12-02T17:00:00Z")),
            "2025-12-02T18:00"
        );
        assert_eq!(
            berlin.words(at("2025-12-02T17:00:00Z")).unwrap(),
            "Tue 2 Dec 2025, 18:00 (Europe/Berlin)",
            "another year says which"
        );
    }

    #[test]
    fn an_unknown_zone_or_time_is_refused_and_no_zone_is_utc() {
        assert!(HostZone::parse("Mars/Olympus").is_err());
        assert_eq!(HostZone::parse("").unwrap().name(), "UTC");
        assert!(HostZone::utc().to_utc("soon").is_err());
        assert_eq!(
            HostZone::utc().to_utc("2025-06-01T10:00").unwrap(),
            at("2025-06-01T10:00:00Z")
        );
    }
}
