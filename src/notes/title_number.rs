//! The episode number a title or heading starts with, as shows write it, shared by notes
//! headings and feed items.

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
    fn a_leading_number_is_the_episode_and_digits_inside_the_title_are_not() {
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
