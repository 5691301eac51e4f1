//! The second step of a destructive or mass action: a page that says what will happen and
//! holds the one form that does it. The first click only ever leads here.

use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::AdminLayout;

/// The form field a confirming POST carries; a POST without it acts on nothing.
pub const CONFIRM_FIELD: &str = "confirm";

/// The value of [`CONFIRM_FIELD`] on the confirmation page's form.
pub const CONFIRMED: &str = "yes";

/// Whether a submitted `confirm` field says the person saw the confirmation page.
pub fn is_confirmed(field: Option<&str>) -> bool {
    field == Some(CONFIRMED)
}

/// The body of a confirming POST that carries nothing else.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    confirm: Option<String>,
}

impl ConfirmForm {
    /// Whether the person came through the confirmation page.
    pub fn is_confirmed(&self) -> bool {
        is_confirmed(self.confirm.as_deref())
    }
}

/// "Erase ada@example.com for good?", what follows from it, and the button that does it.
#[derive(Template, WebTemplate)]
#[template(path = "admin/confirm.html")]
pub struct ConfirmPage {
    pub layout: AdminLayout,
    /// The page's heading, a question.
    pub question: String,
    /// What will happen, one sentence each.
    pub consequences: Vec<String>,
    /// Where the confirming form posts.
    pub action: String,
    /// Hidden fields the confirming form sends besides the CSRF token and `confirm`.
    pub fields: Vec<(String, String)>,
    /// The danger button's words ("Erase for good").
    pub confirm_label: String,
    /// Where "Keep it" leads back to.
    pub back: String,
}

impl ConfirmPage {
    pub fn confirm_field(&self) -> &'static str {
        CONFIRM_FIELD
    }

    pub fn confirmed(&self) -> &'static str {
        CONFIRMED
    }
}

/// A count as people write it: `1234` → `1,234`.
pub fn with_thousands(count: i64) -> String {
    let digits = count.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if count < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(with_thousands(0), "0");
        assert_eq!(with_thousands(999), "999");
        assert_eq!(with_thousands(1234), "1,234");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
        assert_eq!(with_thousands(-1000), "-1,000");
    }
}
