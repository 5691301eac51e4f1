//! Fuzz targets for the notes dialect: any text parses or is refused without a panic, and
//! what parses writes back to the same episode (`parse(write(parse(x))) == parse(x)`).

use proptest::prelude::*;

use super::roundtrip::without_lines;
use crate::notes::{parse, write};

/// Free text made of the dialect's pieces, in any order: it must parse or be refused.
const MARKDOWNISH: &str = "([-*#>`\\[\\]()\\t :!_|~]|[A-Za-z0-9]{1,6}|\n|\n\n| {2,4}|\\*\\*Brian #[0-9]:\\*\\* |Michael #[0-9]|## |Extras|\\*\\*Joke:\\*\\* |Brian:|Sponsored by |\\*\\*|```|\\[t\\]\\(https://youtu\\.be/abcdefghijk\\)|\\[x\\]\\(https://x\\.example/a\\)){0,80}";

/// One block as hosts write them: a host line, a bullet (maybe nested, maybe a video), a
/// paragraph, fenced code, extras or a joke. Blank lines separate blocks.
const BLOCK: &str = "(\\*\\*(Brian|Michael|Brain|Prayson) #[1-9]:\\*\\* \\[\\*\\*[A-Za-z]([A-Za-z ]{0,10}[A-Za-z])?\\*\\*\\]\\(https://[a-z]{1,6}\\.example/[a-z]{0,4}\\)|( {4})?- [A-Za-z `*_]{1,20}|( {4})?- \\[[A-Za-z ]{1,12}\\]\\(https://www\\.youtube\\.com/watch\\?v=[A-Za-z0-9]{11}\\)|[A-Za-z ,.]{1,30}|```\n[a-z =()]{0,20}\n```|\\*\\*Extras\\*\\*|(Brian|Michael):|\\*\\*Joke:\\*\\* \\[[A-Za-z ]{1,10}\\]\\(https://joke\\.example\\))";

proptest! {
    #![proptest_config(crate::fuzzing::config(400))]

    #[test]
    fn fuzz_notes_any_text_parses_or_is_refused(source in "\\PC{0,400}") {
        if let Ok(episode) = parse(&source) {
            let _ = write(&episode);
        }
    }

    #[test]
    fn fuzz_notes_any_markdownish_text_parses_or_is_refused(source in MARKDOWNISH) {
        if let Ok(episode) = parse(&source) {
            for segment in &episode.segments {
                prop_assert!(source.contains(segment.notes_md.as_str()), "notes are a slice of the source");
            }
            let _ = write(&episode);
        }
    }

    #[test]
    fn fuzz_notes_parse_write_parse_is_stable(
        blocks in proptest::collection::vec(BLOCK, 0..24),
        breaks in proptest::collection::vec(prop_oneof!["\n", "\n\n"], 24),
    ) {
        let source: String = blocks.iter().zip(&breaks).map(|(block, gap)| format!("{block}{gap}")).collect();
        if let Ok(first) = parse(&source) {
            let written = write(&first);
            let second = parse(&written)
                .map_err(|e| TestCaseError::fail(format!("rewritten notes refused: {e}\n{written}")))?;
            prop_assert_eq!(without_lines(second), without_lines(first), "written:\n{}", written);
        }
    }
}

/// What the fuzz targets found writing lost, each now read back the same.
#[test]
fn labels_and_links_the_fuzzer_found_round_trip() {
    for source in [
        // A title link of stray emphasis only, and one whose emphasis the title drops.
        "**Brian #1:** [** **](https://a.example/)\n\n- n\n",
        "**Brian #1:** [**A **](https://a.example/)\n\n- n\n",
        // A link typed before the host's name, outside and inside the label.
        "[x](https://x.example/a) **Brian #1:** [T](https://t.example/)\n\n- n\n",
        "**[x](https://x.example/a) Brian #1:** [T](https://t.example/)\n\n- n\n",
    ] {
        let first = parse(source).unwrap();
        let written = write(&first);
        let second = parse(&written).unwrap();
        assert_eq!(
            without_lines(second),
            without_lines(first),
            "{source:?} written as {written:?}"
        );
    }
}
