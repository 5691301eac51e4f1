//! Values as feeds write them: dates and durations (the number in a title is
//! [`crate::notes::number_in_title`]).

use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// `pubDate` as RSS writes it (RFC 822/2822: `Mon, 30 Jan 2017 08:00:00 +0000`, also with
/// `GMT` or a US zone), or Atom's RFC 3339.
pub fn publication_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(date);
    }
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(date);
    }
    // Zone names RFC 822 allows that the parser may not know, as numeric offsets.
    let (rest, zone) = text.rsplit_once(' ')?;
    let offset = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => "+0000",
        "EST" => "-0500",
        "EDT" => "-0400",
        "CST" => "-0600",
        "CDT" => "-0500",
        "MST" => "-0700",
        "MDT" => "-0600",
        "PST" => "-0800",
        "PDT" => "-0700",
        _ => return None,
    };
    OffsetDateTime::parse(&format!("{rest} {offset}"), &Rfc2822).ok()
}

/// `itunes:duration` in seconds: `3723`, `62:03` or `1:02:03` (fractions of a second dropped).
pub fn duration_secs(text: &str) -> Option<i64> {
    let text = text.trim();
    let whole = |part: &str| -> Option<i64> {
        let part = part.split_once('.').map_or(part, |(whole, _)| whole);
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [secs] => whole(secs),
        [mins, secs] => Some(whole(mins)? * 60 + whole(secs)?),
        [hours, mins, secs] => Some(whole(hours)? * 3600 + whole(mins)? * 60 + whole(secs)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds_in_every_spelling_apple_allows() {
        assert_eq!(duration_secs("3723"), Some(3723));
        assert_eq!(duration_secs(" 62:03 "), Some(3723));
        assert_eq!(duration_secs("1:02:03"), Some(3723));
        assert_eq!(duration_secs("00:31:05.5"), Some(1865));
        assert_eq!(duration_secs("about an hour"), None);
        assert_eq!(duration_secs(""), None);
        assert_eq!(duration_secs("1:2:3:4"), None);
    }

    #[test]
    fn dates_read_in_rss_and_atom_spellings() {
        let expected = time::macros::datetime!(2017-01-30 08:00 UTC);
        assert_eq!(
            publication_date("Mon, 30 Jan 2017 08:00:00 +0000"),
            Some(expected)
        );
        assert_eq!(
            publication_date("Mon, 30 Jan 2017 08:00:00 GMT"),
            Some(expected)
        );
        assert_eq!(
            publication_date("Mon, 30 Jan 2017 00:00:00 PST"),
            Some(expected)
        );
        assert_eq!(publication_date("2017-01-30T08:00:00Z"), Some(expected));
        assert_eq!(publication_date("30/01/2017"), None);
    }
}
