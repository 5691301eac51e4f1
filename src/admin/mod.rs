//! The hosts' side of the site: everything under `/admin`, behind the sign-in guard.

mod audit;
mod layout;

pub use layout::AdminLayout;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::get;

use crate::web::AppState;

/// `/admin/…`: one router per domain, all behind [`crate::accounts::require_user`].
pub fn router(state: AppState) -> Router<AppState> {
    let guarded = Router::new()
        .route("/", get(|| async { Redirect::to("/admin/episodes") }))
        .route("/audit", get(audit::show_audit))
        .merge(crate::accounts::admin_router())
        .merge(crate::episodes::admin_router())
        .merge(crate::people::admin_router())
        .merge(crate::talks::admin_router())
        .merge(crate::settings::admin_router())
        .merge(crate::subscribers::admin_router())
        .merge(crate::digest::admin_router())
        .route_layer(from_fn_with_state(state, crate::accounts::require_user));
    Router::new()
        .merge(crate::accounts::public_router())
        .nest("/admin", guarded)
}
