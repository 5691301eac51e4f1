//! Values as feeds write them: dates, durations, and the episode number in a title.

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

/// The episode number a title starts with, as shows write it: `#477: …`, `Episode 12 - …`,
/// `Ep. 3: …`, `477: …`. Digits elsewhere in a title (`31% Lighter`) are not a number.
pub fn number_in_title(title: &str) -> Option<i64> {
    numbered(title).map(|(number, _)| number)
}

/// The title without the number it starts with (`Episode 12 - Nulls` is `Nulls`): the site
/// shows the number on its own.
pub fn title_without_number(title: &str) -> &str {
    match numbered(title) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => title.trim(),
    }
}

/// The number a title starts with and the title after it and its separator.
fn numbered(title: &str) -> Option<(i64, &str)> {
    let text = title.trim_start();
    let lower = text.to_ascii_lowercase();
    let after = ["episode", "ep.", "ep", "#", "no."]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix).map(|_| &text[prefix.len()..]))
        .map(|rest| rest.trim_start().trim_start_matches('#'));
    let rest = after.unwrap_or(text);
    let digits = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    let tail = rest[digits.len()..].trim_start();
    let separators: &[char] = &[':', '-', '–', '—', '|', '.'];
    // A bare leading number must be set apart from the title ("2024 in review" is a title).
    let set_apart = tail.is_empty() || tail.starts_with(separators);
    if after.is_none() && !set_apart {
        return None;
    }
    let number = digits.parse().ok()?;
    Some((number, tail.trim_start_matches(separators).trim()))
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

    #[test]
    fn a_title_gives_the_number_it_starts_with() {
        assert_eq!(
            number_in_title("#477: Lazy, Frozen, and 31% Lighter"),
            Some(477)
        );
        assert_eq!(number_in_title("Episode 12 - Nulls"), Some(12));
        assert_eq!(number_in_title("Ep. 3: Start"), Some(3));
        assert_eq!(number_in_title("465: Stolen Guests"), Some(465));
        assert_eq!(number_in_title("2024 in review"), None);
        assert_eq!(number_in_title("Lazy, Frozen, and 31% Lighter"), None);
        assert_eq!(number_in_title("Epic news"), None);
        assert_eq!(title_without_number("Episode 12 - Nulls"), "Nulls");
        assert_eq!(title_without_number("#477: Lazy, Frozen"), "Lazy, Frozen");
        assert_eq!(title_without_number("Bonus: live"), "Bonus: live");
    }
}
