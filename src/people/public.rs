//! A person's public page and its JSON twin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};

use super::service::{self, PersonView, PresentersView};
use super::store::PresentedSegment;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::web::{Layout, PageQuery};

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    layout: Layout,
    view: PersonView,
    /// The page's segments under their episodes.
    episodes: Vec<PresentedEpisode>,
}

/// An episode on a person's page with the segments they presented in it.
pub struct PresentedEpisode {
    pub href: String,
    pub label: String,
    pub segments: Vec<PresentedSegment>,
}

/// `segments` (in order, each episode's together) under their episodes.
fn by_episode(segments: &[PresentedSegment]) -> Vec<PresentedEpisode> {
    let mut episodes: Vec<PresentedEpisode> = Vec::new();
    for segment in segments {
        let href = format!(
            "/episodes/{}/{}",
            segment.episode_number, segment.episode_slug
        );
        match episodes.last_mut() {
            Some(episode) if episode.href == href => episode.segments.push(segment.clone()),
            _ => episodes.push(PresentedEpisode {
                href,
                label: format!("#{} {}", segment.episode_number, segment.episode_title),
                segments: vec![segment.clone()],
            }),
        }
    }
    episodes
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

/// `GET /hosts/{slug}?page=N`.
pub async fn show_person(
    State(state): State<AppState>,
    layout: Layout,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<PersonPage> {
    let view = service::person_view(&state.db, &slug, query.number()?).await?;
    Ok(PersonPage {
        layout,
        episodes: by_episode(&view.segments),
        view,
    })
}

/// `GET /api/v1/people/{slug}?page=N`.
pub async fn api_person(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<PersonView>, ApiError> {
    Ok(Json(
        service::person_view(&state.db, &slug, query.number()?).await?,
    ))
}
