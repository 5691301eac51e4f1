//! Writing the copy: a temporary folder beside the target, `.gz` and `.br` siblings, the manifest,
//! then one rename into place, so a failed export leaves the target as it was. Or, with
//! `--changed-since`, in place: only files whose bytes differ from the earlier export's manifest
//! are written (each to a temporary name, then renamed), and files it no longer has removed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ExportError;
use crate::compress::{self, Effort};

/// The file naming every file of an export and its SHA-256; its presence marks a folder
/// an earlier export wrote, which a new one may replace.
pub const MANIFEST: &str = "manifest.json";

/// File (relative, `/`-separated) → SHA-256 of its bytes, in hex.
type Manifest = BTreeMap<String, String>;

/// Fails unless `out` is missing, empty, or an earlier export (it has a readable manifest).
pub(super) fn check_target(out: &Path) -> Result<(), ExportError> {
    earlier_manifest(out).map(|_| ())
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
    pub fn beside(out: &Path) -> Result<Self, ExportError> {
        let name = out
            .file_name()
            .ok_or_else(|| ExportError::NotAnExport(out.to_path_buf()))?
            .to_string_lossy();
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let root = parent.join(format!(".{name}.export-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        for leftover in [&root, &old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(|e| io(leftover, e))?;
            }
        }
        fs::create_dir_all(&root).map_err(|e| io(&root, e))?;
        Ok(Self {
            root,
            old,
            target: out.to_path_buf(),
            manifest: Manifest::new(),
            earlier: None,
            bytes: 0,
            written: 0,
            unchanged: 0,
        })
    }

    /// Rewrites the earlier export in `out` file by file, leaving alone what is unchanged;
    /// a missing or empty `out` gets a whole export, written beside it as usual.
    pub fn in_place(out: &Path) -> Result<Self, ExportError> {
        let Some(earlier) = earlier_manifest(out)? else {
            return Self::beside(out);
        };
        Ok(Self {
            root: out.to_path_buf(),
            old: out.to_path_buf(),
            target: out.to_path_buf(),
            manifest: Manifest::new(),
            earlier: Some(earlier),
            bytes: 0,
            written: 0,
            unchanged: 0,
        })
    }

    fn is_in_place(&self) -> bool {
        self.earlier.is_some()
    }

    /// Writes `body` at `file` (relative), and `.gz` and `.br` siblings when it is text;
    /// in place, a file the earlier export wrote with these very bytes is left as it is.
    pub fn write(&mut self, file: &Path, body: &[u8], is_text: bool) -> Result<(), ExportError> {
        if self.keep_unchanged(file, body) {
            return Ok(());
        }
        self.put(file, body)?;
        if is_text {
            // Both siblings at once, one per core: compression is most of an export's time.
            let (gz, br) = std::thread::scope(|threads| {
                let gz = threads.spawn(|| compress::gzip([body], body.len(), Effort::Best));
                let br = compress::brotli([body], body.len(), Effort::Best);
                (
                    gz.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    br,
                )
            });
            self.put(&sibling(file, ".gz"), &gz.map_err(|e| io(file, e))?)?;
            self.put(&sibling(file, ".br"), &br.map_err(|e| io(file, e))?)?;
        }
        Ok(())
    }

    /// True (and the file and its siblings carried into the new manifest) when the earlier
    /// export holds `file` with these bytes.
    fn keep_unchanged(&mut self, file: &Path, body: &[u8]) -> bool {
        let Some(earlier) = &self.earlier else {
            return false;
        };
        let key = manifest_key(file);
        let same = earlier.get(&key) == Some(&hex(&Sha256::digest(body)));
        if !same || !self.root.join(file).is_file() {
            return false;
        }
        for name in [key.clone(), format!("{key}.gz"), format!("{key}.br")] {
            if let Some(sha) = earlier.get(&name) {
                self.manifest.insert(name, sha.clone());
                self.unchanged += 1;
            }
        }
        true
    }

    fn put(&mut self, file: &Path, body: &[u8]) -> Result<(), ExportError> {
        let path = self.root.join(file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        if self.is_in_place() {
            // A web server reading the folder meanwhile sees the old file or the new, never half.
            write_then_rename(&path, body)?;
        } else {
            fs::write(&path, body).map_err(|e| io(&path, e))?;
        }
        self.manifest
            .insert(manifest_key(file), hex(&Sha256::digest(body)));
        self.bytes += body.len() as u64;
        self.written += 1;
        Ok(())
    }

    /// Writes the manifest and moves the folder into place, replacing an earlier export;
    /// on failure the temporary folder is removed and the target left as it was. In place,
    /// removes the files the new export no longer has, then writes the manifest.
    pub fn finish(self) -> Result<Counts, ExportError> {
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
            return Ok(counts);
        }
        let done = self.swap_in();
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
        }
        Ok(removed)
    }

    fn swap_in(&self) -> Result<(), ExportError> {
        let json = serde_json::to_vec_pretty(&self.manifest).map_err(std::io::Error::other);
        let manifest = self.root.join(MANIFEST);
        fs::write(&manifest, json.map_err(|e| io(&manifest, e))?).map_err(|e| io(&manifest, e))?;
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
    pub fn abandon(&self) {
        if !self.is_in_place() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// `file` with `suffix` added to its name: `index.html` → `index.html.gz`.
fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `file` as the manifest names it (`/` between folders on every system).
fn manifest_key(file: &Path) -> String {
    file.to_string_lossy().replace('\\', "/")
}

/// Writes `path` under a temporary name beside it, then renames it into place.
fn write_then_rename(path: &Path, body: &[u8]) -> Result<(), ExportError> {
    let temporary = sibling(path, &format!(".tmp-{}", std::process::id()));
    fs::write(&temporary, body).map_err(|e| io(&temporary, e))?;
    fs::rename(&temporary, path).map_err(|e| io(path, e))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn io(path: &Path, source: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}
