//! Files on disk as an export writes them: whole, under a temporary name first when a server
//! may be reading the folder.

use std::fs;
use std::path::{Path, PathBuf};

use super::error::ExportError;

/// Writes `body` at `path`: in place, under a temporary name renamed into place, so a web
/// server reading the folder meanwhile sees the old file or the new, never half.
pub(super) fn write_file(path: &Path, body: &[u8], in_place: bool) -> Result<(), ExportError> {
    write_with(path, in_place, |file| fs::write(file, body))
}

/// Makes the file at `path` with `write`, given the path to write: `path` itself, or in place
/// a temporary name beside it, renamed into place once written.
pub(super) fn write_with(
    path: &Path,
    in_place: bool,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    if !in_place {
        return write(path).map_err(|e| io(path, e));
    }
    let temporary = sibling(path, &format!(".tmp-{}", std::process::id()));
    write(&temporary).map_err(|e| io(&temporary, e))?;
    fs::rename(&temporary, path).map_err(|e| io(path, e))
}

/// The hidden folder `.NAME{suffix}` beside `out` (`site` → `.site.pieces`): in the same
/// folder, so a rename into `out` stays on one file system.
pub(super) fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    parent.join(format!(".{name}{suffix}"))
}

/// `file` with `suffix` added to its name: `index.html` → `index.html.gz`.
pub(super) fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `file` as the manifest names it (`/` between folders on every system).
pub(super) fn manifest_key(file: &Path) -> String {
    file.to_string_lossy().replace('\\', "/")
}

/// Writes `path` under a temporary name beside it, then renames it into place.
pub(super) fn write_then_rename(path: &Path, body: &[u8]) -> Result<(), ExportError> {
    write_file(path, body, true)
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn io(path: &Path, source: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}
