//! People: hosts and guests, their aliases and socials, and what they presented.

mod admin;
pub mod aliases;
mod public;
pub mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The people admin (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/people", get(admin::list))
        .route("/people/{id}", get(admin::edit).post(admin::update))
}

/// `/hosts/{slug}` and its JSON twin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hosts/{slug}", get(public::show_person))
        .route("/api/v1/people/{slug}", get(public::api_person))
}
