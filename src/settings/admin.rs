//! `/admin/settings`: the show's title, feed details, links and sender.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::Settings;
use crate::admin::AdminLayout;
use crate::clock;
use crate::error::Result;
use crate::links::is_web_url;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

/// The settings page (mounted under `/admin`, admins only).
pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(edit).post(update))
}

/// The settings form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub owner_name: String,
    pub owner_email: String,
    pub artwork_url: String,
    pub categories: String,
    pub explicit: Option<String>,
    pub live_url: String,
    pub funding_url: String,
    pub friends_blurb: String,
    pub digest_sender: String,
    pub apple_podcasts_url: String,
    pub spotify_url: String,
    pub overcast_url: String,
    pub pocket_casts_url: String,
}

impl SettingsForm {
    fn of(s: &Settings) -> Self {
        Self {
            title: s.title.clone(),
            description: s.description.clone(),
            base_url: s.base_url.clone(),
            language: s.language.clone(),
            owner_name: s.owner_name.clone(),
            owner_email: s.owner_email.clone(),
            artwork_url: s.artwork_url.clone(),
            categories: s.categories.clone(),
            explicit: s.explicit.then(|| "on".to_string()),
            live_url: s.live_url.clone(),
            funding_url: s.funding_url.clone(),
            friends_blurb: s.friends_blurb.clone(),
            digest_sender: s.digest_sender.clone(),
            apple_podcasts_url: s.apple_podcasts_url.clone(),
            spotify_url: s.spotify_url.clone(),
            overcast_url: s.overcast_url.clone(),
            pocket_casts_url: s.pocket_casts_url.clone(),
        }
    }

    fn to_settings(&self, current: &Settings) -> Result<Settings, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.title.trim().is_empty() {
            errors.add("title", "is required");
        }
        if !is_web_url(self.base_url.trim()) || self.base_url.trim().starts_with("mailto:") {
            errors.add(
                "base_url",
                "must be the site's address, like https://pythonbytes.fm",
            );
        }
        if self.language.trim().is_empty() {
            errors.add("language", "is required, like en or en-us");
        }
        for (field, value) in [
            ("artwork_url", &self.artwork_url),
            ("live_url", &self.live_url),
            ("funding_url", &self.funding_url),
            ("apple_podcasts_url", &self.apple_podcasts_url),
            ("spotify_url", &self.spotify_url),
            ("overcast_url", &self.overcast_url),
            ("pocket_casts_url", &self.pocket_casts_url),
        ] {
            if !value.trim().is_empty() && !is_web_url(value.trim()) {
                errors.add(field, "must start with https:// or http://");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let t = |s: &String| s.trim().to_string();
        Ok(Settings {
            title: t(&self.title),
            description: t(&self.description),
            base_url: self.base_url.trim().trim_end_matches('/').to_string(),
            language: t(&self.language),
            owner_name: t(&self.owner_name),
            owner_email: t(&self.owner_email),
            artwork_url: t(&self.artwork_url),
            categories: t(&self.categories),
            explicit: self.explicit.is_some(),
            live_url: t(&self.live_url),
            funding_url: t(&self.funding_url),
            friends_blurb: self.friends_blurb.clone(),
            digest_sender: t(&self.digest_sender),
            podcast_guid: current.podcast_guid.clone(),
            apple_podcasts_url: t(&self.apple_podcasts_url),
            spotify_url: t(&self.spotify_url),
            overcast_url: t(&self.overcast_url),
            pocket_casts_url: t(&self.pocket_casts_url),
        })
    }
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
