//! `/admin/audit`: who changed what, when, in words a person reads.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::AdminLayout;
use super::store::{self, AuditRow};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::state::AppState;

/// Entries the page shows.
const SHOWN: i64 = 500;

/// One entry as the page shows it.
pub struct AuditEntry {
    /// The stored UTC time, for `<time datetime>`.
    pub at: Timestamp,
    /// The same, to the minute: `2025-05-19 17:00 UTC` (the page's script shows it in the
    /// reader's own time zone).
    pub when: String,
    pub who: String,
    pub what: String,
    /// Where the thing changed can be seen, if anywhere.
    pub link: Option<String>,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    layout: AdminLayout,
    entries: Vec<AuditEntry>,
}

/// `GET /admin/audit`: the latest entries. Email addresses are for admins only (issue 13).
pub async fn show_audit(State(state): State<AppState>, layout: AdminLayout) -> Result<AuditPage> {
    let rows = store::latest(&mut *state.db.acquire().await?, SHOWN).await?;
    let admin = layout.is_admin();
    let entries = rows.into_iter().map(|row| entry(row, admin)).collect();
    Ok(AuditPage { layout, entries })
}

/// The words for one row, as an admin (`admin`) or a host sees it.
fn entry(row: AuditRow, admin: bool) -> AuditEntry {
    let detail = if admin {
        row.detail.clone()
    } else {
        hide_addresses(&row.detail)
    };
    AuditEntry {
        when: to_the_minute(row.created_at),
        who: who(&row, admin),
        what: what(&row.action, &row.entity),
        // A deleted thing has no page left to link to.
        link: link(&row.entity, row.entity_id).filter(|_| row.action != "delete"),
        detail,
        at: row.created_at,
    }
}

/// `2025-05-19T17:04:09.123456Z` → `2025-05-19 17:04 UTC`: no seconds, no microseconds.
pub fn to_the_minute(at: Timestamp) -> String {
    let stamp = at.stored();
    let minute = stamp.get(..16).unwrap_or(&stamp).replace('T', " ");
    format!("{minute} UTC")
}

/// A person's name; else the account's email for admins, its role for hosts; or what acted.
fn who(row: &AuditRow, admin: bool) -> String {
    if row.actor != "user" {
        return row.actor.clone();
    }
    match (&row.person_name, &row.email, row.role.as_deref()) {
        (Some(name), _, _) => name.clone(),
        (None, Some(email), _) if admin => email.clone(),
        (None, Some(_), Some("admin")) => "an admin".to_string(),
        (None, Some(_), _) => "a host".to_string(),
        (None, None, _) => "a removed user".to_string(),
    }
}

/// "updated episode", "changed the role of user".
fn what(action: &str, entity: &str) -> String {
    let verb = match action {
        "create" => "created",
        "update" => "updated",
        "status" => "changed the status of",
        "import" => "imported",
        "export" => "exported",
        "invite" => "invited a",
        "erase" => "erased",
        "delete" => "deleted",
        "move" => "moved",
        "duplicate" => "duplicated",
        "restore" => "restored a revision of",
        "remove" => "removed",
        "role" => "changed the role of",
        "end sessions" => "ended the sessions of",
        "reset password" => "reset the password of",
        "send" => "sent",
        "pause" => "paused",
        "resume" => "resumed",
        "cancel" => "cancelled",
        other => other,
    };
    format!("{verb} {entity}")
}

/// The admin page of the thing, where there is one by id.
fn link(entity: &str, id: Option<i64>) -> Option<String> {
    match (entity, id) {
        ("episode", Some(id)) => Some(format!("/admin/episodes/{id}")),
        ("person", Some(id)) => Some(format!("/admin/people/{id}")),
        ("settings", _) => Some("/admin/settings".to_string()),
        ("user", _) => Some("/admin/users".to_string()),
        ("subscriber" | "subscribers", _) => Some("/admin/subscribers".to_string()),
        ("event" | "talk", _) => Some("/admin/talks".to_string()),
        ("digest", _) => Some("/admin/digests".to_string()),
        _ => None,
    }
}

/// The text with every word that looks like an email address replaced.
fn hide_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let address = word.trim_matches(|c: char| "()<>,;:.\"'".contains(c));
            match address.split_once('@') {
                Some((user, host)) if !user.is_empty() && host.contains('.') => {
                    word.replace(address, "(address hidden)")
                }
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(actor: &str, email: Option<&str>, person: Option<&str>) -> AuditRow {
        AuditRow {
            created_at: Timestamp::parse("2025-05-19T17:04:09.123456Z").unwrap(),
            actor: actor.into(),
            email: email.map(Into::into),
            role: email.map(|_| "host".into()),
            person_name: person.map(Into::into),
            action: "update".into(),
            entity: "episode".into(),
            entity_id: Some(7),
            detail: "#7 sent to ada@example.com.".into(),
        }
    }

    #[test]
    fn hosts_see_names_or_roles_and_admins_also_see_addresses() {
        let host_view = entry(row("user", Some("b@example.com"), None), false);
        let admin_view = entry(row("user", Some("b@example.com"), None), true);

        assert_eq!(host_view.who, "a host");
        assert_eq!(host_view.detail, "#7 sent to (address hidden).");
        assert_eq!(admin_view.who, "b@example.com");
        assert_eq!(admin_view.detail, "#7 sent to ada@example.com.");
        assert_eq!(entry(row("user", None, Some("Brian")), false).who, "Brian");
        assert_eq!(entry(row("user", None, None), true).who, "a removed user");
        assert_eq!(entry(row("scheduler", None, None), true).who, "scheduler");
    }

    #[test]
    fn an_entry_reads_as_words_with_a_link_and_the_minute() {
        let shown = entry(row("import", None, None), true);

        assert_eq!(shown.when, "2025-05-19 17:04 UTC");
        assert_eq!(shown.what, "updated episode");
        assert_eq!(shown.link.as_deref(), Some("/admin/episodes/7"));
    }
}
