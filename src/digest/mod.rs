//! The email digest of each episode's notes: composing it, the durable delivery queue and
//! its worker, and the public archive.

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

use crate::web::AppState;

/// The archive of sent digests.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/digests", get(public::show_archive))
        .route("/digests/rss", get(public::show_feed))
        .route("/digests/{number}", get(public::show_digest))
}
