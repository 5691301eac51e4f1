//! The drifting dialects of the real episodes, one test per file.

use super::{EP_001, EP_050, EP_150, EP_250, EP_350, EP_470, EP_485, topics};
use crate::notes::{ParsedEpisode, ParsedSegment, SegmentKind, parse};

fn parsed(source: &str) -> ParsedEpisode {
    parse(source).expect("the example parses")
}

fn of_kind(episode: &ParsedEpisode, kind: SegmentKind) -> Vec<&ParsedSegment> {
    episode.segments.iter().filter(|s| s.kind == kind).collect()
}

fn hosts(segments: &[&ParsedSegment]) -> Vec<Option<String>> {
    segments.iter().map(|s| s.host.clone()).collect()
}

#[test]
fn ep_001_news_items_are_topics() {
    let episode = parsed(EP_001);
    assert_eq!((episode.title.as_deref(), episode.number), (None, None));
    assert!(episode.intro_md.ends_with("## News items"));
    let expected = [
        (None, Some(1), "PyData DC 2016 videos are out"),
        (None, Some(2), "easyargs"),
        (None, Some(3), "safety-db via github"),
        (None, Some(4), "fast-style-transfer"),
        (None, Some(5), "pip 9.0 is out!"),
        (None, Some(6), "What does Reddit think about the new MBP?"),
    ];
    assert_eq!(topics(&episode), expected);
    assert_eq!(
        episode.segments[1].url.as_deref(),
        Some("https://github.com/stedmeister/easyargs")
    );
    let other = &of_kind(&episode, SegmentKind::Other);
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].title, "Our personal news");
    assert!(other[0].notes_md.starts_with("### Brian\n"));
    assert!(other[0].notes_md.contains("### Michael\n"));
    assert_eq!(episode.segments.len(), 7);
}

#[test]
fn ep_050_bold_dialect_and_split_title_link() {
    let episode = parsed(EP_050);
    assert_eq!(episode.number, Some(50));
    let found = topics(&episode);
    let numbers: Vec<Option<i64>> = found.iter().map(|t| t.1).collect();
    assert_eq!(
        numbers,
        [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
    );
    let pex = "PEX: A library and tool for generating .pex (Python EXecutable) files";
    assert_eq!(found[4], (Some("Brian"), Some(5), pex));
    assert_eq!(episode.segments[0].title, "DigitalOcean");
    assert_eq!(episode.segments[0].kind, SegmentKind::Sponsor);
    let other = of_kind(&episode, SegmentKind::Other);
    assert_eq!(other[0].title, "Our news");
    // The two blank-looking "  " lines before Michael #4 are not part of Brian #3's notes.
    assert!(
        episode.segments[3]
            .notes_md
            .ends_with("not a fan of reStructured text.")
    );
}

#[test]
fn ep_150_plain_and_bold_hosts_extras_and_joke() {
    let episode = parsed(EP_150);
    let found = topics(&episode);
    assert_eq!(
        found[0],
        (
            Some("Michael"),
            Some(1),
            "How to Stand Out in a Python Coding Interview"
        )
    );
    let re_assert = "re-assert : “show where your regex match assertion failed”";
    assert_eq!(found[3], (Some("Brian"), Some(4), re_assert));
    let order: Vec<&str> = found.iter().map(|t| t.0.unwrap_or("-")).collect();
    assert_eq!(
        order,
        ["Michael", "Brian", "Michael", "Brian", "Michael", "Brian"]
    );
    assert!(
        episode.segments[4]
            .notes_md
            .ends_with("    E         +'fob'\n```")
    );
    let extras = of_kind(&episode, SegmentKind::Extra);
    assert_eq!(hosts(&extras), [None, Some("Michael".into())]);
    let joke = of_kind(&episode, SegmentKind::Joke)[0];
    assert_eq!(joke.title, "Web Dev Merit Badges");
    assert_eq!(
        joke.url.as_deref(),
        Some("https://css-tricks.com/web-development-merit-badges")
    );
    assert_eq!(episode.segments[0].title, "Datadog");
}

#[test]
fn ep_250_typo_guest_and_bare_extras_names() {
    let episode = parsed(EP_250);
    let found = topics(&episode);
    let hosts_numbers: Vec<(Option<&str>, Option<i64>)> =
        found.iter().map(|t| (t.0, t.1)).collect();
    let expected = [
        (Some("Brain"), Some(1)),
        (Some("Michael"), Some(2)),
        (Some("Prayson"), Some(3)),
        (Some("Brian"), Some(4)),
        (Some("Michael"), Some(5)),
        (Some("Prayson"), Some(6)),
    ];
    assert_eq!(hosts_numbers, expected);
    let tools = episode
        .segments
        .iter()
        .find(|s| s.number == Some(4))
        .expect("#4");
    assert_eq!(
        (tools.title.as_str(), tools.url.as_deref()),
        ("Two tools for dealing with text", None)
    );
    let extras = of_kind(&episode, SegmentKind::Extra);
    assert_eq!(
        hosts(&extras),
        [Some("Michael".into()), Some("Prayson".into())]
    );
    assert_eq!(of_kind(&episode, SegmentKind::Joke)[0].title, "Adoption");
    assert_eq!(episode.segments[0].title, "us");
    assert!(
        episode
            .intro_md
            .contains("Special guest: **Prayson Daniel**")
    );
}

#[test]
fn ep_350_joke_titled_from_its_list() {
    let episode = parsed(EP_350);
    let order: Vec<(Option<&str>, Option<i64>)> =
        topics(&episode).iter().map(|t| (t.0, t.1)).collect();
    let expected = [
        (Some("Brian"), Some(1)),
        (Some("Michael"), Some(2)),
        (Some("Brian"), Some(3)),
        (Some("Michael"), Some(4)),
    ];
    assert_eq!(order, expected);
    let joke = of_kind(&episode, SegmentKind::Joke)[0];
    assert_eq!(joke.title, "Librarian");
    let texts: Vec<&str> = joke.links.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["Librarian", "chatgpt-failures"]);
    let extras = of_kind(&episode, SegmentKind::Extra);
    assert_eq!(
        hosts(&extras),
        [Some("Brian".into()), Some("Michael".into())]
    );
    assert_eq!(episode.host_socials.len(), 3);
}

