//! Writing the copy: a temporary folder beside the target, `.gz` and `.br` siblings, the manifest,
//! then one rename into place, so a failed export leaves the target as it was. Or, with
//! `--changed-since`, in place: only files whose bytes differ from the earlier export's manifest
//! are written (each to a temporary name, then renamed), and files it no longer has removed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::body::Parts;
use super::disk::{beside, io, manifest_key, write_then_rename, write_with};
use super::error::ExportError;
use super::made_from::MadeFrom;
use super::names::{MADE_FROM, MANIFEST};
use super::pieces::{CUT_ABOVE, PieceStore};
use super::siblings::{Siblings, Target};
use crate::compress::Effort;

/// File (relative, `/`-separated) → SHA-256 of its bytes, in hex.
type Manifest = BTreeMap<String, String>;

/// Fails unless `out` is missing, empty, or an earlier export (it has a readable manifest).
pub(super) fn check_target(out: &Path) -> Result<(), ExportError> {
    earlier_manifest(out).map(|_| ())
}

/// How many files the export in `out` holds, when it was made from `made_from` and every file
/// its manifest names is still there: then there is nothing to write. `None` otherwise.
pub(super) fn still_current(
    out: &Path,
    made_from: &MadeFrom,
) -> Result<Option<usize>, ExportError> {
    let Some(manifest) = earlier_manifest(out)? else {
        return Ok(None);
    };
    if !MadeFrom::of_export(out).is_some_and(|earlier| made_from.renders_as(&earlier)) {
        return Ok(None);
    }
    let all_there = manifest.keys().all(|file| out.join(file).is_file());
    Ok(all_there.then_some(manifest.len()))
}

/// The manifest of the earlier export in `out`; `None` when `out` is missing or empty, an
/// error when it holds anything else.
fn earlier_manifest(out: &Path) -> Result<Option<Manifest>, ExportError> {
    if !out.exists() {
        return Ok(None);
    }
    let refused = || ExportError::NotAnExport(out.to_path_buf());
    if !out.is_dir() {
        return Err(refused());
    }
    let mut entries = fs::read_dir(out).map_err(|e| io(out, e))?;
    if entries.next().is_none() {
        return Ok(None);
    }
    let manifest = fs::read(out.join(MANIFEST)).map_err(|_| refused())?;
    let manifest = serde_json::from_slice::<Manifest>(&manifest).map_err(|_| refused())?;
    Ok(Some(manifest))
}

/// The export being written, in a temporary folder beside its target, or in place.
pub(super) struct Staging {
    /// Where files are written: the temporary folder, or the target itself when in place.
    root: PathBuf,
    /// Where an earlier export is moved while the new one takes its place.
    old: PathBuf,
    target: PathBuf,
    manifest: Manifest,
    /// In place: the earlier export's manifest, which says which files are already right.
    earlier: Option<Manifest>,
    bytes: u64,
    written: usize,
    unchanged: usize,
    /// The threads writing the text files' `.gz` and `.br` siblings.
    siblings: Siblings,
    /// The compressed pieces of large files, kept beside the target between runs.
    pieces: Arc<PieceStore>,
}

/// What the earlier export says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Earlier {
    /// It wrote the file, which is still there as written and now in the new manifest.
    Kept,
    /// It did not have the file.
    Absent,
    /// There is no earlier export, or its file is gone: render it.
    Unknown,
}

/// What an export wrote, left alone and removed, in files (compressed siblings included).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub written: usize,
    pub bytes: u64,
    pub unchanged: usize,
    pub removed: usize,
}

