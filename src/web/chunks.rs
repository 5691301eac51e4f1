//! A response body of shared chunks: a feed joined from items kept in memory is sent, and kept
//! by the page cache, without first being copied into one buffer.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};

/// Chunks sent in order, with their total length announced up front (`Content-Length`).
pub struct Chunks {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl Chunks {
    /// A body of `chunks`, empty ones included (they send nothing).
    pub fn body(chunks: impl IntoIterator<Item = Bytes>) -> Body {
        let chunks: VecDeque<Bytes> = chunks.into_iter().filter(|c| !c.is_empty()).collect();
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Body::new(Self { chunks, remaining })
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        Poll::Ready(this.chunks.pop_front().map(|chunk| {
            this.remaining -= chunk.len() as u64;
            Ok(Frame::data(chunk))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// A body's own fingerprint, set as a response extension by a handler that knows one cheaper
/// than hashing the whole body (a feed hashes its items once, when it renders them).
#[derive(Debug, Clone, Copy)]
pub struct BodyTag(pub u64);

/// A hash of `chunks`: the same chunks give the same value in any process.
pub fn hash_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hasher = foldhash::fast::FixedState::with_seed(0).build_hasher();
    for chunk in chunks {
        hasher.write(chunk);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_arrive_whole_in_order_with_their_length_known() {
        let body = Chunks::body(["<a>", "", "b", "</a>"].map(Bytes::from));
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(8));
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        assert_eq!(&bytes[..], b"<a>b</a>");
    }
}
