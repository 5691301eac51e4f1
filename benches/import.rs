//! Imports a synthetic archive into a fresh database and prints the time:
//! 1,000 seed-shaped episodes (notes files) and 20,000 pyvideo-shaped talks.
//! Run: `cargo bench --bench import`.

use std::path::Path;
use std::time::Instant;

use shownotes::db;
use shownotes::episodes::model::Status;
use shownotes::episodes::notes_import::{ImportOptions, import_notes_file};
use shownotes::talks::transfer;

const EPISODES: usize = 1_000;
const EVENTS: usize = 20;
const TALKS_PER_EVENT: usize = 1_000;
const SEED: &str = include_str!("../tests/fixtures/notes/python-bytes-434-seed.md");

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = write_notes_archive(&dir.path().join("notes"));
    let catalog = dir.path().join("catalog");
    write_catalog(&catalog);
    let pool = db::open(&dir.path().join("bench.db")).await.expect("db");

    let options = ImportOptions {
        status: Status::Published,
        dry_run: false,
        number: None,
    };
    let started = Instant::now();
    for file in &notes {
        import_notes_file(&pool, file, options)
            .await
            .expect("import notes");
    }
    let episodes = started.elapsed();
    let started = Instant::now();
    let report = transfer::import_dir(&pool, &catalog)
        .await
        .expect("import talks");
    let talks = started.elapsed();

    assert_eq!(report.talks, EVENTS * TALKS_PER_EVENT);
    println!(
        "import {EPISODES} seed-shaped episodes: {:.2} s",
        episodes.as_secs_f64()
    );
    println!(
        "import {} pyvideo talks in {EVENTS} events: {:.2} s",
        report.talks,
        talks.as_secs_f64()
    );
}

/// One notes file per episode: the seed with its number and links varied.
fn write_notes_archive(dir: &Path) -> Vec<std::path::PathBuf> {
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
