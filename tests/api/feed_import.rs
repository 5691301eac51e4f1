//! `import feed`: after importing the show's old feed, an app that read it finds the same
//! episodes, guids, dates, audio and durations in `/episodes/rss`, read back by feed-rs.

use std::path::Path;
use std::process::{Command, Output};

use feed_rs::model::{Entry, Feed};
use feed_rs::parser;
use serde_json::Value;

use crate::helpers::{TestApp, fixture, spawn_app};

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");

/// What apps know each item of `feeds/show.rss` by, in feed order (the fourth has no guid:
/// apps use its link; the seventh has neither: its enclosure URL), and its episode number.
const SHOW_ITEMS: [(&str, i64); 7] = [
    ("6e1c3f4a-0485-4c1b-9d8e-5a2f0c9b7485", 485),
    (
        "https://pythonbytes.fm/episodes/show/470/a-jolting-episode",
        470,
    ),
    ("pb-434", 434),
    (
        "https://pythonbytes.fm/episodes/show/12/the-one-without-a-guid",
        12,
    ),
    ("bonus-pycon-2017", 486),
    ("pb-011", 11),
    ("https://pythonbytes.fm/episodes/download/10.mp3", 10),
];

fn source_feed(name: &str) -> (String, Feed) {
    let text = std::fs::read_to_string(fixture(&format!("feeds/{name}"))).unwrap();
    let feed = parser::parse(text.as_bytes()).expect("feed-rs reads the source feed");
    (text, feed)
}

impl TestApp {
    async fn import_feed(&self, name: &str) -> shownotes::episodes::feed_import::FeedOutcomes {
        let (text, _) = source_feed(name);
        let outcomes = shownotes::episodes::feed_import::import_feed(&self.state.db, name, &text)
            .await
            .expect("feed import");
        self.state.content_changed();
        outcomes
    }

    async fn our_feed(&self) -> Feed {
        let response = self.get("/episodes/rss").await;
        assert_eq!(response.status(), 200);
        parser::parse(response.text().await.unwrap().as_bytes()).expect("feed-rs reads ours")
    }

    async fn import_notes_fixtures(&self) {
        for file in [
            "notes/434.md",
            "notes/470-a-jolting-episode.md",
            "notes/PB-485.md",
        ] {
            self.import_notes(&fixture(file)).await;
        }
    }
}

fn entry<'a>(feed: &'a Feed, id: &str) -> &'a Entry {
    feed.entries
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no item with guid {id}"))
}

/// (url, size, type, duration) of an entry's first enclosure; feed-rs may keep the
/// `itunes:duration` on a media object of its own.
fn audio(entry: &Entry) -> Option<(String, Option<u64>, String, Option<u64>)> {
    let content = entry.media.iter().flat_map(|m| &m.content).next()?;
    let duration = entry.media.iter().find_map(|m| m.duration);
    Some((
        content.url.as_ref()?.to_string(),
        content.size,
        content.content_type.as_ref()?.to_string(),
        duration.or(content.duration).map(|d| d.as_secs()),
    ))
}

/// Asserts that every item of the source feed is in ours with what apps keep of it.
fn assert_same_items(source: &Feed, ours: &Feed) {
    for (from, (id, _)) in source.entries.iter().zip(SHOW_ITEMS) {
        let mine = entry(ours, id);
        if from.published.is_some() {
            assert_eq!(mine.published, from.published, "date of {id}");
        }
        assert_eq!(audio(mine), audio(from), "audio of {id}");
    }
}

