//! What an admin does to other accounts (issue 13): remove one, change a role, end every
//! session. Each is one transaction with its audit entry; no web types here.

use sqlx::SqlitePool;

use super::store::{self, User};
use crate::admin::store::{Actor, record};
use crate::clock;

/// An admin's action on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    /// Delete the account (its sessions end; its episodes and audit entries stay).
    Remove,
    /// Make the account an admin.
    MakeAdmin,
    /// Make the account a host.
    MakeHost,
    /// Sign the account out of every browser.
    EndSessions,
}

impl UserAction {
    /// The action named in a URL (`remove`, `make-admin`, `make-host`, `end-sessions`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "remove" => Some(Self::Remove),
            "make-admin" => Some(Self::MakeAdmin),
            "make-host" => Some(Self::MakeHost),
            "end-sessions" => Some(Self::EndSessions),
            _ => None,
        }
    }

    /// The question the confirmation step asks, saying what will happen.
    pub fn question(self, user: &User) -> String {
        let who = label(user);
        match self {
            Self::Remove => format!(
                "Remove {who}? Their episodes stay. They are signed out at once and can no longer sign in."
            ),
            Self::MakeAdmin => format!("Make {who} an admin? They will manage users and settings."),
            Self::MakeHost => {
                format!("Make {who} a host? They will no longer manage users and settings.")
            }
            Self::EndSessions => format!(
                "End all sessions of {who}? Every browser they are signed in with is signed out at its next request."
            ),
        }
    }

    /// The confirming button's words.
    pub fn button(self) -> &'static str {
        match self {
            Self::Remove => "Remove",
            Self::MakeAdmin => "Make admin",
            Self::MakeHost => "Make host",
            Self::EndSessions => "End all sessions",
        }
    }
}

/// "Brian (brian@example.com)", or the email alone for an account without a person.
pub fn label(user: &User) -> String {
    match &user.person_name {
        Some(name) => format!("{name} ({})", user.email),
        None => user.email.clone(),
    }
}

/// Why an action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    #[error("no such account")]
    NotFound,
    #[error("You cannot remove your own account.")]
    Yourself,
    #[error("The show needs at least one admin: make someone else an admin first.")]
    LastAdmin,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Applies `action` by admin `by` to account `id`; returns the words for what was done.
pub async fn apply(
    db: &SqlitePool,
    by: i64,
    id: i64,
    action: UserAction,
) -> Result<String, ManageError> {
    if action == UserAction::Remove && by == id {
        return Err(ManageError::Yourself);
    }
    let mut tx = crate::db::begin_write(db).await?;
    let user = store::user_by_id(&mut tx, id)
        .await?
        .ok_or(ManageError::NotFound)?;
    let (verb, done) = match action {
        UserAction::Remove => {
            let deleted = store::delete_user_keeping_an_admin(&mut tx, id).await?;
            (
                "remove",
                deleted.then(|| format!("Removed {}.", label(&user))),
            )
        }
        UserAction::MakeAdmin | UserAction::MakeHost => {
            let role = if action == UserAction::MakeAdmin {
                "admin"
            } else {
                "host"
            };
            let changed = store::set_role_keeping_an_admin(&mut tx, id, role).await?;
            (
                "role",
                changed.then(|| format!("{} is now {role}.", label(&user))),
            )
        }
        UserAction::EndSessions => {
            let ended = store::delete_sessions_of(&mut tx, id).await?;
            let sessions = if ended == 1 { "session" } else { "sessions" };
            let words = format!("Ended {ended} {sessions} of {}.", label(&user));
            ("end sessions", Some(words))
        }
    };
    let done = done.ok_or(ManageError::LastAdmin)?;
    let now = clock::now();
    record(
        &mut tx,
        Actor::User(by),
        verb,
        "user",
        Some(id),
        &done,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}
