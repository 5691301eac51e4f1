//! The real binary, killed mid-send and started again: every subscriber gets the digest once.

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};

use crate::helpers::seed_doc;
use crate::smtp_sink::SmtpSink;

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");
const SUBSCRIBERS: usize = 2000;
/// The sending concurrency: at most this many mails can be between the server's 250 and our update.
const CONCURRENCY: usize = 4;

fn send_command(db: &std::path::Path, smtp: &SmtpSink) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(["digest", "send", "434", "--db"])
        .arg(db)
        .env("SHOWNOTES_SMTP_URL", smtp.url())
        .env("SHOWNOTES_DIGEST_RATE", "0")
        .env("SHOWNOTES_DIGEST_CONCURRENCY", CONCURRENCY.to_string())
        // A row left in `sending` by the killed process is retried after this lease.
        .env("SHOWNOTES_DIGEST_LEASE_SECS", "1")
        .env("RUST_LOG", "warn");
    command
}

async fn database_with_subscribers(db: &std::path::Path) {
    let pool = shownotes::db::open(db).await.unwrap();
    shownotes::episodes::save_episode(&pool, seed_doc())
        .await
        .unwrap();
    let mut csv = String::from("email\n");
    for n in 0..SUBSCRIBERS {
        csv.push_str(&format!("friend{n}@example.com\n"));
    }
    let report = shownotes::subscribers::manage::import_csv(&pool, csv.as_bytes(), "test")
        .await
        .unwrap();
    assert_eq!(report.imported, SUBSCRIBERS);
    pool.close().await;
}

#[tokio::test]
async fn a_send_killed_mid_way_resumes_and_reaches_everyone_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    database_with_subscribers(&db).await;
    let smtp = SmtpSink::start_with(false).await;

    let mut first = send_command(&db, &smtp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    smtp.wait_for(200).await;
    first.kill().unwrap(); // SIGKILL: no chance to tidy up
    first.wait().unwrap();
    let before_restart = smtp.count();
    let mut again = send_command(&db, &smtp);
    // Blocking wait off the runtime thread: the SMTP sink runs on it.
    let second = tokio::task::spawn_blocking(move || again.output())
        .await
        .unwrap()
        .unwrap();

    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(
        before_restart < SUBSCRIBERS,
        "the kill came after everything was sent"
    );
    assert!(
        stdout.contains(&format!("sent {SUBSCRIBERS}, failed 0")),
        "{stdout}"
    );
    let mut ids_by_recipient: HashMap<String, HashSet<String>> = HashMap::new();
    for mail in smtp.received() {
        assert_eq!(mail.to.len(), 1);
        ids_by_recipient
            .entry(mail.to[0].clone())
            .or_default()
            .insert(mail.message_id);
    }
    assert_eq!(ids_by_recipient.len(), SUBSCRIBERS, "nobody is missing");
    assert!(
        ids_by_recipient.values().all(|ids| ids.len() == 1),
        "one message per subscriber"
    );
    // A copy can only repeat when the kill fell between the server's 250 and the database
    // update, and then it carries the same Message-ID (so receivers show it once).
    let copies = smtp.count() - SUBSCRIBERS;
    assert!(copies <= CONCURRENCY, "{copies} repeated transmissions");
}
