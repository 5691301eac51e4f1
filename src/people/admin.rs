//! `/admin/people`: names, aliases, socials and bios.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, PeopleError, PersonForm};
use super::store::ListedPerson;
use crate::admin::AdminLayout;
use crate::error::Result;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

#[derive(Template, WebTemplate)]
#[template(path = "admin/people/index.html")]
pub struct PeopleList {
    layout: AdminLayout,
    people: Vec<ListedPerson>,
}

/// `GET /admin/people`: hosts first, then anyone who presented a segment.
pub async fn list(State(state): State<AppState>, layout: AdminLayout) -> Result<PeopleList> {
    let people = service::admin_list(&state.db).await?;
    Ok(PeopleList { layout, people })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/people/edit.html")]
pub struct PersonPage {
    layout: AdminLayout,
    id: i64,
    form: PersonForm,
    errors: FieldErrors,
    saved: bool,
}

/// `GET /admin/people/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<PersonPage> {
    let form = service::person_form(&state.db, id).await?;
    Ok(PersonPage {
        layout,
        id,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

/// `POST /admin/people/{id}`.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response> {
    match service::update_person(&state.db, layout.user.id, id, &form).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/people/{id}?saved=1")).into_response())
        }
        Err(PeopleError::Invalid(errors)) => {
            let page = PersonPage {
                layout,
                id,
                form,
                errors,
                saved: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
