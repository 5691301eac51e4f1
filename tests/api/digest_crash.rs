//! The real binary, killed mid-send and started again: every subscriber gets the digest once.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use crate::helpers::seed_doc;
use crate::smtp_sink::SmtpSink;

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");
const SUBSCRIBERS: usize = 2000;
/// One connection, so the kill lands at a known point: the server has just taken a mail whose
/// 250 the sender has not recorded yet. That is where a sender that records only the server's
/// answer sends a second copy after the restart. (With more connections, another mail may be
/// inside the microseconds between its handover record and its end-of-data mark; see
/// `digest::worker`.)
const CONCURRENCY: usize = 1;

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
    let recipients: HashSet<String> = smtp
        .received()
        .into_iter()
        .map(|mail| {
            assert_eq!(mail.to.len(), 1);
            mail.to[0].clone()
        })
        .collect();
    assert_eq!(recipients.len(), SUBSCRIBERS, "nobody is missing");
    assert_eq!(
        smtp.count(),
        SUBSCRIBERS,
        "the server received exactly one mail per subscriber"
    );
}
