//! The whole site assembled: the one place that knows every domain's routes.

use std::net::SocketAddr;

use axum::extract::Request;
use axum::extract::State;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::{Router, ServiceExt};

use crate::error::AppError;
use crate::state::AppState;
use crate::web;

/// The whole site: every domain's routes, the fallbacks and the middleware.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(crate::episodes::router())
        .merge(crate::people::router())
        .merge(crate::links::router())
        .merge(crate::talks::router())
        .merge(admin_routes(state.clone()))
        .merge(crate::feeds::router())
        .merge(crate::transcripts::router())
        .merge(crate::search::router())
        .merge(crate::subscribers::router())
        .merge(crate::digest::router())
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(web::statics::serve))
        .route("/favicon.ico", get(web::statics::favicon))
        .fallback(not_found)
        .layer(from_fn_with_state(
            state.clone(),
            web::error_page::in_site_layout,
        ))
        .layer(from_fn_with_state(state.clone(), web::cache::serve_cached))
        .layer(from_fn_with_state(
            state.clone(),
            web::headers::security_headers,
        ))
        .layer(from_fn(web::request_log::log_request))
        .with_state(state)
}

/// The site as `serve` runs it: [`app`] behind the shortcut that answers pages held in memory
/// before routing ([`web::cache::HitsFirst`]), told each connection's address.
pub fn served(
    state: AppState,
) -> IntoMakeServiceWithConnectInfo<web::cache::HitsFirst<Router>, SocketAddr> {
    let site = web::cache::HitsFirst::new(app(state.clone()), state);
    ServiceExt::<Request>::into_make_service_with_connect_info(site)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> StatusCode {
    match crate::db::answers(&state.db).await {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// `/admin/…`: one router per domain, all behind [`crate::accounts::require_user`].
fn admin_routes(state: AppState) -> Router<AppState> {
    let guarded = Router::new()
        .merge(crate::admin::router())
        .merge(crate::accounts::admin_router())
        .merge(crate::episodes::admin_router())
        .merge(crate::people::admin_router())
        .merge(crate::talks::admin_router())
        .merge(crate::settings::admin::router())
        .merge(crate::subscribers::admin_router())
        .merge(crate::digest::admin_router())
        .merge(crate::transcripts::admin_router())
        .route_layer(from_fn_with_state(state, crate::accounts::require_user));
    Router::new()
        .merge(crate::accounts::public_router())
        .nest("/admin", guarded)
}
