//! Transcripts: a WebVTT or SRT file a host attaches to an episode, kept as cues; listeners
//! read it on the episode page, download it as either format, find it in search, and podcast
//! apps find it in the feed (`podcast:transcript`).

mod admin;
pub mod cli;
pub mod format;
pub mod manage;
mod public;
pub mod store;
mod view;

pub use public::{SRT, VTT};
pub use view::TranscriptView;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::state::AppState;

/// The largest upload body read: the file's limit plus room for the form around it, so a file
/// a little over the limit is refused with its size rather than cut off.
const UPLOAD_BODY_BYTES: usize = 2 * manage::MAX_FILE_BYTES;

/// The transcript files of published episodes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/episodes/{number}/transcript.vtt", get(public::show_vtt))
        .route("/episodes/{number}/transcript.srt", get(public::show_srt))
}

/// The hosts' transcript pages (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route(
            "/episodes/{id}/transcript",
            get(admin::show)
                .post(admin::upload)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_BYTES)),
        )
        .route(
            "/episodes/{id}/transcript/remove",
            get(admin::confirm_remove).post(admin::remove),
        )
}
