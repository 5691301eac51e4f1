//! Friends of the show: the subscriber list, double opt-in and one-click unsubscribe.

mod admin;
pub mod email;
pub mod limit;
pub mod manage;
mod public;
pub mod status;
pub mod store;
pub mod subscribe;

pub use email::{SubscriberEmail, SubscriberName};
pub use limit::SignupLimiter;
pub use status::SubscriberStatus;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The sign-up form and the links from its mails.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/friends-of-the-show",
            get(public::show_form).post(public::create),
        )
        .route(
            "/friends-of-the-show/check-your-inbox",
            get(public::show_check_inbox),
        )
        .route("/friends-of-the-show/confirm/{token}", get(public::confirm))
        .route(
            "/friends-of-the-show/unsubscribe/{token}",
            get(public::show_unsubscribe).post(public::unsubscribe),
        )
}

/// The list under `/admin` (admins for personal data, see `admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/subscribers", get(admin::list))
        .route("/subscribers/export.csv", get(admin::export))
        .route(
            "/subscribers/import",
            get(admin::show_import).post(admin::import),
        )
        .route(
            "/subscribers/{id}/erase",
            get(admin::confirm_erase).post(admin::erase),
        )
}
