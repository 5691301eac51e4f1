//! The episode editor: list, create, edit with a version check, status, preview,
//! paste-in notes, and the "already covered" link check.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;

use super::editor::{EpisodeForm, SegmentRow};
use super::manage::{self, EditError};
use super::{load_episode, store};
use crate::admin::AdminLayout;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

/// A segment row with its field errors, for the template.
pub struct RowView {
    pub row: SegmentRow,
    pub errors: FieldErrors,
}

impl RowView {
    /// The error of one of this row's fields.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    /// Whether the row is of this kind (for the selected option).
    pub fn is_kind(&self, kind: &str) -> bool {
        self.row.kind == kind
    }
}

fn row_views(form: &EpisodeForm, errors: &FieldErrors) -> Vec<RowView> {
    let mut rows = form.rows();
    let next = rows.len();
    rows.push(SegmentRow {
        index: next,
        kind: "topic".to_string(),
        position: (next + 1).to_string(),
        ..SegmentRow::default()
    });
    rows.into_iter()
        .map(|row| {
            let prefix = format!("segments[{}].", row.index);
            let mut mine = FieldErrors::default();
            for (field, message) in errors
                .all()
                .iter()
                .filter_map(|(f, m)| f.strip_prefix(&prefix).map(|f| (f, m)))
            {
                mine.add(field, message.clone());
            }
            RowView { row, errors: mine }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/edit.html")]
pub struct EditPage {
    layout: AdminLayout,
    id: Option<i64>,
    status: String,
    public_href: Option<String>,
    form: EpisodeForm,
    rows: Vec<RowView>,
    errors: FieldErrors,
    theirs: Option<EpisodeForm>,
    saved: bool,
    people: Vec<String>,
}

impl EditPage {
    async fn new(
        state: &AppState,
        layout: AdminLayout,
        id: Option<i64>,
        form: EpisodeForm,
        errors: FieldErrors,
    ) -> Result<Self> {
        let people = sqlx::query_scalar("select name from people where is_guest = 0 order by name")
            .fetch_all(&state.db)
            .await?;
        Ok(Self {
            layout,
            id,
            status: "draft".to_string(),
            public_href: None,
            rows: row_views(&form, &errors),
            form,
            errors,
            theirs: None,
            saved: false,
            people,
        })
    }

    fn action(&self) -> String {
        self.id
            .map(|id| format!("/admin/episodes/{id}"))
            .unwrap_or_else(|| "/admin/episodes/new".to_string())
    }
}

async fn load_form(state: &AppState, id: i64) -> Result<(EpisodeForm, String, String)> {
    let mut conn = state.db.acquire().await?;
    let (number, version) = store::number_and_version(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = load_episode(&mut conn, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let href = format!("/episodes/{}/{}", doc.number, doc.slug);
    Ok((
        EpisodeForm::from_doc(&doc, version),
        doc.status.as_str().to_string(),
        href,
    ))
}

/// `GET /admin/episodes/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<EditPage> {
    let (form, status, href) = load_form(&state, id).await?;
    let mut page = EditPage::new(&state, layout, Some(id), form, FieldErrors::default()).await?;
    page.status = status;
    page.public_href = Some(href);
    page.saved = q.saved.is_some();
    Ok(page)
}

/// `POST /admin/episodes/{id}`: saves, or shows what is wrong, or the conflict.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<EpisodeForm>,
) -> Result<Response> {
    let doc = match form.to_doc() {
        Ok(doc) => doc,
        Err(errors) => return rerender(&state, layout, Some(id), form, errors).await,
    };
    match manage::update(&state.db, layout.user.id, id, form.version, doc).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response())
        }
        Err(EditError::Conflict) => conflict(&state, layout, id, form).await,
        Err(error) => edit_error(&state, layout, Some(id), form, error).await,
    }
}

async fn rerender(
    state: &AppState,
    layout: AdminLayout,
    id: Option<i64>,
    form: EpisodeForm,
    errors: FieldErrors,
) -> Result<Response> {
    let page = EditPage::new(state, layout, id, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn edit_error(
    state: &AppState,
    layout: AdminLayout,
    id: Option<i64>,
    form: EpisodeForm,
    error: EditError,
) -> Result<Response> {
    match error {
        EditError::Invalid(errors) => rerender(state, layout, id, form, errors).await,
        EditError::NotFound => Err(AppError::NotFound),
        EditError::Conflict => Err(AppError::Conflict(
            "The episode changed meanwhile.".to_string(),
        )),
        EditError::Database(e) => Err(e.into()),
    }
}

/// The conflict page: their saved version beside what this host typed, kept in the form,
/// which now carries the current version so a deliberate save goes through.
async fn conflict(
    state: &AppState,
    layout: AdminLayout,
    id: i64,
    mut mine: EpisodeForm,
) -> Result<Response> {
    let (theirs, status, href) = load_form(state, id).await?;
    mine.version = theirs.version;
    let mut page = EditPage::new(state, layout, Some(id), mine, FieldErrors::default()).await?;
    page.status = status;
    page.public_href = Some(href);
    page.theirs = Some(theirs);
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// `GET /admin/episodes/new`.
pub async fn new(State(state): State<AppState>, layout: AdminLayout) -> Result<EditPage> {
    let next: i64 = sqlx::query_scalar("select coalesce(max(number), 0) + 1 from episodes")
        .fetch_one(&state.db)
        .await?;
    let form = EpisodeForm {
        number: next.to_string(),
        ..EpisodeForm::default()
    };
    EditPage::new(&state, layout, None, form, FieldErrors::default()).await
}

/// `POST /admin/episodes/new`: creates a draft.
pub async fn create(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<EpisodeForm>,
) -> Result<Response> {
    let doc = match form.to_doc() {
        Ok(doc) => doc,
        Err(errors) => return rerender(&state, layout, None, form, errors).await,
    };
    match manage::create(&state.db, layout.user.id, doc).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response()),
        Err(error) => edit_error(&state, layout, None, form, error).await,
    }
}
