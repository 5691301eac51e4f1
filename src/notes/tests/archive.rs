//! The real archive in `tests/fixtures/notes-archive/` (MIT), and each kind of title line
//! people really typed there.

use std::path::PathBuf;

use super::topics;
use crate::notes::{SegmentKind, parse};

fn archive() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes-archive");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("archive fixtures")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            name.ends_with(".md")
                .then(|| (name, std::fs::read_to_string(&path).expect("utf-8")))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_archive_file_parses_and_no_topic_number_is_skipped() {
    let files = archive();
    assert!(files.len() >= 180, "{} files", files.len());
    let mut wrong = Vec::new();
    for (name, source) in files {
        let episode = parse(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut numbers: Vec<i64> = topics(&episode).iter().filter_map(|t| t.1).collect();
        numbers.sort();
        let Some(&first) = numbers.first() else {
            assert!(
                !episode.warnings.is_empty(),
                "{name}: no topics and no warning"
            );
            continue;
        };
        // A topic lost to an unread title line leaves a gap in the numbers.
        let expected: Vec<i64> = (first.min(1)..first.min(1) + numbers.len() as i64).collect();
        let lost: Vec<&i64> = expected
            .iter()
            .filter(|n| !numbers.contains(n) && has_head_numbered(&source, **n))
            .collect();
        if !lost.is_empty() {
            wrong.push(format!("{name}: topics {numbers:?}, lost {lost:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Whether a line starts like a head numbered `n` (`**Name #n`, `Name n:`), whatever follows.
fn has_head_numbered(source: &str, n: i64) -> bool {
    source.lines().any(|line| {
        let start: String = line
            .replace('*', "")
            .trim_start()
            .chars()
            .take(30)
            .collect();
        [format!(" #{n}"), format!(" {n}:"), format!(" {n} :")]
            .iter()
            .any(|marker| start.contains(marker.as_str()))
    })
}

/// `(host, number, title, url)` of the one topic in `source`.
fn only_topic(source: &str) -> (Option<String>, Option<i64>, String, Option<String>) {
    let episode = parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let found: Vec<_> = episode
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Topic)
        .collect();
    assert_eq!(found.len(), 1, "{source}: {:?}", episode.segments);
    let topic = found[0];
    (
        topic.host.clone(),
        topic.number,
        topic.title.clone(),
        topic.url.clone(),
    )
}

fn topic(
    host: &str,
    number: i64,
    title: &str,
    url: &str,
) -> (Option<String>, Option<i64>, String, Option<String>) {
    (
        Some(host.to_string()),
        Some(number),
        title.to_string(),
        (!url.is_empty()).then(|| url.to_string()),
    )
}

#[test]
fn number_first_heads_name_the_host_in_parentheses_or_before_a_colon() {
    assert_eq!(
        only_topic("**#1 (Brian): [Title](https://t)**\n\n- a\n"),
        topic("Brian", 1, "Title", "https://t")
    );
    assert_eq!(
        only_topic("**#1 (Brian) [pipenv](https://p) - Pipfile**\n"),
        topic("Brian", 1, "pipenv - Pipfile", "https://p")
    );
    assert_eq!(
        only_topic("[**#2 Michael: CPython on GitHub**](https://g)\n"),
        topic("Michael", 2, "CPython on GitHub", "https://g")
    );
}

#[test]
fn a_head_without_colon_counts_when_emphasis_or_a_link_sets_it_apart() {
    assert_eq!(
        only_topic("**Brian #5** [**Title**](https://t)\n"),
        topic("Brian", 5, "Title", "https://t")
    );
    assert_eq!(
        only_topic("**Brian #3 [Python rant](https://r)**\n"),
        topic("Brian", 3, "Python rant", "https://r")
    );
    let prose = parse("**Brian #1:** [A](https://a)\n\nIssue #12 is fixed\n").expect("parses");
    assert_eq!(topics(&prose).len(), 1, "prose is no topic");
}

#[test]
fn doubled_and_unbalanced_emphasis_is_read_through() {
    assert_eq!(
        only_topic("**Brian #3****:** [**Title**](https://t)\n"),
        topic("Brian", 3, "Title", "https://t")
    );
    assert_eq!(
        only_topic("**Brian** **#5****: Giving thanks**\n"),
        topic("Brian", 5, "Giving thanks", "")
    );
    assert_eq!(
        only_topic("**Michael #4: [**Nobel Prize**](https://n)\n"),
        topic("Michael", 4, "Nobel Prize", "https://n")
    );
    assert_eq!(
        only_topic("**Michael #6: [pydbg**](https://p)\n"),
        topic("Michael", 6, "pydbg", "https://p")
    );
}

#[test]
fn a_dash_or_a_remark_may_follow_the_number() {
    assert_eq!(
        only_topic("**Leah #6 - Title**\n"),
        topic("Leah", 6, "Title", "")
    );
    assert_eq!(
        only_topic("**Michael #7 (bonus!):** [Extra](https://e)\n"),
        topic("Michael", 7, "Extra", "https://e")
    );
}

#[test]
fn a_stray_line_joined_to_the_head_stays_with_what_came_before() {
    let source = "# Show 3\n\nIntro.\n\n**Brian #1:** [A](https://a)\n\n- a\n\nsee you\n**Michael #2:** [B](https://b)\n\n- b\n";
    let episode = parse(source).expect("parses");
    let found = topics(&episode);
    assert_eq!(found.len(), 2, "{:?}", episode.segments);
    assert_eq!(found[1], (Some("Michael"), Some(2), "B"));
    assert!(episode.segments[0].notes_md.ends_with("see you"));
    assert_eq!(episode.segments[1].url.as_deref(), Some("https://b"));
}

#[test]
fn a_stray_line_above_an_underlined_head_is_not_part_of_the_host() {
    // `===` under the lines makes them one setext heading, joined as a paragraph would be.
    let source = "# Show 3\n\nsee you\n**Brian #1:** [A](https://a)\n===\n\n- a\n";
    let episode = parse(source).expect("parses");
    assert_eq!(topics(&episode), [(Some("Brian"), Some(1), "A")]);
    assert!(
        episode.intro_md.ends_with("see you"),
        "{}",
        episode.intro_md
    );
}

#[test]
fn an_escaped_bracket_still_gives_the_link() {
    assert_eq!(
        only_topic("**Brian #2:** \\[Title](https://t)\n"),
        topic("Brian", 2, "Title", "https://t")
    );
}

#[test]
fn a_bare_address_typed_before_the_title_is_not_part_of_it() {
    // The head itself a link, the address again in parentheses, then the linked title.
    assert_eq!(
        only_topic("[**Brian #2:**](https://t/a) (https://t/a)[**How to cheat**](https://t/a)\n"),
        topic("Brian", 2, "How to cheat", "https://t/a")
    );
    assert_eq!(
        only_topic("**Brian #2:** (https://t/a) [Title](https://t/a)\n"),
        topic("Brian", 2, "Title", "https://t/a")
    );
    // Typed with no link after it, the address is still the topic's link.
    assert_eq!(
        only_topic("**Brian #2:** (https://t/a) Title\n"),
        topic("Brian", 2, "Title", "https://t/a")
    );
    // Parentheses that are words of the title stay.
    assert_eq!(
        only_topic("**Brian #2:** [(Not) a URL](https://t/a)\n"),
        topic("Brian", 2, "(Not) a URL", "https://t/a")
    );
}

#[test]
fn a_forgotten_hash_is_read_for_a_host_with_other_topics() {
    let source = "**Brian #1:** [A](https://a)\n\n**Michael #2:** [B](https://b)\n\n**Brian 3 : C**\n\n- c\n\n**Python 3:** is great\n";
    let episode = parse(source).expect("parses");
    assert_eq!(
        topics(&episode),
        [
            (Some("Brian"), Some(1), "A"),
            (Some("Michael"), Some(2), "B"),
            (Some("Brian"), Some(3), "C")
        ]
    );
}

#[test]
fn a_word_in_place_of_a_name_is_no_host() {
    assert_eq!(
        only_topic("**Topic #0: Quick chat**\n"),
        (None, Some(0), "Quick chat".to_string(), None)
    );
}

#[test]
fn a_top_ten_episode_imports_its_sections_in_order_with_a_warning() {
    let source = "# Python Bytes 110\n\nIntro.\n\n**10: Python 3.7:**\n\n* [New](https://n)\n\n**9: Versioning**\n\n* x\n\n***A quotation, not a title***\n";
    let episode = parse(source).expect("imports");
    let titles: Vec<(SegmentKind, &str)> = episode
        .segments
        .iter()
        .map(|s| (s.kind, s.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            (SegmentKind::Other, "10: Python 3.7"),
            (SegmentKind::Other, "9: Versioning")
        ]
    );
    assert!(
        episode
            .segments
            .iter()
            .all(|s| s.host.is_none() && s.number.is_none())
    );
    assert!(
        episode.warnings[0]
            .message
            .contains("without host or number")
    );
}

#[test]
fn a_fence_closed_at_a_line_end_does_not_swallow_the_topics_after_it() {
    let source = "**Brian #1:** [A](https://a)\n\n```\ncode\n[1, 2]```\n- after\n\n**Michael #2:** [B](https://b)\n";
    let episode = parse(source).expect("parses");
    assert_eq!(topics(&episode).len(), 2, "{:?}", episode.segments);
    assert!(episode.segments[0].notes_md.contains("[1, 2]```"));
}

#[test]
fn the_heading_number_comes_first_or_last_never_from_the_title_words() {
    use crate::notes::parse::heading_number;
    assert_eq!(
        heading_number("#477: Lazy, Frozen, and 31% Lighter"),
        Some(477)
    );
    assert_eq!(heading_number("465: Stack Overflow is Cooked"), Some(465));
    assert_eq!(heading_number("Python Bytes 434"), Some(434));
    assert_eq!(heading_number("PB 480"), Some(480));
    assert_eq!(heading_number("Episode 12: Title 3"), Some(12));
    assert_eq!(
        heading_number("Iodine tablets and 2 glasses of water"),
        None
    );
}

#[test]
fn intros_that_say_when_they_were_recorded_give_that_date() {
    use time::macros::date;
    let recorded: Vec<(String, time::Date)> = archive()
        .into_iter()
        .filter_map(|(name, source)| Some((name, parse(&source).ok()?.recorded_on?)))
        .collect();
    assert_eq!(
        recorded,
        [
            ("011.md".to_string(), date!(2017 - 01 - 30)),
            ("013.md".to_string(), date!(2017 - 02 - 13)),
            ("016.md".to_string(), date!(2017 - 03 - 06)),
        ]
    );
}
