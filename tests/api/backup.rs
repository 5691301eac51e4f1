//! `shownotes backup` and `shownotes restore`, run as a user runs them, beside a live `serve`.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use sqlx::{Connection, SqliteConnection};

use crate::cli::{SEED_JSON, run, start_server};
use crate::helpers::episode;

/// Saves episodes 1, 2, 3… into `db` until `stop`; `committed` is the last one committed.
fn write_episodes(
    db: &Path,
    committed: Arc<AtomicI64>,
    stop: Arc<AtomicBool>,
    progress: tokio::sync::watch::Sender<i64>,
) -> tokio::task::JoinHandle<()> {
    let db = db.to_path_buf();
    tokio::spawn(async move {
        let pool = shownotes::db::open(&db).await.expect("open db");
        let mut number = 1;
        while !stop.load(Ordering::SeqCst) {
            let doc = episode(number, &format!("Written live {number}"))
                .topic(
                    "Brian",
                    1,
                    "A topic",
                    "https://example.com/topic",
                    "- a note\n",
                )
                .build();
            shownotes::episodes::save_episode(&pool, doc)
                .await
                .expect("save");
            committed.store(number, Ordering::SeqCst);
            let _ = progress.send(number);
            number += 1;
        }
    })
}

/// Opens a database file read-only and answers (integrity_check, episode numbers).
async fn inspect(file: &Path) -> (String, Vec<i64>) {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = SqliteConnection::connect(&url).await.expect("open copy");
    let integrity: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity check");
    let numbers = sqlx::query_scalar("select number from episodes order by number")
        .fetch_all(&mut conn)
        .await
        .expect("episodes");
    (integrity, numbers)
}

fn ok(output: &std::process::Output) -> bool {
    output.status.success()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_site_runs_and_writes_is_whole_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let copy = dir.path().join("copy.db");
    let (mut server, url) = start_server(&db);
    let committed = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (progress, mut progressed) = tokio::sync::watch::channel(0);
    let mut writer = write_episodes(&db, committed.clone(), stop.clone(), progress);
    // Woken by each commit; a writer that fails drops its sender and its panic is shown.
    if progressed.wait_for(|&n| n >= 20).await.is_err() {
        (&mut writer).await.expect("the writer failed");
    }

    let before = committed.load(Ordering::SeqCst);
    let (db_arg, copy_arg) = (db.display().to_string(), copy.display().to_string());
    let backup = tokio::task::spawn_blocking(move || run(&["backup", &copy_arg, "--db", &db_arg]))
        .await
        .unwrap();
    let again = run(&[
        "backup",
        copy.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let health = reqwest::get(format!("{url}/healthz"))
        .await
        .unwrap()
        .status();
    server.kill().unwrap();

    assert!(ok(&backup), "{}", stderr(&backup));
    let (integrity, numbers) = inspect(&copy).await;
    assert_eq!(integrity, "ok");
    assert!(
        (1..=before).all(|n| numbers.contains(&n)),
        "every episode committed before the backup started is in it: had {before}, copy holds {numbers:?}"
    );
    assert!(!ok(&again), "an existing file is never overwritten");
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(health, 200);
}

#[tokio::test]
async fn restore_refuses_while_a_server_runs_and_puts_the_backup_back_after_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let copy = dir.path().join("before.db");
    let db_arg = db.to_str().unwrap();
    assert!(ok(&run(&["import", "episode", SEED_JSON, "--db", db_arg])));
    assert!(ok(&run(&[
        "backup",
        copy.to_str().unwrap(),
        "--db",
        db_arg
    ])));
    let later = dir.path().join("later.json");
    let doc = episode(435, "After the backup").build();
    std::fs::write(&later, serde_json::to_string(&doc).unwrap()).unwrap();
    assert!(ok(&run(&[
        "import",
        "episode",
        later.to_str().unwrap(),
        "--db",
        db_arg
    ])));

    let (mut server, _) = start_server(&db);
    let refused = run(&["restore", copy.to_str().unwrap(), "--db", db_arg]);
    server.kill().unwrap();
    server.wait().unwrap();
    let restored = run(&["restore", copy.to_str().unwrap(), "--db", db_arg]);
    let (mut server, url) = start_server(&db);
    let seed = reqwest::get(format!("{url}/api/v1/episodes/434"))
        .await
        .unwrap()
        .status();
    let after = reqwest::get(format!("{url}/api/v1/episodes/435"))
        .await
        .unwrap()
        .status();
    server.kill().unwrap();

    assert!(!ok(&refused));
    assert!(stderr(&refused).contains("server"), "{}", stderr(&refused));
    assert!(ok(&restored), "{}", stderr(&restored));
    assert_eq!(
        (seed, after),
        (reqwest::StatusCode::OK, reqwest::StatusCode::NOT_FOUND),
        "the site is as it was at the backup"
    );
}

#[tokio::test]
async fn restore_refuses_a_file_that_is_not_a_sound_shownotes_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let db_arg = db.to_str().unwrap();
    assert!(ok(&run(&["import", "episode", SEED_JSON, "--db", db_arg])));
    let other = dir.path().join("other.db");
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", other.display()))
        .await
        .unwrap();
    sqlx::query("create table notes (id integer)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![b'x'; 8192]).unwrap();

    let not_ours = run(&["restore", other.to_str().unwrap(), "--db", db_arg]);
    let broken = run(&["restore", garbage.to_str().unwrap(), "--db", db_arg]);
    let (_, numbers) = inspect(&db).await;

    assert!(!ok(&not_ours));
    assert!(
        stderr(&not_ours).contains("not a shownotes database"),
        "{}",
        stderr(&not_ours)
    );
    assert!(!ok(&broken));
    assert_eq!(numbers, [434], "the site's database is untouched");
}
