//! Median time to render `/episodes/434` (the seed-shaped episode) cold, with
//! the page cache emptied before every request, and cached. In-process, so it
//! measures the app, not the network. Run: `cargo bench --bench episode_page`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use shownotes::episodes::{model::EpisodeDoc, save_episode};
use shownotes::{AppState, app, db};
use tower::ServiceExt;

const ROUNDS: usize = 2_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::open(&dir.path().join("bench.db")).await.expect("db");
    let seed: EpisodeDoc = serde_json::from_str(include_str!(
        "../tests/fixtures/episodes/python-bytes-434.json"
    ))
    .expect("seed");
    save_episode(&pool, seed).await.expect("save");
    let state = AppState::load(pool, None).await.expect("state");
    let router = app(state.clone());

    let cold = measure(&router, || state.content_changed()).await;
    let cached = measure(&router, || {}).await;
    println!(
        "GET /episodes/434 cold:   median {:>8.1} µs  p99 {:>8.1} µs",
        cold.0, cold.1
    );
    println!(
        "GET /episodes/434 cached: median {:>8.1} µs  p99 {:>8.1} µs",
        cached.0, cached.1
    );
}

/// Median and 99th percentile in microseconds, after a warm-up.
async fn measure(router: &axum::Router, before_each: impl Fn()) -> (f64, f64) {
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS + 100 {
        before_each();
        let request = Request::get("/episodes/434")
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let response = router.clone().oneshot(request).await.expect("response");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let elapsed = started.elapsed();
        assert!(body.len() > 10_000, "the page rendered");
        if round >= 100 {
            times.push(elapsed);
        }
    }
    times.sort();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    (
        micros(times[times.len() / 2]),
        micros(times[times.len() * 99 / 100]),
    )
}
