//! The show-notes markdown dialect: [`parse`] a notes file into an episode, [`write`] one back.
//!
//! Pure code, no database and no I/O. The dialect is described in `DESIGN.md` ("The notes
//! format"); the seed episode (`python-bytes-434`) is the canonical form [`write`] emits.

mod blocks;
mod filename;
mod guests;
mod heads;
mod intro;
mod items;
mod links;
mod model;
pub(crate) mod parse;
mod recorded;
mod segments;
mod talks;
mod title_number;
mod write;

#[cfg(test)]
mod tests;

pub use filename::{file_name_has_number, number_from_file_name, title_from_file_name};
pub use guests::guest_named;
pub use links::links_of_markdown;
pub use model::{
    HostSocials, NotesError, NotesWarning, ParsedEpisode, ParsedLink, ParsedSegment, ParsedTalk,
    SegmentKind,
};
pub use parse::parse;
pub use recorded::recorded_on;
pub use title_number::{number_in_title, title_without_number};
pub use write::write;
