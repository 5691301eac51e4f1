//! Build facts the binary needs about itself.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What the pages a build renders depend on besides the database: its code, templates,
/// assets, migrations and the locked crate versions.
const INPUTS: &[&str] = &[
    "src",
    "templates",
    "static",
    "migrations",
    "Cargo.toml",
    "Cargo.lock",
];

fn main() {
    // The migrations are embedded at compile time (`sqlx::migrate!`): a new or changed
    // migration must rebuild the binary, which cargo does not know on its own.
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
    }
    // `export site --changed-since` skips rendering when neither the content nor the build
    // changed since the export it updates; this names the build.
    println!(
        "cargo:rustc-env=SHOWNOTES_BUILD_ID={:016x}",
        hash_of_inputs()
    );
}

fn hash_of_inputs() -> u64 {
    let mut files = Vec::new();
    for input in INPUTS {
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), files);
            }
        }
        Err(_) if path.is_file() => files.push(path.to_path_buf()),
        Err(_) => {}
    }
}
