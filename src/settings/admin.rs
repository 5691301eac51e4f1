//! `/admin/settings`: the show's title, feed details, links and sender.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::form::SettingsForm;
use crate::admin::AdminLayout;
use crate::clock;
use crate::error::Result;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

/// The settings page (mounted under `/admin`, admins only).
pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(edit).post(update))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings/edit.html")]
pub struct SettingsPage {
    layout: AdminLayout,
    form: SettingsForm,
    errors: FieldErrors,
    saved: bool,
}

/// `GET /admin/settings` (admins only).
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Query(q): Query<SavedQuery>,
) -> Result<SettingsPage> {
    layout.user.require_admin()?;
    Ok(SettingsPage {
        layout,
        form: SettingsForm::of(&state.stored_settings()),
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

/// `POST /admin/settings` (admins only).
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<SettingsForm>,
) -> Result<Response> {
    layout.user.require_admin()?;
    let settings = match form.to_settings(&state.settings()) {
        Ok(settings) => settings,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SettingsPage {
                    layout,
                    form,
                    errors,
                    saved: false,
                },
            )
                .into_response());
        }
    };
    let mut tx = crate::db::begin_write(&state.db).await?;
    super::save(&mut tx, &settings).await?;
    crate::accounts::store::audit(
        &mut tx,
        Some(layout.user.id),
        "update",
        "settings",
        None,
        "",
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    state.reload_settings().await?;
    Ok(Redirect::to("/admin/settings?saved=1").into_response())
}
