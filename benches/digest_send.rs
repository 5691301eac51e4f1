//! Mails per second and peak memory of `shownotes digest send` delivering the seed episode's
//! digest to N subscribers (default 100,000) through a local SMTP sink.
//! Run: `cargo bench --bench digest_send [-- N]`. Targets: ≥ 2,000 mails/s, ≤ 0.5 ms of sender
//! CPU a mail, ≤ 64 MB resident. `SHOWNOTES_BENCH_BASELINE=<binary>` compares with another build.

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

/// Sends alternate between the builds; with a baseline each build sends this many times.
const ROUNDS: usize = 2;

/// One send: mails received, wall time, peak resident kB, sender CPU seconds.
struct Sent {
    mails: usize,
    elapsed: Duration,
    peak_kb: u64,
    cpu_seconds: f64,
}

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

/// To compare with another build (the machine is noisy, so only runs side by side compare),
/// name its binary in `SHOWNOTES_BENCH_BASELINE`: the builds then send in turn (A B A B),
/// each from a fresh copy of the same database.
async fn run(count: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let prepared = dir.path().join("prepared.db");
    prepare(&prepared, count).await;
    let mut builds = vec![("this build", std::path::PathBuf::from(BIN))];
    if let Some(baseline) = std::env::var_os("SHOWNOTES_BENCH_BASELINE") {
        builds.push(("baseline", baseline.into()));
    }
    let rounds = if builds.len() > 1 { ROUNDS } else { 1 };
    for round in 0..rounds {
        for (which, (name, bin)) in builds.iter().enumerate() {
            let db = dir.path().join(format!("send-{round}-{which}.db"));
            std::fs::copy(&prepared, &db).expect("copy the database");
            let sent = send(bin, &db).await;
            println!(
                "digest_send ({name}): {} mails in {:.2} s = {:.0} mails/s; peak resident {:.1} MB; sender CPU {:.1} s = {:.2} ms a mail",
                sent.mails,
                sent.elapsed.as_secs_f64(),
                sent.mails as f64 / sent.elapsed.as_secs_f64(),
                sent.peak_kb as f64 / 1024.0,
                sent.cpu_seconds,
                sent.cpu_seconds * 1000.0 / sent.mails.max(1) as f64
            );
        }
    }
}

/// `shownotes digest send` of the seed episode's digest from `db` into a fresh local sink.
async fn send(bin: &std::path::Path, db: &std::path::Path) -> Sent {
    let smtp = smtp_sink::SmtpSink::start_with(false).await;
    let started = Instant::now();
    let child = Command::new(bin)
        .args(["digest", "send", "434", "--db"])
        .arg(db)
        .env("SHOWNOTES_SMTP_URL", smtp.url())
        .env("SHOWNOTES_DIGEST_RATE", "0")
        .env("SHOWNOTES_DIGEST_CONCURRENCY", "8")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start shownotes");
    let pid = child.id();
    let peak = tokio::task::spawn_blocking(move || watch_process(pid));
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("shownotes ran");
    let elapsed = started.elapsed();
    let (peak_kb, cpu_ticks) = peak.await.expect("join");
    print!("{}", String::from_utf8_lossy(&output.stdout));
    Sent {
        mails: smtp.count(),
        elapsed,
        peak_kb,
        cpu_seconds: cpu_ticks as f64 / 100.0,
    }
}

/// Peak resident kB and CPU ticks of process `pid`, sampled until it exits.
fn watch_process(pid: u32) -> (u64, u64) {
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
