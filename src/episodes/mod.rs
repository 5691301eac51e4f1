//! Episodes: the public pages, the JSON API, and saving a whole episode at once.

mod admin;
mod admin_actions;
mod admin_tools;
mod api;
mod covered;
pub mod editor;
pub mod feed_fetch;
pub mod feed_import;
mod feed_store;
#[cfg(test)]
mod fuzz;
pub mod manage;
pub mod model;
pub mod notes_export;
pub mod notes_import;
mod public;
mod revision_store;
pub mod revisions;
mod revisions_admin;
mod save;
pub mod scheduler;
mod segment_store;
mod source_store;
pub mod store;
mod summary;
mod view;
mod zoned;

pub use save::{SaveError, save_episode, save_episode_in};
/// Episodes on a page of the archive (`/episodes?page=N`).
pub use summary::PER_PAGE as ARCHIVE_PAGE_SIZE;
pub use view::{format_date, format_duration, load_episode};

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// The hosts' episode pages (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/episodes", get(admin_tools::list))
        .route("/episodes/new", get(admin::new).post(admin::create))
        .route("/episodes/preview", post(admin::preview))
        .route(
            "/episodes/import",
            get(admin_tools::show_import).post(admin_tools::import),
        )
        .route("/episodes/{id}", get(admin::edit).post(admin::update))
        .route("/episodes/{id}/autosave", post(admin::autosave))
        .route(
            "/episodes/{id}/delete",
            get(admin_actions::confirm_delete).post(admin_actions::delete),
        )
        .route("/episodes/{id}/duplicate", post(admin_actions::duplicate))
        .route("/episodes/{id}/revisions", get(revisions_admin::list))
        .route(
            "/episodes/{id}/revisions/compare",
            get(revisions_admin::compare),
        )
        .route(
            "/episodes/{id}/revisions/{revision}/restore",
            get(revisions_admin::confirm_restore).post(revisions_admin::restore),
        )
        .route("/episodes/{id}/status", post(admin_tools::change_status))
        .route("/episodes/{id}/preview", get(admin_tools::preview_episode))
        .route("/preview", post(admin_tools::preview_markdown))
        .route("/links/check", get(admin_tools::check_link))
}

/// Episode pages and their JSON twins.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(public::show_latest))
        .route("/episodes", get(public::show_page))
        .route("/episodes/{number}", get(public::show_episode))
        .route(
            "/episodes/{number}/{slug}",
            get(public::show_episode_with_slug),
        )
        .route("/api/v1/episodes", get(api::list))
        .route("/api/v1/episodes/{number}", get(api::show))
}
