//! In a real headless Chromium: listener and admin pages fit phones and desktops and pass
//! axe-core (the episode editor's own browser tests are in `editor_browser.rs` and share these
//! helpers). Skipped with a printed reason where Chromium or its driver is missing (never in CI,
//! which installs them).

use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, free_port, spawn_app, wait_for_line};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver on a free port, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
    profiles: Vec<tempfile::TempDir>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or says why the browser tests cannot run here.
pub(crate) fn start_driver() -> Option<Driver> {
    start_driver_in_time_zone(None)
}

/// [`start_driver`] whose browsers live in time zone `zone` (an IANA name) instead of the
/// machine's.
pub(crate) fn start_driver_in_time_zone(zone: Option<&str>) -> Option<Driver> {
    let missing = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .find(|p| !std::path::Path::new(p).exists());
    if let Some(path) = missing {
        assert!(
            std::env::var_os("CI").is_none(),
            "{path} is missing in CI: .ci/run must install chromium and chromium-driver"
        );
        eprintln!(
            "SKIPPED browser test: {path} not found (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = free_port();
    let mut command = Command::new(CHROMEDRIVER);
    if let Some(zone) = zone {
        // Chromium takes its zone from the TZ it inherits through chromedriver.
        command.env("TZ", zone);
    }
    let mut child = command
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("start chromedriver");
    // chromedriver says when it listens.
    let stdout = child.stdout.take().expect("stdout");
    assert!(
        wait_for_line(stdout, "started successfully"),
        "chromedriver did not start"
    );
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        profiles: Vec::new(),
    })
}

/// A browser session; its profile folder lives as long as the driver.
pub(crate) async fn browser(driver: &mut Driver) -> Client {
    let profile = tempfile::tempdir().expect("profile dir");
    let options = json!({
        "binary": CHROMIUM,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 format!("--user-data-dir={}", profile.path().display())]
    });
    // The test binary links two TLS backends (mail and WebDriver): pick one for the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut capabilities = serde_json::Map::new();

    capabilities.insert("goog:chromeOptions".to_string(), options);
    let client = ClientBuilder::rustls()
        .expect("tls")
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    driver.profiles.push(profile);
    client
}

