//! Form helpers: field errors shown next to their fields, and the "saved" notice.
//! (Forms of visitors who are not signed in use [`super::csrf`].)

/// `?saved=1`: the page after a successful save says so.
#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    /// Present after a save.
    pub saved: Option<String>,
}

pub use crate::validation::FieldErrors;
