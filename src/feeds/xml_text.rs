//! Text as XML 1.0 accepts it.

/// Drops the characters XML 1.0 forbids (most control characters), which no parser would accept.
pub fn xml_safe(text: &str) -> String {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(allowed) {
        text.to_string()
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
}
