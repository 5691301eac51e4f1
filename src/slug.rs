//! URL names, for everything that has one: episodes, people, events and talks.

/// Makes a URL name: lowercase ASCII words joined by `-`. Every script is
/// transliterated first ("芝田 将" is `zhi-tian-jiang`, "Renée" is `renee`), so no name
/// is left without a slug; different names may still meet on one, so whoever stores
/// slugs must make them unique.
pub fn slugify(text: &str) -> String {
    let text = deunicode::deunicode(text);
    let mut slug = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_lowercase_ascii_words_in_every_script() {
        assert_eq!(
            slugify("Making PyPI’s test suite 81% faster"),
            "making-pypi-s-test-suite-81-faster"
        );
        assert_eq!(slugify("  --Hello,   World!-- "), "hello-world");
        assert_eq!(slugify("日本"), "ri-ben");
        assert_eq!(slugify("Renée O’Brien"), "renee-o-brien");
        assert_eq!(slugify("芝田 将"), "zhi-tian-jiang");
    }
}
