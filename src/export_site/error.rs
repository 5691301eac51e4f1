//! Why an export stopped.

use std::path::PathBuf;

use axum::http::StatusCode;

use super::names::MANIFEST;

/// Why an export stopped; the target folder is then left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{0} is not empty and is not an earlier `export site` (it has no {MANIFEST}): choose a new or empty folder"
    )]
    NotAnExport(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("GET {path} answered {status}, not a page to export")]
    Status { path: String, status: StatusCode },
    #[error("{0:?} is not an address a static copy can hold")]
    BadPath(String),
    #[error("cannot render a page: {0}")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    State(#[from] anyhow::Error),
}
