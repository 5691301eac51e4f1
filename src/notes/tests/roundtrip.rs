//! `parse(write(parse(x))) == parse(x)`, line numbers aside, for every fixture and for
//! generated episodes.

use proptest::prelude::*;

use super::ALL;
use crate::notes::{ParsedEpisode, ParsedLink, ParsedSegment, SegmentKind, parse, write};

/// The episode with every `line` zeroed: writing moves lines, nothing else may change.
pub(super) fn without_lines(mut episode: ParsedEpisode) -> ParsedEpisode {
    for segment in &mut episode.segments {
        segment.line = 0;
    }
    for warning in &mut episode.warnings {
        warning.line = 0;
    }
    episode
}

fn assert_round_trip(name: &str, source: &str) {
    let first = parse(source).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = write(&first);
    let second = parse(&written).unwrap_or_else(|e| panic!("{name} rewritten: {e}\n{written}"));
    let (first, second) = (without_lines(first), without_lines(second));
    for (a, b) in first.segments.iter().zip(&second.segments) {
        assert_eq!(a, b, "{name}: a segment changed; written:\n{written}");
    }
    assert_eq!(first, second, "{name}: written:\n{written}");
    // Writing is stable: the canonical form writes itself.
    assert_eq!(write(&second), written, "{name}: second write differs");
}

#[test]
fn round_trip_seed() {
    assert_round_trip(ALL[0].0, ALL[0].1);
}

#[test]
fn round_trip_001() {
    assert_round_trip(ALL[1].0, ALL[1].1);
}

#[test]
fn round_trip_050() {
    assert_round_trip(ALL[2].0, ALL[2].1);
}

#[test]
fn round_trip_150() {
    assert_round_trip(ALL[3].0, ALL[3].1);
}

#[test]
fn round_trip_250() {
    assert_round_trip(ALL[4].0, ALL[4].1);
}

#[test]
fn round_trip_350() {
    assert_round_trip(ALL[5].0, ALL[5].1);
}

#[test]
fn round_trip_434() {
    assert_round_trip(ALL[6].0, ALL[6].1);
}

#[test]
fn round_trip_470() {
    assert_round_trip(ALL[7].0, ALL[7].1);
}

#[test]
fn round_trip_485() {
    assert_round_trip(ALL[8].0, ALL[8].1);
}

#[test]
fn writes_the_seed_dialect() {
    let written = write(&parse(ALL[8].1).expect("485 parses"));
    assert!(written.starts_with("# PB 485\n\n## **Show Intro**\n\nSponsored by us!"));
    assert!(written.contains("\n\n**Calvin #4:** [Hindsight](https://hindsight.vectorize.io/) Agent Memory That Learns\n\n- AI agents"));
    assert!(written.contains("\n\n**Extras**\n\nCalvin:\n\n- [**Clanker"));
    assert!(written.ends_with(
        "\n\n**Joke:** [Oh Babe…](https://x.com/pr0grammerhum0r/status/2062202683742711910?s=12)\n"
    ));
    let written = write(&parse(ALL[1].1).expect("001 parses"));
    assert!(
        written.contains(
            "\n\n**#3:** [safety-db via github](https://github.com/pyupio/safety-db)\n\n"
        )
    );
    assert!(written.contains("\n\n## Our personal news\n\n### Brian\n"));
}

/// A bullet list of `- words [text](url)` items and the links it holds.
fn notes_strategy() -> impl Strategy<Value = (String, Vec<ParsedLink>)> {
    let item = (
        "[a-z]{1,8}( [a-z]{1,8}){0,3}",
        proptest::option::of(("[A-Za-z]{1,8}( [a-z]{1,6}){0,2}", "[a-z]{1,10}")),
    );
    proptest::collection::vec(item, 0..4).prop_map(|items| {
        let mut lines = Vec::new();
        let mut links = Vec::new();
        for (text, link) in items {
            match link {
                Some((label, slug)) => {
                    let url = format!("https://example.com/{slug}");
                    lines.push(format!("- {text} [{label}]({url})"));
                    links.push(ParsedLink { url, text: label });
                }
                None => lines.push(format!("- {text}")),
            }
        }
        (lines.join("\n"), links)
    })
}

fn segment(
    kind: SegmentKind,
    host: Option<&str>,
    number: Option<i64>,
    title: &str,
) -> ParsedSegment {
    ParsedSegment {
        kind,
        host: host.map(str::to_string),
        number,
        title: title.to_string(),
        url: None,
        notes_md: String::new(),
        line: 0,
        links: Vec::new(),
        talks: Vec::new(),
    }
}

/// Gives the segment a title link (when `slug` is set) and notes.
fn with_body(
    mut s: ParsedSegment,
    slug: Option<String>,
    notes: (String, Vec<ParsedLink>),
) -> ParsedSegment {
    if let Some(slug) = slug {
        let url = format!("https://example.org/{slug}");
        s.links.push(ParsedLink {
            url: url.clone(),
            text: s.title.clone(),
        });
        s.url = Some(url);
    }
    s.notes_md = notes.0;
    s.links.extend(notes.1);
    s
}

const HOSTS: [&str; 3] = ["Brian", "Michael", "Calvin"];
const TITLE: &str = "[A-Z][a-z]{0,8}( [a-z0-9]{1,8}){0,4}";

prop_compose! {
    fn topic_strategy()(host in 0..3usize, title in TITLE, slug in proptest::option::of("[a-z]{1,10}"), notes in notes_strategy()) -> (usize, String, Option<String>, (String, Vec<ParsedLink>)) {
        (host, title, slug, notes)
    }
}

