//! Large bodies compressed piece by piece: cut where their content says (content-defined
//! chunking, so an edit moves only the cuts around it), each piece compressed on its own, the
//! pieces joined into one gzip member and one brotli stream. A piece kept from an earlier run
//! keeps its compressed bytes: a 12 MB feed edited in one episode is compressed again in one or
//! two pieces, not whole. Pure code, no I/O beyond memory.

use std::io::{Read, Write};

use flate2::{Compress, Compression, Crc, FlushCompress};

use super::{Effort, brotli_quality, brotli_window, gzip_level};

/// Piece sizes: large enough that starting each piece afresh costs little of the ratio (gzip
/// looks back 32 KiB, brotli's window here is 4 MiB), small enough that an edit recompresses
/// a small share of a feed.
const PIECE_MIN: usize = 128 * 1024;
const PIECE_AVERAGE: usize = 512 * 1024;
const PIECE_MAX: usize = 2 * 1024 * 1024;

/// The start of a body is a piece of its own: a feed's channel, whose dates move with every
/// edit, then is all that is compressed again besides the piece the edit is in.
const HEAD: usize = 16 * 1024;

/// brotli's window for the joined stream (4 MiB, what browsers accept): joined pieces must
/// not name a larger window than the stream they join. Each piece names the window its own
/// size needs ([`super::brotli_window`]): the encoder's ring buffer is as large as the window,
/// and 4 MiB for every 512 KiB piece was a tenth of an export's peak memory.
const BROTLI_WINDOW: u8 = 22;

/// The body that is `parts` joined, cut into pieces (its [`HEAD`], then the rest at
/// content-defined points), each copied out on its own: a body kept in parts (a feed's items)
/// is never copied whole. The cuts depend on the bytes alone, not on where the parts meet, so
/// pieces kept from an earlier run still match.
pub fn cut_parts<'a>(parts: &'a [&'a [u8]]) -> impl Iterator<Item = std::io::Result<Vec<u8>>> + 'a {
    let mut reader = PartsReader { parts, at: 0 };
    let mut head = Vec::with_capacity(HEAD);
    let head = match (&mut reader).take(HEAD as u64).read_to_end(&mut head) {
        Ok(0) => None,
        Ok(_) => Some(Ok(head)),
        Err(e) => Some(Err(e)),
    };
    let rest = fastcdc::v2020::StreamCDC::new(reader, PIECE_MIN, PIECE_AVERAGE, PIECE_MAX)
        .map(|piece| piece.map(|piece| piece.data).map_err(std::io::Error::other));
    head.into_iter().chain(rest)
}

/// Reads `parts` in order as one stream.
struct PartsReader<'a> {
    parts: &'a [&'a [u8]],
    /// How far into the first of `parts` the reading is.
    at: usize,
}

impl Read for PartsReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            let Some((first, rest)) = self.parts.split_first() else {
                break;
            };
            let left = &first[self.at..];
            let n = left.len().min(buf.len() - filled);
            buf[filled..filled + n].copy_from_slice(&left[..n]);
            filled += n;
            self.at += n;
            if self.at == first.len() {
                self.parts = rest;
                self.at = 0;
            }
        }
        Ok(filled)
    }
}

/// `piece` as raw deflate blocks that refer to nothing before it and end on a byte boundary
/// (a full flush), so it can sit anywhere in a gzip member: see [`join_gzip`]. `body_len` is
/// the size of the whole body, which sets the level as for a body compressed whole.
pub fn deflate_piece(piece: &[u8], body_len: usize, effort: Effort) -> std::io::Result<Vec<u8>> {
    let level = Compression::new(gzip_level(body_len, effort));
    let mut deflate = Compress::new(level, false);
    let mut out = Vec::with_capacity(piece.len() / 3 + 64);
    loop {
        let consumed = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX);
        deflate
            .compress_vec(&piece[consumed..], &mut out, FlushCompress::Full)
            .map_err(std::io::Error::other)?;
        let all_in = usize::try_from(deflate.total_in()).is_ok_and(|n| n == piece.len());
        // A flush that filled the buffer may have more to write.
        if all_in && out.len() < out.capacity() {
            return Ok(out);
        }
        out.reserve(out.capacity().max(4096));
    }
}

/// The gzip member of the body that is `parts` joined, whose [`deflate_piece`]s are
/// `deflated` in order.
pub fn join_gzip<'a>(parts: &[&[u8]], deflated: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    // No name, no time (the bytes depend on the body alone), unknown system.
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    // A final block of fixed codes that holds only its end code.
    const LAST_BLOCK: [u8; 2] = [0x03, 0x00];
    let mut crc = Crc::new();
    for part in parts {
        crc.update(part);
    }
    let mut out = HEADER.to_vec();
    for piece in deflated {
        out.extend_from_slice(piece);
    }
    out.extend_from_slice(&LAST_BLOCK);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // The length modulo 2^32, as the format says.
    let len: usize = parts.iter().map(|part| part.len()).sum();
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}

/// `piece` as a brotli stream made to be joined to others ([`join_brotli`]); `body_len` is
/// the size of the whole body, which sets the quality as for a body compressed whole.
pub fn brotli_piece(piece: &[u8], body_len: usize, effort: Effort) -> std::io::Result<Vec<u8>> {
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: brotli_quality(body_len, effort),
        lgwin: brotli_window(piece.len()).min(i32::from(BROTLI_WINDOW)),
        size_hint: piece.len(),
        catable: true,
        appendable: true,
        ..Default::default()
    };
    let mut writer = ::brotli::CompressorWriter::with_params(
        Vec::with_capacity(piece.len() / 3),
        64 * 1024,
        &params,
    );
    writer.write_all(piece)?;
    // Finishes the stream (writing into memory cannot fail).
    Ok(writer.into_inner())
}

