//! The whole site assembled: the one place that knows every domain's routes.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::SocketAddr;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::serve::{IncomingStream, Listener};

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

/// The site as `serve` runs it: for each connection, [`app`] behind the shortcut that answers
/// pages held in memory before routing ([`web::cache::HitsFirst`]), which tells the rest the
/// client's address.
#[derive(Clone)]
pub struct Served {
    site: Router,
    state: AppState,
}

/// [`Served`] for `state`.
pub fn served(state: AppState) -> Served {
    Served {
        site: app(state.clone()),
        state,
    }
}

impl<L> tower::Service<IncomingStream<'_, L>> for Served
where
    L: Listener<Addr = SocketAddr>,
{
    type Response = web::cache::HitsFirst<Router>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, connection: IncomingStream<'_, L>) -> Self::Future {
        let client = *connection.remote_addr();
        ready(Ok(web::cache::HitsFirst::new(
            self.site.clone(),
            self.state.clone(),
            client,
        )))
    }
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
