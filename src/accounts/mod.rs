//! Accounts: users, passwords, sessions, one-time setup links, and the guard on `/admin`.

mod forgot;
pub mod manage;
pub mod pages;
pub mod password;
pub mod rate_limit;
pub mod reset;
pub mod session;
pub mod setup;
pub mod store;
mod users;

pub use session::{CurrentUser, Role, require_user};

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// Pages reachable without a session: sign in, the one-time setup link, password reset.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/admin/login", get(pages::show_login).post(pages::login))
        .route(
            "/admin/forgot",
            get(forgot::show_forgot).post(forgot::forgot),
        )
        .route(
            "/admin/reset/{token}",
            get(forgot::show_reset).post(forgot::reset),
        )
        .route(
            "/admin/setup/{token}",
            get(pages::show_setup).post(pages::setup),
        )
}

/// Account pages behind the guard (mounted under `/admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/logout", axum::routing::post(pages::logout))
        .route("/users", get(users::show_users).post(users::invite))
        .route("/users/{id}/{action}", get(users::confirm).post(users::act))
}
