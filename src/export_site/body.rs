//! A fetched body as the chunks it came in: a feed arrives as its items, shared with the feed
//! cache, and is hashed, written and compressed from them without one copy of the whole.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use axum::body::Bytes;
use sha2::{Digest, Sha256};

use super::disk::hex;

/// What a buffered write of a body in parts gathers before each system call.
const WRITE_BUFFER: usize = 256 * 1024;

/// A body in parts, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Parts {
    chunks: Vec<Bytes>,
    len: usize,
}

impl Parts {
    pub fn push(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.len += chunk.len();
            self.chunks.push(chunk);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn slices(&self) -> Vec<&[u8]> {
        self.chunks.iter().map(|chunk| &chunk[..]).collect()
    }

    /// The body in one piece: borrowed when it came in one (every page), else copied.
    pub fn joined(&self) -> Cow<'_, [u8]> {
        match &self.chunks[..] {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(&one[..]),
            many => Cow::Owned(many.concat()),
        }
    }

    /// The SHA-256 of the body, in hex.
    pub fn sha256(&self) -> String {
        let mut hash = Sha256::new();
        for chunk in &self.chunks {
            hash.update(chunk);
        }
        hex(&hash.finalize())
    }

    /// Writes the body into a new file at `path`.
    pub fn write_to(&self, path: &Path) -> std::io::Result<()> {
        let file = File::create(path)?;
        if let [one] = &self.chunks[..] {
            return (&file).write_all(one);
        }
        let mut out = BufWriter::with_capacity(WRITE_BUFFER.min(self.len.max(1)), file);
        for chunk in &self.chunks {
            out.write_all(chunk)?;
        }
        out.flush()
    }
}

impl From<Bytes> for Parts {
    fn from(chunk: Bytes) -> Self {
        let mut parts = Self::default();
        parts.push(chunk);
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_in_parts_hashes_and_writes_as_the_whole() {
        let mut parts = Parts::default();
        for chunk in ["<rss>", "", "<item>1</item>", "<item>2</item>", "</rss>"] {
            parts.push(Bytes::from(chunk));
        }
        let whole = Parts::from(Bytes::from("<rss><item>1</item><item>2</item></rss>"));
        assert_eq!(parts.len(), whole.len());
        assert_eq!(parts.sha256(), whole.sha256());
        assert_eq!(parts.joined(), whole.joined());
        let dir = tempfile::tempdir().unwrap();
        parts.write_to(&dir.path().join("feed.xml")).unwrap();
        let written = std::fs::read(dir.path().join("feed.xml")).unwrap();
        assert_eq!(&written[..], &whole.joined()[..]);
    }
}
