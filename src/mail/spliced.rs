//! A mail body encoded once for many recipients. Only the lines holding a recipient's own value
//! (a digest's unsubscribe link) are encoded again for each recipient; every other line is
//! encoded once. The result is byte for byte what lettre's `Body::new` makes of the whole text
//! with the value in place: quoted-printable wraps and escapes line by line (each `\r\n` starts
//! afresh), so encoding the lines apart and joining them changes nothing, and the encoding is
//! chosen as lettre chooses it (see [`Choice`]), for the text the recipient gets.

use lettre::message::Body;
use lettre::message::header::ContentTransferEncoding;

/// Encoded text, or a line to encode around the value.
enum Chunk {
    /// Lines without the value, already encoded.
    Fixed(Vec<u8>),
    /// One line (with its `\r\n`) in pieces around each place of the value.
    Line(Vec<String>),
}

/// A body template: text with a stand-in where each recipient's value goes.
pub struct SplicedBody {
    chunks: Vec<Chunk>,
    choice: Choice,
    /// The encoding the chunks were made for.
    encoding: ContentTransferEncoding,
}

impl SplicedBody {
    /// Prepares `text` with `stand_in` marking where the value goes, encoded as lettre would
    /// encode it with `typical` in place (a value that changes lettre's choice is refused by
    /// [`Self::encode`]).
    pub fn new(text: &str, stand_in: &str, typical: &str) -> Self {
        let choice = Choice::of(text, stand_in);
        let encoding = choice.encoding(typical);
        let crlf = crlf_line_endings(text);
        let mut chunks = Vec::new();
        let mut fixed = String::new();
        for line in crlf.split_inclusive("\r\n") {
            if line.contains(stand_in) {
                if !fixed.is_empty() {
                    chunks.push(Chunk::Fixed(encode(std::mem::take(&mut fixed), encoding)));
                }
                chunks.push(Chunk::Line(
                    line.split(stand_in).map(str::to_string).collect(),
                ));
            } else {
                fixed.push_str(line);
            }
        }
        if !fixed.is_empty() {
            chunks.push(Chunk::Fixed(encode(fixed, encoding)));
        }
        Self {
            chunks,
            choice,
            encoding,
        }
    }

    /// About how many bytes [`Self::encode`] writes.
    pub fn len_hint(&self) -> usize {
        self.chunks
            .iter()
            .map(|chunk| match chunk {
                Chunk::Fixed(encoded) => encoded.len(),
                Chunk::Line(pieces) => pieces.iter().map(String::len).sum::<usize>() + 100,
            })
            .sum()
    }

    /// The Content-Transfer-Encoding of what [`Self::encode`] writes.
    pub fn encoding(&self) -> ContentTransferEncoding {
        self.encoding
    }

    /// Appends the body with `value` in place, encoded; false (and nothing written) when lettre
    /// would choose another encoding for it, or base64 (whose lines do not split).
    pub fn encode(&self, value: &str, out: &mut Vec<u8>) -> bool {
        let splices = matches!(
            self.encoding,
            ContentTransferEncoding::SevenBit | ContentTransferEncoding::QuotedPrintable
        );
        if !splices || value.contains(['\r', '\n']) || self.choice.encoding(value) != self.encoding
        {
            return false;
        }
        for chunk in &self.chunks {
            match chunk {
                Chunk::Fixed(encoded) => out.extend_from_slice(encoded),
                Chunk::Line(pieces) => {
                    out.extend_from_slice(&encode(pieces.join(value), self.encoding))
                }
            }
        }
        true
    }
}

/// Text in lettre's encoding (a line at a time or whole: the result is the same).
fn encode(text: String, encoding: ContentTransferEncoding) -> Vec<u8> {
    match encoding {
        ContentTransferEncoding::QuotedPrintable => Body::new_with_encoding(text, encoding)
            .map(Body::into_vec)
            .unwrap_or_else(|raw| raw),
        _ => text.into_bytes(),
    }
}

/// Every `\n` not after a `\r` becomes `\r\n`, as lettre writes a text body.
fn crlf_line_endings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// What lettre's choice of encoding (`email_encoding`'s `Encoding::choose`, for a server
/// without SMTPUTF8) looks at, counted once for the text around the stand-ins: whether it is
/// ASCII, whether a line is too long, and how many bytes quoted-printable must escape.
struct Choice {
    ascii: bool,
    /// Bytes other than tab and printable ASCII, outside the stand-ins.
    escaped: usize,
    /// Length without the stand-ins.
    len: usize,
    /// How often the stand-in appears.
    places: usize,
    /// A line without a stand-in is too long.
    long_line: bool,
    /// Lines holding stand-ins: length without them, and how many.
    lines: Vec<(usize, usize)>,
}

