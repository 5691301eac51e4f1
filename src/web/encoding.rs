//! Content codings for cached pages: which one a visitor accepts (`Accept-Encoding`, with its
//! q-values) and the compressed copies a page keeps, made once per page.

use axum::body::Bytes;
use axum::http::header::ACCEPT_ENCODING;
use axum::http::{HeaderMap, HeaderValue};

use crate::compress::{self, Effort};
use crate::state::page_cache::Variant;

/// A coding a page can be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Br,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` value, none for the body as it is.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Br => Some(HeaderValue::from_static("br")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Identity => None,
        }
    }
}

/// The weight of the plain body when `Accept-Encoding` does not name it: above refusal, below
/// any weight a visitor can write (q-values have three decimals).
const LEAST: f32 = 0.0001;

/// How much a visitor wants each coding (RFC 9110 §12.5.3): 0 refuses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accepted {
    br: f32,
    gzip: f32,
    identity: f32,
}

impl Accepted {
    /// Reads `Accept-Encoding`: a coding not named takes `*`'s weight, else none, except the
    /// body as it is, which is acceptable unless refused by name or by `*`, but wanted least
    /// (`br;q=0.5` is a wish for brotli, not a preference for the plain body).
    pub fn of(headers: &HeaderMap) -> Self {
        let mut named: [Option<f32>; 4] = [None; 4];
        for value in headers.get_all(ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or_default().split(',') {
                let (coding, weight) = parse_item(item);
                let Some(&(_, slot)) = CODING_SLOTS
                    .iter()
                    .find(|(name, _)| coding.eq_ignore_ascii_case(name))
                else {
                    continue;
                };
                named[slot] = Some(weight);
            }
        }
        let [br, gzip, identity, any] = named;
        Self {
            br: br.or(any).unwrap_or(0.0),
            gzip: gzip.or(any).unwrap_or(0.0),
            identity: identity.or(any).unwrap_or(LEAST),
        }
    }

    /// Whether the visitor takes a compressed body at all.
    pub fn wants_compression(&self) -> bool {
        self.br > 0.0 || self.gzip > 0.0
    }

    /// Whether the visitor takes `coding`.
    pub fn takes(&self, coding: Coding) -> bool {
        match coding {
            Coding::Gzip => self.gzip > 0.0,
            Coding::Br => self.br > 0.0,
            Coding::Identity => self.identity > 0.0,
        }
    }

    /// The most wanted of the codings on offer; on a tie the smaller body (brotli, then gzip).
    /// A visitor who refuses everything on offer still gets the body as it is.
    pub fn choose(&self, has_br: bool, has_gzip: bool) -> Coding {
        let offered = [
            (Coding::Br, self.br, has_br),
            (Coding::Gzip, self.gzip, has_gzip),
            (Coding::Identity, self.identity, true),
        ];
        let mut best = (Coding::Identity, 0.0);
        for (coding, weight, available) in offered {
            if available && weight > best.1 {
                best = (coding, weight);
            }
        }
        best.0
    }
}

/// `gzip;q=0.8` → ("gzip", 0.8); a weight that does not parse counts as a refusal.
/// Where each coding's weight goes in `Accepted::of` (names compared without case).
const CODING_SLOTS: [(&str, usize); 5] = [
    ("br", 0),
    ("gzip", 1),
    ("x-gzip", 1),
    ("identity", 2),
    ("*", 3),
];

fn parse_item(item: &str) -> (&str, f32) {
    let mut parts = item.split(';');
    let coding = parts.next().unwrap_or_default().trim();
    let mut weight = 1.0;
    for param in parts {
        if let Some((name, value)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("q")
        {
            weight = value
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(0.0);
        }
    }
    (coding, weight)
}

/// The copy of `body` in `coding`, tagged after `etag` (`"…-gzip"`, `"…-br"`); none when it would not be
/// smaller. A large copy is kept in an unnamed file in `spool`, if given, to leave by
/// `sendfile` ([`super::zero_copy::sendable`]). Runs for milliseconds on a page and longer on
/// a large feed: call it off the async threads.
pub fn encode(
    body: &[Bytes],
    etag: &HeaderValue,
    coding: Coding,
    spool: Option<&std::path::Path>,
) -> Option<Variant> {
    let len = body.iter().map(Bytes::len).sum();
    let chunks = body.iter().map(|chunk| &chunk[..]);
    let (compressed, suffix) = match coding {
        Coding::Gzip => (compress::gzip(chunks, len, Effort::Served), "gzip"),
        Coding::Br => (compress::brotli(chunks, len, Effort::Served), "br"),
        Coding::Identity => return None,
    };
    let compressed = compressed.ok().filter(|c| c.len() < len)?;
    Some(Variant {
        body: super::zero_copy::sendable(compressed, spool),
        etag: tagged(etag, suffix)?,
    })
}

/// `"abc"` → `"abc-gzip"`: a strong ETag of its own for each representation.
fn tagged(etag: &HeaderValue, suffix: &str) -> Option<HeaderValue> {
    let inner = etag.to_str().ok()?.strip_suffix('"')?;
    HeaderValue::from_str(&format!("{inner}-{suffix}\"")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(value: &str) -> Accepted {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        Accepted::of(&headers)
    }

    #[test]
    fn the_highest_q_value_wins_and_a_tie_goes_to_the_smaller_body() {
        let cases = [
            ("gzip, deflate, br, zstd", Coding::Br),
            ("gzip", Coding::Gzip),
            ("br;q=0.5, gzip;q=0.8", Coding::Gzip),
            ("br;q=0, gzip", Coding::Gzip),
            ("GZIP;Q=0.3", Coding::Gzip),
            ("gzip;q=0, br;q=0", Coding::Identity),
            ("identity;q=1, gzip;q=0.5", Coding::Identity),
            ("*;q=0.1", Coding::Br),
            ("*", Coding::Br),
            ("*;q=0.5, identity;q=0", Coding::Br),
            ("gzip;q=nonsense", Coding::Identity),
            ("br;q=0.001", Coding::Br),
            ("", Coding::Identity),
        ];
        for (header, expected) in cases {
            assert_eq!(accepted(header).choose(true, true), expected, "{header:?}");
        }
    }

    #[test]
    fn only_codings_on_offer_are_chosen() {
        assert_eq!(accepted("br").choose(false, true), Coding::Identity);
        assert_eq!(accepted("br, gzip;q=0.1").choose(false, true), Coding::Gzip);
        assert!(!accepted("identity").wants_compression());
        assert!(accepted("gzip;q=0.1").wants_compression());
    }

    #[test]
    fn each_copy_gets_its_own_strong_etag() {
        let body = [Bytes::from("<p>notes</p>".repeat(50))];
        let etag = HeaderValue::from_static("\"abc-258\"");
        let gzip = encode(&body, &etag, Coding::Gzip, None).unwrap();
        let br = encode(&body, &etag, Coding::Br, None).unwrap();
        assert_eq!(gzip.etag, "\"abc-258-gzip\"");
        assert_eq!(br.etag, "\"abc-258-br\"");
    }
}
