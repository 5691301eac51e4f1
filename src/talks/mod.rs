//! The talk catalog: events and their talks, pyvideo-shaped, and the episodes that discussed them.

mod admin;
mod admin_actions;
pub mod catalog;
#[cfg(test)]
mod fuzz;
pub mod manage;
pub mod manage_event;
pub mod noted;
mod public;
pub mod pyjson;
pub mod pyvideo;
pub mod service;
pub mod store;
mod store_catalog;
mod store_curate;
pub mod talk_form;
pub mod transfer;

use axum::Router;
use axum::routing::get;

use crate::error::AppError;
use crate::state::AppState;
use service::TalksError;

impl From<TalksError> for AppError {
    fn from(error: TalksError) -> Self {
        match error {
            TalksError::NotFound => AppError::NotFound,
            TalksError::Invalid(errors) => AppError::Invalid(errors),
            TalksError::Database(e) => e.into(),
        }
    }
}

/// The catalog admin (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/talks", get(admin::list))
        .route("/talks/{event}", get(admin::show_event))
        .route(
            "/talks/{event}/{talk}",
            get(admin::edit).post(admin::update),
        )
        .route(
            "/talks/{event}/{talk}/delete",
            get(admin_actions::confirm_delete).post(admin_actions::delete),
        )
        // `new` is a slug no event may have (manage_event::RESERVED_SLUGS).
        .route(
            "/events/new",
            get(admin_actions::new_event).post(admin_actions::create_event),
        )
        .route(
            "/events/{event}",
            get(admin::edit_event).post(admin::update_event),
        )
        .route(
            "/events/{event}/new-talk",
            get(admin_actions::new_talk).post(admin_actions::create_talk),
        )
}

/// `/talks…` pages and their JSON twins.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/talks", get(public::show_events))
        .route("/talks/tags/{tag}", get(public::show_tag))
        .route("/talks/{event}", get(public::show_event))
        .route("/talks/{event}/{talk}", get(public::show_talk))
        .route("/api/v1/talks", get(public::api_events))
        .route("/api/v1/talks/tags/{tag}", get(public::api_tag))
        .route("/api/v1/talks/{event}", get(public::api_event))
        .route("/api/v1/talks/{event}/{talk}", get(public::api_talk))
}
