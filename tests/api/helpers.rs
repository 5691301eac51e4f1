//! The test harness: the real app on a random port with its own SQLite file.

use std::sync::LazyLock;

use reqwest::{Response, StatusCode};
use scraper::{Html, Selector};
use serde_json::Value;
use shownotes::episodes::{model::EpisodeDoc, save_episode};
use shownotes::{AppState, db};
use tempfile::TempDir;

use crate::smtp_sink::SmtpSink;
use shownotes::digest::{DeliveryConfig, Until, Worker};
use shownotes::mail::SmtpMailer;
use std::sync::Arc;
use std::time::Duration;

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
    /// The SMTP server this app's mail goes to.
    pub smtp: SmtpSink,
    _dir: TempDir,
}

/// Starts the app on port 0 with a fresh database file.
pub async fn spawn_app() -> TestApp {
    spawn_app_with("").await
}

/// Starts the app as if behind a reverse proxy on this machine: it believes the
/// `X-Forwarded-For` of peers on 127.0.0.1.
pub async fn spawn_app_behind_proxy() -> TestApp {
    spawn(
        "",
        shownotes::state::TrustedProxies::parse("127.0.0.0/8").expect("proxies"),
    )
    .await
}

/// Starts the app after running `setup_sql` (e.g. an update of the settings row) on its database.
pub async fn spawn_app_with(setup_sql: &str) -> TestApp {
    spawn(setup_sql, Default::default()).await
}

async fn spawn(setup_sql: &str, proxies: shownotes::state::TrustedProxies) -> TestApp {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("shownotes.db");
    let pool = db::open(&db_path).await.expect("open db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let smtp = SmtpSink::start().await;
    let mailer = SmtpMailer::from_url(&smtp.url(), 4).expect("smtp mailer");
    let state = AppState::load(pool, Some(address.clone()))
        .await
        .expect("state")
        .with_mailer(Arc::new(mailer))
        .with_trusted_proxies(proxies);
    // After the state took the test's address as base URL, so a setup may set its own.
    if !setup_sql.is_empty() {
        sqlx::raw_sql(setup_sql)
            .execute(&state.db)
            .await
            .expect("setup sql");
        state.reload_settings().await.expect("reload settings");
    }
    // As `serve` does: large compressed copies in unnamed files beside the database.
    state.cache.keep_large_copies_in(dir.path().to_path_buf());
    let router = shownotes::served(state.clone());
    let listener = shownotes::web::zero_copy::listener(listener);
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
        smtp,
        _dir: dir,
    }
}

impl TestApp {
    /// The app's database file, for the command line to work on while the app runs.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("shownotes.db")
    }

    /// Dates the database's last commit a minute back, as on a site whose content last changed
    /// a while ago, and has the server read the content version once more: it then trusts that
    /// version without asking again (it waits a second after a commit for that), and answers
    /// cached pages from memory.
    pub async fn let_content_settle(&self) {
        let log = self._dir.path().join("shownotes.db-wal");
        let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&log)
            .and_then(|file| file.set_modified(a_minute_ago))
            .expect("date the write-ahead log back");
        assert_eq!(self.get("/").await.status(), 200);
    }

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

    /// GET a page as a visitor who is not signed in sees it (the app's own client may hold a
    /// host's session), assert 200, parse it.
    pub async fn anonymous_page(&self, path: &str) -> Html {
        let response = spawn_client(self)
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request");
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

    /// POSTs a form.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// GETs a page with a form and returns its hidden `csrf` value (the cookie stays in the jar).
    pub async fn csrf_token(&self, path: &str) -> String {
        let page = self.page(path).await;
        attrs(&page, "input[name=csrf]", "value")
            .pop()
            .expect("a csrf field")
    }

    /// Fills in and sends the friends-of-the-show form.
    pub async fn subscribe(&self, name: &str, email: &str) -> Response {
        let csrf = self.csrf_token("/friends-of-the-show").await;
        self.post_form(
            "/friends-of-the-show",
            &[("name", name), ("email", email), ("csrf", &csrf)],
        )
        .await
    }

    /// Adds confirmed subscribers the way a CSV import does.
    pub async fn confirmed_subscribers(&self, emails: &[&str]) {
        let csv = format!("email,name\n{}\n", emails.join("\n"));
        shownotes::subscribers::manage::import_csv(&self.state.db, csv.as_bytes(), "test")
            .await
            .expect("import subscribers");
    }

    /// The seed episode with its digest queued for these new confirmed subscribers.
    pub async fn seed_digest_queued_for(&self, emails: &[&str]) {
        self.import_seed().await;
        self.confirmed_subscribers(emails).await;
        shownotes::digest::manage::send_to_all(&self.state.db, &self.state.settings(), 434)
            .await
            .expect("digest queued");
    }

    /// Runs the delivery worker until nothing is left to send (retries waited for).
    pub async fn dispatch_all_pending_emails(&self) {
        self.dispatch_with(fast_delivery()).await;
    }

    /// Runs the delivery worker with `config` until nothing is left to send.
    pub async fn dispatch_with(&self, config: DeliveryConfig) {
        let (_stop, stop) = tokio::sync::watch::channel(false);
        Worker::new(self.state.clone(), config)
            .run(Until::Idle, stop)
            .await
            .expect("worker");
    }

    /// Starts the delivery worker the way `serve` does (it runs until the returned sender is
    /// dropped or the test ends), with test pacing.
    pub fn start_serve_worker(&self) -> tokio::sync::watch::Sender<bool> {
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        shownotes::digest::worker::spawn_serving(self.state.clone(), fast_delivery(), stop);
        stop_tx
    }

    /// GETs `path` until `done` holds for the page, or fails after a generous ten seconds.
    pub async fn page_once(&self, path: &str, done: impl Fn(&Html) -> bool) -> Html {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let page = self.page(path).await;
            if done(&page) {
                return page;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{path} never got there"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
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
        "published_at": published_on_day(number), "segments": []
    }))
}

