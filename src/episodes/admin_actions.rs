//! What hosts do to a whole episode from its editor: delete it (after a confirmation page
//! that says what goes) and duplicate it into a new draft.

use axum::extract::{Path, State};
use axum::response::Redirect;
use axum_extra::extract::Form;

use super::manage::{self, EditError};
use super::model::Status;
use super::store;
use crate::admin::AdminLayout;
use crate::admin::confirm::{ConfirmForm, ConfirmPage};
use crate::error::{AppError, Result};
use crate::state::AppState;

/// `GET /admin/episodes/{id}/delete`: "Delete episode 434 'Title'?" and what goes with it.
pub async fn confirm_delete(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<ConfirmPage> {
    let mut conn = state.db.acquire().await?;
    let outline = store::outline_of(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let digest = crate::digest::store::by_number(&mut conn, outline.number).await?;
    drop(conn);
    let segments = match outline.segments {
        1 => "its 1 segment".to_string(),
        n => format!("its {n} segments"),
    };
    let mut consequences = vec![match outline.status {
        Status::Published => format!(
            "Its page, its entry in every feed and {segments} go away; listeners following its address find nothing."
        ),
        Status::Scheduled => format!("It will not be published; {segments} go away."),
        Status::Draft => format!("The draft and {segments} go away."),
    }];
    consequences.push(
        "Its revisions go too. This cannot be undone: duplicate it first to keep a copy."
            .to_string(),
    );
    if digest.is_some() {
        consequences.push(format!(
            "The digest of episode {} stays in the digest list.",
            outline.number
        ));
    }
    Ok(ConfirmPage {
        layout,
        question: format!("Delete episode {} “{}”?", outline.number, outline.title),
        consequences,
        action: format!("/admin/episodes/{id}/delete"),
        fields: Vec::new(),
        confirm_label: format!("Delete episode {}", outline.number),
        back: format!("/admin/episodes/{id}"),
    })
}

/// `POST /admin/episodes/{id}/delete`: with the confirmation page's `confirm`, the episode is
/// gone; without it, only a redirect to that page.
pub async fn delete(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<ConfirmForm>,
) -> Result<Redirect> {
    if !form.is_confirmed() {
        return Ok(Redirect::to(&format!("/admin/episodes/{id}/delete")));
    }
    let deleted = manage::delete(&state.db, layout.user.id, id)
        .await
        .map_err(edit_error)?;
    state.content_changed();
    Ok(Redirect::to(&format!(
        "/admin/episodes?deleted={}",
        deleted.number
    )))
}

/// `POST /admin/episodes/{id}/duplicate`: a new draft copied from this one, opened in the editor.
pub async fn duplicate(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<Redirect> {
    let copy = manage::duplicate(&state.db, layout.user.id, id)
        .await
        .map_err(edit_error)?;
    state.content_changed();
    Ok(Redirect::to(&format!(
        "/admin/episodes/{copy}?duplicated=1"
    )))
}

fn edit_error(error: EditError) -> AppError {
    match error {
        EditError::NotFound => AppError::NotFound,
        EditError::Conflict => AppError::Conflict("The episode changed meanwhile.".to_string()),
        EditError::Invalid(errors) => AppError::Invalid(errors),
        EditError::Database(e) => e.into(),
    }
}
