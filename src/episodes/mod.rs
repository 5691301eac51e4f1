//! Episodes: the public pages, the JSON API, and saving a whole episode at once.

mod api;
pub mod model;
pub mod notes_export;
pub mod notes_import;
mod public;
mod save;
pub mod store;
mod summary;
mod view;

pub use save::{SaveError, save_episode, save_episode_in};
pub use view::{format_date, format_duration, load_episode};

use axum::Router;
use axum::routing::get;

use crate::web::AppState;

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
