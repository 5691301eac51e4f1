//! What a notes file's name says: the episode number and, sometimes, a title.

/// The episode number in a file name: its first run of digits.
///
/// "001.md" → 1, "470-a-jolting-episode.md" → 470, "PB-485.md" → 485, "notes.md" → `None`.
pub fn number_from_file_name(name: &str) -> Option<i64> {
    let stem = stem(name);
    let (start, end) = first_digits(stem)?;
    stem[start..end].parse().ok()
}

/// Whether `number` is one of the runs of digits in a file name ("477-lazy-and-31-lighter.md"
/// has 477 and 31), or the name has none.
pub fn file_name_has_number(name: &str, number: i64) -> bool {
    let runs: Vec<i64> = stem(name)
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|run| run.parse().ok())
        .collect();
    runs.is_empty() || runs.contains(&number)
}

/// The words after the number, as a sentence-case title: "470-a-jolting-episode.md" →
/// "A jolting episode"; `None` when the name is only a number ("PB-485.md").
pub fn title_from_file_name(name: &str) -> Option<String> {
    let stem = stem(name);
    let rest = first_digits(stem).map_or(stem, |(_, end)| &stem[end..]);
    let words: Vec<&str> = rest
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The file name without directories and extension.
fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// The byte range of the first run of ASCII digits.
fn first_digits(text: &str) -> Option<(usize, usize)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let len = text[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - start);
    Some((start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number_from_file_name("001.md"), Some(1));
        assert_eq!(number_from_file_name("470-a-jolting-episode.md"), Some(470));
        assert_eq!(number_from_file_name("PB-485.md"), Some(485));
        assert_eq!(number_from_file_name("PB 485.md"), Some(485));
        assert_eq!(
            number_from_file_name("dir/python-bytes-434-seed.md"),
            Some(434)
        );
        assert_eq!(number_from_file_name("notes.md"), None);
        assert_eq!(number_from_file_name(""), None);
    }

    #[test]
    fn titles() {
        let jolting = title_from_file_name("470-a-jolting-episode.md");
        assert_eq!(jolting.as_deref(), Some("A jolting episode"));
        assert_eq!(title_from_file_name("PB-485.md"), None);
        assert_eq!(title_from_file_name("PB 485.md"), None);
        assert_eq!(title_from_file_name("001.md"), None);
        assert_eq!(
            title_from_file_name("12_über_alles.md").as_deref(),
            Some("Über alles")
        );
        assert_eq!(title_from_file_name("notes.md").as_deref(), Some("Notes"));
    }
}
