//! Transcripts: a host attaches one (admin upload or the command line); listeners read it on
//! the episode page, play from a cue, download it, find it in the feed and in search.

use std::process::Command;

use reqwest::Response;
use scraper::Html;

use crate::helpers::{TestApp, attrs, episode, spawn_app, spawn_client, texts};

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");

const VTT: &str = "WEBVTT\r\n\r\n00:00:00.000 --> 00:00:04.000\r\n<v Michael Kennedy>Hello and welcome to Python Bytes,\r\nepisode seven.\r\n\r\n\
00:01:05.500 --> 00:01:09.000\r\n<v Brian Okken>Today we talk about flibbertigibbet parsers.\r\n";

/// An SRT file whose second cue's time range is missing its milliseconds (line 6).
const BAD_SRT: &str =
    "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03 --> 00:00:04,000\nOops\n";

/// Published episode `number` with an audio file, so cue times play it.
async fn published_with_audio(app: &TestApp, number: i64, title: &str) {
    let mut doc = episode(number, title).build();
    doc.audio = serde_json::from_value(serde_json::json!({
        "url": format!("https://media.example.com/{number}.mp3")
    }))
    .expect("audio");
    app.import(doc).await;
}

async fn episode_id(app: &TestApp, number: i64) -> i64 {
    let mut conn = app.state.db.acquire().await.expect("conn");
    shownotes::episodes::store::id_of_number(&mut conn, number)
        .await
        .expect("episode id")
}

