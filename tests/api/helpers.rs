//! The test harness: the real app on a random port with its own SQLite file.

use std::sync::LazyLock;

use reqwest::{Response, StatusCode};
use scraper::{Html, Selector};
use serde_json::Value;
use shownotes::episodes::{model::EpisodeDoc, save_episode};
use shownotes::{AppState, app, db};
use tempfile::TempDir;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        shownotes::telemetry::init();
    }
});

/// A running app with its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    _dir: TempDir,
}

/// Starts the app on port 0 with a fresh database file.
pub async fn spawn_app() -> TestApp {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("shownotes.db");
    let pool = db::open(&db_path).await.expect("open db");
    let state = AppState::load(pool, None).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let router = app(state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        state,
        _dir: dir,
    }
}

impl TestApp {
    /// GET a path.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request")
    }

    /// GET a page, assert 200, parse it.
    pub async fn page(&self, path: &str) -> Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        Html::parse_document(&response.text().await.expect("body"))
    }

    /// GET a JSON document with its status.
    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.json().await.expect("json body"))
    }

    /// Saves an episode the way `import episode` does, and drops cached pages.
    pub async fn import(&self, doc: EpisodeDoc) {
        save_episode(&self.state.db, doc)
            .await
            .expect("save episode");
        self.state.content_changed();
    }

    /// Imports the seed episode (434) from its JSON fixture.
    pub async fn import_seed(&self) -> EpisodeDoc {
        let doc = seed_doc();
        self.import(doc.clone()).await;
        doc
    }
}

/// The seed episode as the API's JSON document.
pub fn seed_doc() -> EpisodeDoc {
    let text = include_str!("../fixtures/episodes/python-bytes-434.json");
    serde_json::from_str(text).expect("seed fixture")
}

/// A small published episode built in code.
pub fn episode(number: i64, title: &str) -> EpisodeBuilder {
    EpisodeBuilder(serde_json::json!({
        "number": number, "title": title, "status": "published",
        "published_at": format!("2025-01-{:02}T08:00:00Z", (number % 28) + 1), "segments": []
    }))
}

/// Fluent fixture builder for episodes.
pub struct EpisodeBuilder(Value);

impl EpisodeBuilder {
    /// Adds a topic presented by `host`.
    pub fn topic(mut self, host: &str, number: i64, title: &str, url: &str, notes: &str) -> Self {
        self.segments().push(serde_json::json!({
            "kind": "topic", "number": number, "person": {"name": host}, "title": title, "url": url, "notes_md": notes
        }));
        self
    }

    /// Makes it a draft.
    pub fn draft(mut self) -> Self {
        self.0["status"] = "draft".into();
        self.0["published_at"] = Value::Null;
        self
    }

    fn segments(&mut self) -> &mut Vec<Value> {
        self.0["segments"].as_array_mut().expect("segments array")
    }

    /// The finished document.
    pub fn build(self) -> EpisodeDoc {
        serde_json::from_value(self.0).expect("valid episode document")
    }
}

/// Texts of every element matching `selector`, whitespace collapsed.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The `attr` of every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// A fixture file's path.
pub fn fixture(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

impl TestApp {
    /// Imports a notes file as `import notes` does (published), and drops cached pages.
    pub async fn import_notes(
        &self,
        path: &std::path::Path,
    ) -> shownotes::episodes::notes_import::Imported {
        let options = shownotes::episodes::notes_import::ImportOptions {
            status: shownotes::episodes::model::Status::Published,
            dry_run: false,
            number: None,
        };
        let imported =
            shownotes::episodes::notes_import::import_notes_file(&self.state.db, path, options)
                .await
                .expect("notes import");
        self.state.content_changed();
        imported
    }

    /// The seed's notes and the pyvideo fixture catalog, whose "Unlearning SQL" the seed discusses.
    pub async fn import_seed_notes_and_catalog(&self) {
        self.import_notes(&fixture("notes/python-bytes-434-seed.md"))
            .await;
        self.import_talks(&fixture("pyvideo")).await;
    }

    /// Imports a pyvideo catalog folder.
    pub async fn import_talks(
        &self,
        dir: &std::path::Path,
    ) -> shownotes::talks::transfer::ImportReport {
        let report = shownotes::talks::transfer::import_dir(&self.state.db, dir)
            .await
            .expect("talks import");
        self.state.content_changed();
        report
    }
}
