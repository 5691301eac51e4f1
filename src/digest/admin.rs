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

use super::manage::{self, Progress};
use crate::accounts::store::audit;
use crate::admin::AdminLayout;
use crate::clock;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::subscribers::SubscriberEmail;
use crate::web::form::SavedQuery;

/// The preview is the mail's own HTML, inline styles and all: allowed for this response
/// only, sandboxed so it runs nothing and cannot act as the signed-in user.
const PREVIEW_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; \
sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A published episode and its digest, if any, for the list.
#[derive(sqlx::FromRow)]
pub struct DigestLine {
    pub number: i64,
    pub title: String,
    pub status: Option<String>,
    pub sent: i64,
    pub failed: i64,
    pub total: i64,
}

impl DigestLine {
    /// The status for the list ("none yet" before a digest exists).
    fn label(&self) -> String {
        self.status.as_deref().map_or_else(
            || "none yet".to_string(),
            |status| manage::status_label(status, self.failed),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/digest/index.html")]
pub struct ListPage {
    layout: AdminLayout,
    lines: Vec<DigestLine>,
}

/// `GET /admin/digests`: the latest 200 published episodes with their digest's progress.
pub async fn list(State(state): State<AppState>, layout: AdminLayout) -> Result<ListPage> {
    let lines = sqlx::query_as(
        "select e.number, e.title, d.status,
                count(case when l.status = 'sent' then 1 end) as sent,
                count(case when l.status = 'failed' then 1 end) as failed,
                count(l.digest_id) as total
         from episodes e left join digests d on d.episode_number = e.number
         left join deliveries l on l.digest_id = d.id
         where e.status = 'published' group by e.number order by e.number desc limit 200",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(ListPage { layout, lines })
}

/// A delivery that failed for good.
pub struct Failure {
    pub subscriber_id: i64,
    pub attempts: i64,
    pub error: String,
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
    /// Whether the digest's status is one of these, space-separated (for which buttons to show).
    fn is(&self, statuses: &str) -> bool {
        self.progress
            .as_ref()
            .is_some_and(|p| statuses.split_whitespace().any(|s| s == p.status))
    }

    async fn load(state: &AppState, layout: AdminLayout, number: i64) -> Result<Self> {
        let digest = match manage::digest_of(state, number).await {
            Ok(digest) => Some(digest),
            Err(AppError::BadRequest(_)) => None,
            Err(other) => return Err(other),
        };
        let (progress, failures) = match &digest {
            Some(_) => (
                Some(manage::progress(state, number).await?),
                manage::failures(state, number).await?,
            ),
            None => (None, Vec::new()),
        };
        let failures = failures
            .into_iter()
            .map(|(subscriber_id, attempts, error)| Failure {
                subscriber_id,
                attempts,
                error,
            })
            .collect();
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
    manage::digest_of(&state, number).await?;
    let html = manage::preview(&state, number).await?;
    let csp = [(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_CSP),
    )];
    Ok((csp, Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
}

/// `POST /admin/digests/{number}`: create, test, send, pause, resume or cancel; audited.
pub async fn act(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(number): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response> {
    match run(&state, &layout, number, &form.action).await {
        Ok(detail) => {
            let digest = manage::digest_of(&state, number).await?;
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
        Err(AppError::BadRequest(message)) => {
            let mut page = DetailPage::load(&state, layout, number).await?;
            page.error = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

/// Runs one action through `manage` (each commits its own transaction); returns the audit detail.
async fn run(state: &AppState, layout: &AdminLayout, number: i64, action: &str) -> Result<String> {
    match action {
        "create" => manage::create_digest(state, number)
            .await
            .map(|_| String::new()),
        "test" => {
            let to = SubscriberEmail::parse(&layout.user.email).map_err(AppError::BadRequest)?;
            manage::send_test(state, number, &to).await?;
            Ok(format!("episode {number}: test to the signed-in user"))
        }
        "send" => {
            let queued = manage::send_to_all(state, number).await?;
            Ok(format!("episode {number}: {queued} queued"))
        }
        "pause" => manage::pause(state, number).await.map(|_| String::new()),
        "resume" => manage::resume(state, number).await.map(|_| String::new()),
        "cancel" => manage::cancel(state, number).await.map(|_| String::new()),
        other => Err(AppError::BadRequest(format!(
            "unknown digest action {other:?}"
        ))),
    }
    .map(|detail| {
        if detail.is_empty() {
            format!("episode {number}")
        } else {
            detail
        }
    })
}
