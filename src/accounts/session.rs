//! Signed-in sessions: the cookie, the current user, and the guard on `/admin`
//! that also checks every state-changing request's CSRF token.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use time::Duration;

use super::store;
use crate::clock;
use crate::error::AppError;
use crate::keys::{hash_token, random_token, same as constant_time_eq};
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "shownotes_session";
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 14;
/// Days a session may go unused before it ends (issue 13): a forgotten signed-in browser
/// does not stay an open door for two weeks.
pub const SESSION_IDLE_DAYS: i64 = 2;
/// The largest form the guard reads to find its CSRF field.
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// What a signed-in user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything, including users and settings.
    Admin,
    /// Content: episodes, people, talks.
    Host,
}

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub person_id: Option<i64>,
    /// This session's CSRF token, for the forms the page renders.
    pub csrf: String,
}

impl CurrentUser {
    /// Refuses hosts: only admins manage users and settings.
    pub fn require_admin(&self) -> Result<(), AppError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Host => Err(AppError::Forbidden(
                "Only an admin can do this.".to_string(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The guard put it there; a handler outside the guard asking for it is a bug.
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Forbidden("Sign in first.".to_string()))
    }
}

/// The session behind the request's cookie, if it is live.
pub async fn current_user(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let mut conn = state.db.acquire().await?;
    let hash = hash_token(&token);
    let idle_since = clock::after(-Duration::days(SESSION_IDLE_DAYS));
    let row = store::session(&mut conn, &hash, &clock::now(), &idle_since).await?;
    if row.is_some() {
        let fresh_since = clock::after(-Duration::minutes(5));
        store::touch_session(&mut conn, &hash, &clock::now(), &fresh_since).await?;
    }
    Ok(row.map(|row| CurrentUser {
        id: row.user_id,
        email: row.email,
        role: if row.role == "admin" {
            Role::Admin
        } else {
            Role::Host
        },
        person_id: row.person_id,
        csrf: row.csrf,
    }))
}

/// The guard on `/admin`: anonymous visitors go to the login page; a
/// state-changing request needs the session's CSRF token (form field `csrf` or
/// header `X-CSRF-Token`), else 403.
pub async fn require_user(
    State(state): State<AppState>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let user = match current_user(&state, &jar).await {
        Ok(Some(user)) => user,
        Ok(None) => return login_redirect(&request),
        Err(error) => return error.into_response(),
    };
    let mut request = match check_csrf(request, &user.csrf).await {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    request.extensions_mut().insert(user);
    next.run(request).await
}

fn login_redirect(request: &Request) -> Response {
    // Inside the nested router the URI lost its `/admin` prefix; the original has it.
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map(|o| &o.0)
        .unwrap_or(request.uri());
    let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/admin");
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    Redirect::to(&format!("/admin/login?{query}")).into_response()
}

/// Passes safe methods; for others finds the token and compares it.
async fn check_csrf(request: Request, expected: &str) -> Result<Request, AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    let forged = || {
        AppError::Forbidden(
            "This form has expired or came from another site. Reload the page and try again."
                .to_string(),
        )
    };
    if let Some(token) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_time_eq(token, expected) {
            Ok(request)
        } else {
            Err(forged())
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_upload = content_type.starts_with("multipart/form-data");
    if !is_form && !is_upload {
        return Err(forged());
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| AppError::BadRequest("The form is too large.".to_string()))?;
    let token = match is_upload {
        true => upload_csrf(&content_type, bytes.clone()).await,
        false => url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned()),
    };
    match token {
        Some(token) if constant_time_eq(&token, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forged()),
    }
}

/// The `csrf` field of a multipart upload form (forms put it first, before the file).
async fn upload_csrf(content_type: &str, body: axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut fields = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = fields.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Starts a session for `user_id`: a new token every time (no fixation), the
/// old session ended. Returns the jar with the cookie set.
pub async fn sign_in(
    state: &AppState,
    jar: CookieJar,
    user_id: i64,
) -> Result<CookieJar, AppError> {
    let mut conn = state.db.acquire().await?;
    if let Some(old) = jar.get(SESSION_COOKIE) {
        store::delete_session(&mut conn, &hash_token(old.value())).await?;
    }
    let token = random_token();
    let expires = clock::after(Duration::days(SESSION_DAYS));
    store::insert_session(
        &mut conn,
        &hash_token(&token),
        user_id,
        &random_token(),
        &expires,
    )
    .await?;
    Ok(jar.add(session_cookie(state, token)))
}

/// Ends the request's session and clears the cookie.
pub async fn sign_out(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let mut conn = state.db.acquire().await?;
        store::delete_session(&mut conn, &hash_token(cookie.value())).await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.is_https())
        .max_age(Duration::days(SESSION_DAYS))
        .build()
}
