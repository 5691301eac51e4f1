//! `?page=N` on a paged list.

use serde::Deserialize;

use crate::error::{AppError, Result};

/// `?page=N`, 1-based.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    /// The page number, or a clear 400 for anything but a positive integer.
    pub fn number(&self) -> Result<i64> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| {
                    AppError::BadRequest(format!("page {text:?} is not a page number (1, 2, 3…)"))
                }),
        }
    }
}
