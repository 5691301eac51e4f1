//! The compressed pieces of the copy's large files (feeds, the links page, the search index),
//! kept between runs in a folder beside the export, `.NAME.pieces`: an export compresses only
//! the pieces no earlier run compressed ([`crate::compress::pieces`]), so a weekly publish
//! recompresses a piece or two of each feed, and a host's feed reuses the show feed's pieces.
//! The folder is only a store of work done: deleting it costs the next export time, nothing else.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};

use super::body::Parts;
use super::disk::{beside, hex, io, sibling};
use super::error::ExportError;
use super::made_from::BUILD;
use crate::compress::Effort;
use crate::compress::pieces::{brotli_piece, cut_parts, deflate_piece, join_brotli, join_gzip};

/// Bodies above this size are compressed piece by piece (at least two pieces' worth).
pub(super) const CUT_ABOVE: usize = 512 * 1024;

pub(super) struct PieceStore {
    dir: PathBuf,
    effort: Effort,
    /// The pieces this export used, which [`Self::prune`] keeps.
    used: Mutex<HashSet<String>>,
    /// Numbers the temporary files: two threads may make the same piece at once (a host's
    /// feed holds the show feed's items).
    writes: AtomicUsize,
}

impl PieceStore {
    /// The store beside the export folder `out`.
    pub fn beside(out: &Path, effort: Effort) -> Self {
        Self {
            dir: beside(out, ".pieces"),
            effort,
            used: Mutex::default(),
            writes: AtomicUsize::new(0),
        }
    }

    /// The gzip and the brotli of `body`, from the pieces kept where they are the same.
    pub fn compress(&self, body: &Parts) -> Result<(Vec<u8>, Vec<u8>), ExportError> {
        let mut deflated = Vec::new();
        let mut brotlied = Vec::new();
        let slices = body.slices();
        for piece in cut_parts(&slices) {
            let piece = piece.map_err(|e| io(&self.dir, e))?;
            let key = self.key(&piece);
            deflated.push(self.kept_or_made(&key, "gz", || {
                deflate_piece(&piece, body.len(), self.effort)
            })?);
            brotlied.push(
                self.kept_or_made(&key, "br", || brotli_piece(&piece, body.len(), self.effort))?,
            );
        }
        let gz = join_gzip(&slices, deflated.iter().map(Vec::as_slice));
        let br = join_brotli(brotlied.iter().map(Vec::as_slice)).map_err(|e| io(&self.dir, e))?;
        Ok((gz, br))
    }

    /// Marks the pieces of `body`, which this export leaves as it was, as still in use.
    pub fn keep_pieces_of(&self, body: &Parts) -> Result<(), ExportError> {
        let slices = body.slices();
        let mut keys = Vec::new();
        for piece in cut_parts(&slices) {
            keys.push(self.key(&piece.map_err(|e| io(&self.dir, e))?));
        }
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys {
            used.extend(["gz", "br"].map(|coding| format!("{key}.{coding}")));
        }
        Ok(())
    }

    /// A piece's name: its bytes, and the build and effort that compress it.
    fn key(&self, piece: &[u8]) -> String {
        let mut hash = Sha256::new();
        hash.update(BUILD.as_bytes());
        hash.update(format!("{:?}", self.effort).as_bytes());
        hash.update(piece);
        hex(&hash.finalize())
    }

    fn kept_or_made(
        &self,
        key: &str,
        coding: &str,
        make: impl FnOnce() -> std::io::Result<Vec<u8>>,
    ) -> Result<Vec<u8>, ExportError> {
        let name = format!("{key}.{coding}");
        let path = self.dir.join(&name);
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name);
        if let Ok(kept) = fs::read(&path) {
            return Ok(kept);
        }
        let made = make().map_err(|e| io(&path, e))?;
        self.keep(&path, &made)?;
        Ok(made)
    }

    /// Writes a piece under a temporary name, then renames it: a piece on disk is whole.
    fn keep(&self, path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
        fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        let write = self.writes.fetch_add(1, Ordering::Relaxed);
        let temporary = sibling(path, &format!(".tmp-{}-{write}", std::process::id()));
        fs::write(&temporary, bytes).map_err(|e| io(&temporary, e))?;
        fs::rename(&temporary, path).map_err(|e| io(path, e))
    }

    /// Removes the pieces this export did not use: they belong to content no longer there.
    pub fn prune(&self) -> Result<(), ExportError> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(());
        };
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|e| io(&path, e))?;
            }
        }
        Ok(())
    }
}
