//! The rest of the hosts' episode pages: the list, status changes, draft
//! preview, live markdown preview, the link check, and "import from notes".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;

use super::manage::{self, EditError, StatusChange};
use super::model::Status;
use super::notes_import;
use super::store::{self, AdminEpisodeRow};
use crate::admin::AdminLayout;
use crate::error::{AppError, Result};
use crate::links::UrlKey;
use crate::links::store::CoveringEpisode;
use crate::markdown::{self, Author};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/index.html")]
pub struct ListPage {
    layout: AdminLayout,
    episodes: Vec<AdminEpisodeRow>,
    filter: String,
    /// The number of the episode just deleted, for the notice.
    deleted: Option<i64>,
}

impl AdminEpisodeRow {
    /// When it was last saved, to the minute ("2025-05-19 17:04 UTC"); the browser shows it in
    /// the reader's own zone.
    pub fn updated_minute(&self) -> String {
        crate::admin::to_the_minute(self.updated_at)
    }

    /// When a scheduled episode goes public, in its host's zone: "Tue 2 Dec, 18:00 (Europe/Berlin)".
    pub fn scheduled_for(&self) -> Option<String> {
        let zone = super::zoned::HostZone::parse(&self.time_zone).ok()?;
        zone.words(self.publish_at?)
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    deleted: Option<i64>,
}

/// `GET /admin/episodes?status=draft|scheduled|published`.
pub async fn list(
    State(state): State<AppState>,
    layout: AdminLayout,
    Query(q): Query<ListQuery>,
) -> Result<ListPage> {
    let filter = q.status.as_deref().and_then(Status::named);
    let episodes = store::admin_list(&mut *state.db.acquire().await?, filter).await?;
    Ok(ListPage {
        layout,
        episodes,
        filter: filter.map(Status::as_str).unwrap_or_default().to_string(),
        deleted: q.deleted,
    })
}

#[derive(Deserialize)]
pub struct StatusForm {
    action: String,
    #[serde(default)]
    publish_at: String,
}

/// `POST /admin/episodes/{id}/status`: publish, schedule (UTC time) or unpublish.
pub async fn change_status(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response> {
    let change = match form.action.as_str() {
        "publish" => StatusChange::Publish,
        "unpublish" => StatusChange::Unpublish,
        "schedule" => StatusChange::Schedule(
            super::zoned::HostZone::utc()
                .to_utc(&form.publish_at)
                .map_err(AppError::BadRequest)?,
        ),
        _ => return Err(AppError::BadRequest("Unknown status action.".to_string())),
    };
    match manage::change_status(&state.db, layout.user.id, id, change).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response())
        }
        Err(EditError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

/// `GET /admin/episodes/{id}/preview`: the public page of a draft, for signed-in users only.
pub async fn preview_episode(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (number, _) = store::number_and_version(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = super::public::episode_page(&state, layout.site, number, true).await?;
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    markdown: String,
}

/// `POST /admin/preview`: markdown rendered by the same code as the public page.
pub async fn preview_markdown(Form(form): Form<PreviewForm>) -> Html<String> {
    Html(markdown::render_pooled(form.markdown, Author::Host).await)
}

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    url: String,
    /// The episode being edited: its own links are no news to it.
    except: Option<i64>,
}

/// `GET /admin/links/check?url=U`: which episodes (drafts too) already covered this link.
pub async fn check_link(
    State(state): State<AppState>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<Vec<CoveringEpisode>>> {
    let key = UrlKey::parse(&q.url);
    let mut conn = state.db.acquire().await?;
    let mut covered = Vec::new();
    for twin in super::covered::scheme_twins(key.as_str()) {
        covered.extend(crate::links::store::episodes_covering(&mut conn, &twin).await?);
    }
    covered.retain(|episode| Some(episode.id) != q.except);
    covered.sort_by_key(|episode| std::cmp::Reverse(episode.number));
    covered.dedup_by_key(|episode| episode.id);
    Ok(Json(covered))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/import.html")]
pub struct ImportPage {
    layout: AdminLayout,
    notes: String,
    number: String,
    error: Option<String>,
}

/// `GET /admin/episodes/import`.
pub async fn show_import(layout: AdminLayout) -> ImportPage {
    ImportPage {
        layout,
        notes: String::new(),
        number: String::new(),
        error: None,
    }
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    notes: String,
    #[serde(default)]
    number: String,
}

/// `POST /admin/episodes/import`: pasted notes become a structured draft (or update that number).
pub async fn import(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<ImportForm>,
) -> Result<Response> {
    let number = form.number.trim().parse::<i64>().ok();
    let imported =
        notes_import::import_pasted(&state.db, &form.notes, number, layout.user.id).await;
    match imported {
        Ok(id) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response())
        }
        Err(error) => {
            let page = ImportPage {
                layout,
                notes: form.notes,
                number: form.number,
                error: Some(error.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
