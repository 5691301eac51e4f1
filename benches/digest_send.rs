//! Mails per second and peak memory of `shownotes digest send` delivering the seed episode's
//! digest to N subscribers (default 100,000) through a local SMTP sink.
//! Run: `cargo bench --bench digest_send [-- N]`. Targets: ≥ 1,000 mails/s, ≤ 64 MB resident.

#[path = "../tests/api/smtp_sink.rs"]
#[allow(dead_code)]
mod smtp_sink;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/episodes/python-bytes-434.json"
);

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(count));
}

async fn run(count: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    prepare(&db, count).await;
    let smtp = smtp_sink::SmtpSink::start_with(false).await;
    let started = Instant::now();
    let child = Command::new(BIN)
        .args(["digest", "send", "434", "--db"])
        .arg(&db)
        .env("SHOWNOTES_SMTP_URL", smtp.url())
        .env("SHOWNOTES_DIGEST_RATE", "0")
        .env("SHOWNOTES_DIGEST_CONCURRENCY", "8")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start shownotes");
    let pid = child.id();
    let peak = tokio::task::spawn_blocking(move || {
        let mut peak_kb = 0;
        let mut cpu_ticks = 0;
        while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                let fields: Vec<&str> = stat
                    .rsplit(')')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect();
                let ticks = |i: usize| {
                    fields
                        .get(i)
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0)
                };
                cpu_ticks = cpu_ticks.max(ticks(11) + ticks(12));
            }
            if let Some(kb) = field_kb(&status, "VmHWM:") {
                peak_kb = peak_kb.max(kb);
            }
            if status.contains("State:\tZ") {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        (peak_kb, cpu_ticks)
    });
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("shownotes ran");
    let elapsed = started.elapsed();
    let (peak_kb, cpu_ticks) = peak.await.expect("join");
    print!("{}", String::from_utf8_lossy(&output.stdout));
    let received = smtp.count();
    println!(
        "digest_send: {received} mails in {:.2} s = {:.0} mails/s; peak resident {:.1} MB; sender CPU {:.1} s",
        elapsed.as_secs_f64(),
        received as f64 / elapsed.as_secs_f64(),
        peak_kb as f64 / 1024.0,
        cpu_ticks as f64 / 100.0
    );
}

async fn prepare(db: &std::path::Path, count: usize) {
    let pool = shownotes::db::open(db).await.expect("db");
    let text = std::fs::read_to_string(SEED).expect("seed");
    let doc = serde_json::from_str(&text).expect("seed json");
    shownotes::episodes::save_episode(&pool, doc)
        .await
        .expect("episode");
    let mut csv = String::from("email,name\n");
    for n in 0..count {
        csv.push_str(&format!("friend{n}@example.com,Friend {n}\n"));
    }
    shownotes::subscribers::manage::import_csv(&pool, csv.as_bytes(), "bench")
        .await
        .expect("subscribers");
    pool.close().await;
}

fn field_kb(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