impl Staging {
    /// Creates `.NAME.export-PID` beside `out` (a leftover of a crashed run is removed first).
    pub fn beside(out: &Path, effort: Effort) -> Result<Self, ExportError> {
        if out.file_name().is_none() {
            return Err(ExportError::NotAnExport(out.to_path_buf()));
        }
        let root = beside(out, &format!(".export-{}", std::process::id()));
        let old = beside(out, &format!(".old-{}", std::process::id()));
        for leftover in [&root, &old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(|e| io(leftover, e))?;
            }
        }
        fs::create_dir_all(&root).map_err(|e| io(&root, e))?;
        let pieces = Arc::new(PieceStore::beside(out, effort));
        let siblings = Siblings::start(Target {
            root: root.clone(),
            in_place: false,
            effort,
            pieces: pieces.clone(),
        });
        Ok(Self {
            root,
            old,
            target: out.to_path_buf(),
            manifest: Manifest::new(),
            earlier: None,
            bytes: 0,
            written: 0,
            unchanged: 0,
            siblings,
            pieces,
        })
    }

    /// Rewrites the earlier export in `out` file by file, leaving alone what is unchanged;
    /// a missing or empty `out` gets a whole export, written beside it as usual.
    pub fn in_place(out: &Path, effort: Effort) -> Result<Self, ExportError> {
        let Some(earlier) = earlier_manifest(out)? else {
            return Self::beside(out, effort);
        };
        let pieces = Arc::new(PieceStore::beside(out, effort));
        let siblings = Siblings::start(Target {
            root: out.to_path_buf(),
            in_place: true,
            effort,
            pieces: pieces.clone(),
        });
        Ok(Self {
            root: out.to_path_buf(),
            old: out.to_path_buf(),
            target: out.to_path_buf(),
            manifest: Manifest::new(),
            earlier: Some(earlier),
            bytes: 0,
            written: 0,
            unchanged: 0,
            siblings,
            pieces,
        })
    }

    fn is_in_place(&self) -> bool {
        self.earlier.is_some()
    }

    /// Writes `body` at `file` (relative), and `.gz` and `.br` siblings when it is text;
    /// in place, a file the earlier export wrote with these very bytes is left as it is.
    /// The siblings are written by other threads meanwhile; [`Self::finish`] waits for them.
    pub fn write(&mut self, file: &Path, body: Parts, is_text: bool) -> Result<(), ExportError> {
        let sha256 = body.sha256();
        if self.keep_unchanged(file, &sha256) {
            if is_text && body.len() > CUT_ABOVE {
                // Its pieces stay for the day it changes.
                self.pieces.keep_pieces_of(&body)?;
            }
            return Ok(());
        }
        self.put(file, &body, sha256)?;
        if is_text {
            self.siblings.add(file, body)?;
        }
        Ok(())
    }

    /// Waits until no large file is being compressed (see [`Siblings::wait_for_large`]).
    pub fn wait_for_large(&mut self) -> Result<(), ExportError> {
        self.siblings.wait_for_large()
    }

    /// True (and the file and its siblings carried into the new manifest) when the earlier
    /// export holds `file` with the bytes whose hash is `sha256`.
    fn keep_unchanged(&mut self, file: &Path, sha256: &str) -> bool {
        let Some(earlier) = &self.earlier else {
            return false;
        };
        let key = manifest_key(file);
        let same = earlier.get(&key).is_some_and(|kept| kept == sha256);
        same && self.carry(&key)
    }

    /// What became of `file`, which nothing it shows has changed since the earlier export,
    /// without rendering it: [`Earlier::Kept`] when that export wrote it and it (with its
    /// siblings) is still there; [`Earlier::Absent`] when that export did not have it.
    pub fn keep_earlier(&mut self, file: &Path) -> Earlier {
        let Some(earlier) = &self.earlier else {
            return Earlier::Unknown;
        };
        let key = manifest_key(file);
        if !earlier.contains_key(&key) {
            return Earlier::Absent;
        }
        match self.carry(&key) {
            true => Earlier::Kept,
            false => Earlier::Unknown,
        }
    }

    /// Enters the earlier export's `key` and its siblings in the new manifest, when each of
    /// them is still on disk.
    fn carry(&mut self, key: &str) -> bool {
        let Some(earlier) = &self.earlier else {
            return false;
        };
        let names = [key.to_string(), format!("{key}.gz"), format!("{key}.br")];
        let kept: Vec<(String, String)> = names
            .into_iter()
            .filter_map(|name| earlier.get(&name).map(|sha| (name, sha.clone())))
            .collect();
        if !kept.iter().all(|(name, _)| self.root.join(name).is_file()) {
            return false;
        }
        self.unchanged += kept.len();
        self.manifest.extend(kept);
        true
    }

    fn put(&mut self, file: &Path, body: &Parts, sha256: String) -> Result<(), ExportError> {
        let path = self.root.join(file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        write_with(&path, self.is_in_place(), |path| body.write_to(path))?;
        self.record(file, sha256, body.len() as u64);
        Ok(())
    }

    fn record(&mut self, file: &Path, sha256: String, len: u64) {
        self.manifest.insert(manifest_key(file), sha256);
        self.bytes += len;
        self.written += 1;
    }

    /// Waits for the siblings and enters them in the manifest.
    fn record_siblings(&mut self) -> Result<(), ExportError> {
        for written in self.siblings.finish()? {
            self.record(&written.file, written.sha256, written.len);
        }
        Ok(())
    }

    /// Writes the manifest and what the export is `made_from`, and moves the folder into
    /// place, replacing an earlier export; on failure the temporary folder is removed and the
    /// target left as it was. In place, removes the files the new export no longer has, then
    /// writes the manifest.
    pub fn finish(mut self, made_from: &MadeFrom) -> Result<Counts, ExportError> {
        if let Err(error) = self.record_siblings() {
            self.abandon();
            return Err(error);
        }
        self.pieces.prune()?;
        let mut counts = Counts {
            written: self.written,
            bytes: self.bytes,
            unchanged: self.unchanged,
            removed: 0,
        };
        if self.is_in_place() {
            counts.removed = self.remove_dropped()?;
            let json = serde_json::to_vec_pretty(&self.manifest).map_err(std::io::Error::other);
            let manifest = self.root.join(MANIFEST);
            write_then_rename(&manifest, &json.map_err(|e| io(&manifest, e))?)?;
            write_then_rename(&self.root.join(MADE_FROM), &made_from.to_json())?;
            return Ok(counts);
        }
        let done = self.swap_in(made_from);
        if done.is_err() {
            self.abandon();
        }
        done.map(|()| counts)
    }

    /// Removes what the earlier export wrote and this one did not; returns how many files.
    fn remove_dropped(&self) -> Result<usize, ExportError> {
        let Some(earlier) = &self.earlier else {
            return Ok(0);
        };
        let mut removed = 0;
        for key in earlier
            .keys()
            .filter(|key| !self.manifest.contains_key(*key))
        {
            let path = self.root.join(key);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path, e)),
            }
            self.remove_emptied_folders(&path)?;
        }
        Ok(removed)
    }

    /// Removes the folders above `file` that its removal left empty, up to the export's root:
    /// an unpublished episode leaves no `episodes/N/` behind for a server to list or answer.
    fn remove_emptied_folders(&self, file: &Path) -> Result<(), ExportError> {
        let mut folder = file.parent();
        while let Some(dir) = folder.filter(|dir| *dir != self.root && dir.starts_with(&self.root))
        {
            match fs::remove_dir(dir) {
                Ok(()) => folder = dir.parent(),
                // Not empty (another page lives there) or already gone: the folders above stay.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::NotFound
                    ) =>
                {
                    return Ok(());
                }
                Err(e) => return Err(io(dir, e)),
            }
        }
        Ok(())
    }

    fn swap_in(&self, made_from: &MadeFrom) -> Result<(), ExportError> {
        let json = serde_json::to_vec_pretty(&self.manifest).map_err(std::io::Error::other);
        let manifest = self.root.join(MANIFEST);
        fs::write(&manifest, json.map_err(|e| io(&manifest, e))?).map_err(|e| io(&manifest, e))?;
        let file = self.root.join(MADE_FROM);
        fs::write(&file, made_from.to_json()).map_err(|e| io(&file, e))?;
        // Checked again: the target may have changed while the pages were rendered.
        check_target(&self.target)?;
        if self.target.exists() {
            let old = &self.old;
            fs::rename(&self.target, old).map_err(|e| io(&self.target, e))?;
            if let Err(e) = fs::rename(&self.root, &self.target) {
                // Put the earlier export back: the target is never left missing.
                let _ = fs::rename(old, &self.target);
                return Err(io(&self.target, e));
            }
            fs::remove_dir_all(old).map_err(|e| io(old, e))?;
        } else {
            fs::rename(&self.root, &self.target).map_err(|e| io(&self.target, e))?;
        }
        Ok(())
    }

    /// Removes the temporary folder after a failure. In place there is none: the files
    /// written so far are whole, and the earlier manifest still stands, so a later run
    /// rewrites them.
    pub fn abandon(mut self) {
        // The threads stop before their folder goes; their errors add nothing to the first one.
        let _ = self.siblings.finish();
        if !self.is_in_place() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}
