//! `/admin/forgot` and `/admin/reset/{token}`: a host who forgot their password gets a link.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::reset::{self, Mailing, ResetError};
use super::session;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::{ClientIp, Layout};

impl From<ResetError> for AppError {
    fn from(error: ResetError) -> Self {
        match error {
            ResetError::TooMany => AppError::TooManyRequests(
                "Too many reset requests from here today. Try again tomorrow.".to_string(),
            ),
            ResetError::Spent => AppError::Forbidden(
                "This link has expired or was already used. Ask for a new one.".to_string(),
            ),
            ResetError::Invalid(errors) => AppError::Invalid(errors),
            ResetError::Db(e) => e.into(),
            ResetError::Other(e) => AppError::Internal(e),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    layout: Layout,
    csrf: String,
    email: String,
    sent: bool,
}

/// `GET /admin/forgot`: asks for the account's email.
pub async fn show_forgot(layout: Layout, csrf: CsrfToken) -> Response {
    let page = ForgotPage {
        layout,
        csrf: csrf.token().to_string(),
        email: String::new(),
        sent: false,
    };
    (csrf, page).into_response()
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /admin/forgot`: the same answer whether or not the address has an account.
pub async fn forgot(
    State(state): State<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    client: ClientIp,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response> {
    let settings = state.settings();
    let via = Mailing {
        db: &state.db,
        limiter: &state.mail_limiter,
        mailer: state.mailer.clone(),
        settings: &settings,
    };
    reset::request(via, &form.email, &client.limit_key()).await?;
    let page = ForgotPage {
        layout,
        csrf: csrf.token().to_string(),
        email: form.email,
        sent: true,
    };
    Ok((csrf, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    layout: Layout,
    csrf: String,
    token: String,
    /// The link no longer works: the page says so instead of showing the form.
    spent: bool,
    errors: FieldErrors,
}

impl ResetPage {
    fn respond(self, status: StatusCode, csrf: CsrfToken) -> Response {
        (status, csrf, self).into_response()
    }
}

/// `GET /admin/reset/{token}`: the new-password form, or why the link no longer works (410).
pub async fn show_reset(
    State(state): State<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> Result<Response> {
    let spent = !reset::is_live(&state.db, &token).await?;
    let status = if spent {
        StatusCode::GONE
    } else {
        StatusCode::OK
    };
    let page = ResetPage {
        layout,
        csrf: csrf.token().to_string(),
        token,
        spent,
        errors: FieldErrors::default(),
    };
    Ok(page.respond(status, csrf))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /admin/reset/{token}`: sets the password, ends the user's other sessions and signs
/// this browser in.
pub async fn reset(
    State(state): State<AppState>,
    layout: Layout,
    jar: CookieJar,
    csrf: CsrfToken,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response> {
    let outcome = reset::reset(&state.db, &token, &form.password, &form.confirm).await;
    let (status, spent, errors) = match outcome {
        Ok(user_id) => {
            let jar = session::sign_in(&state, jar, user_id).await?;
            return Ok((jar, Redirect::to("/admin")).into_response());
        }
        Err(ResetError::Spent) => (StatusCode::GONE, true, FieldErrors::default()),
        Err(ResetError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, false, errors),
        Err(other) => return Err(other.into()),
    };
    let csrf_value = csrf.token().to_string();
    let page = ResetPage {
        layout,
        csrf: csrf_value,
        token,
        spent,
        errors,
    };
    Ok(page.respond(status, csrf))
}