#[test]
fn ep_470_links_inside_bold_and_no_heading() {
    let episode = parsed(EP_470);
    assert_eq!((episode.title.as_deref(), episode.number), (None, None));
    let found = topics(&episode);
    assert_eq!(
        found[0],
        (
            Some("Brian"),
            Some(1),
            "Better Python tests with inline-snapshot"
        )
    );
    assert_eq!(
        found[3],
        (
            Some("Michael"),
            Some(4),
            "act - run your GitHub actions locally"
        )
    );
    assert_eq!(found.len(), 4);
    assert!(
        episode.segments[1]
            .notes_md
            .contains("```toml\nfrom inline_snapshot import snapshot")
    );
    let sponsor = &episode.segments[0];
    assert_eq!(
        (sponsor.kind, sponsor.title.as_str(), sponsor.line),
        (SegmentKind::Sponsor, "us", 1)
    );
    let names: Vec<&str> = episode
        .host_socials
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["Michael", "Brian", "Show"]);
    assert_eq!(
        episode.host_socials[2].urls.len(),
        2,
        "later lines are not the show's"
    );
    let joke = of_kind(&episode, SegmentKind::Joke)[0];
    assert_eq!(
        (joke.title.as_str(), joke.links.len()),
        ("Plug ‘n Paste", 1)
    );
    let links = of_kind(&episode, SegmentKind::Other)[0];
    assert_eq!((links.title.as_str(), links.links.len()), ("Links", 17));
}

#[test]
fn ep_485_heading_dialect_and_titles_past_the_link() {
    let episode = parsed(EP_485);
    assert_eq!(
        (episode.title.as_deref(), episode.number),
        (Some("PB 485"), Some(485))
    );
    assert!(episode.intro_md.starts_with("## **Show Intro**"));
    let nb_cli = "nb-cli: A Command-Line Interface for AI Agents and Notebook Automation";
    let expected = [
        (
            Some("Michael"),
            Some(1),
            "Backup Docker volumes locally or to any S3",
        ),
        (Some("Calvin"), Some(2), "Pyodide 314.0 Release"),
        (Some("Michael"), Some(3), nb_cli),
        (
            Some("Calvin"),
            Some(4),
            "Hindsight Agent Memory That Learns",
        ),
    ];
    assert_eq!(topics(&episode), expected);
    let hindsight = &episode.segments[4];
    assert_eq!(
        hindsight.url.as_deref(),
        Some("https://hindsight.vectorize.io/")
    );
    assert_eq!(hindsight.links[0].text, "Hindsight");
    let extras = of_kind(&episode, SegmentKind::Extra);
    assert_eq!(
        hosts(&extras),
        [Some("Calvin".into()), Some("Michael".into())]
    );
    assert_eq!(of_kind(&episode, SegmentKind::Joke)[0].title, "Oh Babe…");
    let names: Vec<&str> = episode
        .host_socials
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["Michael", "Calvin", "Show"]);
    assert_eq!(episode.segments[0].title, "us");
}

#[test]
fn every_notes_md_is_a_slice_of_its_file_in_order() {
    for (name, source) in super::ALL {
        let mut from = 0;
        for segment in parsed(source).segments {
            let notes = segment.notes_md.as_str();
            let at = source[from..].find(notes);
            let at = at.unwrap_or_else(|| panic!("{name} line {}: not a slice", segment.line));
            from += at + notes.len();
        }
    }
}
