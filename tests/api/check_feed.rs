//! `shownotes check feed`: what a podcast directory would reject, named per episode.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");

fn shownotes(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run shownotes")
}

fn import(db: &Path, dir: &Path, doc: serde_json::Value) {
    let file = dir.join(format!("{}.json", doc["number"]));
    std::fs::write(&file, doc.to_string()).unwrap();
    let output = shownotes(db, &["import", "episode", file.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn published(number: i64, title: &str, audio: serde_json::Value) -> serde_json::Value {
    json!({"number": number, "title": title, "status": "published", "published_at": "2025-05-27T08:00:00Z", "audio": audio})
}

async fn sql(db: &Path, statement: &str) {
    let pool = shownotes::db::open(db).await.unwrap();
    sqlx::raw_sql(statement).execute(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test]
async fn check_feed_names_each_episode_a_directory_would_reject() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("show.db");
    let good = json!({"url": "https://cdn.example/1.mp3", "bytes": 1000, "type": "audio/mpeg"});
    import(&db, dir.path(), published(1, "Fine", good));
    import(
        &db,
        dir.path(),
        published(
            2,
            "Plain HTTP",
            json!({"url": "http://cdn.example/2.mp3", "bytes": 1000}),
        ),
    );
    import(
        &db,
        dir.path(),
        published(3, "No size", json!({"url": "https://cdn.example/3.mp3"})),
    );
    import(
        &db,
        dir.path(),
        published(
            4,
            &"Long ".repeat(60),
            json!({"url": "https://cdn.example/4.mp3", "bytes": 9}),
        ),
    );
    import(&db, dir.path(), published(5, "Silent", json!(null)));
    import(
        &db,
        dir.path(),
        published(
            6,
            "Reissued",
            json!({"url": "https://cdn.example/6.mp3", "bytes": 9}),
        ),
    );
    sql(
        &db,
        "update episodes set guid = 'brand-new-guid' where number = 6",
    )
    .await;

    let output = shownotes(&db, &["check", "feed"]);
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert!(!output.status.success(), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let about = |prefix: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with(prefix))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(
        about("show:").iter().any(|l| l.contains("no artwork")),
        "{stdout}"
    );
    assert!(about("episode 1 ").is_empty(), "{stdout}");
    assert!(
        about("episode 2 “Plain HTTP”:")[0].contains("not HTTPS"),
        "{stdout}"
    );
    assert!(
        about("episode 3 “No size”:")[0].contains("no length"),
        "{stdout}"
    );
    assert!(
        about("episode 4 ")[0].contains("over Apple's limit of 255"),
        "{stdout}"
    );
    assert!(
        about("episode 5 “Silent”:")[0].contains("no enclosure"),
        "{stdout}"
    );
    let reissued = about("episode 6 “Reissued”:");
    assert!(
        reissued[0].contains("guid changed") && reissued[0].contains("brand-new-guid"),
        "{stdout}"
    );
}

#[tokio::test]
async fn check_feed_passes_a_complete_show() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("show.db");
    import(
        &db,
        dir.path(),
        published(
            1,
            "Fine",
            json!({"url": "https://cdn.example/1.mp3", "bytes": 1000}),
        ),
    );
    sql(
        &db,
        "update settings set description = 'A show.', owner_email = 'owner@example.com',
              artwork_url = 'https://cdn.example/art.png'",
    )
    .await;

    let output = shownotes(&db, &["check", "feed"]);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
