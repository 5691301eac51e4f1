//! The show's feed kept rendered ahead of its readers. Podcast apps poll `/episodes/rss` all
//! day; the first of them after a change would otherwise wait for the whole feed to be built
//! (1,000 episodes: 12 MB, about 50 ms, and its gzip copy on top). The server builds it before
//! it answers its first request, and again within a second of each change to the content,
//! whoever made it: the admin, a CLI import in another process, a scheduled episode going out.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::http::header::ACCEPT_ENCODING;
use tower::ServiceExt;

use crate::state::AppState;
use crate::web::request_log::InProcess;

/// The addresses kept ready: the feed every podcast app reads.
const KEPT_READY: &[&str] = &["/episodes/rss"];

/// How often the content version is looked at (a `stat` of the database's log, mostly).
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// Requests each kept address through `router` as an app would (taking gzip or brotli), which
/// leaves it, with its compressed copies, in the page cache.
pub async fn warm(router: &Router) {
    for path in KEPT_READY {
        let started = Instant::now();
        let request = Request::get(*path)
            .header(ACCEPT_ENCODING, "gzip, br")
            .extension(InProcess)
            .body(Body::empty());
        let Ok(request) = request else { continue };
        let response = match router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        // Read whole, as a reader would: the cache keeps the page once its body is built.
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_or(0, |body| body.len());
        let millis = started.elapsed().as_millis();
        tracing::info!(path, %status, bytes, millis, "kept ready for its readers");
    }
}

/// Warms the kept addresses again whenever the content version moves; runs until the server
/// stops.
pub async fn keep_warm(state: AppState, router: Router) {
    let mut warmed = state.content_version.current(&state.db).await.ok();
    loop {
        tokio::time::sleep(LOOK_EVERY).await;
        let Ok(now) = state.content_version.current(&state.db).await else {
            continue;
        };
        if warmed != Some(now) {
            warm(&router).await;
            warmed = Some(now);
        }
    }
}
