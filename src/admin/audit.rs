//! `/admin/audit`: who changed what, when.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::AdminLayout;
use crate::error::Result;
use crate::state::AppState;

/// One audit entry with who made it.
#[derive(sqlx::FromRow)]
pub struct AuditEntry {
    pub created_at: String,
    pub who: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    layout: AdminLayout,
    entries: Vec<AuditEntry>,
}

/// `GET /admin/audit`: the latest 500 entries.
pub async fn show_audit(State(state): State<AppState>, layout: AdminLayout) -> Result<AuditPage> {
    let entries = sqlx::query_as(
        "select a.created_at, u.email as who, a.action, a.entity, a.entity_id, a.detail
         from audit_log a left join users u on u.id = a.user_id order by a.id desc limit 500",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(AuditPage { layout, entries })
}
