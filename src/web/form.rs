//! Form helpers: field errors shown next to their fields, and the "saved" notice.
//! (Forms of visitors who are not signed in use [`super::csrf`].)

/// `?saved=1`: the page after a successful save says so.
#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    /// Present after a save.
    pub saved: Option<String>,
}

/// What is wrong with a submitted form, by field.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Records that `field` is wrong and why.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The message for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether the form is fine.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error, in the order found (for a summary at the top of the form).
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }
}
