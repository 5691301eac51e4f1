use super::*;

fn cue(start_ms: i64, end_ms: i64, speaker: &str, text: &str) -> Cue {
    Cue {
        start_ms,
        end_ms,
        speaker: speaker.into(),
        text: text.into(),
    }
}

#[test]
fn a_webvtt_file_gives_its_cues_with_speakers_and_multi_line_text() {
    let text = "\u{feff}WEBVTT - Python Bytes 434\r\nKind: captions\r\n\r\nNOTE made by hand\r\n\r\n\
                intro\r\n00:00.000 --> 00:04.500 align:start\r\n<v Michael Kennedy>Hello and welcome\r\nto Python Bytes.\r\n\r\n\
                00:00:04.500 --> 00:00:09.000\r\n<v.loud Brian Okken>I'm Brian &amp; <i>this</i> is fun.</v>\r\n";
    let cues = parse(Format::Vtt, text).expect("parses");
    assert_eq!(
        cues,
        vec![
            cue(
                0,
                4500,
                "Michael Kennedy",
                "Hello and welcome\nto Python Bytes."
            ),
            cue(4500, 9000, "Brian Okken", "I'm Brian & this is fun."),
        ]
    );
}

#[test]
fn a_webvtt_cue_where_two_people_speak_keeps_both_names() {
    let text = "WEBVTT\n\n01:02:03.000 --> 01:02:05.000\n<v Brian>Ready?\n<v Michael>Go!\n";
    let cues = parse(Format::Vtt, text).expect("parses");
    assert_eq!(
        cues,
        vec![
            cue(3_723_000, 3_725_000, "Brian", "Ready?"),
            cue(3_723_000, 3_725_000, "Michael", "Go!"),
        ]
    );
}

#[test]
fn an_srt_file_gives_its_cues_whatever_its_line_endings() {
    let text = "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i>\r\nthere\r\n\r\n\r\n2\r00:00:03,000 --> 00:00:04,000\rBye\r";
    let cues = parse(Format::Srt, text).expect("parses");
    assert_eq!(
        cues,
        vec![
            cue(1000, 2500, "", "Hello\nthere"),
            cue(3000, 4000, "", "Bye")
        ]
    );
}

#[test]
fn a_bad_time_range_is_refused_with_its_line_and_an_example() {
    let text = "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03 --> 00:00:04,000\nOops\n";
    let refused = parse(Format::Srt, text).expect_err("refused");
    assert_eq!(refused.line, 6);
    assert_eq!(
        refused.to_string(),
        "line 6: expected a time range like 00:01:02,000 --> 00:01:05,000"
    );
}

#[test]
fn a_cue_number_that_is_not_a_number_is_refused_on_its_line() {
    let refused = parse(
        Format::Srt,
        "\n\nfirst\n00:00:01,000 --> 00:00:02,000\nHi\n",
    )
    .expect_err("refused");
    assert_eq!(refused.line, 3);
    assert!(refused.message.contains("cue number"), "{refused}");
}

#[test]
fn a_webvtt_file_without_its_signature_or_cues_is_refused() {
    let refused = parse(Format::Vtt, "00:01.000 --> 00:02.000\nHi\n").expect_err("refused");
    assert_eq!(
        refused.to_string(),
        "line 1: a WebVTT file starts with the line WEBVTT"
    );
    let empty = parse(Format::Vtt, "WEBVTT\n\nNOTE nothing yet\n").expect_err("refused");
    assert!(empty.message.starts_with("no cues found"), "{empty}");
}

#[test]
fn a_cue_that_ends_before_it_starts_is_refused() {
    let refused =
        parse(Format::Vtt, "WEBVTT\n\n00:05.000 --> 00:04.000\nHi\n").expect_err("refused");
    assert_eq!(refused.line, 3);
    assert!(
        refused
            .message
            .contains("ends (00:04.000) before it starts (00:05.000)")
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_on_the_line_of_the_first_bad_byte() {
    let refused = decode(b"WEBVTT\n\n00:01.000 --> 00:02.000\ncaf\xe9\n").expect_err("refused");
    assert_eq!(refused.line, 4);
    assert_eq!(decode(b"\xef\xbb\xbfWEBVTT").expect("text"), "WEBVTT");
}

#[test]
fn cues_written_out_read_back_as_themselves_in_both_formats() {
    let cues = vec![
        cue(0, 1500, "Michael", "a < b && c --> d\nsecond line"),
        cue(3_600_000, 3_601_000, "", "an hour in"),
    ];
    assert_eq!(parse(Format::Vtt, &write_vtt(&cues)).expect("vtt"), cues);
    let srt = write_srt(&cues);
    assert!(
        srt.starts_with("1\n00:00:00,000 --> 00:00:01,500\nMichael: a < b"),
        "{srt}"
    );
    let back = parse(Format::Srt, &srt).expect("srt");
    assert_eq!(back[1], cues[1]);
}

#[test]
fn the_format_comes_from_the_name_or_the_first_line() {
    assert_eq!(Format::of("show.VTT", ""), Some(Format::Vtt));
    assert_eq!(Format::of("show.srt", ""), Some(Format::Srt));
    assert_eq!(Format::of("upload", "WEBVTT\n"), Some(Format::Vtt));
    assert_eq!(
        Format::of("upload", "1\n00:00:01,000 --> 00:00:02,000\n"),
        Some(Format::Srt)
    );
    assert_eq!(Format::of("notes.txt", "hello"), None);
}

proptest::proptest! {
    #![proptest_config(crate::fuzzing::config(1000))]

    /// Any text is read or refused with a line inside the file, never a panic; what is read
    /// writes out as a WebVTT file that reads back the same.
    #[test]
    fn fuzz_transcript_parser(text in "(WEBVTT\n\n)?([0-9:.,]{0,14}( --> )?[0-9:.,]{0,14}\n|<v [A-Za-z ]{0,8}>[a-z&<> ]{0,12}\n|[0-9]{1,3}\n|\n){0,12}") {
        for format in [Format::Vtt, Format::Srt] {
            match parse(format, &text) {
                Ok(cues) => {
                    let back = parse(Format::Vtt, &write_vtt(&cues)).expect("written vtt reads");
                    proptest::prop_assert_eq!(back, cues);
                }
                Err(refused) => {
                    proptest::prop_assert!(refused.line >= 1 && refused.line <= text.lines().count().max(1) + 1);
                }
            }
        }
    }
}
