//! The email digest of each episode's notes: composing it, the durable delivery queue and
//! its worker, and the public archive.

mod admin;
pub mod cli;
pub mod compose;
pub mod manage;
mod public;
pub mod store;
pub mod worker;

pub use manage::Progress;
pub use worker::{DeliveryConfig, Until, Worker};

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The archive of sent digests.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/digests", get(public::show_archive))
        .route("/digests/rss", get(public::show_feed))
        .route("/digests/{number}", get(public::show_digest))
}

/// Digest pages under `/admin`: status of each episode's digest and its actions.
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/digests", get(admin::list))
        .route("/digests/{number}", get(admin::show).post(admin::act))
        .route("/digests/{number}/preview", get(admin::preview))
}
