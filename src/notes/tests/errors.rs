//! Errors name the line, and parsing never panics.

use proptest::prelude::*;

use crate::notes::{NotesError, parse, write};

#[test]
fn only_an_empty_file_is_refused() {
    let error = parse(" \n\n").expect_err("nothing to import");
    assert_eq!(error.line, 1);
    assert!(error.message.starts_with("nothing to import"));
    assert!(parse("").is_err());
}

#[test]
fn notes_without_segments_are_kept_as_the_intro_with_a_warning() {
    let episode = parse("# Python Bytes 9\n\nJust an intro.\n").expect("imports");
    assert_eq!(episode.intro_md, "Just an intro.");
    assert!(episode.segments.is_empty());
    assert_eq!(episode.warnings.len(), 1);
    assert!(episode.warnings[0].message.starts_with("no segments found"));
}

#[test]
fn duplicate_numbers_name_both_lines() {
    let source =
        "# Show 1\n\n**Brian #1:** [A](https://a)\n\n- a\n\n**Michael #1:** [B](https://b)\n";
    let error = parse(source).expect_err("duplicate #1");
    assert_eq!(
        error,
        NotesError {
            line: 7,
            message: "segment #1 appears twice (first on line 3); renumber one of them".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "line 7: segment #1 appears twice (first on line 3); renumber one of them"
    );
}

#[test]
fn line_numbers_count_from_one() {
    let source = "\n\n**Brian #1:** [A](https://a)\n- x\n\n\n## **Michael #2: B**\n";
    let episode = parse(source).expect("parses");
    let lines: Vec<usize> = episode.segments.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 7]);
}

#[test]
fn odd_inputs_do_not_panic() {
    for source in [
        "**Brian #1:**",
        "#",
        "# \u{0}",
        "**Brian #99999999999999999999:** x",
        "Extras\n\nBrian:\n\nJoke:",
        "Joke:\n\n[](u)",
        "- [a](https://youtu.be/1)\n\t- [b](https://youtu.be/2)",
        "**#1:** a\r\n\r\n- b\r\n",
        "> **Brian #1:** quoted\n\n| a | b |\n|---|---|\n| **Michael #2:** | x |\n",
    ] {
        let _ = parse(source);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_text_does_not_panic(source in "\\PC*") {
        let _ = parse(&source);
    }

    #[test]
    fn markdownish_text_does_not_panic(
        source in "([-*#>`\\[\\]()\\t :!_|~]|[A-Za-z0-9]{1,6}|\n| {2,4}|Brian #[0-9]|Extras|Joke:|\\*\\*|```|https://youtu\\.be/x){0,60}"
    ) {
        if let Ok(episode) = parse(&source) {
            for segment in &episode.segments {
                prop_assert!(source.contains(segment.notes_md.as_str()));
            }
            let _ = write(&episode);
        }
    }
}
