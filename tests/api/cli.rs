//! The binary as a user runs it.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");
pub(crate) const SEED_JSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/episodes/python-bytes-434.json"
);

pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "info")
        .output()
        .expect("run shownotes")
}

/// A `serve` process on port 0: its base URL, and its stdout (the log) and stderr line by line.
struct Server {
    child: Child,
    url: String,
    log: Receiver<String>,
    stderr: Receiver<String>,
}

impl Server {
    /// The body of `GET path` on this server, as text.
    async fn text_of(&self, path: &str) -> String {
        reqwest::get(format!("{}{path}", self.url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}

/// Reads `from` line by line on a thread of its own, so the server never writes into a full
/// or closed pipe; the lines go to the receiver, if anyone still listens.
fn lines_of(from: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    receive
}

/// Runs `shownotes ARGS` and fails the test, with what it said, unless it succeeded.
pub(crate) fn run_ok(args: &[&str]) -> Output {
    let output = run(args);
    assert!(
        output.status.success(),
        "shownotes {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Starts `serve` on port 0 and waits for its "listening on" log line.
fn spawn_server(db: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let log = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let url = log
        .iter()
        .find_map(|line| {
            line.split("listening on ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_string)
        })
        .expect("serve exited without listening");
    Server {
        child,
        url,
        log,
        stderr,
    }
}

/// Starts `serve` on port 0 and returns the process and its base URL.
pub(crate) fn start_server(db: &Path) -> (Child, String) {
    let server = spawn_server(db);
    (server.child, server.url)
}

#[test]
fn help_lists_every_subcommand_with_its_purpose() {
    let output = run(&["--help"]);
    let help = String::from_utf8(output.stdout).unwrap();

    assert!(output.status.success());
    assert!(
        help.contains("serve") && help.contains("Run the website"),
        "{help}"
    );
    assert!(
        help.contains("import") && help.contains("Bring content in"),
        "{help}"
    );
}

#[test]
fn a_malformed_episode_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\n  \"number\": 1,\n  \"title\": 5\n}\n").unwrap();
    let db = dir.path().join("x.db");

    let output = run(&[
        "import",
        "episode",
        file.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert!(!output.status.success());
    assert!(stderr.contains("bad.json:3:"), "{stderr}");
    assert!(stderr.contains("invalid type"), "{stderr}");
}

#[test]
fn a_corrupt_or_unreachable_database_gives_one_line_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.db");
    std::fs::write(&corrupt, vec![b'x'; 8192]).unwrap();
    let missing_dir = dir.path().join("no/such/dir/x.db");

    for db in [corrupt, missing_dir] {
        let output = run(&["import", "episode", SEED_JSON, "--db", db.to_str().unwrap()]);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!output.status.success());
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("cannot open database") || stderr.contains("cannot migrate"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[tokio::test]
async fn imported_episode_is_served_and_two_servers_share_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    assert!(
        run(&["import", "episode", SEED_JSON, "--db", db.to_str().unwrap()])
            .status
            .success()
    );

    let (mut first, first_url) = start_server(&db);
    let (mut second, second_url) = start_server(&db);
    let from_first: serde_json::Value = reqwest::get(format!("{first_url}/api/v1/episodes/434"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let health = reqwest::get(format!("{second_url}/healthz"))
        .await
        .unwrap()
        .status();
    first.kill().unwrap();
    second.kill().unwrap();

    assert_eq!(from_first["segments"].as_array().unwrap().len(), 8);
    assert_eq!(health, 200);
}

const SEED_NOTES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/notes/python-bytes-434-seed.md"
);
const PB_485_NOTES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/notes/PB-485.md"
);

fn episode_count(db: &Path) -> i64 {
    let output = run(&[
        "export",
        "notes",
        "--db",
        db.to_str().unwrap(),
        "--out",
        db.with_extension("out").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn bad_notes_files_are_named_with_their_line_and_the_good_ones_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let not_utf8 = dir.path().join("10.md");
    std::fs::write(
        &not_utf8,
        b"**Brian #1:** [A](https://a.example)\n\n- caf\xe9\n",
    )
    .unwrap();
    let no_segments = dir.path().join("11.md");
    std::fs::write(&no_segments, "# Episode 11\n\nJust some words.\n").unwrap();
    let twice = dir.path().join("12.md");
    std::fs::write(&twice, "**Brian #1:** [A](https://a.example)\n\n- a\n\n**Michael #1:** [B](https://b.example)\n\n- b\n").unwrap();
    let db = dir.path().join("x.db");

    let output = Command::new(BIN)
        .args(["import", "notes", "--db", db.to_str().unwrap()])
        .args([&not_utf8, &no_segments, Path::new(SEED_NOTES), &twice])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert!(!output.status.success(), "the exit code says some failed");
    assert!(stderr.contains("10.md:3: not UTF-8"), "{stderr}");
    assert!(
        stdout.contains("warning: ") && stdout.contains("11.md:3: no segments found"),
        "a file without segments imports its text as the intro, with a warning: {stdout}"
    );
    assert!(
        stderr.contains("12.md:5: segment #1 appears twice (first on line 1)"),
        "{stderr}"
    );
    assert!(stderr.contains("2 of 4 files not imported"), "{stderr}");
    assert!(stdout.contains("created episode 434"), "{stdout}");
    assert!(
        stdout.contains("refused:   2") && stdout.contains("warnings:  1"),
        "{stdout}"
    );
    assert_eq!(
        episode_count(&db),
        2,
        "the seed and the intro-only file were written"
    );
}

#[test]
fn a_file_refused_while_being_written_leaves_the_files_around_it_imported() {
    // Files are written in batches; this one parses but is refused on saving, which must
    // undo that file alone, not the batch it shares with the others.
    let dir = tempfile::tempdir().unwrap();
    let negative = dir.path().join("negative.md");
    std::fs::write(
        &negative,
        "# Episode -5: Negative\n\n**Brian #1:** [A](https://a.example)\n\n- a\n",
    )
    .unwrap();
    let db = dir.path().join("x.db");

    let output = Command::new(BIN)
        .args(["import", "notes", "--db", db.to_str().unwrap()])
        .args([Path::new(PB_485_NOTES), &negative, Path::new(SEED_NOTES)])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert!(!output.status.success(), "the exit code says one failed");
    assert!(
        stderr.contains("negative.md: number: must be 0 or more"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 3 files not imported"), "{stderr}");
    assert!(stdout.contains("created episode 485"), "{stdout}");
    assert!(stdout.contains("created episode 434"), "{stdout}");
    assert_eq!(episode_count(&db), 2, "both good files were written");
}

#[test]
fn dry_run_says_what_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");

    let output = run(&[
        "import",
        "notes",
        "--dry-run",
        SEED_NOTES,
        "--db",
        db.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert!(output.status.success());
    assert!(
        stdout.contains("would create episode 434 \"Python Bytes 434\": 8 segments (4 topics)"),
        "{stdout}"
    );
    assert!(stdout.contains("11 talks"), "{stdout}");
    assert_eq!(episode_count(&db), 0);
}

#[test]

fn subscribers_import_and_export_through_the_cli_formulas_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    let file = dir.path().join("friends.csv");
    std::fs::write(
        &file,
        "email,name\nada@example.com,Ada\nnot-an-address,Nope\nBOB@example.org,Bob\nada@example.com,Again\neve@example.com,=1+1\n",
    )
    .unwrap();
    let db_arg = db.to_str().unwrap();

    let import = run(&[
        "subscribers",
        "import",
        file.to_str().unwrap(),
        "--db",
        db_arg,
    ]);
    let export = run(&["subscribers", "export", "--db", db_arg]);

    let stdout = String::from_utf8(import.stdout).unwrap();
    let stderr = String::from_utf8(import.stderr).unwrap();
    assert!(import.status.success(), "{stderr}");
    assert!(stdout.contains("imported 3 new subscribers"), "{stdout}");
    assert!(stderr.contains("friends.csv:3: skipped"), "{stderr}");
    assert!(stderr.contains("friends.csv:5: skipped"), "{stderr}");
    let csv = String::from_utf8(export.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "email,name,status,source,created_at,confirmed_at,unsubscribed_at"
    );
    assert!(
        lines[1].starts_with("ada@example.com,Ada,confirmed,import:friends.csv,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("bob@example.org,Bob,confirmed,"),
        "{csv}"
    );
    assert!(
        lines[3].starts_with("eve@example.com,'=1+1,"),
        "a formula stays text: {csv}"
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn digest_send_without_smtp_writes_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("out.db");
    let db_arg = db.to_str().unwrap();
    let list = dir.path().join("l.csv");
    std::fs::write(&list, "email\na@example.com\nb@example.com\n").unwrap();
    let outbox = dir.path().join("outbox");
    assert!(
        run(&["import", "episode", SEED_JSON, "--db", db_arg])
            .status
            .success()
    );
    assert!(
        run(&[
            "subscribers",
            "import",
            list.to_str().unwrap(),
            "--db",
            db_arg
        ])
        .status
        .success()
    );

    let send = Command::new(BIN)
        .args(["digest", "send", "434", "--db", db_arg, "--outbox"])
        .arg(&outbox)
        .env_remove("SHOWNOTES_SMTP_URL")
        .output()
        .unwrap();

    let stdout = String::from_utf8(send.stdout).unwrap();
    assert!(
        send.status.success(),
        "{}",
        String::from_utf8_lossy(&send.stderr)
    );
    assert!(stdout.contains("digest sent: sent 2, failed 0"), "{stdout}");
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files
            .iter()
            .all(|f| f.extension().is_some_and(|e| e == "eml"))
    );
    let mail = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{mail}"
    );
}

#[tokio::test]
async fn the_request_log_shows_no_token_and_the_setup_link_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = spawn_server(&dir.path().join("log.db"));
    let setup_link = server
        .stderr
        .recv_timeout(Duration::from_secs(30))
        .expect("the first-run link on stderr");
    let setup_path = setup_link
        .split(server.url.as_str())
        .nth(1)
        .expect("a link to this server")
        .to_string();
    let setup_token = setup_path.rsplit('/').next().unwrap().to_string();
    let secret = "Zx9secretTokenValue";
    let client = reqwest::Client::new();

    for path in [
        setup_path.clone(),
        format!("/friends-of-the-show/confirm/{secret}"),
        format!("/friends-of-the-show/unsubscribe/{secret}"),
        format!("/search?q=private+words&page=2&token={secret}"),
        "/healthz".to_string(),
    ] {
        client
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
    }
    let mut log = Vec::new();
    while !log.iter().any(|l: &String| l.contains("/healthz")) {
        log.push(
            server
                .log
                .recv_timeout(Duration::from_secs(30))
                .expect("a log line for each request"),
        );
    }
    server.child.kill().unwrap();

    let log = log.join("\n");
    assert!(setup_token.len() >= 32, "{setup_link}");
    assert!(!log.contains(&setup_token), "{log}");
    assert!(!log.contains(secret) && !log.contains("private"), "{log}");
    for redacted in [
        "/admin/setup/[redacted]",
        "/friends-of-the-show/confirm/[redacted]",
        "/friends-of-the-show/unsubscribe/[redacted]",
        "/search?q=[redacted]&page=2&token=[redacted]",
    ] {
        assert!(log.contains(redacted), "{redacted} missing from {log}");
    }
}

#[tokio::test]
async fn without_a_base_url_links_use_the_listening_address_and_the_log_says_to_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    assert!(
        run(&["import", "episode", SEED_JSON, "--db", db.to_str().unwrap()])
            .status
            .success()
    );

    let mut server = spawn_server(&db);
    let feed = server.text_of("/episodes/rss").await;
    let page = server.text_of("/episodes/434").await;
    // The warning follows the "listening on" line; a bounded wait, not a sleep.
    let warning = (0..50)
        .filter_map(|_| server.log.recv_timeout(Duration::from_millis(100)).ok())
        .find(|line| line.contains("no public base URL is set"));
    server.child.kill().unwrap();

    assert!(
        feed.contains(&format!("{}/episodes/434", server.url)),
        "{feed}"
    );
    assert!(!feed.contains("127.0.0.1:8000"), "no dead default address");
    assert!(
        !page.contains("127.0.0.1:8000"),
        "canonical links use the listening address"
    );
    assert!(
        warning.is_some(),
        "serve warns once that a base URL should be set"
    );
}

/// The next "kept ready" line of `server`'s log, waiting at most 30 s for each line.
fn next_kept_ready(server: &Server) -> String {
    loop {
        let line = server
            .log
            .recv_timeout(Duration::from_secs(30))
            .expect("serve kept no feed ready");
        if line.contains("kept ready") {
            return line;
        }
    }
}

/// The server builds the show's feed before it answers its first request, and again soon
/// after another process (a CLI import) changes the content: no podcast app waits for it.
#[tokio::test]
async fn serve_keeps_the_show_feed_ready_at_start_and_after_an_import_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warm.db");
    let db_arg = db.to_str().unwrap();
    run_ok(&[
        "import",
        "notes",
        SEED_NOTES,
        "--status",
        "published",
        "--db",
        db_arg,
    ]);
    let mut server = spawn_server(&db);

    let at_start = next_kept_ready(&server);
    let fresh = dir.path().join("435.md");
    std::fs::write(
        &fresh,
        "# Python Bytes 435\n\n**Brian #1:** [**A topic fresh off the press**](https://example.com/fresh)\n\n- a note\n",
    )
    .unwrap();
    run_ok(&[
        "import",
        "notes",
        fresh.to_str().unwrap(),
        "--status",
        "published",
        "--db",
        db_arg,
    ]);
    let after_import = next_kept_ready(&server);
    let feed = server.text_of("/episodes/rss").await;
    server.child.kill().unwrap();

    for line in [&at_start, &after_import] {
        assert!(
            line.contains("/episodes/rss") && line.contains("200"),
            "{line}"
        );
    }
    assert!(
        feed.contains("A topic fresh off the press"),
        "the feed holds the import"
    );
}