#[tokio::test]
async fn an_app_that_read_the_old_feed_finds_the_same_episodes_in_ours() {
    let app = spawn_app().await;
    app.import_notes_fixtures().await;
    let (_, source) = source_feed("show.rss");

    let outcomes = app.import_feed("show.rss").await;

    let refused: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].starts_with("item 8 \"Trailer\""),
        "{}",
        refused[0]
    );
    let ours = app.our_feed().await;
    assert_same_items(&source, &ours);
    let pb434 = entry(&ours, "pb-434");
    assert_eq!(
        audio(pb434).unwrap().0,
        "https://pythonbytes.fm/episodes/download/434/most-of-openai.mp3",
        "the first of two enclosures"
    );
    // feed-rs reads only colon durations; a plain count of seconds, as Apple allows, is checked
    // through the API.
    let (_, doc) = app.json("/api/v1/episodes/434").await;
    assert_eq!(doc["audio"]["duration_secs"], 1957);
    assert_eq!(
        audio(entry(&ours, SHOW_ITEMS[1].0)).unwrap().0,
        "https://pythonbytes.fm/episodes/download/470/a-jolting-episode.mp3",
        "leading spaces dropped"
    );
    // Notes imported before the feed keep their titles; the feed gives what apps know.
    let titles: Vec<String> = ours
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        titles.contains(&"Python Bytes 434".to_string()),
        "{titles:?}"
    );
}

#[tokio::test]
async fn an_episode_only_in_the_feed_is_created_and_published_on_its_date() {
    let app = spawn_app().await;

    app.import_feed("show.rss").await;

    let (status, doc) = app.json("/api/v1/episodes/12").await;
    assert_eq!(status, 200);
    assert_eq!(doc["title"], "The one without a guid");
    assert_eq!(doc["status"], "published");
    assert_eq!(doc["published_at"], "2017-02-06T08:00:00Z");
    assert_eq!(doc["intro_md"], "Plain text, no markup.");
    assert_eq!(doc["audio"]["duration_secs"], 3723);
    // An item without any number comes after the highest number, in publication order.
    let (_, bonus) = app.json("/api/v1/episodes/486").await;
    assert_eq!(bonus["title"], "Bonus: live from PyCon");
    assert_eq!(bonus["published_at"], "2017-05-20T00:30:00Z");
    assert_eq!(bonus["audio"], Value::Null);
    // An HTML description is kept as written and shown sanitized, as every intro is.
    let page = app.page("/episodes/485").await;
    let html = page.html();
    assert!(html.contains("<a href=\"https://example.com/a\""), "{html}");
}

#[tokio::test]
async fn importing_the_feed_again_changes_nothing() {
    let app = spawn_app().await;
    app.import_notes_fixtures().await;
    app.import_feed("show.rss").await;
    let before = app.our_feed().await;

    let outcomes = app.import_feed("show.rss").await;

    let changes: Vec<_> = outcomes.iter().flatten().map(|o| o.change).collect();
    assert_eq!(changes.len(), 7);
    assert!(
        changes
            .iter()
            .all(|c| *c == shownotes::episodes::notes_import::Change::Unchanged),
        "{changes:?}"
    );
    let after = app.our_feed().await;
    let ids = |feed: &Feed| {
        feed.entries
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&after), ids(&before));
}

#[tokio::test]
async fn notes_imported_after_the_feed_keep_its_guid_audio_and_date() {
    let app = spawn_app().await;
    let (_, source) = source_feed("show.rss");
    app.import_feed("show.rss").await;

    app.import_notes_fixtures().await;

    let ours = app.our_feed().await;
    assert_same_items(&source, &ours);
    let pb434 = entry(&ours, "pb-434");
    assert_eq!(pb434.title.as_ref().unwrap().content, "Python Bytes 434");
    let page = app.page("/episodes/434").await;
    assert!(
        page.html().contains("Making PyPI"),
        "the notes filled it in"
    );
}

