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

use super::manage::{self, ImportReport, SubscriberPage, SubscriberQuery};
use super::status::SubscriberStatus;
use crate::accounts::store::audit;
use crate::admin::AdminLayout;
use crate::admin::confirm::{ConfirmForm, ConfirmPage};
use crate::clock;
use crate::error::Result;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

#[derive(Template, WebTemplate)]
#[template(path = "admin/subscribers/index.html")]
pub struct ListPage {
    layout: AdminLayout,
    counts: Vec<(SubscriberStatus, i64)>,
    /// Only for admins (see the module comment).
    list: Option<SubscriberPage>,
    search: String,
    status: String,
    statuses: [SubscriberStatus; 3],
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
        statuses: SubscriberStatus::LISTED,
        erased: saved.saved.is_some(),
    })
}

/// `GET /admin/subscribers/export.csv`: every subscriber but the erased, as a download.
pub async fn export(State(state): State<AppState>, layout: AdminLayout) -> Result<Response> {
    layout.user.require_admin()?;
    let mut csv = Vec::new();
    let rows = manage::export_csv(&state.db, &mut csv).await?;
    let detail = format!("{rows} rows");
    record(
        &state,
        layout.user.id,
        "export",
        "subscribers",
        None,
        &detail,
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

impl ImportPage {
    fn new(layout: AdminLayout, csv: String) -> Self {
        Self {
            layout,
            csv,
            errors: FieldErrors::default(),
            report: None,
        }
    }
}

/// `GET /admin/subscribers/import`.
pub async fn show_import(layout: AdminLayout) -> Result<ImportPage> {
    layout.user.require_admin()?;
    Ok(ImportPage::new(layout, String::new()))
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
    let mut page = ImportPage::new(layout, form.csv);
    match manage::import_csv(&state.db, page.csv.as_bytes(), "import").await {
        Ok(report) => {
            let (imported, skipped) = (report.imported, report.invalid.len());
            let detail = format!("{imported} imported, {skipped} skipped");
            record(
                &state,
                page.layout.user.id,
                "import",
                "subscribers",
                None,
                &detail,
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

/// `GET /admin/subscribers/{id}/erase`: says whose address goes and asks once more.
pub async fn confirm_erase(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<ConfirmPage> {
    layout.user.require_admin()?;
    let row = manage::erasable(&state.db, id).await?;
    let whom = row.email.unwrap_or_default();
    Ok(ConfirmPage {
        layout,
        question: format!("Erase {whom} for good?"),
        consequences: vec![
            format!(
                "The address {whom} and its name are removed from the list; this cannot be undone."
            ),
            "Mail not yet sent to it is skipped. The counts keep one erased subscriber."
                .to_string(),
        ],
        action: format!("/admin/subscribers/{id}/erase"),
        fields: Vec::new(),
        confirm_label: "Erase for good".to_string(),
        back: "/admin/subscribers".to_string(),
    })
}

/// `POST /admin/subscribers/{id}/erase`: with the confirmation page's `confirm`, address and
/// name gone for good (the count stays); without it, only a redirect to that page.
pub async fn erase(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<ConfirmForm>,
) -> Result<Redirect> {
    layout.user.require_admin()?;
    if !form.is_confirmed() {
        return Ok(Redirect::to(&format!("/admin/subscribers/{id}/erase")));
    }
    manage::erase(&state.db, id).await?;
    record(&state, layout.user.id, "erase", "subscriber", Some(id), "").await?;
    Ok(Redirect::to("/admin/subscribers?saved=1"))
}

/// Writes the audit entry of a change `manage` already committed in its own transaction.
async fn record(
    state: &AppState,
    user_id: i64,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    let mut conn = state.db.acquire().await?;
    let now = clock::now();
    audit(
        &mut conn,
        Some(user_id),
        action,
        entity,
        entity_id,
        detail,
        &now,
    )
    .await?;
    Ok(())
}
