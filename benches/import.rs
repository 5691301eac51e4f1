//! Imports a synthetic archive into a fresh database and prints the time:
//! 1,000 seed-shaped episodes (notes files) and 20,000 pyvideo-shaped talks.
//! Run: `cargo bench --bench import`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shownotes::db;
use shownotes::episodes::model::Status;
use shownotes::episodes::notes_import::{ImportOptions, import_notes_files};
use shownotes::talks::transfer;

const EPISODES: usize = 1_000;
const EVENTS: usize = 20;
const TALKS_PER_EVENT: usize = 1_000;
const SEED: &str = include_str!("../tests/fixtures/notes/python-bytes-434-seed.md");

/// Fresh databases the archive is imported into; the median run is the result.
const RUNS: usize = 3;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = write_notes_archive(&dir.path().join("notes"));
    let catalog = dir.path().join("catalog");
    write_catalog(&catalog);

    let mut episodes = Vec::new();
    let mut talks = Vec::new();
    for run in 0..RUNS {
        let pool = db::open(&dir.path().join(format!("bench-{run}.db")))
            .await
            .expect("db");
        let (episode_time, talk_time) = import_archive(&pool, &notes, &catalog).await;
        println!(
            "run {}: {EPISODES} episodes {:.2} s, {} talks {:.2} s",
            run + 1,
            episode_time.as_secs_f64(),
            EVENTS * TALKS_PER_EVENT,
            talk_time.as_secs_f64()
        );
        episodes.push(episode_time);
        talks.push(talk_time);
        pool.close().await;
    }
    episodes.sort();
    talks.sort();
    println!(
        "import {EPISODES} seed-shaped episodes: {:.2} s (median of {RUNS})",
        episodes[RUNS / 2].as_secs_f64()
    );
    println!(
        "import {} pyvideo talks in {EVENTS} events: {:.2} s (median of {RUNS})",
        EVENTS * TALKS_PER_EVENT,
        talks[RUNS / 2].as_secs_f64()
    );
}

/// Imports the notes, then the catalog; returns how long each took.
async fn import_archive(
    pool: &sqlx::SqlitePool,
    notes: &[PathBuf],
    catalog: &Path,
) -> (Duration, Duration) {
    let options = ImportOptions {
        status: Status::Published,
        dry_run: false,
        number: None,
        replace: false,
    };
    let started = Instant::now();
    import_notes_files(pool, notes, options, |path, outcome| {
        if let Err(error) = outcome {
            panic!("{}: {error}", path.display());
        }
    })
    .await
    .expect("import notes");
    let episodes = started.elapsed();
    let started = Instant::now();
    let report = transfer::import_dir(pool, catalog)
        .await
        .expect("import talks");
    assert_eq!(report.talks, EVENTS * TALKS_PER_EVENT);
    (episodes, started.elapsed())
}

/// One notes file per episode: the seed with its number and links varied.
fn write_notes_archive(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("notes dir");
    (1..=EPISODES)
        .map(|n| {
            let text = SEED
                .replace("# Python Bytes 434", &format!("# Python Bytes {n}"))
                .replace(
                    "https://blog.trailofbits.com/",
                    &format!("https://blog{n}.example.com/"),
                )
                .replace("watch?v=", &format!("watch?v=e{n}x"));
            let path = dir.join(format!("{n}.md"));
            std::fs::write(&path, text).expect("write notes");
            path
        })
        .collect()
}

/// `EVENTS` event folders of `TALKS_PER_EVENT` records each, shaped like pyvideo's.
fn write_catalog(dir: &Path) {
    for event in 0..EVENTS {
        let videos = dir.join(format!("conf-{event}")).join("videos");
        std::fs::create_dir_all(&videos).expect("event dir");
        std::fs::write(
            dir.join(format!("conf-{event}/category.json")),
            format!("{{\"title\": \"Conf {}\"}}", 2000 + event),
        )
        .expect("category");
        for talk in 0..TALKS_PER_EVENT {
            let record = serde_json::json!({
                "title": format!("Talk {talk} of conference {event}"),
                "description": "A talk about Python, testing, packaging and the things in between. ".repeat(4),
                "speakers": [format!("Speaker {}", talk % 500), format!("Speaker {}", (talk * 7) % 911)],
                "recorded": "2019-07-11", "duration": 1800 + talk, "language": "eng",
                "thumbnail_url": format!("https://i.ytimg.com/vi/v{event}x{talk}/maxresdefault.jpg"),
                "videos": [{"type": "youtube", "url": format!("https://www.youtube.com/watch?v=v{event}x{talk}")}],
                "related_urls": [{"label": "Conference schedule", "url": format!("https://conf{event}.example.org/schedule")}],
                "tags": ["python"],
            });
            std::fs::write(videos.join(format!("talk-{talk}.json")), record.to_string())
                .expect("record");
        }
    }
}
