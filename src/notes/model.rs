//! What a notes file reads as: the parser's output and its errors.

use std::fmt;

/// One episode's notes, as read from a notes file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEpisode {
    /// The episode number: the last integer of the top `# …` heading.
    pub number: Option<i64>,
    /// The text of the top `# …` heading, `None` when the file has none.
    pub title: Option<String>,
    /// Everything between the heading and the first segment, verbatim, blank lines trimmed.
    pub intro_md: String,
    /// The "Connect with the hosts" list: one entry per `Name:` bullet.
    pub host_socials: Vec<HostSocials>,
    /// The guests' full names, as the intro announces them ("Special guest: …").
    pub guests: Vec<String>,
    /// The day the intro says the episode was recorded ("recorded on **January 30th, 2017**").
    /// The intro keeps the sentence, so the writer writes nothing for it.
    pub recorded_on: Option<time::Date>,
    /// The segments in source order, a sponsor segment (derived from the intro) first.
    pub segments: Vec<ParsedSegment>,
    /// What was read in a way the writer may not have meant, for the importer to show.
    pub warnings: Vec<NotesWarning>,
}

/// Something a notes file was read despite, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesWarning {
    /// The 1-based line it is about.
    pub line: usize,
    /// What was done and why.
    pub message: String,
}

/// One bullet of the "Connect with the hosts" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSocials {
    /// The name before the colon ("Michael", "Show").
    pub name: String,
    /// Every link URL on the bullet's line, in order.
    pub urls: Vec<String>,
}

/// What a segment is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    /// A numbered, host-attributed topic (`**Brian #1:** [Title](url)`).
    #[default]
    Topic,
    /// One host's extras.
    Extra,
    /// The joke.
    Joke,
    /// The sponsor, derived from the intro's `Sponsored by …` line.
    Sponsor,
    /// Any other section, started by a heading (`## Our news`).
    Other,
}

impl SegmentKind {
    /// Every kind, in declaration order.
    pub const ALL: [SegmentKind; 5] = [
        SegmentKind::Topic,
        SegmentKind::Extra,
        SegmentKind::Joke,
        SegmentKind::Sponsor,
        SegmentKind::Other,
    ];

    /// The kind's name as stored in the database (`"topic"`, `"extra"`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            SegmentKind::Topic => "topic",
            SegmentKind::Extra => "extra",
            SegmentKind::Joke => "joke",
            SegmentKind::Sponsor => "sponsor",
            SegmentKind::Other => "other",
        }
    }

    /// The kind named by [`SegmentKind::as_str`], `None` for any other string.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for SegmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of an episode: a topic, a host's extras, the joke, the sponsor or another section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSegment {
    /// What the segment is.
    pub kind: SegmentKind,
    /// The host's name exactly as written ("Brain" stays "Brain"; aliases resolve elsewhere).
    pub host: Option<String>,
    /// The N of "#N" for topics.
    pub number: Option<i64>,
    /// The title as plain text, without markdown.
    pub title: String,
    /// The first link of the title line.
    pub url: Option<String>,
    /// The body: an exact slice of the source, surrounding blank lines trimmed.
    pub notes_md: String,
    /// The 1-based source line of the title line.
    pub line: usize,
    /// Every link of the title line and then the notes, adjacent same-URL links merged.
    pub links: Vec<ParsedLink>,
    /// Talks, when the notes are mostly a list of single video links.
    pub talks: Vec<ParsedTalk>,
}

/// A link: its destination and its plain, whitespace-collapsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedLink {
    /// The destination as written.
    pub url: String,
    /// The plain text, trimmed, whitespace runs collapsed to one space.
    pub text: String,
}

/// A conference talk listed in a segment's notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTalk {
    /// The video link's text.
    pub title: String,
    /// The video URL.
    pub url: String,
    /// The links in the bullet's nested bullets.
    pub related: Vec<ParsedLink>,
}

/// Why a notes file could not be read, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesError {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for NotesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for NotesError {}