prop_compose! {
    fn episode_strategy()(
        numbers in Just((1..=9i64).collect::<Vec<_>>()).prop_shuffle(),
        topics in proptest::collection::vec(topic_strategy(), 1..6),
        extras in proptest::collection::vec((0..3usize, notes_strategy()), 0..3),
        joke in proptest::option::of((TITLE, "[a-z]{1,10}", notes_strategy())),
    ) -> ParsedEpisode {
        let mut segments = Vec::new();
        for ((host, title, slug, notes), number) in topics.into_iter().zip(numbers) {
            let topic = segment(SegmentKind::Topic, Some(HOSTS[host]), Some(number), &title);
            segments.push(with_body(topic, slug, notes));
        }
        for (host, notes) in extras {
            let extra = segment(SegmentKind::Extra, Some(HOSTS[host]), None, "Extras");
            segments.push(with_body(extra, None, notes));
        }
        if let Some((title, slug, notes)) = joke {
            segments.push(with_body(segment(SegmentKind::Joke, None, None, &title), Some(slug), notes));
        }
        ParsedEpisode {
            number: Some(7),
            title: Some("Show 7".into()),
            intro_md: "Welcome to the show.".into(),
            host_socials: Vec::new(),
            guests: Vec::new(),
            recorded_on: None,
            segments,
            warnings: Vec::new(),
        }
    }
}

proptest! {
    #[test]
    fn generated_episodes_survive_write_then_parse(episode in episode_strategy()) {
        let written = write(&episode);
        let parsed = parse(&written).map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert_eq!(without_lines(parsed), episode, "written:\n{}", written);
    }
}

/// Sources that once broke the round trip: reference definitions far from their use, links
/// that share a URL, headings of several levels, extras headers with nothing under them.
#[test]
fn tricky_sources_round_trip() {
    let cases = [
        "[ref]: https://ref.example\n# Show 12\n## **Calvin #4: [H](https://h) Agent**\nsee [ref] here\n",
        "[ref]: https://r\n**Michael #2:** [A](u)[ ](u)[B](u) tail\n- item [l](https://l)\n[ref]: https://r\n",
        "**Brian #14:** `code` [c](https://c) __init__ *em*\n## News items\nsee [ref] here\n```\n[ref]: https://r",
        "**#5:** [n](https://n)\n[**safety** via github](https://s)\n~~strike~~ [s](https://s)\n",
        "**#5:** [n](https://n)\n[](https://empty)\nLinks\n[](https://empty)\n# Show 12\n",
        "**#5:** [n](https://n)\n\n[](https://empty)\n<https://auto.link>\n===\n",
        "**#5:** [n](https://n)\n# Show 12\n## Heading two\n",
        "**Extras**\n\n**Extras**\n\nBrian\n\n- [e](https://e)\n",
        "**Extras**\n\n[ref]: https://ref.example\nSetext\n- item [l](https://l)\n[ref]: https://ref.example\n",
        "Extras\n***\n**Extras**\n## News items\n**Extras**\n\nBrian\n\n- [e](https://e)\n\n[**Bare link**](https://bare)\n",
        "**Joke:** why _did_ the * chicken [cross](https://c) # the road #\n",
        "Joke:\n\nvia [https://t.co/x](https://t.co/x)\n\n[Badges](https://b)\n",
        "## News items\n    indented code\nLinks\n[](https://empty)\n**Brian #1:** [Title *x*](https://a.com)\n===\n",
    ];
    for (index, source) in cases.into_iter().enumerate() {
        assert_round_trip(&format!("case {index}"), source);
    }
}

/// Lines of the dialects (and some noise) to build notes-shaped sources from.
const LINES: &[&str] = &[
    "# Show 12",
    "## News items",
    "## Heading two",
    "### Sub three",
    "**Brian #1:** [Title *x*](https://a.com)",
    "**Michael #2:** [A](u)[ ](u)[B](u) tail",
    "Brian #3: plain [t](https://t) more",
    "## **Calvin #4: [H](https://h) Agent**",
    "**Extras**",
    "Extras:",
    "Brian:",
    "Michael",
    "**Joke:**",
    "Joke: [j](https://j).",
    "- item [l](https://l)",
    "  - nested [v](https://youtu.be/x)",
    "- [v1](https://youtu.be/1)",
    "- [v2](https://youtu.be/2)",
    "\t- tab item",
    "```",
    "    indented code",
    "",
    "",
    "Sponsored by Foo: [x](https://foo)",
    "**Connect with the hosts**",
    "- Show: [a](https://a) / [b](https://b)",
    "[**Bare link**](https://bare) via gh",
    "Links",
    "| a | b |",
    "|---|---|",
    "text with _under_ and `code` & stuff",
    "[ref]: https://ref.example",
    "see [ref] here",
    "<div>",
    "**#5:** [n](https://n)",
    "**Joke:** [a](https://a) and [b](https://a)",
    "Setext",
    "===",
    "[](https://empty)",
    "<https://auto.link>",
    "**Michael #13:** [t](<https://sp ace>) rest # end #",
];

proptest! {
    #[test]
    fn notes_shaped_sources_round_trip(picks in proptest::collection::vec(0..LINES.len(), 1..30)) {
        let source: Vec<&str> = picks.iter().map(|&i| LINES[i]).collect();
        let source = source.join("\n");
        if let Ok(first) = parse(&source) {
            let written = write(&first);
            let second = parse(&written).map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
            prop_assert_eq!(without_lines(first), without_lines(second), "source:\n{}\nwritten:\n{}", source, written);
        }
    }
}
