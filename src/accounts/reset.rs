//! Password reset by email (issue 13): a single-use link valid one hour, mailed only to an
//! address with an account, while whoever asks gets the same answer. No web types here.

use std::sync::Arc;

use askama::Template;
use lettre::message::Mailbox;
use sqlx::SqlitePool;
use time::Duration;

use super::password;
use super::rate_limit::RateLimiter;
use super::store;
use crate::admin::store::{Actor, record};
use crate::clock;
use crate::keys::{hash_token, random_token};
use crate::mail::Mailer;
use crate::settings::Settings;
use crate::validation::FieldErrors;

/// How long a reset link works.
pub const VALID_HOURS: i64 = 1;
/// Reset mails one address may get a day (as many as subscription confirmations).
pub const MAILS_PER_ADDRESS_PER_DAY: usize = 3;
/// Reset requests one client may send a day, whatever the addresses.
pub const REQUESTS_PER_CLIENT_PER_DAY: usize = 10;

/// Why a reset did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// This client asked too often today.
    #[error("too many reset requests")]
    TooMany,
    /// The link is unknown, used or expired.
    #[error("the link has expired or was already used")]
    Spent,
    /// The new password is not acceptable.
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

#[derive(Template)]
#[template(path = "accounts/reset.txt")]
struct ResetMail<'a> {
    show: &'a str,
    link: String,
    hours: i64,
}

/// What sending a reset needs: the pool, the mail limiter, the mailer and the show.
pub struct Mailing<'a> {
    pub db: &'a SqlitePool,
    pub limiter: &'a RateLimiter,
    pub mailer: Arc<dyn Mailer>,
    pub settings: &'a Settings,
}

/// Asks for a reset link for `email` from the client under `client_key`. An address without an
/// account, or one that had its three mails today, gets nothing and the same `Ok`; the mail is
/// sent in the background, so the answer takes as long either way.
pub async fn request(via: Mailing<'_>, email: &str, client_key: &str) -> Result<(), ResetError> {
    let email = email.trim().to_lowercase();
    let client = format!("reset client:{client_key}");
    let address = format!("reset:{email}");
    if via
        .limiter
        .take(&[(client.as_str(), REQUESTS_PER_CLIENT_PER_DAY)])
        .is_err()
    {
        return Err(ResetError::TooMany);
    }
    if via
        .limiter
        .take(&[(address.as_str(), MAILS_PER_ADDRESS_PER_DAY)])
        .is_err()
    {
        return Ok(());
    }
    let mut conn = via.db.acquire().await?;
    let Some(user_id) = store::user_id_by_email(&mut conn, &email).await? else {
        return Ok(());
    };
    let token = random_token();
    let expires = clock::after(Duration::hours(VALID_HOURS));
    store::insert_password_reset(&mut conn, &hash_token(&token), user_id, &expires).await?;
    let message = reset_mail(via.settings, &email, &token)?;
    tokio::spawn(async move {
        if via.mailer.send(message).await.is_err() {
            // The error's text may quote the address; the log says only that it failed.
            tracing::warn!("password reset mail not sent");
        }
    });
    Ok(())
}

fn reset_mail(settings: &Settings, email: &str, token: &str) -> anyhow::Result<lettre::Message> {
    let body = ResetMail {
        show: &settings.title,
        link: format!("{}/admin/reset/{token}", settings.base_url),
        hours: VALID_HOURS,
    }
    .render()?;
    let to = Mailbox::new(None, email.parse()?);
    let subject = format!("Reset your password for {}", settings.title);
    crate::mail::plain_message(settings, to, &subject, body)
}

/// Whether a reset link still works (to show its form).
pub async fn is_live(db: &SqlitePool, token: &str) -> Result<bool, ResetError> {
    let mut conn = db.acquire().await?;
    Ok(store::password_reset_is_live(&mut conn, &hash_token(token), &clock::now()).await?)
}

/// Sets a new password through a reset link: uses the link up (and the user's other links) and
/// ends every session of the user. Returns the user, to sign them in.
pub async fn reset(
    db: &SqlitePool,
    token: &str,
    password_text: &str,
    confirm: &str,
) -> Result<i64, ResetError> {
    if !is_live(db, token).await? {
        return Err(ResetError::Spent);
    }
    let mut errors = FieldErrors::default();
    password::check_new_pair(password_text, confirm, &mut errors);
    if !errors.is_empty() {
        return Err(ResetError::Invalid(errors));
    }
    let hash = password::hash(password_text.to_string()).await?;
    let now = clock::now();
    let mut tx = crate::db::begin_write(db).await?;
    let user_id = store::use_password_reset(&mut tx, &hash_token(token), &now)
        .await?
        .ok_or(ResetError::Spent)?;
    store::set_password_hash(&mut tx, user_id, &hash).await?;
    store::delete_sessions_of(&mut tx, user_id).await?;
    let detail = "by an emailed link; every session ended";
    let actor = Actor::User(user_id);
    record(
        &mut tx,
        actor,
        "reset password",
        "user",
        Some(user_id),
        detail,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}