#[tokio::test]
async fn atom_feeds_and_feeds_without_namespace_declarations_import() {
    let app = spawn_app().await;

    let atom = app.import_feed("show.atom").await;
    let bare = app.import_feed("bare.rss").await;

    assert!(
        atom.iter().chain(&bare).all(Result::is_ok),
        "{atom:?} {bare:?}"
    );
    let ours = app.our_feed().await;
    let seven = entry(&ours, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
    assert_eq!(seven.title.as_ref().unwrap().content, "Atom & friends");
    assert_eq!(
        audio(seven).unwrap(),
        (
            "https://atom.example/7.mp3".into(),
            Some(7000),
            "audio/mpeg".into(),
            None
        )
    );
    let (_, second) = app.json("/api/v1/episodes/2").await;
    assert_eq!(second["audio"]["duration_secs"], 600);
    assert_eq!(second["published_at"], "2017-03-07T09:00:00Z");
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--db", db.to_str().unwrap()])
        .output()
        .expect("run shownotes")
}

#[test]
fn the_cli_reports_each_refused_item_and_a_summary_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("show.db");
    let feed = fixture("feeds/show.rss");
    let feed = feed.to_str().unwrap();

    let first = run(&db, &["import", "feed", feed]);
    let again = run(&db, &["import", "feed", feed]);

    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("created:   7"), "{stdout}");
    assert!(stdout.contains("refused:   1"), "{stdout}");
    assert!(stdout.contains("2 enclosures"), "{stdout}");
    assert!(stderr.contains("item 8 \"Trailer\": no guid"), "{stderr}");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("created:   0"), "{stdout}");
    assert!(stdout.contains("updated:   0"), "{stdout}");
    assert!(stdout.contains("unchanged: 7"), "{stdout}");
}

/// A web server with the show's old feed behind a redirect, the same feed in Latin-1 (declared
/// only by the server's charset), and nothing else.
async fn serve_old_feeds() -> String {
    use axum::http::header::{CONTENT_TYPE, LOCATION};
    use axum::routing::get;
    let text = std::fs::read_to_string(fixture("feeds/show.rss")).unwrap();
    let utf8 = text.clone();
    let latin1: Vec<u8> = text
        .replace("encoding=\"UTF-8\"", "")
        .replace(
            "<title>Python Bytes</title>",
            "<title>Python Bytes, caf\u{e9}</title>",
        )
        .replace("<title>Most of OpenAI", "<title>Ol\u{e9}: Most of OpenAI")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("the fixture is Latin-1"))
        .collect();
    let app = axum::Router::new()
        .route(
            "/old",
            get(|| async {
                (
                    axum::http::StatusCode::MOVED_PERMANENTLY,
                    [(LOCATION, "/feed.xml")],
                )
            }),
        )
        .route(
            "/feed.xml",
            get(move || async move { ([(CONTENT_TYPE, "application/rss+xml")], utf8) }),
        )
        .route(
            "/latin1.xml",
            get(move || async move { ([(CONTENT_TYPE, "text/xml; charset=ISO-8859-1")], latin1) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

#[tokio::test]
async fn import_feed_downloads_a_url_following_redirects_and_the_servers_charset() {
    let server = serve_old_feeds().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("show.db");
    let cli = |url: String| {
        let db = db.clone();
        tokio::task::spawn_blocking(move || run(&db, &["import", "feed", &url]))
    };

    let redirected = cli(format!("{server}/old")).await.unwrap();
    let latin1 = cli(format!("{server}/latin1.xml")).await.unwrap();
    let missing = cli(format!("{server}/gone.xml")).await.unwrap();

    let stdout = String::from_utf8_lossy(&redirected.stdout);
    assert!(stdout.contains("created:   7"), "{stdout}");
    let stdout = String::from_utf8_lossy(&latin1.stdout);
    assert!(
        stdout.contains("episode 434 \"Olé: Most of OpenAI"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr.contains(&format!("{server}/gone.xml: the server answered 404")),
        "{stderr}"
    );
}

#[tokio::test]
async fn notes_that_say_when_they_were_recorded_are_published_on_that_day() {
    let app = spawn_app().await;

    app.import_notes(&fixture("notes-archive/011.md")).await;
    app.import_notes(&fixture("notes-archive/013.md")).await;

    let (_, eleven) = app.json("/api/v1/episodes/11").await;
    assert_eq!(eleven["published_at"], "2017-01-30T00:00:00Z");
    let (_, thirteen) = app.json("/api/v1/episodes/13").await;
    assert_eq!(thirteen["published_at"], "2017-02-13T00:00:00Z");
    let archive = app.page("/episodes").await;
    let days = crate::helpers::texts(&archive, ".meta time");
    assert_eq!(days, ["February 13, 2017", "January 30, 2017"]);
}