/// A publication time that grows with the episode number, one day apart: ordering by date and by
/// number agree unless a test says otherwise.
pub fn published_on_day(number: i64) -> String {
    let day = time::macros::date!(2020 - 01 - 01) + time::Duration::days(number);
    format!("{day}T08:00:00Z")
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

    /// Publishes it at `at` (RFC 3339) instead of its number's day.
    pub fn published_at(mut self, at: &str) -> Self {
        self.0["published_at"] = at.into();
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

/// Every file under `dir`, as paths relative to it, sorted.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap().map(Result::unwrap) {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
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
        self.import_notes_with(path, shownotes::episodes::model::Status::Published)
            .await
    }

    /// Imports the fixture archive (`tests/fixtures/notes-archive`, 181 real episodes' notes) as
    /// `import notes --status published` does; returns how many files went in.
    pub async fn import_archive(&self) -> i64 {
        let mut files: Vec<_> = std::fs::read_dir(fixture("notes-archive"))
            .expect("archive")
            .map(|entry| entry.expect("entry").path())
            .collect();
        files.sort();
        let options = shownotes::episodes::notes_import::ImportOptions {
            status: shownotes::episodes::model::Status::Published,
            dry_run: false,
            number: None,
            replace: false,
        };
        let mut imported = 0;
        shownotes::episodes::notes_import::import_notes_files(
            &self.state.db,
            &files,
            options,
            |_, outcome| imported += i64::from(outcome.is_ok()),
        )
        .await
        .expect("import");
        self.state.content_changed();
        imported
    }

    /// The id of episode `number`.
    pub async fn episode_id(&self, number: i64) -> i64 {
        sqlx::query_scalar("select id from episodes where number = ?")
            .bind(number)
            .fetch_one(&self.state.db)
            .await
            .expect("the episode")
    }

    /// Imports a notes file as `import notes --status` does; returns the episode's id.
    pub async fn import_notes_as(
        &self,
        path: &std::path::Path,
        status: shownotes::episodes::model::Status,
    ) -> i64 {
        let imported = self.import_notes_with(path, status).await;
        self.episode_id(imported.number).await
    }

    async fn import_notes_with(
        &self,
        path: &std::path::Path,
        status: shownotes::episodes::model::Status,
    ) -> shownotes::episodes::notes_import::Imported {
        let options = shownotes::episodes::notes_import::ImportOptions {
            status,
            dry_run: false,
            number: None,
            replace: false,
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

    /// Exports the talk catalog as `export talks` does, into a new temporary folder.
    pub async fn export_talks(&self) -> tempfile::TempDir {
        let out = tempfile::tempdir().expect("temp dir");
        shownotes::talks::transfer::export_dir(&self.state.db, out.path())
            .await
            .expect("talks export");
        out
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

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Creates an account directly.
    pub async fn add_user(&self, email: &str, role: &str) {
        shownotes::accounts::setup::add_user(&self.state.db, email, role, PASSWORD)
            .await
            .expect("add user");
    }

    /// Signs in through the login form; returns the response.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        let csrf = self.csrf_token("/admin/login").await;
        self.post_form(
            "/admin/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", "/admin"),
            ],
        )
        .await
    }

    /// Creates and signs in a host.
    pub async fn login_as_host(&self) {
        self.add_user("host@example.com", "host").await;
        assert_eq!(self.login("host@example.com", PASSWORD).await.status(), 303);
    }

    /// Creates and signs in an admin.
    pub async fn login_as_admin(&self) {
        self.add_user("admin@example.com", "admin").await;
        assert_eq!(
            self.login("admin@example.com", PASSWORD).await.status(),
            303
        );
    }

    /// The signed-in session's CSRF token, from any admin page.
    pub async fn session_csrf(&self) -> String {
        let page = self.page("/admin/episodes").await;
        attrs(&page, "body", "data-csrf-token")
            .into_iter()
            .next()
            .expect("signed in")
    }

    /// POSTs an admin form with the session's CSRF token added.
    pub async fn admin_post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.session_csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }
}

/// Asserts a 303 to `location`.
pub fn assert_is_redirect_to(response: &Response, location: &str) {
    assert_eq!(response.status(), 303, "expected a redirect to {location}");
    assert_eq!(response.headers()["location"], location);
}

/// A second browser-like client (its own cookies) for the same app.
pub fn spawn_client(_app: &TestApp) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// The hidden `csrf` field of the form at `path`, as `client` sees it.
pub async fn form_csrf_with(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let body = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    attrs(&Html::parse_document(&body), "input[name=csrf]", "value")
        .into_iter()
        .next()
        .expect("a csrf field")
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

/// Delivery settings for tests: no rate limit, quick retries and polls.
pub fn fast_delivery() -> DeliveryConfig {
    DeliveryConfig {
        concurrency: 4,
        rate: None,
        max_attempts: 3,
        retry_base: Duration::from_millis(5),
        lease: Duration::from_secs(60),
        idle_poll: Duration::from_millis(10),
    }
}

/// A port nobody listens on now, for a server the test starts as another process.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Reads `output` (a child's stdout or stderr) until a line containing `needle`, which the
/// child prints once it serves: reading its output is the wait. The rest is drained in the
/// background so the child never blocks on a full pipe. False when the output ends first.
pub fn wait_for_line(output: impl std::io::Read + Send + 'static, needle: &str) -> bool {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(output).lines();
    let seen = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains(needle));
    std::thread::spawn(move || lines.for_each(drop));
    seen
}
