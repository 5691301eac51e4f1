//! The episode document: the JSON API's output and `import episode`'s input.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// Publication state of an episode, as stored (the table's check allows these three only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, sqlx::Type)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written: visible to hosts only.
    #[default]
    Draft,
    /// Will publish itself at `publish_at`.
    Scheduled,
    /// Public.
    Published,
}

impl Status {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
        }
    }

    /// The status spelled `text`, if it is one (a list's filter in the address).
    pub fn named(text: &str) -> Option<Self> {
        [Self::Draft, Self::Scheduled, Self::Published]
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// Reads the stored spelling; anything unknown is treated as a draft (never public).
    pub fn parse(text: &str) -> Self {
        match text {
            "published" => Self::Published,
            "scheduled" => Self::Scheduled,
            _ => Self::Draft,
        }
    }
}

/// The stored spelling, as templates and the CLI print it.
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of part of an episode a segment is: the notes format's kinds.
pub use crate::notes::SegmentKind;

pub use crate::people::person_ref::PersonRef;

/// The episode's audio enclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audio {
    /// Where the file lives.
    pub url: String,
    /// Its size in bytes (feeds need it).
    #[serde(default)]
    pub bytes: Option<i64>,
    /// Its MIME type, `audio/mpeg` when unknown.
    #[serde(default, rename = "type")]
    pub mime_type: Option<String>,
    /// Its length in seconds.
    #[serde(default)]
    pub duration_secs: Option<i64>,
}

/// One link of a segment, as the registry knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    /// The URL as written.
    pub url: String,
    /// Its normalized identity.
    pub url_key: String,
    /// The link text.
    pub text: String,
}

/// A talk a segment discusses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalkRef {
    /// The event's slug.
    pub event: String,
    /// The talk's slug.
    pub slug: String,
    /// The talk's title.
    pub title: String,
}

/// An episode with its segments; fields marked output-only are derived.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EpisodeDoc {
    /// The episode number, unique.
    pub number: i64,
    /// URL name; derived from the title when empty on input.
    #[serde(default)]
    pub slug: String,
    /// Title.
    pub title: String,
    /// Publication state.
    #[serde(default)]
    pub status: Status,
    /// When it was (or will be) published, RFC 3339 UTC.
    #[serde(default)]
    pub published_at: Option<Timestamp>,
    /// Input only, never in JSON: when the episode was recorded (RFC 3339), its publication
    /// date when it has no other (notes that say "recorded on …").
    #[serde(skip)]
    pub recorded_at: Option<Timestamp>,
    /// One-paragraph summary.
    #[serde(default)]
    pub summary: String,
    /// The preamble, verbatim markdown.
    #[serde(default)]
    pub intro_md: String,
    /// Output only: the preamble rendered.
    #[serde(default, skip_deserializing)]
    pub intro_html: String,
    /// The audio enclosure, if any.
    #[serde(default)]
    pub audio: Option<Audio>,
    /// A video of the episode (a live-stream recording), if any.
    #[serde(default)]
    pub video_url: Option<String>,
    /// Output only: the people presenting topics, in order of first appearance.
    #[serde(default, skip_deserializing)]
    pub hosts: Vec<PersonRef>,
    /// The segments in order.
    #[serde(default)]
    pub segments: Vec<SegmentDoc>,
}

/// One segment of an episode.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SegmentDoc {
    /// 1-based order within the episode; input order is used when absent.
    #[serde(default)]
    pub position: i64,
    /// What kind of segment.
    #[serde(default)]
    pub kind: SegmentKind,
    /// The "#N" of a topic.
    #[serde(default)]
    pub number: Option<i64>,
    /// Who presents it.
    #[serde(default)]
    pub person: Option<PersonRef>,
    /// The presenter's name as imported notes wrote it, when not the person's name; notes
    /// export writes it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credited_as: Option<String>,
    /// Plain-text title.
    #[serde(default)]
    pub title: String,
    /// The title's link.
    #[serde(default)]
    pub url: Option<String>,
    /// Notes, verbatim markdown.
    #[serde(default)]
    pub notes_md: String,
    /// Output only: the notes rendered and sanitized.
    #[serde(default, skip_deserializing)]
    pub notes_html: String,
    /// Chapter start, seconds from the beginning.
    #[serde(default)]
    pub start_secs: Option<i64>,
    /// Output only: every link of the title and notes.
    #[serde(default, skip_deserializing)]
    pub links: Vec<LinkRef>,
    /// Output only: talks this segment discusses.
    #[serde(default, skip_deserializing)]
    pub talks: Vec<TalkRef>,
}
