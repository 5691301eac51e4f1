//! The seed episode (434), the dialect's canonical form.

use super::{EP_434, SEED, topics};
use crate::notes::{ParsedLink, ParsedSegment, SegmentKind, parse};

fn seed_segment(kind: SegmentKind, host: Option<&str>) -> ParsedSegment {
    let episode = parse(SEED).expect("the seed parses");
    let found = episode
        .segments
        .into_iter()
        .find(|s| s.kind == kind && s.host.as_deref() == host);
    found.expect("the segment is there")
}

#[test]
fn seed_is_the_434_example() {
    assert_eq!(SEED, EP_434);
}

#[test]
fn seed_title_intro_and_topics() {
    let episode = parse(SEED).expect("the seed parses");
    assert_eq!(episode.title.as_deref(), Some("Python Bytes 434"));
    assert_eq!(episode.number, Some(434));
    assert!(episode.intro_md.starts_with("Sponsored by Digital Ocean:"));
    assert!(episode.intro_md.ends_with("we'll never share it."));
    let expected = [
        (
            Some("Brian"),
            Some(1),
            "Making PyPI’s test suite 81% faster",
        ),
        (
            Some("Michael"),
            Some(2),
            "People aren’t talking enough about how most of OpenAI’s tech stack runs on Python",
        ),
        (Some("Michael"), Some(3), "PyCon Talks on YouTube"),
        (
            Some("Brian"),
            Some(4),
            "Optimizing Python Import Performance",
        ),
    ];
    assert_eq!(topics(&episode), expected);
}

#[test]
fn seed_segment_order_and_kinds() {
    let episode = parse(SEED).expect("the seed parses");
    let shape: Vec<(SegmentKind, Option<&str>, usize)> = episode
        .segments
        .iter()
        .map(|s| (s.kind, s.host.as_deref(), s.line))
        .collect();
    use SegmentKind::*;
    let expected = [
        (Sponsor, None, 3),
        (Topic, Some("Brian"), 15),
        (Topic, Some("Michael"), 50),
        (Topic, Some("Michael"), 59),
        (Topic, Some("Brian"), 79),
        (Extra, Some("Brian"), 106),
        (Extra, Some("Michael"), 117),
        (Joke, None, 122),
    ];
    assert_eq!(shape, expected);
}

#[test]
fn seed_brian_1() {
    let brian = seed_segment(SegmentKind::Topic, Some("Brian"));
    let url = "https://blog.trailofbits.com/2025/05/01/making-pypis-test-suite-81-faster/";
    assert_eq!(brian.url.as_deref(), Some(url));
    assert!(brian.notes_md.starts_with("- Alexis Challande"));
    assert!(
        brian
            .notes_md
            .ends_with("needed by devs running tests locally")
    );
    assert!(SEED.contains(&brian.notes_md));
    assert_eq!(brian.links.len(), 1);
    assert!(brian.talks.is_empty());
}

#[test]
fn seed_sponsor_joke_and_socials() {
    let episode = parse(SEED).expect("the seed parses");
    let sponsor = &episode.segments[0];
    assert_eq!(sponsor.title, "Digital Ocean");
    assert_eq!(
        sponsor.url.as_deref(),
        Some("https://pythonbytes.fm/digitalocean-gen-ai")
    );
    assert_eq!(sponsor.notes_md, "");
    let joke = episode.segments.last().expect("a joke");
    assert_eq!(
        (joke.kind, joke.title.as_str()),
        (SegmentKind::Joke, "There is hope")
    );
    let url = "https://x.com/PR0GRAMMERHUM0R/status/1637167010365812737";
    assert_eq!(joke.url.as_deref(), Some(url));
    let names: Vec<&str> = episode
        .host_socials
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["Michael", "Brian", "Show"]);
    let michael = &episode.host_socials[0].urls;
    assert_eq!(
        michael,
        &[
            "https://fosstodon.org/@mkennedy",
            "https://bsky.app/profile/mkennedy.codes"
        ]
    );
}

#[test]
fn seed_extras_per_host() {
    let episode = parse(SEED).expect("the seed parses");
    let extras: Vec<&ParsedSegment> = episode
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Extra)
        .collect();
    assert_eq!(extras.len(), 2);
    assert!(extras[0].notes_md.starts_with("- [PEPs & Co.]"));
    assert!(extras[1].notes_md.starts_with("- [git-bug]"));
    assert!(
        extras
            .iter()
            .all(|e| e.title == "Extras" && e.number.is_none())
    );
}

#[test]
fn seed_talks() {
    let episode = parse(SEED).expect("the seed parses");
    let michael_3 = &episode.segments[3];
    assert_eq!(michael_3.number, Some(3));
    let talks = &michael_3.talks;
    assert_eq!(talks.len(), 11);
    assert_eq!(talks.iter().filter(|t| !t.related.is_empty()).count(), 5);
    assert_eq!(talks[0].title, "Keynote by Cory Doctorow");
    assert_eq!(talks[4].title, "The Most Bizarre Software Bugs in History");
    let marimo = &talks[8];
    assert_eq!(
        marimo.title,
        "Marimo: A Notebook that \"Compiles\" Python for Reproducibility and Reusability"
    );
    let related: Vec<&str> = marimo.related.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(related, ["my Talk Python episode"]);
    assert!(talks.iter().all(|t| t.url.contains("youtube.com/watch")));
}

#[test]
fn seed_merges_split_links() {
    let episode = parse(SEED).expect("the seed parses");
    let all: Vec<&ParsedLink> = episode.segments.iter().flat_map(|s| &s.links).collect();
    let marimo: Vec<&&ParsedLink> = all
        .iter()
        .filter(|l| l.url.contains("3-3zy5W2SOw"))
        .collect();
    assert_eq!(marimo.len(), 1);
    let option_x = ParsedLink {
        url: "https://docs.python.org/3/using/cmdline.html#cmdoption-X".into(),
        text: "option -X in the standard docs".into(),
    };
    assert!(episode.segments[4].links.contains(&option_x));
}
