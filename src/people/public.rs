//! A person's public page and its JSON twin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;

use super::store::{self, Person, PresentedSegment};
use crate::error::{ApiError, AppError, Result};
use crate::markdown::{self, Author};
use crate::state::AppState;
use crate::talks::{self, store::SpokenTalk};
use crate::web::Layout;

/// A person with everything they presented.
#[derive(Serialize)]
pub struct PersonView {
    #[serde(flatten)]
    pub person: Person,
    pub bio_html: String,
    pub segments: Vec<PresentedSegment>,
    /// Conference talks they spoke at, from the catalog.
    pub talks: Vec<SpokenTalk>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    layout: Layout,
    view: PersonView,
}

async fn load(state: &AppState, slug: &str) -> Result<PersonView> {
    let mut conn = state.db.acquire().await?;
    let person = store::person_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let segments = store::segments_presented(&mut conn, person.id).await?;
    let talks = talks::store::talks_spoken_by(&mut conn, person.id).await?;
    let author = if person.is_guest {
        Author::Guest
    } else {
        Author::Host
    };
    let bio_html = markdown::render_pooled(person.bio_md.clone(), author).await;
    Ok(PersonView {
        person,
        bio_html,
        segments,
        talks,
    })
}

/// `GET /hosts/{slug}`.
pub async fn show_person(
    State(state): State<AppState>,
    layout: Layout,
    Path(slug): Path<String>,
) -> Result<PersonPage> {
    Ok(PersonPage {
        layout,
        view: load(&state, &slug).await?,
    })
}

/// `GET /api/v1/people/{slug}`.
pub async fn api_person(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    Ok(Json(load(&state, &slug).await?))
}
