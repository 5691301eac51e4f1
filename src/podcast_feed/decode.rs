//! A feed's bytes as text: feeds are XML, which may be in any charset its declaration or the
//! server names (old podcast feeds in ISO-8859-1 or Windows-1252 are common).

use encoding_rs::{Encoding, UTF_8};

/// The text of a feed: a byte-order mark wins, then the charset the server declared (if any),
/// then the XML declaration's `encoding`, then UTF-8. Bytes that are not valid in the chosen
/// charset are refused, never replaced: an import must not quietly change what it was given.
pub fn feed_text(bytes: &[u8], declared_charset: Option<&str>) -> Result<String, String> {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| declared_charset.and_then(|label| Encoding::for_label(label.as_bytes())))
        .or_else(|| xml_declared_encoding(bytes))
        .unwrap_or(UTF_8);
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    match had_errors {
        false => Ok(text.into_owned()),
        true => Err(format!("the feed is not valid {}", encoding.name())),
    }
}

/// The `encoding="…"` of `<?xml …?>` at the start of the document.
fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let head = std::str::from_utf8(head)
        .unwrap_or_else(|error| std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or(""));
    let declaration = head.trim_start().strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let value = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Encoding::for_label(&value.as_bytes()[..value.find(quote)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin1_feed_reads_by_its_declaration_and_a_server_charset_wins() {
        let latin1 =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>Caf\xe9</title></rss>";
        assert!(feed_text(latin1, None).unwrap().contains("Café"));
        let utf8 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Café</t>";
        assert!(
            feed_text(utf8.as_bytes(), Some("utf-8"))
                .unwrap()
                .contains("Café")
        );
    }

    #[test]
    fn undeclared_feeds_are_utf8_and_invalid_bytes_are_refused_not_replaced() {
        assert_eq!(
            feed_text("\u{feff}<rss/>".as_bytes(), None).unwrap(),
            "<rss/>"
        );
        assert_eq!(
            feed_text(b"<rss>\xff</rss>", None).unwrap_err(),
            "the feed is not valid UTF-8"
        );
    }
}