/// One brotli stream of the [`brotli_piece`]s `pieces`, in order.
pub fn join_brotli<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> std::io::Result<Vec<u8>> {
    use ::brotli::concat::{BroCatli, BroCatliResult};
    let refused = |result: BroCatliResult| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("brotli pieces do not join: {result:?}"),
        )
    };
    let mut joiner = BroCatli::new_with_window_size(BROTLI_WINDOW);
    let mut out = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    for piece in pieces {
        joiner.new_brotli_file();
        let mut read = 0;
        loop {
            let mut written = 0;
            let result = joiner.stream(piece, &mut read, &mut buffer, &mut written);
            out.extend_from_slice(&buffer[..written]);
            match result {
                BroCatliResult::NeedsMoreOutput => continue,
                BroCatliResult::NeedsMoreInput | BroCatliResult::Success => break,
                failed => return Err(refused(failed)),
            }
        }
    }
    loop {
        let mut written = 0;
        let result = joiner.finish(&mut buffer, &mut written);
        out.extend_from_slice(&buffer[..written]);
        match result {
            BroCatliResult::Success => return Ok(out),
            BroCatliResult::NeedsMoreOutput => continue,
            failed => return Err(refused(failed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// A feed-like body of `items` items, each different, a few KB each.
    fn feed(items: usize, edited: Option<usize>) -> Vec<u8> {
        let mut body = b"<rss><channel><title>Show</title>".to_vec();
        for n in 0..items {
            let title = if Some(n) == edited { "Edited" } else { "Item" };
            body.extend_from_slice(
                format!("<item><title>{title} {n}</title><description>").as_bytes(),
            );
            for line in 0..80 {
                body.extend_from_slice(
                    format!("<p>Note {line} of item {n}: {}</p>", n * 7919 % 1000).as_bytes(),
                );
            }
            body.extend_from_slice(b"</description></item>");
        }
        body.extend_from_slice(b"</channel></rss>");
        body
    }

    /// `body` cut whole, by fastcdc's cutter over one slice: what [`cut_parts`] must match.
    fn cut(body: &[u8]) -> Vec<&[u8]> {
        let (head, rest) = body.split_at(body.len().min(HEAD));
        let pieces = fastcdc::v2020::FastCDC::new(rest, PIECE_MIN, PIECE_AVERAGE, PIECE_MAX)
            .map(|chunk| &rest[chunk.offset..chunk.offset + chunk.length]);
        std::iter::once(head)
            .filter(|head| !head.is_empty())
            .chain(pieces)
            .collect()
    }

    fn gzip_of(body: &[u8]) -> Vec<u8> {
        let pieces: Vec<Vec<u8>> = cut(body)
            .into_iter()
            .map(|piece| deflate_piece(piece, body.len(), Effort::Served).unwrap())
            .collect();
        join_gzip(&[body], pieces.iter().map(Vec::as_slice))
    }

    fn brotli_of(body: &[u8]) -> Vec<u8> {
        let pieces: Vec<Vec<u8>> = cut(body)
            .into_iter()
            .map(|piece| brotli_piece(piece, body.len(), Effort::Served).unwrap())
            .collect();
        join_brotli(pieces.iter().map(Vec::as_slice)).unwrap()
    }

    #[test]
    fn joined_pieces_decompress_to_the_body_with_any_reader() {
        let body = feed(3000, None);
        assert!(cut(&body).len() > 2, "the body is cut in several pieces");
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&gzip_of(&body)[..])
            .read_to_end(&mut gunzipped)
            .unwrap();
        let mut unbrotlied = Vec::new();
        ::brotli::Decompressor::new(&brotli_of(&body)[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert!(gunzipped == body, "gzip gives the body back");
        assert!(unbrotlied == body, "brotli gives the body back");
    }

    #[test]
    fn an_edit_moves_only_the_pieces_around_it() {
        let before = feed(3000, None);
        let after = feed(3000, Some(1700));
        let (old, new) = (cut(&before), cut(&after));
        let kept = new.iter().filter(|piece| old.contains(piece)).count();
        assert!(
            new.len() >= 4 && kept + 2 >= new.len(),
            "{kept} of {} pieces kept",
            new.len()
        );
    }

    #[test]
    fn a_body_in_parts_is_cut_where_the_whole_body_is() {
        let body = feed(3000, Some(11));
        // Parts of every size, a feed's items' among them, and empty ones.
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut rest = &body[..];
        for size in [0, 1, 5_000, 0, 16_383, 2, 12_000].into_iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (part, after) = rest.split_at(size.min(rest.len()));
            parts.push(part);
            rest = after;
        }
        let from_parts: Vec<Vec<u8>> = cut_parts(&parts).map(Result::unwrap).collect();
        let whole: Vec<&[u8]> = cut(&body);
        assert!(whole.len() > 4, "{} pieces", whole.len());
        assert!(
            from_parts
                .iter()
                .map(Vec::as_slice)
                .eq(whole.iter().copied())
        );
        assert_eq!(cut_parts(&[b"", b""]).count(), 0, "nothing to cut");
    }

    #[test]
    fn an_empty_body_joins_to_empty_streams() {
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&gzip_of(b"")[..])
            .read_to_end(&mut gunzipped)
            .unwrap();
        let mut unbrotlied = Vec::new();
        ::brotli::Decompressor::new(&brotli_of(b"")[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert!(gunzipped.is_empty() && unbrotlied.is_empty());
    }
}
