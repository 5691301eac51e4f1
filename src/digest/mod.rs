//! The email digest of each episode's notes: composing it, the durable delivery queue and
//! its worker, and the public archive.

mod admin;
pub mod compose;
pub mod manage;
mod public;
pub mod status;
pub mod store;
pub mod worker;

pub use manage::{DigestError, Progress};
pub use status::{DeliveryStatus, DigestStatus};
pub use worker::{DeliveryConfig, Site, Until, Worker};

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use sqlx::SqlitePool;

use crate::keys::SiteKey;
use crate::mail::Mailer;
use crate::settings::Settings;
use crate::state::AppState;

/// The running site, as the delivery worker sees it.
impl Site for AppState {
    fn db(&self) -> &SqlitePool {
        &self.db
    }

    fn mailer(&self) -> &dyn Mailer {
        self.mailer.as_ref()
    }

    fn key(&self) -> &SiteKey {
        &self.key
    }

    fn settings(&self) -> Arc<Settings> {
        AppState::settings(self)
    }

    fn content_changed(&self) {
        AppState::content_changed(self);
    }
}

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
        .route("/digests/{number}/send", get(admin::confirm_send))
        .route("/digests/{number}/cancel", get(admin::confirm_cancel))
}
