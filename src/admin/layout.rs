//! The frame of every admin page: the show, the signed-in user, their CSRF token.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::accounts::session::{CurrentUser, Role};
use crate::error::AppError;
use crate::settings::Settings;
use crate::state::AppState;
use crate::web::Layout;

/// What every admin template needs.
#[derive(Clone)]
pub struct AdminLayout {
    /// The public layout (show, asset URLs).
    pub site: Layout,
    /// Who is signed in.
    pub user: CurrentUser,
}

impl AdminLayout {
    /// The session's CSRF token, for hidden form fields.
    pub fn csrf(&self) -> &str {
        &self.user.csrf
    }

    /// Whether the user may manage users and settings.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The show's settings.
    pub fn show(&self) -> &Arc<Settings> {
        &self.site.show
    }
}

impl FromRequestParts<AppState> for AdminLayout {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        Ok(Self {
            site: Layout::of(state),
            user,
        })
    }
}
