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
    spawn_app_with("").await
}

/// Starts the app after running `setup_sql` (e.g. an update of the settings row) on its database.
pub async fn spawn_app_with(setup_sql: &str) -> TestApp {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("shownotes.db");
    let pool = db::open(&db_path).await.expect("open db");
    if !setup_sql.is_empty() {
        sqlx::raw_sql(setup_sql)
            .execute(&pool)
            .await
            .expect("setup sql");
    }
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

/// Puts a talk in the catalog and links it to segment `position` of episode 434.
/// (The pyvideo importer is the real way in; this is a fixture shortcut.)
pub async fn add_talk_discussed_in_segment(
    app: &TestApp,
    event: &str,
    slug: &str,
    title: &str,
    position: i64,
) {
    let mut tx = app.state.db.begin().await.expect("tx");
    let event_id: i64 = sqlx::query_scalar(
        "insert into events (slug, title, year) values (?, 'PyCon US 2025', 2025) returning id",
    )
    .bind(event)
    .fetch_one(&mut *tx)
    .await
    .expect("event");
    let talk_id: i64 = sqlx::query_scalar(
        "insert into talks (event_id, slug, title, video_id, videos_json) values (?, ?, ?, 'sFAxHLaVKxk',
         '[{\"type\":\"youtube\",\"url\":\"https://www.youtube.com/watch?v=sFAxHLaVKxk\"}]') returning id",
    )
    .bind(event_id)
    .bind(slug)
    .bind(title)
    .fetch_one(&mut *tx)
    .await
    .expect("talk");
    sqlx::query(
        "insert into segment_talks (segment_id, talk_id, position)
         select s.id, ?, 1 from segments s join episodes e on e.id = s.episode_id where e.number = 434 and s.position = ?",
    )
    .bind(talk_id)
    .bind(position)
    .execute(&mut *tx)
    .await
    .expect("segment talk");
    tx.commit().await.expect("commit");
    app.state.content_changed();
}
