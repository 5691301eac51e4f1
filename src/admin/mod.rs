//! What hosts share across the admin: the layout, and the audit log every domain writes to.

mod audit;
pub mod confirm;
mod home;
pub mod layout;
pub mod store;

pub use audit::to_the_minute;
pub use confirm::ConfirmPage;
pub use layout::AdminLayout;
pub use store::{Actor, audit};

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The admin's own pages (mounted under `/admin`, behind the sign-in guard).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show_home))
        .route("/audit", get(audit::show_audit))
}
