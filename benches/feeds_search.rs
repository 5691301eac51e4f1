//! The podcast feed of 1,000 episodes (first request after they were saved; cold: page cache
//! emptied, as after any change; first request of a freshly started server; cached), and
//! search latency over
//! 1,000 episodes plus 20,000 talks. In-process, so it measures the app, not the network.
//! Run: `cargo bench --bench feeds_search`. Targets: feed cold ≤ 20 ms, search p99 ≤ 5 ms.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use futures_util::StreamExt;
use shownotes::episodes::{model::EpisodeDoc, save_episode};
use shownotes::{AppState, app, db};
use sqlx::SqlitePool;
use tower::ServiceExt;

const EPISODES: i64 = 1_000;
const EVENTS: i64 = 200;
const TALKS_PER_EVENT: i64 = 100;
const WORDS: &[&str] = &[
    "python",
    "async",
    "typing",
    "pytest",
    "django",
    "flask",
    "fastapi",
    "packaging",
    "rust",
    "data",
    "pandas",
    "polars",
    "numpy",
    "web",
    "security",
    "testing",
    "performance",
    "notebooks",
    "machine",
    "learning",
    "compilers",
    "education",
    "community",
    "databases",
    "sqlite",
    "postgres",
    "cloud",
    "kubernetes",
    "docker",
    "apis",
    "graphs",
    "visualization",
    "concurrency",
    "threads",
    "gil",
    "memory",
    "profiling",
    "debugging",
    "documentation",
    "accessibility",
    "games",
    "science",
    "astronomy",
    "biology",
    "finance",
    "robots",
    "embedded",
    "micropython",
    "wasm",
    "browsers",
];

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::open(&dir.path().join("bench.db")).await.expect("db");
    let started = Instant::now();
    insert_episodes(&pool).await;
    insert_talks(&pool).await;
    println!(
        "setup: {EPISODES} episodes, {} talks in {:.1?}",
        EVENTS * TALKS_PER_EVENT,
        started.elapsed()
    );
    // As a running server does at start and every ten minutes.
    shownotes::search::maintenance::merge_indexes(&pool)
        .await
        .expect("merge search indexes");
    let state = AppState::load(pool.clone(), None).await.expect("state");
    let router = app(state.clone());

    let first = time_once(&router, "/episodes/rss").await;
    println!(
        "GET /episodes/rss first request after saving them (notes stored by the save): {:>8.1} ms",
        ms(first.0)
    );
    println!("  feed size: {:.1} MB", first.1 as f64 / 1e6);
    let cold = measure(&router, &["/episodes/rss"], 30, || state.content_changed()).await;
    report("GET /episodes/rss cold (after a change)", &cold);
    let mut started = Vec::new();
    for _ in 0..10 {
        // A new state is a restarted server: nothing rendered in memory, notes read back.
        let restarted = app(AppState::load(pool.clone(), None).await.expect("state"));
        started.push(time_once(&restarted, "/episodes/rss").await.0);
    }
    started.sort();
    report("GET /episodes/rss first after start", &started);
    let cached = measure(&router, &["/episodes/rss"], 200, || {}).await;
    report("GET /episodes/rss cached", &cached);
    let json_cold = measure(&router, &["/episodes/feed.json"], 30, || {
        state.content_changed()
    })
    .await;
    report("GET /episodes/feed.json cold", &json_cold);

    let queries: Vec<String> = search_queries()
        .iter()
        .map(|q| format!("/api/v1/search?q={q}"))
        .collect();
    let paths: Vec<&str> = queries.iter().map(String::as_str).collect();
    let search = measure(&router, &paths, 50, || {}).await;
    report("GET /api/v1/search (mix)", &search);
    for query in &paths {
        let one = measure(&router, &[query], 20, || {}).await;
        println!(
            "  {query:<50} median {:>6.2} ms  max {:>6.2} ms",
            ms(one[one.len() / 2]),
            ms(one[one.len() - 1])
        );
    }
}

/// Common words (matching thousands of rows), rare ones, phrases, nonsense and hostile input.
fn search_queries() -> Vec<&'static str> {
    vec![
        "python",
        "pytest",
        "async",
        "rust",
        "django%20performance",
        "polars",
        "micropython",
        "gil%20threads",
        "sqlite",
        "Brian",
        "OpenAI",
        "import%20time",
        "coverage",
        "xdist",
        "marimo",
        "nonexistentword",
        "%22unbalanced",
        "foo*",
        "NEAR(a%20b)",
        "astronomy%20biology",
    ]
}

