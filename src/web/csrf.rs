//! CSRF protection without sessions: a signed double-submit token.
//!
//! The token lives in an HttpOnly, SameSite=Lax cookie as `token.signature` and again in
//! each form's hidden `csrf` field (or an `X-CSRF-Token` header). A POST passes only when
//! the cookie's signature is ours and both copies match, compared in constant time. A
//! forged cross-site form cannot read the cookie, so it cannot supply the field.

use axum::body::Bytes;
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use cookie::{Cookie, SameSite};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::error::AppError;
use crate::keys::{self, SiteKey};

const COOKIE_NAME: &str = "csrf";
const FIELD: &str = "csrf";
const HEADER: &str = "x-csrf-token";

/// The visitor's CSRF token: put `token()` in a hidden field and return this with the page.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    token: String,
    cookie: String,
}

impl CsrfToken {
    /// The value for the hidden `csrf` field.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// The token carried by a request's cookie, if the signature is ours.
fn token_from_cookie(headers: &HeaderMap, key: &SiteKey) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == COOKIE_NAME)
        .find_map(|c| {
            let (token, signature) = c.value().split_once('.')?;
            key.verify("csrf", token, signature)
                .then(|| token.to_string())
        })
}

fn cookie_for(token: &str, state: &AppState) -> String {
    let value = format!("{token}.{}", state.key.sign("csrf", token));
    Cookie::build((COOKIE_NAME, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.is_https())
        .build()
        .to_string()
}

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token =
            token_from_cookie(&parts.headers, &state.key).unwrap_or_else(keys::random_token);
        let cookie = cookie_for(&token, state);
        Ok(Self { token, cookie })
    }
}

impl IntoResponseParts for CsrfToken {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if let Ok(cookie) = HeaderValue::from_str(&self.cookie) {
            res.headers_mut().append(SET_COOKIE, cookie);
        }
        // A page holding a visitor's token must never be cached or shared.
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(res)
    }
}

/// A form whose `csrf` field (or `X-CSRF-Token` header) matches the signed cookie.
pub struct CsrfForm<T>(pub T);

/// Why a form was refused: a 403 page that tells the visitor what to do.
#[derive(Debug)]
pub struct CsrfRejection(AppError);

impl IntoResponse for CsrfRejection {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        if response.status() == StatusCode::BAD_REQUEST {
            *response.status_mut() = StatusCode::FORBIDDEN;
        }
        response
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = CsrfRejection;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let expired = || {
            CsrfRejection(AppError::BadRequest(
                "This form has expired. Go back, reload the page and send it again.".to_string(),
            ))
        };
        let expected = token_from_cookie(&parts.headers, &state.key).ok_or_else(expired)?;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| {
                CsrfRejection(AppError::BadRequest("The form could not be read.".into()))
            })?;
        let sent = submitted_token(&parts.headers, &bytes).ok_or_else(expired)?;
        if !keys::same(&sent, &expected) {
            return Err(expired());
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        let Form(value) = Form::<T>::from_request(request, state)
            .await
            .map_err(|e| CsrfRejection(AppError::BadRequest(e.body_text())))?;
        Ok(Self(value))
    }
}

fn submitted_token(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(value) = headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        return Some(value.to_string());
    }
    url::form_urlencoded::parse(body)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}
