//! gzip and brotli for bodies compressed once and sent many times: the page cache's copies
//! and the `.gz`/`.br` siblings of `export site`. Pure code, no I/O beyond memory.

pub mod pieces;

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// How hard to try: `Export` for the static copy's files, `Best` for a static copy whose every
/// byte counts (`export site --best-compression`), `Served` for copies made while a visitor
/// waits for the first response of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// gzip 7 for pages and 8 for the pieces of files above [`LARGE`] ([`gzip_level`]);
    /// brotli 5 for pages, 7 above [`LARGE`].
    Export,
    /// gzip 8 (its fewest bytes) and brotli 11 (9 above [`LARGE`]).
    Best,
    /// gzip 7 and brotli 5.
    Served,
}

/// Above this size a file is one of the few large ones (feeds, the links page, the search
/// index), compressed in pieces of about 512 KB ([`pieces`]). On the pieces of the Python Bytes
/// archive's feed, brotli 9 took 100 ms a piece for 1.1% fewer bytes than 7 in 48 ms (5: 31 ms,
/// 4.2% more), so an export gives them 7 and `Best` 9. Quality 11 costs about a second a
/// megabyte, so even `Best` stays at 9 for them.
const LARGE: usize = 512 * 1024;

/// brotli's quality for a body of `len` bytes. Measured on a 15 KB episode page (the bulk of a
/// static copy): quality 7 gives the bytes of 9 (4,656 vs 4,654) in 0.8 ms instead of 10;
/// 5 gives 0.4% more in 0.4 ms; 11 gives 13% fewer in 16 ms. On 200 pages of the Python Bytes
/// archive 5 took 0.54 ms a page and 7 took 0.87 ms for 0.23% fewer bytes: most of 7's extra
/// time is zeroing its 8 MB match table for every page (5's is 1 MB), so pages get 5.
pub(crate) fn brotli_quality(len: usize, effort: Effort) -> i32 {
    match effort {
        Effort::Best if len <= LARGE => 11,
        Effort::Export if len <= LARGE => 5,
        Effort::Export => 7,
        Effort::Best => 9,
        Effort::Served => 5,
    }
}

/// gzip's level for a body of `len` bytes. Measured with zlib-rs on the Python Bytes archive
/// (150 episode pages; the RSS feed's 512 KB pieces): level 9 gives more bytes than 8 and 7
/// there (pages 532,830 against 528,152 and 528,369; feed 435,649 against 433,754 and
/// 434,464), 7 takes 10% more time than 6 for 0.5% fewer bytes on pages and 1.3% fewer on
/// the feed, and 8 takes another 12% on the feed for 0.2% fewer. So pages get 7 (8 when
/// every byte counts) and the few large files 8 (7 while a visitor waits).
pub(crate) fn gzip_level(len: usize, effort: Effort) -> u32 {
    match effort {
        Effort::Best => 8,
        Effort::Export if len > LARGE => 8,
        Effort::Export | Effort::Served => 7,
    }
}

/// brotli's window (log2 of its bytes) for a body of `len`: the body's size, but at most 4 MiB
/// (what browsers accept) and at least 256 KiB even for a small page: with a smaller window
/// the encoder takes another path, which spent 15 ms on a 15 KB page instead of 0.4-0.8 ms
/// for the same bytes.
pub(crate) fn brotli_window(len: usize) -> i32 {
    let bits = usize::BITS - len.max(1).leading_zeros();
    bits.clamp(18, 22) as i32
}

/// The gzip of `chunks` taken as one body.
pub fn gzip<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    len: usize,
    effort: Effort,
) -> std::io::Result<Vec<u8>> {
    let level = Compression::new(gzip_level(len, effort));
    let mut encoder = GzEncoder::new(Vec::with_capacity(len / 3), level);
    for chunk in chunks {
        encoder.write_all(chunk)?;
    }
    encoder.finish()
}

/// The brotli of `chunks` taken as one body.
pub fn brotli<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    len: usize,
    effort: Effort,
) -> std::io::Result<Vec<u8>> {
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: brotli_quality(len, effort),
        lgwin: brotli_window(len),
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
