//! Form helpers: field errors shown next to their fields, and the CSRF token
//! of forms shown to visitors who are not signed in (double-submit cookie).

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::accounts::tokens::{constant_time_eq, random_token};
use crate::error::AppError;

/// The cookie holding an anonymous form's token.
const FORM_COOKIE: &str = "shownotes_form";

/// `?saved=1`: the page after a successful save says so.
#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    /// Present after a save.
    pub saved: Option<String>,
}

/// What is wrong with a submitted form, by field.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Records that `field` is wrong and why.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The message for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether the form is fine.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error, in the order found (for a summary at the top of the form).
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }
}

/// The token for an anonymous form: the cookie's if it has one, else a new one set in the jar.
pub fn anonymous_form_token(jar: CookieJar) -> (CookieJar, String) {
    if let Some(existing) = jar.get(FORM_COOKIE).map(|c| c.value().to_string()) {
        return (jar, existing);
    }
    let token = random_token();
    let cookie = Cookie::build((FORM_COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), token)
}

/// Checks an anonymous form's token against its cookie: a forged cross-site post has no cookie to match.
pub fn check_anonymous_form(jar: &CookieJar, submitted: &str) -> Result<(), AppError> {
    match jar.get(FORM_COOKIE) {
        Some(cookie) if !submitted.is_empty() && constant_time_eq(cookie.value(), submitted) => {
            Ok(())
        }
        _ => Err(AppError::Forbidden(
            "This form has expired or came from another site. Reload the page and try again."
                .to_string(),
        )),
    }
}