/// A `multipart/form-data` body with the session's CSRF token first, then the file.
fn upload_body(csrf: Option<&str>, file_name: &str, content: &str) -> (String, String) {
    let boundary = "----shownotes-test-boundary";
    let mut body = String::new();
    if let Some(csrf) = csrf {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A host signed in who attached [`VTT`] to published episode 7 (its id returned).
async fn host_attached_a_transcript() -> (TestApp, i64) {
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let id = episode_id(&app, 7).await;
    app.login_as_host().await;
    let response = app.upload_transcript(id, "episode-7.vtt", VTT).await;
    assert_eq!(response.status(), 303);
    (app, id)
}

/// Attaches `text` to episode `number` as the command line would, from outside the site.
async fn attach_directly(app: &TestApp, number: i64, text: &str) {
    let id = episode_id(app, number).await;
    shownotes::transcripts::manage::attach(
        &app.state.db,
        id,
        "t.vtt",
        text.as_bytes(),
        shownotes::transcripts::manage::By::CommandLine,
    )
    .await
    .expect("attach");
}

impl TestApp {
    /// Uploads `content` as `file_name` on episode `id`'s transcript page, as the signed-in host.
    async fn upload_transcript(&self, id: i64, file_name: &str, content: &str) -> Response {
        let csrf = self.session_csrf().await;
        self.post_upload(id, Some(&csrf), file_name, content).await
    }

    async fn post_upload(
        &self,
        id: i64,
        csrf: Option<&str>,
        file_name: &str,
        content: &str,
    ) -> Response {
        let (content_type, body) = upload_body(csrf, file_name, content);
        self.client
            .post(format!("{}/admin/episodes/{id}/transcript", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload")
    }
}

#[tokio::test]
async fn a_host_attaches_a_webvtt_transcript_and_listeners_read_and_play_from_each_cue() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let id = episode_id(&app, 7).await;
    app.login_as_host().await;
    let before = app.page(&format!("/admin/episodes/{id}/transcript")).await;
    assert!(texts(&before, "p.transcript-status")[0].contains("no transcript yet"));

    // Act
    let response = app.upload_transcript(id, "episode-7.vtt", VTT).await;

    // Assert
    assert_eq!(response.status(), 303);
    let page = app
        .page(&format!("/admin/episodes/{id}/transcript?done=attached"))
        .await;
    assert_eq!(texts(&page, "p.notice"), ["The transcript is attached."]);
    assert!(
        texts(&page, "p.transcript-status")[0].contains("episode-7.vtt (2 cues, read as WebVTT)")
    );

    let listener = app.anonymous_page("/episodes/7").await;
    assert_eq!(texts(&listener, ".transcript h2"), ["Transcript"]);
    assert_eq!(texts(&listener, ".transcript .cues a.at"), ["0:00", "1:05"]);
    assert_eq!(
        attrs(&listener, ".transcript .cues a.at", "data-seek"),
        ["0", "65"]
    );
    assert_eq!(
        attrs(&listener, ".transcript .cues a.at", "href"),
        [
            "https://media.example.com/7.mp3#t=0",
            "https://media.example.com/7.mp3#t=65"
        ]
    );
    assert_eq!(
        texts(&listener, ".transcript .speaker"),
        ["Michael Kennedy:", "Brian Okken:"]
    );
    assert!(texts(&listener, ".transcript .cues p")[0].contains("Python Bytes,episode seven."));
}

#[tokio::test]
async fn the_transcript_downloads_as_webvtt_and_srt_written_from_its_cues() {
    // Arrange
    let (app, _) = host_attached_a_transcript().await;
    let anonymous = spawn_client(&app);

    // Act
    let vtt = anonymous
        .get(format!("{}/episodes/7/transcript.vtt", app.address))
        .send()
        .await
        .expect("vtt");
    let srt = anonymous
        .get(format!("{}/episodes/7/transcript.srt", app.address))
        .send()
        .await
        .expect("srt");

    // Assert
    assert_eq!(vtt.status(), 200);
    assert_eq!(vtt.headers()["content-type"], "text/vtt; charset=utf-8");
    assert!(vtt.headers().contains_key("etag"));
    assert_eq!(
        vtt.text().await.expect("body"),
        "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Michael Kennedy>Hello and welcome to Python Bytes,\nepisode seven.\n\n\
         00:01:05.500 --> 00:01:09.000\n<v Brian Okken>Today we talk about flibbertigibbet parsers.\n"
    );
    assert_eq!(srt.status(), 200);
    assert_eq!(
        srt.headers()["content-type"],
        "application/x-subrip; charset=utf-8"
    );
    assert!(srt.text().await.expect("body").starts_with(
        "1\n00:00:00,000 --> 00:00:04,000\nMichael Kennedy: Hello and welcome to Python Bytes,\n"
    ));
    assert_eq!(app.get("/episodes/8/transcript.vtt").await.status(), 404);
}

#[tokio::test]
async fn a_file_that_does_not_read_is_refused_on_the_page_naming_its_line() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let id = episode_id(&app, 7).await;
    app.login_as_host().await;

    // Act
    let response = app.upload_transcript(id, "transcript.srt", BAD_SRT).await;

    // Assert
    assert_eq!(response.status(), 422);
    let page = Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(
        texts(&page, "#file-error"),
        ["Transcript.srt line 6: expected a time range like 00:01:02,000 --> 00:01:05,000"]
    );
    assert_eq!(attrs(&page, "#file", "aria-invalid"), ["true"]);
    let listener = app.anonymous_page("/episodes/7").await;
    assert!(texts(&listener, ".transcript").is_empty());
}

#[tokio::test]
async fn an_upload_without_the_sessions_csrf_token_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let id = episode_id(&app, 7).await;
    app.login_as_host().await;

    // Act
    let forged = app
        .post_upload(id, Some("not-the-token"), "a.vtt", VTT)
        .await;
    let missing = app.post_upload(id, None, "a.vtt", VTT).await;

    // Assert
    assert_eq!(forged.status(), 403);
    assert_eq!(missing.status(), 403);
    assert_eq!(app.get("/episodes/7/transcript.vtt").await.status(), 404);
}

#[tokio::test]
async fn removing_a_transcript_asks_first_then_takes_it_off_every_page() {
    // Arrange
    let (app, id) = host_attached_a_transcript().await;
    let path = format!("/admin/episodes/{id}/transcript/remove");

    // Act
    let first = app.admin_post(&path, &[]).await;
    let question = app.page(&path).await;
    let confirmed = app.admin_post(&path, &[("confirm", "yes")]).await;

    // Assert
    crate::helpers::assert_is_redirect_to(&first, &path);
    assert_eq!(
        texts(&question, "h1"),
        ["Remove the transcript of episode 7?"]
    );
    crate::helpers::assert_is_redirect_to(
        &confirmed,
        &format!("/admin/episodes/{id}/transcript?done=removed"),
    );
    assert_eq!(app.get("/episodes/7/transcript.vtt").await.status(), 404);
    let listener = app.anonymous_page("/episodes/7").await;
    assert!(texts(&listener, ".transcript").is_empty());
}

#[tokio::test]
async fn the_feed_names_both_transcript_files_and_apps_still_read_it() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    published_with_audio(&app, 8, "No words yet").await;
    attach_directly(&app, 7, VTT).await;

    // Act
    let body = app.get("/episodes/rss").await.text().await.expect("feed");

    // Assert
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("feed-rs reads the feed");
    assert_eq!(feed.entries.len(), 2);
    let doc = roxmltree::Document::parse(&body).expect("well-formed");
    let transcripts: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name(("https://podcastindex.org/namespace/1.0", "transcript")))
        .map(|n| {
            (
                n.attribute("url").unwrap_or_default().to_string(),
                n.attribute("type").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        transcripts,
        [
            (
                format!("{}/episodes/7/transcript.vtt", app.address),
                "text/vtt".to_string()
            ),
            (
                format!("{}/episodes/7/transcript.srt", app.address),
                "application/x-subrip".to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn search_finds_words_said_in_a_transcript_but_never_in_a_drafts() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    app.import(episode(9, "Not out yet").draft().build()).await;
    attach_directly(&app, 7, VTT).await;
    let secret = "WEBVTT\n\n00:01.000 --> 00:02.000\nA secret zanzibarian scoop.\n";
    attach_directly(&app, 9, secret).await;

    // Act
    let found = app.page("/search?q=flibbertigibbet").await;
    let hidden = app.page("/search?q=zanzibarian").await;

    // Assert
    assert_eq!(
        texts(&found, ".hit-transcript .hit-title"),
        ["Parsers everywhere"]
    );
    assert_eq!(
        texts(&found, ".hit-transcript .hit-context"),
        ["Episode 7 · in the transcript"]
    );
    assert_eq!(
        attrs(&found, ".hit-transcript .hit-title", "href"),
        ["/episodes/7/parsers-everywhere#transcript"]
    );
    assert_eq!(texts(&found, ".hit-transcript mark"), ["flibbertigibbet"]);
    assert!(texts(&hidden, ".hit").is_empty());
}

#[tokio::test]
async fn a_transcript_attached_from_elsewhere_shows_on_a_page_already_cached() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let cached = app.anonymous_page("/episodes/7").await;
    assert!(texts(&cached, ".transcript").is_empty());
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("episode-7.vtt");
    std::fs::write(&file, VTT).expect("write");

    // Act: the command line, another process on the same database.
    let output = Command::new(BIN)
        .args(["transcript", "add", "7"])
        .arg(&file)
        .arg("--db")
        .arg(app.db_path())
        .output()
        .expect("run");

    // Assert
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("attached episode-7.vtt to episode 7: 2 cues, 2 speakers named"),
        "{stdout}"
    );
    let page = app.anonymous_page("/episodes/7").await;
    assert_eq!(texts(&page, ".transcript .cues a.at").len(), 2);
}

#[tokio::test]
async fn the_command_line_refuses_a_bad_file_with_its_line_and_removes_a_transcript() {
    // Arrange
    let app = spawn_app().await;
    published_with_audio(&app, 7, "Parsers everywhere").await;
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("transcript.srt");
    std::fs::write(&bad, BAD_SRT).expect("write");
    let good = dir.path().join("good.vtt");
    std::fs::write(&good, VTT).expect("write");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(BIN)
            .args(args)
            .arg("--db")
            .arg(app.db_path())
            .output()
            .expect("run")
    };

    // Act
    let refused = run(&[
        "transcript".as_ref(),
        "add".as_ref(),
        "7".as_ref(),
        bad.as_ref(),
    ]);
    let missing = run(&[
        "transcript".as_ref(),
        "add".as_ref(),
        "99".as_ref(),
        good.as_ref(),
    ]);
    let added = run(&[
        "transcript".as_ref(),
        "add".as_ref(),
        "7".as_ref(),
        good.as_ref(),
    ]);
    let removed = run(&["transcript".as_ref(), "remove".as_ref(), "7".as_ref()]);

    // Assert
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "error: transcript.srt line 6: expected a time range like 00:01:02,000 --> 00:01:05,000"
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no episode 99"));
    assert!(added.status.success());
    assert!(removed.status.success());
    assert!(
        String::from_utf8_lossy(&removed.stdout).contains("removed the transcript of episode 7")
    );
    assert_eq!(app.get("/episodes/7/transcript.vtt").await.status(), 404);
}
