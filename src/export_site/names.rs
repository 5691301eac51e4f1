//! The files an export writes beside the site's own, by name.

/// The file naming every file of an export and its SHA-256; its presence marks a folder
/// an earlier export wrote, which a new one may replace.
pub const MANIFEST: &str = "manifest.json";

/// The file at the export's root that says what the export was made from
/// ([`super::made_from::MadeFrom`]).
pub const MADE_FROM: &str = "export-made-from.json";

/// The page a static host serves for an address the copy does not have: the server's own
/// "not found" page.
pub const NOT_FOUND_PAGE: &str = "404.html";
