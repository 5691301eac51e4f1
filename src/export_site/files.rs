//! Writing the copy: a temporary folder beside the target, `.gz` and `.br` siblings, the manifest,
//! then one rename into place, so a failed export leaves the target as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ExportError;
use crate::compress::{self, Effort};

/// The file naming every file of an export and its SHA-256; its presence marks a folder
/// an earlier export wrote, which a new one may replace.
pub const MANIFEST: &str = "manifest.json";

/// Fails unless `out` is missing, empty, or an earlier export (it has a readable manifest).
pub(super) fn check_target(out: &Path) -> Result<(), ExportError> {
    if !out.exists() {
        return Ok(());
    }
    let refused = || ExportError::NotAnExport(out.to_path_buf());
    if !out.is_dir() {
        return Err(refused());
    }
    let mut entries = fs::read_dir(out).map_err(|e| io(out, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    let manifest = fs::read(out.join(MANIFEST)).map_err(|_| refused())?;
    serde_json::from_slice::<BTreeMap<String, String>>(&manifest).map_err(|_| refused())?;
    Ok(())
}

/// The export being written, in a temporary folder beside its target.
pub(super) struct Staging {
    root: PathBuf,
    /// Where an earlier export is moved while the new one takes its place.
    old: PathBuf,
    target: PathBuf,
    manifest: BTreeMap<String, String>,
    bytes: u64,
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
            manifest: BTreeMap::new(),
            bytes: 0,
        })
    }

    /// Writes `body` at `file` (relative), and `.gz` and `.br` siblings when it is text.
    pub fn write(&mut self, file: &Path, body: &[u8], is_text: bool) -> Result<(), ExportError> {
        self.put(file, body)?;
        if is_text {
            let gz = compress::gzip([body], body.len(), Effort::Best).map_err(|e| io(file, e))?;
            self.put(&sibling(file, ".gz"), &gz)?;
            let br = compress::brotli([body], body.len(), Effort::Best).map_err(|e| io(file, e))?;
            self.put(&sibling(file, ".br"), &br)?;
        }
        Ok(())
    }

    /// How many files are written (the manifest aside), and their bytes.
    pub fn counts(&self) -> (usize, u64) {
        (self.manifest.len(), self.bytes)
    }

    fn put(&mut self, file: &Path, body: &[u8]) -> Result<(), ExportError> {
        let path = self.root.join(file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        fs::write(&path, body).map_err(|e| io(&path, e))?;
        let key = file.to_string_lossy().replace('\\', "/");
        self.manifest.insert(key, hex(&Sha256::digest(body)));
        self.bytes += body.len() as u64;
        Ok(())
    }

    /// Writes the manifest and moves the folder into place, replacing an earlier export;
    /// on failure the temporary folder is removed and the target left as it was.
    pub fn finish(self) -> Result<(), ExportError> {
        let done = self.swap_in();
        if done.is_err() {
            self.abandon();
        }
        done
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

    /// Removes the temporary folder after a failure.
    pub fn abandon(&self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// `file` with `suffix` added to its name: `index.html` → `index.html.gz`.
fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
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