/// lettre's line limit, as its chooser counts (from one `\n` to the next).
const LINE_LIMIT: usize = 76;

impl Choice {
    fn of(text: &str, stand_in: &str) -> Self {
        let pieces: Vec<&str> = text.split(stand_in).collect();
        let places = pieces.len() - 1;
        let mut choice = Self {
            ascii: pieces.iter().all(|p| p.is_ascii()),
            escaped: pieces.iter().map(|p| escaped(p)).sum(),
            len: text.len() - places * stand_in.len(),
            places,
            long_line: false,
            lines: Vec::new(),
        };
        // The chooser measures from one `\n` to the next, the first from the text's start.
        let mut last = 0;
        let ends = text.match_indices('\n').map(|(i, _)| i).chain([text.len()]);
        for end in ends {
            let span = &text[last..end];
            let here = span.matches(stand_in).count();
            let len = end - last - here * stand_in.len();
            if here == 0 {
                choice.long_line |= len >= LINE_LIMIT;
            } else {
                choice.lines.push((len, here));
            }
            last = end;
        }
        choice
    }

    /// The encoding lettre chooses for the text with `value` in place of the stand-in.
    fn encoding(&self, value: &str) -> ContentTransferEncoding {
        let long_line = self.long_line
            || self
                .lines
                .iter()
                .any(|(len, here)| len + here * value.len() >= LINE_LIMIT);
        if self.ascii && value.is_ascii() && !long_line {
            return ContentTransferEncoding::SevenBit;
        }
        let escaped = self.escaped + self.places * escaped(value);
        let len = self.len + self.places * value.len();
        if escaped <= len / 3 {
            ContentTransferEncoding::QuotedPrintable
        } else {
            ContentTransferEncoding::Base64
        }
    }
}

fn escaped(text: &str) -> usize {
    text.bytes()
        .filter(|b| !matches!(b, b'\t' | b' '..=b'~'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STAND_IN: &str = "STANDIN0123456789";

    /// What lettre writes for the whole text.
    fn lettre_body(text: String) -> (ContentTransferEncoding, Vec<u8>) {
        let body = Body::new(text);
        (body.encoding(), body.into_vec())
    }

    fn spliced(template: &str, value: &str) -> Option<(ContentTransferEncoding, Vec<u8>)> {
        let body = SplicedBody::new(template, STAND_IN, "https://e.x/u/12.abc");
        let mut out = Vec::new();
        body.encode(value, &mut out)
            .then_some((body.encoding(), out))
    }

    #[test]
    fn a_long_line_around_the_value_wraps_as_if_encoded_whole() {
        let template = format!(
            "Caf\u{e9} notes\n{}<a href=\"{STAND_IN}\">leave</a> and = sign\r\nend \n",
            "x".repeat(70)
        );
        for value in [
            "https://e.x/u/1.abc",
            "https://e.x/u/123456.abcdefghijklmnop",
        ] {
            let expected = lettre_body(template.replace(STAND_IN, value));
            assert_eq!(spliced(&template, value), Some(expected), "{value}");
        }
    }

    #[test]
    fn a_value_that_changes_lettres_choice_is_left_to_lettre() {
        // Short ASCII lines: 7bit for a short value, quoted-printable once the line is too long.
        let template = format!("Hello\nleave: {STAND_IN}\n");
        let short = spliced(&template, "https://e.x/1").unwrap();
        assert_eq!(
            short,
            lettre_body(template.replace(STAND_IN, "https://e.x/1"))
        );
        assert_eq!(spliced(&template, &"y".repeat(80)), None);
    }

    proptest! {
        #[test]
        fn spliced_bodies_are_what_lettre_writes(
            lines in proptest::collection::vec("[ a-z=\u{e9}\t\r]{0,90}", 0..6),
            at in proptest::collection::vec(0usize..6, 1..3),
            value in "[a-z0-9./:]{1,60}",
        ) {
            let mut lines = lines;
            for i in at {
                let i = i.min(lines.len());
                lines.insert(i, format!("see {STAND_IN} now"));
            }
            let template = lines.join("\n");
            if let Some(spliced) = spliced(&template, &value) {
                prop_assert_eq!(spliced, lettre_body(template.replace(STAND_IN, &value)));
            }
        }
    }
}
