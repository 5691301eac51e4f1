//! Tests over the real episodes in `tests/fixtures/notes/`.

mod archive;
mod errors;
mod examples;
mod fuzz;
pub(super) mod roundtrip;
mod seed;

pub(super) const SEED: &str =
    include_str!("../../../tests/fixtures/notes/python-bytes-434-seed.md");
pub(super) const EP_001: &str = include_str!("../../../tests/fixtures/notes/001.md");
pub(super) const EP_050: &str = include_str!("../../../tests/fixtures/notes/050.md");
pub(super) const EP_150: &str = include_str!("../../../tests/fixtures/notes/150.md");
pub(super) const EP_250: &str = include_str!("../../../tests/fixtures/notes/250.md");
pub(super) const EP_350: &str = include_str!("../../../tests/fixtures/notes/350.md");
pub(super) const EP_434: &str = include_str!("../../../tests/fixtures/notes/434.md");
pub(super) const EP_470: &str =
    include_str!("../../../tests/fixtures/notes/470-a-jolting-episode.md");
pub(super) const EP_485: &str = include_str!("../../../tests/fixtures/notes/PB-485.md");

/// Every fixture with its file name.
pub(super) const ALL: [(&str, &str); 9] = [
    ("python-bytes-434-seed.md", SEED),
    ("001.md", EP_001),
    ("050.md", EP_050),
    ("150.md", EP_150),
    ("250.md", EP_250),
    ("350.md", EP_350),
    ("434.md", EP_434),
    ("470-a-jolting-episode.md", EP_470),
    ("PB-485.md", EP_485),
];

/// `(host, number, title)` of every topic.
pub(super) fn topics(
    episode: &crate::notes::ParsedEpisode,
) -> Vec<(Option<&str>, Option<i64>, &str)> {
    episode
        .segments
        .iter()
        .filter(|s| s.kind == crate::notes::SegmentKind::Topic)
        .map(|s| (s.host.as_deref(), s.number, s.title.as_str()))
        .collect()
}
