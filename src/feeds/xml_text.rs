//! Text as XML 1.0 accepts it.

/// Drops the characters XML 1.0 forbids (most control characters), which no parser would accept.
pub fn xml_safe(text: &str) -> String {
    if is_xml_safe(text) {
        text.to_string()
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
}

/// [`xml_safe`] of an owned text: given back as it is when it needs no change (a feed's notes
/// are megabytes, nearly always clean).
pub fn into_xml_safe(text: String) -> String {
    if is_xml_safe(&text) {
        text
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
}

fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `text` holds none of the forbidden characters, checked byte by byte: the control
/// characters are single bytes below 0x20, and U+FFFE and U+FFFF are EF BF BE and EF BF BF.
fn is_xml_safe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let controls = bytes.iter().fold(false, |found, &b| {
        found | (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    });
    !controls
        && memchr::memmem::find_iter(bytes, "\u{FFFE}".as_bytes())
            .next()
            .is_none()
        && memchr::memmem::find_iter(bytes, "\u{FFFF}".as_bytes())
            .next()
            .is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_safe("a\u{0}b\u{B}c\td\u{FFFF}"), "abc\td");
        assert_eq!(into_xml_safe("x\u{1F}\u{FFFE}y\r\n".to_string()), "xy\r\n");
    }

    #[test]
    fn text_with_nothing_forbidden_is_kept_whole() {
        let text = "Brian #1: <a href=\"x\">ü ✓ \u{FFFD} \u{EFFF}</a>\t\n";
        assert_eq!(xml_safe(text), text);
        assert_eq!(into_xml_safe(text.to_string()), text);
    }
}