pub(crate) async fn sign_in(client: &Client, app: &TestApp, email: &str) {
    client
        .goto(&format!("{}/admin/login", app.address))
        .await
        .unwrap();
    client
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    client
        .find(Locator::Css(
            "form[action='/admin/login'] button[type=submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("body.admin"))
        .await
        .unwrap();
}

pub(crate) async fn fill(client: &Client, id: &str, text: &str) {
    let field = client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks the element at `selector`.
pub(crate) async fn click(client: &Client, selector: &str) {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks the element at `selector`, then waits for `expected` on the page that follows.
pub(crate) async fn click_then_wait(client: &Client, selector: &str, expected: &str) {
    click(client, selector).await;
    let appeared = client.wait().for_element(Locator::Css(expected)).await;
    assert!(
        appeared.is_ok(),
        "after clicking {selector}, {expected} never appeared"
    );
}

pub(crate) async fn texts(client: &Client, selector: &str) -> Vec<String> {
    let mut found = Vec::new();
    for element in client.find_all(Locator::Css(selector)).await.unwrap() {
        found.push(
            element
                .text()
                .await
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    found
}

/// The two screens every listener page is looked at on.
pub(crate) const SCREENS: [(&str, u32, u32); 2] = [("desktop", 1280, 900), ("phone", 390, 844)];

/// Where screenshots go (git-ignored): `target/screenshots/`.
pub(crate) fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// axe-core's script, installed by `.ci/run` with npm into `target/axe` (see the README).
pub(crate) fn axe_source() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing in CI: .ci/run must install axe-core",
                path.display()
            );
            eprintln!(
                "SKIPPED accessibility checks: run `npm install --prefix target/axe axe-core@4`"
            );
            None
        }
    }
}

/// How much wider than the screen the page is (0 when nothing scrolls sideways).
pub(crate) async fn sideways_overflow(client: &Client) -> i64 {
    client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

/// The page's cumulative layout shift so far (what moved after it was first drawn, e.g. a
/// player or an image without reserved space), with the elements that moved.
async fn layout_shift(client: &Client) -> (f64, String) {
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const observer = new PerformanceObserver(() => {});
               observer.observe({type: "layout-shift", buffered: true});
               const shifts = observer.takeRecords().filter(e => !e.hadRecentInput);
               const moved = shifts.flatMap(e => (e.sources || []).map(s =>
                 s.node ? (s.node.nodeName + (s.node.className ? "." + s.node.className : "")) : "?"));
               done([shifts.reduce((sum, e) => sum + e.value, 0), moved.join(", ")]);"#,
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// axe-core's serious and critical violations on the open page, as `rule: element, …`.
pub(crate) async fn serious_violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.expect("load axe-core");
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document).then(r => done(r.violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "))));"#,
            vec![],
        )
        .await
        .expect("axe-core ran");
    serde_json::from_value(found).unwrap()
}

/// Opens `url`, waits for `awaited` to appear and saves a screenshot named `shot`; whether it
/// appeared.
pub(crate) async fn open_and_wait(
    client: &Client,
    url: &str,
    awaited: Locator<'_>,
    shot: &str,
) -> bool {
    client.goto(url).await.unwrap();
    let appeared = client.wait().for_element(awaited).await.is_ok();
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{shot}.png")), png).unwrap();
    appeared
}

/// Opens each page at both screen sizes, saves a screenshot of each, and returns what is wrong:
/// sideways scrolling, a header over 96 px, and (given axe-core, on the desktop size) serious
/// or critical accessibility violations.
pub(crate) async fn look_at(
    client: &Client,
    app: &TestApp,
    pages: &[(&str, String)],
    axe: Option<&str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (width_name, width, height) in SCREENS {
        client.set_window_size(width, height).await.unwrap();
        for (name, path) in pages {
            client
                .goto(&format!("{}{path}", app.address))
                .await
                .unwrap();
            let png = client.screenshot().await.unwrap();
            std::fs::write(
                screenshot_dir().join(format!("{name}-{width_name}.png")),
                png,
            )
            .unwrap();
            let overflow = sideways_overflow(client).await;
            if overflow > 0 {
                problems.push(format!(
                    "{path} at {width}px scrolls sideways by {overflow}px"
                ));
            }
            let header = client
                .execute(
                    "return document.querySelector('header.site').getBoundingClientRect().height;",
                    vec![],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap();
            if header > 96.0 {
                problems.push(format!("{path} at {width}px: the header takes {header}px"));
            }
            let (shift, moved) = layout_shift(client).await;
            if shift > 0.01 {
                problems.push(format!(
                    "{path} at {width}px: layout shift {shift:.3} ({moved})"
                ));
            }
            if let (Some(axe), "desktop") = (axe, width_name) {
                for violation in serious_violations(client, axe).await {
                    problems.push(format!("{path}: {violation}"));
                }
            }
        }
    }
    problems
}

#[tokio::test]
async fn listener_pages_fit_phones_and_desktops_and_pass_axe_core() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let axe = axe_source();
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    sqlx::query("update episodes set status = 'published', published_at = '2025-05-27T08:00:00Z', audio_url = 'https://example.com/434.mp3'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();
    let (_, talks) = app.json("/api/v1/talks/pycon-us-2025").await;
    let talk = talks["talks"][0]["slug"]
        .as_str()
        .expect("a talk in the catalog")
        .to_string();
    let pages = [
        ("home", "/".to_string()),
        ("episode", "/episodes/434".to_string()),
        ("search", "/search?q=pytest".to_string()),
        ("talk", format!("/talks/pycon-us-2025/{talk}")),
        ("host", "/hosts/brian".to_string()),
        ("signup", "/friends-of-the-show".to_string()),
        ("not-found", "/no-such-page".to_string()),
    ];
    let client = browser(&mut driver).await;
    let problems = look_at(&client, &app, &pages, axe.as_deref()).await;
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn paged_lists_fit_phones_and_desktops_and_pass_axe_core() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    for number in 1..=30 {
        let url = format!("https://example.com/{number}");
        let doc = crate::helpers::episode(
            number,
            &format!("A show with a long title, number {number}"),
        )
        .topic(
            "Brian Okken",
            1,
            "A topic with a title long enough to wrap on a phone",
            &url,
            "- a note",
        )
        .topic(
            "Brian Okken",
            2,
            "Thanks to our sponsor",
            "https://example.com/a-sponsor-named-in-every-episode",
            "- a note",
        );
        app.import(doc.build()).await;
    }
    let catalog = crate::export_site::catalog_tagged("machine learning", 105);
    app.import_talks(catalog.path()).await;
    let pages = [
        ("host-page-2", "/hosts/brian-okken?page=2".to_string()),
        ("archive-page-2", "/episodes?page=2".to_string()),
        (
            "tag-page-2",
            "/talks/tags/machine%20learning?page=2".to_string(),
        ),
        // The sponsor's link names its newest episodes and counts the rest.
        ("links", "/links".to_string()),
    ];
    let client = browser(&mut driver).await;
    let problems = look_at(&client, &app, &pages, axe_source().as_deref()).await;
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// [`look_at`] the admin `pages`, signed in as admin@example.com.
async fn look_at_signed_in(
    driver: &mut Driver,
    app: &TestApp,
    pages: &[(&str, String)],
) -> Vec<String> {
    let client = browser(driver).await;
    sign_in(&client, app, "admin@example.com").await;
    let axe = axe_source();
    let problems = look_at(&client, app, pages, axe.as_deref()).await;
    client.close().await.unwrap();
    problems
}

#[tokio::test]
async fn admin_pages_fit_phones_and_desktops_and_pass_axe_core() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("admin@example.com", "admin").await;
    app.import_seed_notes_and_catalog().await;
    let id: i64 = sqlx::query_scalar("select id from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let pages = [
        ("admin-episodes", "/admin/episodes".to_string()),
        ("admin-editor", format!("/admin/episodes/{id}")),
        ("admin-people", "/admin/people".to_string()),
        ("admin-talks", "/admin/talks".to_string()),
        ("admin-subscribers", "/admin/subscribers".to_string()),
        ("admin-digests", "/admin/digests".to_string()),
        ("admin-audit", "/admin/audit".to_string()),
        ("admin-users", "/admin/users".to_string()),
        ("admin-settings", "/admin/settings".to_string()),
    ];
    let problems = look_at_signed_in(&mut driver, &app, &pages).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn admin_pages_outside_the_editor_fit_phones_and_desktops_and_pass_axe_core() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("admin@example.com", "admin").await;
    app.import_seed().await;
    app.import_talks(&crate::helpers::fixture("pyvideo")).await;
    app.confirmed_subscribers(&["ada.lovelace.with.a.long.address@example.com"])
        .await;
    let subscriber: i64 = sqlx::query_scalar("select id from subscribers")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    shownotes::digest::manage::create_digest(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    let pages = [
        ("admin-home", "/admin".to_string()),
        (
            "admin-talk",
            "/admin/talks/pycon-us-2025/unlearning-sql".to_string(),
        ),
        ("admin-digest", "/admin/digests/434".to_string()),
        ("admin-digest-send", "/admin/digests/434/send".to_string()),
        (
            "admin-erase",
            format!("/admin/subscribers/{subscriber}/erase"),
        ),
    ];
    let problems = look_at_signed_in(&mut driver, &app, &pages).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn the_header_search_box_suggests_titles_as_a_listener_types() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.import_seed().await;
    let client = browser(&mut driver).await;
    client.goto(&format!("{}/", app.address)).await.unwrap();

    // The last word is a prefix, as it is while typing.
    fill(&client, "site-search-q", "tech stack OpenA").await;
    let appeared = client
        .wait()
        .for_element(Locator::Css("#site-search-suggestions option"))
        .await;
    let suggested = client
        .execute(
            "return Array.from(document.querySelectorAll('#site-search-suggestions option'), o => o.value);",
            vec![],
        )
        .await
        .unwrap();
    let list = client
        .execute(
            "return document.getElementById('site-search-q').getAttribute('list');",
            vec![],
        )
        .await
        .unwrap();
    client.close().await.unwrap();

    assert!(appeared.is_ok(), "no suggestion appeared under the box");
    assert_eq!(list.as_str(), Some("site-search-suggestions"));
    let titles: Vec<String> = serde_json::from_value(suggested).unwrap();
    assert!(
        titles.iter().any(|title| title.contains("OpenAI")),
        "{titles:?}"
    );
    assert!(
        titles.iter().all(|title| !title.contains('<')),
        "{titles:?}"
    );
}

#[tokio::test]
async fn the_episode_feed_opened_in_a_browser_reads_as_a_page_that_says_how_to_subscribe() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.import_seed().await;
    app.import_talks(&crate::helpers::fixture("pyvideo")).await;
    let client = browser(&mut driver).await;
    let pages = [
        ("talks-rss", "/talks/rss".to_string()),
        ("rss", "/episodes/rss".to_string()),
    ];

    let problems = look_at(&client, &app, &pages, axe_source().as_deref()).await;
    let heading = texts(&client, "h2").await;
    let episodes = texts(&client, ".feed-items h3").await;
    // The show's feed answers a browser with a page of the site: the address is in a field.
    let address = client
        .execute("return document.getElementById('feed-url').value;", vec![])
        .await
        .unwrap();
    client.close().await.unwrap();

    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        heading.contains(&"This is a feed: copy its address into your podcast app".to_string()),
        "{heading:?}"
    );
    assert_eq!(episodes.len(), 1, "{episodes:?}");
    assert!(episodes[0].contains("OpenAI"), "{episodes:?}");
    assert_eq!(
        address.as_str(),
        Some(format!("{}/episodes/rss", app.address).as_str())
    );
}

#[tokio::test]
async fn an_episode_with_a_transcript_reads_well_on_phones_and_desktops() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("admin@example.com", "admin").await;
    app.import_seed().await;
    sqlx::query("update episodes set audio_url = 'https://example.com/434.mp3'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("select id from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let vtt = std::fs::read(crate::helpers::fixture("transcripts/python-bytes-434.vtt")).unwrap();
    shownotes::transcripts::manage::attach(
        &app.state.db,
        id,
        "python-bytes-434.vtt",
        &vtt,
        shownotes::transcripts::manage::By::CommandLine,
    )
    .await
    .unwrap();
    // The fragment opens the collapsed transcript, as a search hit's link does.
    let pages = [("episode-transcript", "/episodes/434#transcript".to_string())];
    let client = browser(&mut driver).await;
    let problems = look_at(&client, &app, &pages, axe_source().as_deref()).await;
    let times = texts(&client, ".transcript .cues a.at").await;
    client.close().await.unwrap();
    let admin = [(
        "admin-transcript",
        format!("/admin/episodes/{id}/transcript"),
    )];
    let admin_problems = look_at_signed_in(&mut driver, &app, &admin).await;

    assert!(problems.is_empty(), "{problems:#?}");
    assert!(admin_problems.is_empty(), "{admin_problems:#?}");
    assert_eq!(times.first().map(String::as_str), Some("0:00"), "{times:?}");
}
