//! What an export was made from, kept beside its manifest: `--changed-since` renders nothing
//! when the content, the build and the options are those of the export it updates.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The file at the export's root that holds it.
pub const MADE_FROM: &str = "export-made-from.json";

/// This build: a hash of its code, templates, assets, migrations and locked crates (build.rs).
const BUILD: &str = env!("SHOWNOTES_BUILD_ID");

/// The inputs of an export besides the files themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MadeFrom {
    /// The database's content version, which every public change moves
    /// (`migrations/0100_content_version.sql`), read before the first page is rendered.
    content_version: i64,
    /// The build that rendered the pages.
    build: String,
    /// The base URL of their links.
    base_url: String,
    /// How hard the `.gz`/`.br` siblings were compressed.
    effort: String,
}

impl MadeFrom {
    pub fn new(content_version: i64, base_url: &str, effort: crate::compress::Effort) -> Self {
        Self {
            content_version,
            build: BUILD.to_string(),
            base_url: base_url.to_string(),
            effort: format!("{effort:?}"),
        }
    }

    /// What the export in `out` was made from; `None` when it does not say (an export by an
    /// older build, a damaged file): it is then rendered again.
    pub fn of_export(out: &Path) -> Option<Self> {
        let text = std::fs::read(out.join(MADE_FROM)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    pub fn to_json(&self) -> Vec<u8> {
        // A struct of strings and an integer always serializes.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}
