//! A person's public page and its JSON twin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};

use super::service::{self, PersonView, PresentersView};
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::web::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    layout: Layout,
    view: PersonView,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/index.html")]
pub struct PresentersPage {
    layout: Layout,
    view: PresentersView,
}

/// `GET /hosts`: the show's hosts and guests.
pub async fn show_presenters(
    State(state): State<AppState>,
    layout: Layout,
) -> Result<PresentersPage> {
    let view = service::presenters(&state.db).await?;
    Ok(PresentersPage { layout, view })
}

/// `GET /api/v1/people`.
pub async fn api_presenters(
    State(state): State<AppState>,
) -> Result<Json<PresentersView>, ApiError> {
    Ok(Json(service::presenters(&state.db).await?))
}

/// `GET /hosts/{slug}`.
pub async fn show_person(
    State(state): State<AppState>,
    layout: Layout,
    Path(slug): Path<String>,
) -> Result<PersonPage> {
    let view = service::person_view(&state.db, &slug).await?;
    Ok(PersonPage { layout, view })
}

/// `GET /api/v1/people/{slug}`.
pub async fn api_person(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    Ok(Json(service::person_view(&state.db, &slug).await?))
}
