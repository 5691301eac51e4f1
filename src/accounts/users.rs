//! `/admin/users`: the accounts, inviting hosts, and removing, re-roling or signing out an
//! account after a confirmation step (admins only).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::manage::{self, ManageError, UserAction};
use super::setup::{self, parse_email};
use super::store::{self, User};
use crate::admin::layout::AdminLayout;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validation::FieldErrors;

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    layout: AdminLayout,
    users: Vec<User>,
    people: Vec<(i64, String)>,
    form: InviteForm,
    errors: FieldErrors,
    invite_link: Option<String>,
    /// What the last action did, in words.
    done: Option<&'static str>,
}

/// The invitation form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    person_id: String,
}

async fn page(
    state: &AppState,
    layout: AdminLayout,
    form: InviteForm,
    errors: FieldErrors,
    invite_link: Option<String>,
) -> Result<UsersPage> {
    let mut conn = state.db.acquire().await?;
    let users = store::users(&mut conn).await?;
    let people = store::linkable_people(&mut conn).await?;
    Ok(UsersPage {
        layout,
        users,
        people,
        form,
        errors,
        invite_link,
        done: None,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /admin/users`.
pub async fn show_users(
    State(state): State<AppState>,
    layout: AdminLayout,
    Query(query): Query<DoneQuery>,
) -> Result<UsersPage> {
    layout.user.require_admin()?;
    let form = InviteForm {
        role: "host".to_string(),
        ..InviteForm::default()
    };
    let mut page = page(&state, layout, form, FieldErrors::default(), None).await?;
    page.done = match query.done.as_deref() {
        Some("remove") => Some("Done: the account was removed."),
        Some("make-admin" | "make-host") => Some("Done: the role was changed."),
        Some("end-sessions") => Some("Done: every session of the account was ended."),
        _ => None,
    };
    Ok(page)
}

/// `POST /admin/users`: makes an invitation link for the admin to send.
pub async fn invite(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<InviteForm>,
) -> Result<Response> {
    layout.user.require_admin()?;
    let mut errors = FieldErrors::default();
    let email = parse_email(&form.email)
        .map_err(|e| errors.add("email", e))
        .ok();
    if form.role != "admin" && form.role != "host" {
        errors.add("role", "must be admin or host");
    }
    let person_id = form.person_id.parse::<i64>().ok();
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let page = page(&state, layout, form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let link = setup::invite(
        &state.db,
        &state.settings().base_url,
        layout.user.id,
        &email,
        &form.role,
        person_id,
    )
    .await?;
    let fresh = InviteForm {
        role: "host".to_string(),
        ..InviteForm::default()
    };
    Ok(
        page(&state, layout, fresh, FieldErrors::default(), Some(link))
            .await?
            .into_response(),
    )
}

impl From<ManageError> for AppError {
    fn from(error: ManageError) -> Self {
        match error {
            ManageError::NotFound => AppError::NotFound,
            ManageError::Yourself | ManageError::LastAdmin => AppError::Conflict(error.to_string()),
            ManageError::Db(e) => e.into(),
        }
    }
}

/// The action a URL names, for an admin only.
fn admin_action(layout: &AdminLayout, action: &str) -> Result<UserAction> {
    layout.user.require_admin()?;
    UserAction::parse(action).ok_or(AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/confirm.html")]
pub struct ConfirmPage {
    layout: AdminLayout,
    question: String,
    button: &'static str,
    action: String,
}

/// `GET /admin/users/{id}/{action}`: the second step, saying what the action will do.
pub async fn confirm(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((id, action)): Path<(i64, String)>,
) -> Result<ConfirmPage> {
    let what = admin_action(&layout, &action)?;
    let user = store::user_by_id(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ConfirmPage {
        layout,
        question: what.question(&user),
        button: what.button(),
        action: format!("/admin/users/{id}/{action}"),
    })
}

/// `POST /admin/users/{id}/{action}`: does it, and says so on the users page.
pub async fn act(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Redirect> {
    let what = admin_action(&layout, &action)?;
    manage::apply(&state.db, layout.user.id, id, what).await?;
    Ok(Redirect::to(&format!("/admin/users?done={action}")))
}
