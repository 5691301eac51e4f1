//! Joining and leaving: double opt-in with a hashed single-use link, and unsubscribe links
//! signed with the site key so they work without a login.

use anyhow::anyhow;
use askama::Template;
use lettre::message::Mailbox;
use sqlx::SqlitePool;
use time::Duration;

use super::email::{SubscriberEmail, SubscriberName};
use super::store;
use crate::accounts::rate_limit::RateLimiter;
use crate::keys::{self, SiteKey};
use crate::mail::Mailer;
use crate::settings::Settings;

/// Why joining or leaving did not go through.
#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    /// A forged unsubscribe link, or a row that vanished meanwhile.
    #[error("no such subscriber")]
    NotFound,
    /// The error's class only: its text may quote the address.
    #[error("subscription mail not sent ({0})")]
    NotSent(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

type Result<T, E = SubscribeError> = std::result::Result<T, E>;

/// What the sign-up mails are written and sent with.
pub struct Outgoing<'a> {
    pub settings: &'a Settings,
    pub mailer: &'a dyn Mailer,
    /// Signs the unsubscribe link in "you're already in".
    pub key: &'a SiteKey,
    /// Mails sent to each address (see [`MAILS_PER_ADDRESS_PER_DAY`]).
    pub limiter: &'a RateLimiter,
}

/// How long a confirmation link works.
const CONFIRM_VALID_DAYS: i64 = 7;

#[derive(Template)]
#[template(path = "subscribers/confirm.txt")]
struct ConfirmMail<'a> {
    name: &'a str,
    show: &'a str,
    link: String,
}

#[derive(Template)]
#[template(path = "subscribers/already.txt")]
struct AlreadyInMail<'a> {
    name: &'a str,
    show: &'a str,
    link: String,
}

/// Mails the form sends one address a day at most (confirmations and "you're already in").
pub const MAILS_PER_ADDRESS_PER_DAY: usize = 3;

/// Signs someone up. Whatever the address's state, the visitor sees the same answer and the
/// mailbox owner gets a mail (at most three a day): a confirmation link, or a note that they are
/// already in.
pub async fn subscribe(
    db: &SqlitePool,
    out: &Outgoing<'_>,
    email: &SubscriberEmail,
    name: &SubscriberName,
) -> Result<()> {
    // Checked before a new token replaces the one already mailed (issue 13); the visitor
    // gets the same answer either way.
    if out
        .limiter
        .take(&[(email.as_ref(), MAILS_PER_ADDRESS_PER_DAY)])
        .is_err()
    {
        return Ok(());
    }
    let settings = out.settings;
    let token = keys::random_token();
    let expires = crate::clock::after(Duration::days(CONFIRM_VALID_DAYS));
    let mut conn = db.acquire().await?;
    let signed_up = store::upsert_pending(
        &mut conn,
        email.as_ref(),
        name.as_ref(),
        &keys::hash_token(&token),
        &expires,
    )
    .await?;
    let (subject, text) = match signed_up {
        Some(_) => {
            let link = format!("{}/friends-of-the-show/confirm/{token}", settings.base_url);
            let body = ConfirmMail {
                name: name.as_ref(),
                show: &settings.title,
                link,
            }
            .render()?;
            (
                format!("Confirm your subscription to {}", settings.title),
                body,
            )
        }
        None => {
            let row = store::by_email(&mut conn, email.as_ref())
                .await?
                .ok_or(SubscribeError::NotFound)?;
            let link = unsubscribe_url(&settings.base_url, out.key, row.id);
            let body = AlreadyInMail {
                name: &row.name,
                show: &settings.title,
                link,
            }
            .render()?;
            (
                format!("You're already a friend of {}", settings.title),
                body,
            )
        }
    };
    drop(conn);
    let to = Mailbox::new(None, email.as_ref().parse().map_err(|e| anyhow!("{e}"))?);
    let message = crate::mail::plain_message(settings, to, &subject, text)?;
    out.mailer
        .send(message)
        .await
        .map_err(|e| SubscribeError::NotSent(kind_of(&e)))
}

/// The error's class without its text, which may quote the address.
fn kind_of(error: &crate::mail::SendError) -> &'static str {
    match error {
        crate::mail::SendError::Temporary(_) => "temporary failure",
        crate::mail::SendError::Permanent(_) => "permanent failure",
    }
}

/// Confirms the holder of a link; false for an unknown, used or expired link.
pub async fn confirm(db: &SqlitePool, token: &str) -> Result<bool> {
    let mut conn = db.acquire().await?;
    Ok(store::confirm(&mut conn, &keys::hash_token(token))
        .await?
        .is_some())
}

/// The signed token identifying a subscriber in unsubscribe links.
pub fn unsubscribe_token(key: &SiteKey, subscriber_id: i64) -> String {
    let id = subscriber_id.to_string();
    format!("{id}.{}", key.sign("unsubscribe", &id))
}

/// The subscriber a signed unsubscribe token names, if the signature is ours.
pub fn subscriber_of(key: &SiteKey, token: &str) -> Option<i64> {
    let (id, signature) = token.split_once('.')?;
    key.verify("unsubscribe", id, signature)
        .then(|| id.parse().ok())
        .flatten()
}

/// The one-click unsubscribe URL for a subscriber.
pub fn unsubscribe_url(base_url: &str, key: &SiteKey, subscriber_id: i64) -> String {
    format!(
        "{base_url}/friends-of-the-show/unsubscribe/{}",
        unsubscribe_token(key, subscriber_id)
    )
}

/// Unsubscribes the holder of a signed token at once; `NotFound` for a forged token.
pub async fn unsubscribe(db: &SqlitePool, key: &SiteKey, token: &str) -> Result<()> {
    let id = subscriber_of(key, token).ok_or(SubscribeError::NotFound)?;
    let mut tx = crate::db::begin_write(db).await?;
    store::unsubscribe(&mut tx, id).await?;
    crate::digest::store::skip_pending_to(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
