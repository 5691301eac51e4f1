//! People: hosts and guests, their aliases and socials, and what they presented.

mod admin;
pub mod aliases;
pub mod person_ref;
mod public;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::get;

use crate::error::AppError;
use crate::state::AppState;
use service::PeopleError;

impl From<PeopleError> for AppError {
    fn from(error: PeopleError) -> Self {
        match error {
            PeopleError::NotFound => AppError::NotFound,
            PeopleError::Invalid(errors) => AppError::Invalid(errors),
            PeopleError::Database(e) => e.into(),
        }
    }
}

/// The people admin (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/people", get(admin::list))
        .route("/people/{id}", get(admin::edit).post(admin::update))
}

/// `/hosts`, `/hosts/{slug}` and their JSON twins.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hosts", get(public::show_presenters))
        .route("/api/v1/people", get(public::api_presenters))
        .route("/hosts/{slug}", get(public::show_person))
        .route("/api/v1/people/{slug}", get(public::api_person))
}
