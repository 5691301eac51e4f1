use time::macros::datetime;

use super::*;

const SHOW: &str = include_str!("../../tests/fixtures/feeds/show.rss");
const BARE: &str = include_str!("../../tests/fixtures/feeds/bare.rss");
const ATOM: &str = include_str!("../../tests/fixtures/feeds/show.atom");

fn items(text: &str) -> Vec<Result<FeedItem, String>> {
    parse(text).expect("the feed reads")
}

fn item(text: &str, position: usize) -> FeedItem {
    items(text)[position - 1].clone().expect("the item reads")
}

#[test]
fn an_rss_item_gives_everything_apps_know_it_by() {
    let first = item(SHOW, 1);
    assert_eq!(first.title, "#485: Agent Memory & Hindsight");
    assert_eq!(first.number, Some(485));
    assert_eq!(first.identity, "6e1c3f4a-0485-4c1b-9d8e-5a2f0c9b7485");
    assert_eq!(first.published, Some(datetime!(2025-06-16 08:00 UTC)));
    assert_eq!(first.duration_secs, Some(38 * 60 + 12));
    assert_eq!(
        first.audio,
        Some(Audio {
            url: "https://pythonbytes.fm/episodes/download/485/agent-memory.mp3".into(),
            bytes: Some(31_415_926),
            mime_type: Some("audio/mpeg".into()),
        })
    );
    assert_eq!(
        first.image.as_deref(),
        Some("https://pythonbytes.fm/episodes/485/art.jpg")
    );
    assert!(
        first.description.starts_with("<p>Topics covered"),
        "{}",
        first.description
    );
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
}

#[test]
fn entities_cdata_and_spaces_read_as_apps_read_them() {
    let jolting = item(SHOW, 2);
    assert_eq!(jolting.number, Some(470));
    assert_eq!(
        jolting.description,
        "We talk about jolt, caching &amp; <b>more</b>."
    );
    let audio = jolting.audio.unwrap();
    assert_eq!(
        audio.url,
        "https://pythonbytes.fm/episodes/download/470/a-jolting-episode.mp3"
    );
    assert_eq!(jolting.duration_secs, Some(41 * 60 + 7));
    assert_eq!(
        item(SHOW, 3).title,
        "Most of OpenAI’s tech stack runs on Python"
    );
}

#[test]
fn the_first_of_two_enclosures_is_kept_with_a_warning() {
    let two = item(SHOW, 3);
    assert!(two.audio.unwrap().url.ends_with("most-of-openai.mp3"));
    assert_eq!(two.warnings.len(), 1, "{:?}", two.warnings);
    assert!(two.warnings[0].contains("2 enclosures"));
}

#[test]
fn an_item_without_guid_is_known_by_its_link_else_its_enclosure() {
    assert_eq!(
        item(SHOW, 4).identity,
        "https://pythonbytes.fm/episodes/show/12/the-one-without-a-guid"
    );
    assert_eq!(item(SHOW, 4).number, Some(12));
    assert_eq!(
        item(SHOW, 7).identity,
        "https://pythonbytes.fm/episodes/download/10.mp3"
    );
    let refused = items(SHOW)[7].clone().unwrap_err();
    assert!(
        refused.starts_with("item 8 \"Trailer\": no guid"),
        "{refused}"
    );
}

#[test]
fn a_bad_date_or_a_script_link_is_a_warning_not_a_refusal() {
    let undated = item(SHOW, 6);
    assert_eq!(undated.published, None);
    assert!(undated.warnings[0].contains("\"sometime in January\""));
    let bonus = item(SHOW, 5);
    assert_eq!(bonus.number, None);
    assert_eq!(bonus.link, None);
    assert_eq!(bonus.audio, None);
    assert!(bonus.warnings[0].contains("not an http(s) URL"));
    assert_eq!(bonus.published, Some(datetime!(2017-05-20 00:30 UTC)));
}

#[test]
fn prefixes_without_namespace_declarations_still_read() {
    let second = item(BARE, 1);
    assert_eq!(second.number, Some(2));
    assert_eq!(second.duration_secs, Some(600));
    assert_eq!(second.published, Some(datetime!(2017-03-07 09:00 UTC)));
    let untitled = item(BARE, 2);
    assert_eq!(untitled.title, "");
    assert_eq!(untitled.identity, "bare-1");
    assert_eq!(untitled.audio, None);
}

#[test]
fn atom_entries_read_like_items() {
    let seven = item(ATOM, 1);
    assert_eq!(seven.title, "Episode 7: Atom & friends");
    assert_eq!(seven.number, Some(7));
    assert_eq!(
        seven.identity,
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    );
    assert_eq!(seven.published, Some(datetime!(2025-02-10 08:00 UTC)));
    assert_eq!(seven.link.as_deref(), Some("https://atom.example/7"));
    assert_eq!(seven.audio.unwrap().bytes, Some(7000));
    let six = item(ATOM, 2);
    assert_eq!(six.published, Some(datetime!(2025-02-03 08:00 UTC)));
    assert_eq!(six.description, "<p>Six.</p>");
}

#[test]
fn what_is_not_a_feed_is_refused_with_its_line() {
    let error = parse("<rss>\n<channel>\n<item></channel>").unwrap_err();
    assert_eq!(error.line, 3, "{error}");
    assert!(parse("just text").is_err());
}
