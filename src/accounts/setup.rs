//! Creating accounts: the first admin's link, invitations, and `user add`.

use sqlx::{SqliteConnection, SqlitePool};
use time::Duration;

use super::password;
use super::store::{self, SetupToken};
use crate::admin::store::audit;
use crate::clock;
use crate::keys::{hash_token, random_token};
use crate::validation::FieldErrors;

/// How long the first-run link lives.
pub const FIRST_RUN_HOURS: i64 = 1;
/// How long an invitation lives.
pub const INVITE_DAYS: i64 = 7;

/// Why a setup link did not make an account.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Expired, used, or a first-run link after an admin was made.
    #[error("the link has expired or was already used")]
    Spent,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A case-folded, checked address (the same rules as the friends-of-the-show list).
pub fn parse_email(text: &str) -> Result<String, String> {
    crate::subscribers::email::SubscriberEmail::parse(text).map(|email| email.as_ref().to_string())
}

/// With no admin yet, a one-time link (valid one hour) where the first admin sets email and password.
pub async fn first_run_link(db: &SqlitePool, base_url: &str) -> anyhow::Result<Option<String>> {
    let mut conn = db.acquire().await?;
    if store::admin_exists(&mut conn).await? {
        return Ok(None);
    }
    let token = random_token();
    let link = SetupToken {
        email: None,
        role: "admin".to_string(),
        person_id: None,
    };
    store::insert_setup_token(
        &mut conn,
        &hash_token(&token),
        &link,
        &clock::after(Duration::hours(FIRST_RUN_HOURS)),
    )
    .await?;
    Ok(Some(format!("{base_url}/admin/setup/{token}")))
}

/// Whether a setup link can no longer be used for what it was made: a first-run link
/// works only while no admin exists, whoever made one since (issue 13).
pub async fn is_spent(conn: &mut SqliteConnection, link: &SetupToken) -> sqlx::Result<bool> {
    Ok(link.is_first_run() && store::admin_exists(conn).await?)
}

/// An invitation for `email` as `role`, linked to a person; returns the link to send.
pub async fn invite(
    db: &SqlitePool,
    base_url: &str,
    by: i64,
    email: &str,
    role: &str,
    person_id: Option<i64>,
) -> Result<String, SetupError> {
    let token = random_token();
    let link = SetupToken {
        email: Some(email.to_string()),
        role: role.to_string(),
        person_id,
    };
    let mut tx = crate::db::begin_write(db).await?;
    store::insert_setup_token(
        &mut tx,
        &hash_token(&token),
        &link,
        &clock::after(Duration::days(INVITE_DAYS)),
    )
    .await?;
    audit(
        &mut tx,
        Some(by),
        "invite",
        "user",
        None,
        &format!("{role} invitation"),
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("{base_url}/admin/setup/{token}"))
}

/// Creates the account a setup link was made for. `Ok(Err(errors))` when the form is wrong.
pub async fn create_account(
    db: &SqlitePool,
    token: &str,
    invite: &SetupToken,
    email: &str,
    password_text: &str,
    confirm: &str,
) -> Result<Result<i64, FieldErrors>, SetupError> {
    let mut errors = FieldErrors::default();
    let email = parse_email(email).map_err(|e| errors.add("email", e)).ok();
    password::check_new_pair(password_text, confirm, &mut errors);
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let hash = password::hash(password_text.to_string()).await?;
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    // Checked again inside the transaction: an admin may have been made since the form was shown.
    if is_spent(&mut tx, invite).await?
        || !store::use_setup_token(&mut tx, &hash_token(token), &now).await?
    {
        return Err(SetupError::Spent);
    }
    let user_id = match store::insert_user(
        &mut tx,
        &email,
        &hash,
        &invite.role,
        invite.person_id,
        &now,
    )
    .await
    {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            errors.add("email", "already has an account: sign in instead");
            return Ok(Err(errors));
        }
        other => other?,
    };
    audit(
        &mut tx,
        Some(user_id),
        "create",
        "user",
        Some(user_id),
        &format!("{} account set up", invite.role),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(user_id))
}

/// `shownotes user add`: creates a user directly; the password comes from stdin, never argv.
pub async fn add_user(
    db: &sqlx::SqlitePool,
    email: &str,
    role: &str,
    password_text: &str,
) -> anyhow::Result<i64> {
    let email = parse_email(email).map_err(|e| anyhow::anyhow!("email {e}"))?;
    password::check_new(password_text).map_err(|e| anyhow::anyhow!("password {e}"))?;
    let hash = password::hash(password_text.to_string()).await?;
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let user_id = match store::insert_user(&mut tx, &email, &hash, role, None, &now).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            anyhow::bail!("{email} already has an account")
        }
        other => other?,
    };
    audit(
        &mut tx,
        None,
        "create",
        "user",
        Some(user_id),
        &format!("{role} added from the command line"),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

#[cfg(test)]
mod tests {
    use super::parse_email;

    #[test]
    fn emails_are_case_folded_and_checked() {
        assert_eq!(parse_email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "a@b@c.com",
            "ada@.com",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }
}
