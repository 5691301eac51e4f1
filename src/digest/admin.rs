//! `/admin/digests`: each published episode's digest, and the host's actions on it.
//! Hosts and admins alike run the digest; the pages show subscribers by id only.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::manage::{self, DigestError, DigestLine, Progress};
use super::status::DigestStatus;
use super::store::Failure;
use crate::accounts::store::audit;
use crate::admin::AdminLayout;
use crate::admin::confirm::{self, ConfirmPage};
use crate::clock;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::subscribers::{SubscriberEmail, SubscriberStatus};
use crate::web::form::SavedQuery;

impl From<DigestError> for AppError {
    fn from(error: DigestError) -> Self {
        if error.is_refusal() {
            Self::BadRequest(error.to_string())
        } else {
            Self::Internal(error.into())
        }
    }
}

/// The preview is the mail's own HTML, inline styles and all: allowed for this response
/// only, sandboxed so it runs nothing and cannot act as the signed-in user.
const PREVIEW_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; \
sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[derive(Template, WebTemplate)]
#[template(path = "admin/digest/index.html")]
pub struct ListPage {
    layout: AdminLayout,
    lines: Vec<DigestLine>,
}

/// `GET /admin/digests`: the latest 200 published episodes with their digest's progress.
pub async fn list(State(state): State<AppState>, layout: AdminLayout) -> Result<ListPage> {
    let lines = manage::lines(&state.db, 200).await?;
    Ok(ListPage { layout, lines })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/digest/show.html")]
pub struct DetailPage {
    layout: AdminLayout,
    number: i64,
    subject: Option<String>,
    progress: Option<Progress>,
    failures: Vec<Failure>,
    error: Option<String>,
    done: bool,
}

impl DetailPage {
    /// Whether the digest exists and `allowed` says its status permits an action.
    fn can(&self, allowed: fn(DigestStatus) -> bool) -> bool {
        self.progress.as_ref().is_some_and(|p| allowed(p.status))
    }

    async fn load(state: &AppState, layout: AdminLayout, number: i64) -> Result<Self> {
        let digest = match manage::digest_of(&state.db, number).await {
            Ok(digest) => Some(digest),
            Err(DigestError::NoDigest(_)) => None,
            Err(other) => return Err(other.into()),
        };
        let (progress, failures) = match &digest {
            Some(_) => (
                Some(manage::progress(&state.db, number).await?),
                manage::failures(&state.db, number).await?,
            ),
            None => (None, Vec::new()),
        };
        let subject = digest.map(|d| d.subject);
        Ok(Self {
            layout,
            number,
            subject,
            progress,
            failures,
            error: None,
            done: false,
        })
    }
}

/// `GET /admin/digests/{number}`: the digest's status, progress, failures and actions.
pub async fn show(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(number): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<DetailPage> {
    let mut page = DetailPage::load(&state, layout, number).await?;
    page.done = q.saved.is_some();
    Ok(page)
}

/// `GET /admin/digests/{number}/preview`: the mail's HTML under its own, sandboxing CSP.
pub async fn preview(
    State(state): State<AppState>,
    _layout: AdminLayout,
    Path(number): Path<i64>,
) -> Result<Response> {
    // A GET must not create the digest (manage::preview would): creating is an audited POST.
    manage::digest_of(&state.db, number).await?;
    let html = manage::preview(&state.db, &state.settings(), number).await?;
    let csp = [(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_CSP),
    )];
    Ok((csp, Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    /// Set by the confirmation page; `send` and `cancel` act only with it.
    confirm: Option<String>,
}

/// Actions that reach every subscriber or cannot be undone: they ask on a page of their own.
const ASKS_FIRST: [&str; 2] = ["send", "cancel"];

/// `GET /admin/digests/{number}/send`: "Send to 1,234 confirmed subscribers?"
pub async fn confirm_send(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(number): Path<i64>,
) -> Result<ConfirmPage> {
    let confirmed = confirmed_subscribers(&state).await?;
    let people = match confirmed {
        1 => "1 confirmed subscriber".to_string(),
        n => format!("{} confirmed subscribers", confirm::with_thousands(n)),
    };
    let subject = subject_of(&state, number).await?;
    Ok(ConfirmPage {
        layout,
        question: format!("Send to {people}?"),
        consequences: vec![
            format!("The digest of episode {number}{subject} goes by email to every confirmed subscriber ({people}), once each."),
            "Sending starts at once and cannot be taken back; it can be paused or cancelled while it runs.".to_string(),
        ],
        action: format!("/admin/digests/{number}"),
        fields: vec![("action".to_string(), "send".to_string())],
        confirm_label: format!("Send to {people}"),
        back: format!("/admin/digests/{number}"),
    })
}

/// `GET /admin/digests/{number}/cancel`: what cancelling for good leaves unsent.
pub async fn confirm_cancel(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(number): Path<i64>,
) -> Result<ConfirmPage> {
    let progress = manage::progress(&state.db, number).await?;
    let unsent = progress.queued + progress.sending;
    Ok(ConfirmPage {
        layout,
        question: format!("Cancel the digest of episode {number} for good?"),
        consequences: vec![
            format!(
                "{} mails not sent yet will never be sent; the {} already sent stay sent.",
                confirm::with_thousands(unsent),
                confirm::with_thousands(progress.sent)
            ),
            "A cancelled digest cannot be resumed or sent again.".to_string(),
        ],
        action: format!("/admin/digests/{number}"),
        fields: vec![("action".to_string(), "cancel".to_string())],
        confirm_label: "Cancel the digest for good".to_string(),
        back: format!("/admin/digests/{number}"),
    })
}

/// How many subscribers a send to all would reach now.
async fn confirmed_subscribers(state: &AppState) -> Result<i64> {
    let counts = crate::subscribers::manage::counts(&state.db).await?;
    Ok(counts
        .into_iter()
        .find(|(status, _)| *status == SubscriberStatus::Confirmed)
        .map_or(0, |(_, count)| count))
}

/// `, “Subject”` when the digest exists (a send without one creates it from the notes).
async fn subject_of(state: &AppState, number: i64) -> Result<String> {
    match manage::digest_of(&state.db, number).await {
        Ok(digest) => Ok(format!(", “{}”", digest.subject)),
        Err(DigestError::NoDigest(_)) => Ok(String::new()),
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/digests/{number}`: create, test, send, pause, resume or cancel; audited.
pub async fn act(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(number): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response> {
    let asks_first = ASKS_FIRST.contains(&form.action.as_str());
    if asks_first && !confirm::is_confirmed(form.confirm.as_deref()) {
        let page = format!("/admin/digests/{number}/{}", form.action);
        return Ok(Redirect::to(&page).into_response());
    }
    match run(&state, &layout, number, &form.action).await {
        Ok(detail) => {
            let digest = manage::digest_of(&state.db, number).await?;
            let mut conn = state.db.acquire().await?;
            let (user, now) = (Some(layout.user.id), clock::now());
            audit(
                &mut conn,
                user,
                &form.action,
                "digest",
                Some(digest.id),
                &detail,
                &now,
            )
            .await?;
            Ok(Redirect::to(&format!("/admin/digests/{number}?saved=1")).into_response())
        }
        Err(refused) if refused.is_refusal() => {
            let mut page = DetailPage::load(&state, layout, number).await?;
            page.error = Some(refused.to_string());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Runs one action through `manage` (each commits its own transaction); returns the audit detail.
async fn run(
    state: &AppState,
    layout: &AdminLayout,
    number: i64,
    action: &str,
) -> std::result::Result<String, DigestError> {
    let (db, settings) = (&state.db, state.settings());
    let detail = match action {
        "create" => manage::create_digest(db, &settings, number)
            .await
            .map(|_| String::new())?,
        "test" => {
            let to = SubscriberEmail::parse(&layout.user.email).map_err(DigestError::BadAddress)?;
            let mailer = state.mailer.as_ref();
            manage::send_test(db, &settings, mailer, number, &to).await?;
            format!("episode {number}: test to the signed-in user")
        }
        "send" => {
            let queued = manage::send_to_all(db, &settings, number).await?;
            format!("episode {number}: {queued} queued")
        }
        "pause" => manage::pause(db, number).await.map(|_| String::new())?,
        "resume" => manage::resume(db, number).await.map(|_| String::new())?,
        "cancel" => manage::cancel(db, number).await.map(|_| String::new())?,
        other => return Err(DigestError::UnknownAction(other.to_string())),
    };
    Ok(if detail.is_empty() {
        format!("episode {number}")
    } else {
        detail
    })
}
