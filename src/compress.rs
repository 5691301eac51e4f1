//! gzip and brotli for bodies compressed once and sent many times: the page cache's copies
//! and the `.gz`/`.br` siblings of `export site`. Pure code, no I/O beyond memory.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// How hard to try: `Export` for the static copy's files, `Best` for a static copy whose every
/// byte counts (`export site --best-compression`), `Served` for copies made while a visitor
/// waits for the first response of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// gzip's best and brotli 9: brotli 11 spends about twenty times as long on a page for
    /// about 13% fewer bytes, which made it three quarters of an export's time.
    Export,
    /// gzip's best and brotli 11 (9 above 512 KB).
    Best,
    Served,
}

/// Above this size the served copies drop to brotli's quick levels: quality 11 costs about
/// a second a megabyte, which a large feed's first visitor would wait for.
const SERVED_BROTLI_BEST_UP_TO: usize = 256 * 1024;

/// Above this size even the static copy's files drop to quality 9, about twenty times faster
/// than 11 for a few percent more bytes: an export of a large archive stays in seconds.
const BEST_BROTLI_UP_TO: usize = 512 * 1024;

/// The gzip of `chunks` taken as one body.
pub fn gzip<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    len: usize,
    effort: Effort,
) -> std::io::Result<Vec<u8>> {
    let level = match effort {
        Effort::Best | Effort::Export => Compression::best(),
        Effort::Served => Compression::new(6),
    };
    let mut encoder = GzEncoder::new(Vec::with_capacity(len / 3), level);
    for chunk in chunks {
        encoder.write_all(chunk)?;
    }
    encoder.finish()
}

/// The brotli of `chunks` taken as one body, with a window no larger than the body (at most
/// 4 MiB, what browsers accept): a full window for each small page costs more time than the
/// compression itself.
pub fn brotli<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    len: usize,
    effort: Effort,
) -> std::io::Result<Vec<u8>> {
    let quality = match effort {
        Effort::Best if len <= BEST_BROTLI_UP_TO => 11,
        // A feed of a large archive is megabytes: quality 11 would take seconds for each.
        Effort::Best | Effort::Export => 9,
        Effort::Served if len <= SERVED_BROTLI_BEST_UP_TO => 9,
        Effort::Served => 5,
    };
    let bits = usize::BITS - len.max(1).leading_zeros();
    let params = ::brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: bits.clamp(10, 22) as i32,
        size_hint: len,
        ..Default::default()
    };
    let mut writer =
        ::brotli::CompressorWriter::with_params(Vec::with_capacity(len / 3), 64 * 1024, &params);
    for chunk in chunks {
        writer.write_all(chunk)?;
    }
    // Finishes the stream (writing into memory cannot fail).
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    const PAGE: &str = "<p>Brian #1: a title, and notes that repeat, notes that repeat.</p>";

    #[test]
    fn both_codings_give_back_the_body_whichever_the_effort() {
        let chunks = [PAGE.as_bytes(), b"", PAGE.as_bytes()];
        let whole = PAGE.repeat(2);
        for effort in [Effort::Export, Effort::Best, Effort::Served] {
            let gz = gzip(chunks, whole.len(), effort).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, whole);

            let br = brotli(chunks, whole.len(), effort).unwrap();
            let mut text = String::new();
            ::brotli::Decompressor::new(&br[..], 4096)
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, whole);
        }
    }
}
