//! Imports a synthetic archive through the release binary, as a user runs it, into a fresh
//! file-backed database and prints the wall-clock times (process start and migrations
//! included): 1,000 seed-shaped episodes (notes files), the same files again (all unchanged),
//! and 20,000 pyvideo-shaped talks.
//! Run: `cargo bench --bench import`.
//!
//! To compare with another build (the machine is noisy, so only runs side by side compare),
//! name its binary in `SHOWNOTES_BENCH_BASELINE`: each run then times both, alternating which
//! goes first, and the result is also given as this build's time over the baseline's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");
const EPISODES: usize = 1_000;
const EVENTS: usize = 20;
const TALKS_PER_EVENT: usize = 1_000;
const SEED: &str = include_str!("../tests/fixtures/notes/python-bytes-434-seed.md");

/// Fresh databases the archive is imported into; the median run is the result.
const RUNS: usize = 3;

/// The three timings of one run: notes, the same notes again, talks.
type Times = [Duration; 3];

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = write_notes_archive(&dir.path().join("notes"));
    let catalog = dir.path().join("catalog");
    write_catalog(&catalog);

    let mut builds = vec![("this build".to_string(), PathBuf::from(BIN))];
    if let Some(baseline) = std::env::var_os("SHOWNOTES_BENCH_BASELINE") {
        builds.push(("baseline".to_string(), PathBuf::from(baseline)));
    }
    let mut runs: Vec<Vec<Times>> = vec![Vec::new(); builds.len()];
    for run in 0..RUNS {
        let mut order: Vec<usize> = (0..builds.len()).collect();
        order.rotate_left(run % builds.len());
        for which in order {
            let (name, bin) = &builds[which];
            let db = dir.path().join(format!("bench-{which}-{run}.db"));
            let times = [
                timed(bin, &db, &["import", "notes"], &notes),
                timed(bin, &db, &["import", "notes"], &notes),
                timed(
                    bin,
                    &db,
                    &["import", "talks"],
                    std::slice::from_ref(&catalog),
                ),
            ];
            println!(
                "run {} ({name}): {EPISODES} episodes {:.2} s, again (unchanged) {:.2} s, {} talks {:.2} s",
                run + 1,
                times[0].as_secs_f64(),
                times[1].as_secs_f64(),
                EVENTS * TALKS_PER_EVENT,
                times[2].as_secs_f64()
            );
            runs[which].push(times);
        }
    }
    let medians: Vec<[f64; 3]> = runs
        .iter()
        .map(|times| [0, 1, 2].map(|i| median(times, i)))
        .collect();
    for ((name, _), median) in builds.iter().zip(&medians) {
        println!("{name}:");
        println!(
            "  shownotes import notes, {EPISODES} seed-shaped episodes: {:.2} s (median of {RUNS})",
            median[0]
        );
        println!(
            "  the same files again, all unchanged: {:.2} s (median of {RUNS})",
            median[1]
        );
        println!(
            "  shownotes import talks, {} pyvideo talks in {EVENTS} events: {:.2} s (median of {RUNS})",
            EVENTS * TALKS_PER_EVENT,
            median[2]
        );
    }
    if let [this, baseline] = medians.as_slice() {
        println!(
            "this build / baseline: notes {:.2}, unchanged notes {:.2}, talks {:.2}",
            this[0] / baseline[0],
            this[1] / baseline[1],
            this[2] / baseline[2]
        );
    }
}

/// The median over runs of timing `which`, in seconds.
fn median(runs: &[Times], which: usize) -> f64 {
    let mut times: Vec<Duration> = runs.iter().map(|t| t[which]).collect();
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

/// Runs `BIN ARGS… --db DB PATHS…` and returns its wall-clock time; panics on failure.
fn timed(bin: &Path, db: &Path, args: &[&str], paths: &[PathBuf]) -> Duration {
    let started = Instant::now();
    let output = Command::new(bin)
        .args(args)
        .arg("--db")
        .arg(db)
        .args(paths)
        .output()
        .expect("run shownotes");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
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