async fn insert_episodes(pool: &SqlitePool) {
    let seed: EpisodeDoc = serde_json::from_str(include_str!(
        "../tests/fixtures/episodes/python-bytes-434.json"
    ))
    .expect("seed");
    for number in 1..=EPISODES {
        let mut doc = seed.clone();
        doc.number = number;
        doc.slug = String::new();
        doc.title = format!("{} {}", pick(number, 0), pick(number, 1));
        doc.published_at = shownotes::clock::Timestamp::parse(&format!(
            "{}-{:02}-{:02}T08:00:00Z",
            2005 + number / 100,
            1 + (number / 10) % 12,
            1 + number % 10
        ));
        if let Some(audio) = doc.audio.as_mut() {
            audio.url = format!("https://cdn.example/{number}.mp3");
        }
        for (index, segment) in doc.segments.iter_mut().enumerate() {
            segment.title = format!("{} and {}", segment.title, pick(number, index as i64 + 2));
        }
        save_episode(pool, doc).await.expect("save");
    }
}

async fn insert_talks(pool: &SqlitePool) {
    let mut tx = pool.begin().await.expect("tx");
    for person in 0..2_000 {
        sqlx::query("insert into people (slug, name) values (?, ?)")
            .bind(format!("speaker-{person}"))
            .bind(format!("Speaker {} {}", pick(person, 7), person))
            .execute(&mut *tx)
            .await
            .expect("person");
    }
    let people: i64 = sqlx::query_scalar("select min(id) from people where slug like 'speaker-%'")
        .fetch_one(&mut *tx)
        .await
        .expect("people");
    for event in 0..EVENTS {
        let event_id: i64 = sqlx::query_scalar(
            "insert into events (slug, title, year) values (?, ?, ?) returning id",
        )
        .bind(format!("conf-{event}"))
        .bind(format!("Conference {event}"))
        .bind(2000 + event % 25)
        .fetch_one(&mut *tx)
        .await
        .expect("event");
        for n in 0..TALKS_PER_EVENT {
            let k = event * TALKS_PER_EVENT + n;
            let description: Vec<&str> = (0..40).map(|i| pick(k, i + 3)).collect();
            let talk: i64 = sqlx::query_scalar(
                "insert into talks (event_id, slug, title, description, recorded) values (?, ?, ?, ?, ?) returning id",
            )
            .bind(event_id)
            .bind(format!("talk-{n}"))
            .bind(format!("{} with {} for {}", pick(k, 0), pick(k, 1), pick(k, 2)))
            .bind(description.join(" "))
            .bind(format!("{}-05-{:02}", 2000 + event % 25, 1 + n % 28))
            .fetch_one(&mut *tx)
            .await
            .expect("talk");
            sqlx::query(
                "insert into talk_speakers (talk_id, person_id, position) values (?, ?, 1)",
            )
            .bind(talk)
            .bind(people + k % 2_000)
            .execute(&mut *tx)
            .await
            .expect("speaker");
        }
    }
    tx.commit().await.expect("commit");
}

/// A word for (item, slot), skewed towards the start of the list as real topics are.
fn pick(item: i64, slot: i64) -> &'static str {
    let mut x = (item as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(slot as u64 * 1442695040888963407 + 1);
    x ^= x >> 29;
    let r = (x % 10_000) as f64 / 10_000.0;
    WORDS[((r * r) * WORDS.len() as f64) as usize]
}

/// The time to the last byte of `path`'s body, and its length. The body is read chunk by chunk,
/// as a server writes it to the socket: joining the chunks would time a copy no client waits for.
async fn time_once(router: &Router, path: &str) -> (Duration, usize) {
    let started = Instant::now();
    let response = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert_eq!(response.status(), 200, "{path}");
    let mut length = 0;
    let mut chunks = response.into_body().into_data_stream();
    while let Some(chunk) = chunks.next().await {
        length += chunk.expect("body").len();
    }
    (started.elapsed(), length)
}

/// Sorted durations of `rounds` passes over `paths`, after a warm-up pass.
async fn measure(
    router: &Router,
    paths: &[&str],
    rounds: usize,
    before_each: impl Fn(),
) -> Vec<Duration> {
    let mut times = Vec::with_capacity(rounds * paths.len());
    for round in 0..=rounds {
        for path in paths {
            before_each();
            let (elapsed, _) = time_once(router, path).await;
            if round > 0 {
                times.push(elapsed);
            }
        }
    }
    times.sort();
    times
}

fn report(label: &str, times: &[Duration]) {
    let p = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    println!(
        "{label:<40} p50 {:>8.2} ms  p99 {:>8.2} ms  (n={})",
        p(0.5),
        p(0.99),
        times.len()
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
