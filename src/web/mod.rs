//! What every response passes through: security headers, the page cache, the request log;
//! and what handlers share: the layout, CSRF, forms, the client's address, static files.

pub(crate) mod cache;
pub mod chunks;
mod client;
pub mod csrf;
pub(crate) mod encoding;
pub(crate) mod error_page;
pub mod form;
pub(crate) mod headers;
mod layout;
pub mod negotiate;
mod page_query;
pub(crate) mod request_log;
pub(crate) mod statics;
pub mod zero_copy;

pub use crate::state::AppState;
pub use client::ClientIp;
pub use layout::Layout;
pub use page_query::PageQuery;
pub use statics::css_url;
