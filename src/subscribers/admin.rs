//! `/admin/subscribers`: the list, its counts, CSV export and import, erasure.
//!
//! Who may do what: the list holds personal data (addresses, names), so searching it,
//! exporting, importing and erasing are for admins only; hosts see the counts per status,
//! which is all they need to know how the show's list is doing.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::manage::{self, ImportReport, STATUSES, SubscriberPage, SubscriberQuery};
use crate::accounts::store::audit;
use crate::admin::AdminLayout;
use crate::clock;
use crate::error::Result;
use crate::web::AppState;
use crate::web::form::{FieldErrors, SavedQuery};

#[derive(Template, WebTemplate)]
#[template(path = "admin/subscribers/index.html")]
pub struct ListPage {
    layout: AdminLayout,
    counts: Vec<(String, i64)>,
    /// Only for admins (see the module comment).
    list: Option<SubscriberPage>,
    search: String,
    status: String,
    statuses: [&'static str; 3],
    erased: bool,
}

impl ListPage {
    /// Whether a page comes after this one.
    fn has_next(&self) -> bool {
        self.list
            .as_ref()
            .is_some_and(|l| l.page * manage::PER_PAGE < l.total)
    }
}

/// `GET /admin/subscribers?search=&status=&page=`.
pub async fn list(
    State(state): State<AppState>,
    layout: AdminLayout,
    Query(query): Query<SubscriberQuery>,
    Query(saved): Query<SavedQuery>,
) -> Result<ListPage> {
    let counts = manage::counts(&state.db).await?;
    let list = match layout.is_admin() {
        true => Some(manage::list(&state.db, &query).await?),
        false => None,
    };
    Ok(ListPage {
        layout,
        counts,
        list,
        search: query.search,
        status: query.status.unwrap_or_default(),
        statuses: STATUSES,
        erased: saved.saved.is_some(),
    })
}

/// `GET /admin/subscribers/export.csv`: every subscriber but the erased, as a download.
pub async fn export(State(state): State<AppState>, layout: AdminLayout) -> Result<Response> {
    layout.user.require_admin()?;
    let mut csv = Vec::new();
    let rows = manage::export_csv(&state.db, &mut csv).await?;
    let detail = format!("{rows} rows");
    let mut conn = state.db.acquire().await?;
    audit(
        &mut conn,
        Some(layout.user.id),
        "export",
        "subscribers",
        None,
        &detail,
        &clock::now(),
    )
    .await?;
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            CONTENT_DISPOSITION,
            "attachment; filename=\"subscribers.csv\"",
        ),
    ];
    Ok((headers, csv).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/subscribers/import.html")]
pub struct ImportPage {
    layout: AdminLayout,
    csv: String,
    errors: FieldErrors,
    report: Option<ImportReport>,
}

/// `GET /admin/subscribers/import`.
pub async fn show_import(layout: AdminLayout) -> Result<ImportPage> {
    layout.user.require_admin()?;
    Ok(ImportPage {
        layout,
        csv: String::new(),
        errors: FieldErrors::default(),
        report: None,
    })
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// `POST /admin/subscribers/import`: pasted CSV; reports what came in and the rows skipped.
pub async fn import(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<ImportForm>,
) -> Result<Response> {
    layout.user.require_admin()?;
    let mut page = ImportPage {
        layout,
        csv: form.csv,
        errors: FieldErrors::default(),
        report: None,
    };
    match manage::import_csv(&state.db, page.csv.as_bytes(), "import").await {
        Ok(report) => {
            let detail = format!(
                "{} imported, {} skipped",
                report.imported,
                report.invalid.len()
            );
            let mut conn = state.db.acquire().await?;
            audit(
                &mut conn,
                Some(page.layout.user.id),
                "import",
                "subscribers",
                None,
                &detail,
                &clock::now(),
            )
            .await?;
            page.report = Some(report);
            Ok(page.into_response())
        }
        Err(error) => {
            page.errors.add("csv", format!("{error:#}"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /admin/subscribers/{id}/erase`: address and name gone for good (the count stays).
pub async fn erase(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<Redirect> {
    layout.user.require_admin()?;
    // `manage::erase` commits its own transaction; the audit entry follows it.
    manage::erase(&state.db, id).await?;
    let mut conn = state.db.acquire().await?;
    audit(
        &mut conn,
        Some(layout.user.id),
        "erase",
        "subscriber",
        Some(id),
        "",
        &clock::now(),
    )
    .await?;
    Ok(Redirect::to("/admin/subscribers?saved=1"))
}
