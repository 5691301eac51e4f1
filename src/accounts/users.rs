//! `/admin/users`: the accounts, and inviting hosts (admins only).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::setup::{self, parse_email};
use super::store::{self, User};
use crate::admin::AdminLayout;
use crate::error::Result;
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
    let people = sqlx::query_as("select id, name from people where is_guest = 0 order by name")
        .fetch_all(&mut *conn)
        .await?;
    Ok(UsersPage {
        layout,
        users,
        people,
        form,
        errors,
        invite_link,
    })
}

/// `GET /admin/users`.
pub async fn show_users(State(state): State<AppState>, layout: AdminLayout) -> Result<UsersPage> {
    layout.user.require_admin()?;
    let form = InviteForm {
        role: "host".to_string(),
        ..InviteForm::default()
    };
    page(&state, layout, form, FieldErrors::default(), None).await
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
    let link = setup::invite(&state, layout.user.id, &email, &form.role, person_id).await?;
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
