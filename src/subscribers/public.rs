//! The listener's side: the sign-up form, the confirmation link, and unsubscribe.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::email::{SubscriberEmail, SubscriberName};
use super::manage::ListError;
use super::subscribe::{self, Outgoing, SubscribeError};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::csrf::{CsrfForm, CsrfToken};
use crate::web::{ClientIp, Layout};

impl From<SubscribeError> for AppError {
    fn from(error: SubscribeError) -> Self {
        match error {
            SubscribeError::NotFound => Self::NotFound,
            other => Self::Internal(other.into()),
        }
    }
}

impl From<ListError> for AppError {
    fn from(error: ListError) -> Self {
        match error {
            ListError::NotFound => Self::NotFound,
            ListError::UnknownStatus(_) => Self::BadRequest(error.to_string()),
            ListError::Database(e) => e.into(),
        }
    }
}

/// What the form sends; `website` is the honeypot.
#[derive(Debug, Default, Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "subscribers/form.html")]
pub struct FormPage {
    layout: Layout,
    csrf: String,
    form: SubscribeForm,
    errors: FieldErrors,
    notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "subscribers/message.html")]
pub struct MessagePage {
    layout: Layout,
    heading: &'static str,
    paragraphs: Vec<String>,
    unsubscribe_action: Option<String>,
}

impl MessagePage {
    fn new(layout: Layout, heading: &'static str, paragraphs: &[&str]) -> Self {
        let paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        Self {
            layout,
            heading,
            paragraphs,
            unsubscribe_action: None,
        }
    }
}

fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /friends-of-the-show`.
pub async fn show_form(layout: Layout, csrf: CsrfToken) -> impl IntoResponse {
    let page = FormPage {
        layout,
        csrf: csrf.token().to_string(),
        form: SubscribeForm::default(),
        errors: FieldErrors::default(),
        notice: None,
    };
    (csrf, page)
}

/// `POST /friends-of-the-show`: always the same answer, whether or not the address is known.
pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientIp,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<SubscribeForm>,
) -> Result<Response> {
    let done = Redirect::to("/friends-of-the-show/check-your-inbox").into_response();
    if !form.website.is_empty() {
        return Ok(done);
    }
    let rerender = |status, form, errors, notice| {
        let page = FormPage {
            layout,
            csrf: csrf.token().to_string(),
            form,
            errors,
            notice,
        };
        Ok((status, csrf.clone(), page).into_response())
    };
    if !state.signup_limiter.allow(client.limit_key()) {
        let notice =
            "Too many sign-ups from your network just now. Please try again in a few minutes.";
        return rerender(
            StatusCode::TOO_MANY_REQUESTS,
            form,
            FieldErrors::default(),
            Some(notice.into()),
        );
    }
    match (
        SubscriberName::parse(&form.name, true),
        SubscriberEmail::parse(&form.email),
    ) {
        (Ok(name), Ok(email)) => {
            let settings = state.settings();
            let out = Outgoing {
                settings: &settings,
                mailer: state.mailer.as_ref(),
                key: &state.key,
                limiter: &state.mail_limiter,
            };
            subscribe::subscribe(&state.db, &out, &email, &name).await?;
            Ok(done)
        }
        (name, email) => {
            let mut errors = FieldErrors::default();
            let failed = [("name", name.err()), ("email", email.err())];
            for (field, message) in failed {
                if let Some(message) = message {
                    errors.add(field, message);
                }
            }
            rerender(StatusCode::UNPROCESSABLE_ENTITY, form, errors, None)
        }
    }
}

/// `GET /friends-of-the-show/check-your-inbox`.
pub async fn show_check_inbox(layout: Layout) -> MessagePage {
    MessagePage::new(
        layout,
        "Check your inbox",
        &[
            "We've sent you an email. Open the link in it to confirm your address (it works for 7 days).",
            "Nothing there? Look in your spam folder, or send the form again.",
        ],
    )
}

/// `GET /friends-of-the-show/confirm/{token}`: the single-use link from the confirmation mail.
pub async fn confirm(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> Result<Response> {
    if subscribe::confirm(&state.db, &token).await? {
        let page = MessagePage::new(
            layout,
            "You're in!",
            &["Thanks for confirming. The next episode's notes will arrive in your inbox."],
        );
        return Ok(no_store(page));
    }
    let page = MessagePage::new(
        layout,
        "This link no longer works",
        &[
            "Confirmation links work once, for 7 days. If you have already confirmed, there is nothing more to do; otherwise, sign up again.",
        ],
    );
    Ok(no_store((StatusCode::GONE, page)))
}

/// `GET /friends-of-the-show/unsubscribe/{token}`: a button, never an unsubscribe by itself
/// (link scanners follow GETs).
pub async fn show_unsubscribe(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> Result<Response> {
    subscribe::subscriber_of(&state.key, &token).ok_or(AppError::NotFound)?;
    let mut page = MessagePage::new(
        layout,
        "Unsubscribe",
        &["Press the button to stop getting the friends-of-the-show digest. No login needed."],
    );
    page.unsubscribe_action = Some(format!("/friends-of-the-show/unsubscribe/{token}"));
    Ok(no_store(page))
}

/// `POST /friends-of-the-show/unsubscribe/{token}`: the button, and RFC 8058 one-click.
/// No CSRF token: the signed path is the proof, and mail clients post without cookies.
pub async fn unsubscribe(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> Result<Response> {
    subscribe::unsubscribe(&state.db, &state.key, &token).await?;
    let page = MessagePage::new(
        layout,
        "You're unsubscribed",
        &["You will get no more digests. Changed your mind? You can join again any time."],
    );
    Ok(no_store(page))
}
