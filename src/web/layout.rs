//! What every page's frame needs, built once per request by an extractor.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppState;
use super::statics;
use crate::settings::Settings;

/// The shared frame of every HTML page: the show, asset URLs.
#[derive(Clone)]
pub struct Layout {
    /// The show's settings (title, description, language...).
    pub show: Arc<Settings>,
    /// The stylesheet's content-hashed URL.
    pub css_url: &'static str,
    /// The script's content-hashed URL.
    pub js_url: &'static str,
    /// What the search page was asked (shown in the header's search box, the page's only one).
    pub search_query: String,
}

impl Layout {
    /// The page icon: the show's artwork, else the default icon.
    pub fn icon_url(&self) -> &str {
        if crate::links::web_url::is_web_url(&self.show.artwork_url) {
            &self.show.artwork_url
        } else {
            statics::favicon_url()
        }
    }
}

impl Layout {
    /// The layout for a state, outside a request (error pages, benchmarks).
    pub fn of(state: &AppState) -> Self {
        Self {
            show: state.settings(),
            css_url: statics::css_url(),
            js_url: statics::js_url(),
            search_query: String::new(),
        }
    }
}

impl FromRequestParts<AppState> for Layout {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut layout = Self::of(state);
        // Only the search page (never cached) fills the box: any other page is shared.
        if parts.uri.path() == "/search" {
            layout.search_query =
                url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
                    .find(|(key, _)| key == "q")
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default();
        }
        Ok(layout)
    }
}
