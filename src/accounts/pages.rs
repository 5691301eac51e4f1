//! Signing in and out, and the one-time setup link that creates an account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{password, session, setup, store};
use crate::clock;
use crate::error::{AppError, Result};
use crate::keys::hash_token;
use crate::state::{AppState, LOGIN_PAUSE_MINUTES};
use crate::validation::FieldErrors;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::{ClientIp, Layout};

#[derive(Template, WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    layout: Layout,
    csrf: String,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path inside the admin may follow a login: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with("/admin") && !path.starts_with("//") => path.to_string(),
        _ => "/admin".to_string(),
    }
}

/// `GET /admin/login`.
pub async fn show_login(
    layout: Layout,
    csrf: CsrfToken,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    let page = LoginPage {
        layout,
        csrf: csrf.token().to_string(),
        email: String::new(),
        next,
        error: None,
    };
    (csrf, page).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Wrong passwords one client may try on one account in the window.
const TRIES_PER_ACCOUNT_AND_CLIENT: usize = 5;
/// Wrong passwords one account may get from all clients, and one client may send to all
/// accounts: a guesser spread over many addresses, or one trying many accounts.
const TRIES_PER_ACCOUNT: usize = 20;
const TRIES_PER_CLIENT: usize = 20;

/// `POST /admin/login`: the same answer for an unknown email and a wrong password. Each
/// attempt takes a slot per account, per client and per both before argon2 runs, so parallel
/// guesses cannot outrun the count; a correct password gives its slots back.
pub async fn login(
    State(state): State<AppState>,
    layout: Layout,
    jar: CookieJar,
    csrf: CsrfToken,
    client: ClientIp,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response> {
    let email = form.email.trim().to_lowercase();
    let (account, client) = (
        format!("account:{email}"),
        format!("client:{}", client.limit_key()),
    );
    let both = format!("{account} {client}");
    let keys = [
        (both.as_str(), TRIES_PER_ACCOUNT_AND_CLIENT),
        (account.as_str(), TRIES_PER_ACCOUNT),
        (client.as_str(), TRIES_PER_CLIENT),
    ];
    let left = state.login_limiter.take(&keys).map_err(|wait| {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        AppError::TooManyRequests(format!(
            "Too many failed sign-ins. Try again in {minutes} minutes."
        ))
    })?;
    let next = safe_next(Some(&form.next));
    match check_credentials(&state, &email, form.password).await? {
        Some(user_id) => {
            state.login_limiter.clear(&both);
            state.login_limiter.give_back(&account);
            state.login_limiter.give_back(&client);
            let jar = session::sign_in(&state, jar, user_id).await?;
            Ok((jar, Redirect::to(&next)).into_response())
        }
        None => {
            let error = Some(wrong_password(left));
            let page = LoginPage {
                layout,
                csrf: csrf.token().to_string(),
                email: form.email,
                next,
                error,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
    }
}

/// The message after a wrong password, with the tries left before the pause.
fn wrong_password(left: usize) -> String {
    let minutes = LOGIN_PAUSE_MINUTES;
    match left {
        0 => format!(
            "Email or password is wrong. No tries left: sign-in pauses for {minutes} minutes."
        ),
        1 => format!(
            "Email or password is wrong. 1 try left, then sign-in pauses for {minutes} minutes."
        ),
        n => format!(
            "Email or password is wrong. {n} tries left, then sign-in pauses for {minutes} minutes."
        ),
    }
}

/// The user id when the password matches; an unknown email costs a full hash check too.
async fn check_credentials(
    state: &AppState,
    email: &str,
    password_text: String,
) -> Result<Option<i64>> {
    let found = store::credentials(&mut *state.db.acquire().await?, email).await?;
    let (user_id, phc) = found.unwrap_or((0, password::DECOY_HASH.to_string()));
    let matches = password::verify(password_text, phc).await;
    Ok((matches && user_id != 0).then_some(user_id))
}

/// `POST /admin/logout`.
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(CookieJar, Redirect)> {
    Ok((
        session::sign_out(&state, jar).await?,
        Redirect::to("/admin/login"),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/setup.html")]
pub struct SetupPage {
    layout: Layout,
    csrf: String,
    token: String,
    fixed_email: Option<String>,
    email: String,
    role: String,
    errors: FieldErrors,
}

/// `GET /admin/setup/{token}`: the form that creates the account the link was made for.
pub async fn show_setup(
    State(state): State<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> Result<Response> {
    let invite = valid_invite(&state, &token).await?;
    let email = invite.email.clone().unwrap_or_default();
    let errors = FieldErrors::default();
    let page = SetupPage {
        layout,
        csrf: csrf.token().to_string(),
        token,
        fixed_email: invite.email,
        email,
        role: invite.role,
        errors,
    };
    Ok((csrf, page).into_response())
}

/// The answer to a link that no longer works.
fn spent_link() -> AppError {
    AppError::Forbidden(
        "This link has expired or was already used. Ask an admin for a new one.".to_string(),
    )
}

impl From<setup::SetupError> for AppError {
    fn from(error: setup::SetupError) -> Self {
        match error {
            setup::SetupError::Spent => spent_link(),
            setup::SetupError::Db(e) => e.into(),
            setup::SetupError::Other(e) => AppError::Internal(e),
        }
    }
}

async fn valid_invite(state: &AppState, token: &str) -> Result<store::SetupToken> {
    let mut conn = state.db.acquire().await?;
    let invite = store::setup_token(&mut conn, &hash_token(token), &clock::now())
        .await?
        .ok_or_else(spent_link)?;
    if setup::is_spent(&mut conn, &invite).await? {
        return Err(spent_link());
    }
    Ok(invite)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /admin/setup/{token}`: creates the account and signs it in.
pub async fn setup(
    State(state): State<AppState>,
    layout: Layout,
    jar: CookieJar,
    csrf: CsrfToken,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<Response> {
    let invite = valid_invite(&state, &token).await?;
    let email = invite
        .email
        .clone()
        .unwrap_or_else(|| form.email.trim().to_lowercase());
    match setup::create_account(
        &state.db,
        &token,
        &invite,
        &email,
        &form.password,
        &form.confirm,
    )
    .await?
    {
        Ok(user_id) => {
            let jar = session::sign_in(&state, jar, user_id).await?;
            Ok((jar, Redirect::to("/admin")).into_response())
        }
        Err(errors) => {
            let csrf_value = csrf.token().to_string();
            let page = SetupPage {
                layout,
                csrf: csrf_value,
                token,
                fixed_email: invite.email,
                email: form.email,
                role: invite.role,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
    }
}
