//! How documents (an episode's hosts, a talk's speakers) name a person.

use serde::{Deserialize, Serialize};

/// A person as other documents refer to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    /// URL name; derived from `name` when empty on input.
    #[serde(default)]
    pub slug: String,
    /// Display name.
    pub name: String,
}
