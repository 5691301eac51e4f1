//! One error type for every handler: the right status, an HTML page or a JSON
//! body, and never a word of internals. Internal errors are logged once, by the
//! request-span middleware, from the response extensions.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::validation::FieldErrors;

/// The result of every handler and domain function.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or is a draft the asker may not see).
    #[error("not found")]
    NotFound,
    /// The request is malformed: a bad page number, a bad parameter.
    #[error("{0}")]
    BadRequest(String),
    /// Signed in, but not allowed to do this (a host managing users, a forged form).
    #[error("{0}")]
    Forbidden(String),
    /// Someone else changed the thing since it was read; the message says what to do.
    #[error("{0}")]
    Conflict(String),
    /// What was sent is wrong, field by field.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Too many attempts; the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// Anything unexpected: logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl AppError {
    /// One field is wrong.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::one(field, message))
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::BadRequest(_) => "bad_request",
            Self::Forbidden(_) => "forbidden",
            Self::Conflict(_) => "conflict",
            Self::Invalid(_) => "invalid",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::Internal(_) => "internal",
        }
    }

    /// The message a user may read: internal details are replaced.
    fn public_message(&self) -> String {
        match self {
            Self::NotFound => "That page does not exist.".to_string(),
            Self::BadRequest(message)
            | Self::Forbidden(message)
            | Self::Conflict(message)
            | Self::TooManyRequests(message) => message.clone(),
            Self::Invalid(fields) => fields.to_string(),
            Self::Internal(_) => "Something went wrong on our side.".to_string(),
        }
    }

    /// Keeps the internal error in the response so the trace layer can log it.
    fn stash(&self, response: &mut Response) {
        if let Self::Internal(error) = self {
            response
                .extensions_mut()
                .insert(LoggedError(Arc::new(format!("{error:#}"))));
        }
    }
}

/// An internal error's text, carried to the logging middleware.
#[derive(Clone, Debug)]
pub struct LoggedError(pub Arc<String>);

/// What a listener may read about an error, carried to the middleware that puts it inside
/// the site's layout (header, navigation, search), which this type cannot build: it has no
/// settings.
#[derive(Clone, Debug)]
pub struct ErrorShown {
    /// `404`, `429`…
    pub status: u16,
    /// "Not Found", "Too Many Requests"…
    pub heading: &'static str,
    /// The sentence to show.
    pub message: String,
}

/// The page on its own, for a response no middleware dresses (and as the body's fallback).
#[derive(Template)]
#[template(path = "error_plain.html")]
struct PlainErrorPage<'a> {
    css_url: &'static str,
    shown: &'a ErrorShown,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let shown = ErrorShown {
            status: status.as_u16(),
            heading: status.canonical_reason().unwrap_or("Error"),
            message: self.public_message(),
        };
        let page = PlainErrorPage {
            css_url: crate::web::css_url(),
            shown: &shown,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "Something went wrong on our side.".to_string());
        let mut response = (status, Html(body)).into_response();
        response.extensions_mut().insert(shown);
        self.stash(&mut response);
        response
    }
}

/// The JSON twin of [`AppError`] for `/api/v1`: `{error: {code, message}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let mut body = json!({"error": {"code": error.code(), "message": error.public_message()}});
        if let AppError::Invalid(fields) = &error {
            let by_field: serde_json::Map<String, serde_json::Value> = fields
                .all()
                .iter()
                .map(|(field, message)| (field.clone(), json!(message)))
                .collect();
            body["error"]["fields"] = by_field.into();
        }
        let mut response = (error.status(), Json(body)).into_response();
        error.stash(&mut response);
        response
    }
}
