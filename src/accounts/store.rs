//! SQL for users, sessions and one-time links.

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::clock::Timestamp;

/// The audit log moved to the admin (issue 14); other domains still call it here.
pub use crate::admin::store::audit;

/// A user as the admin sees them.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
}

/// A signed-in session: the user and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user_id: i64,
    pub email: String,
    pub role: String,
    pub person_id: Option<i64>,
    pub csrf: String,
}

/// A one-time link's content.
#[derive(Debug, Clone)]
pub struct SetupToken {
    pub email: Option<String>,
    pub role: String,
    pub person_id: Option<i64>,
}

impl SetupToken {
    /// The link `serve` prints at first start: it names no email (invitations always do).
    pub fn is_first_run(&self) -> bool {
        self.email.is_none()
    }
}

/// Whether any admin account exists.
pub async fn admin_exists(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from users where role = 'admin') as "exists!: bool""#
    )
    .fetch_one(conn)
    .await
}

/// Every user, by email.
pub async fn users(conn: &mut SqliteConnection) -> sqlx::Result<Vec<User>> {
    sqlx::query_as!(
        User,
        r#"select u.id as "id!", u.email, u.role, u.person_id, p.name as "person_name?"
           from users u left join people p on p.id = u.person_id order by u.email"#
    )
    .fetch_all(conn)
    .await
}

/// The user's id and password hash for an email.
pub async fn credentials(
    conn: &mut SqliteConnection,
    email: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    let found = sqlx::query!(
        r#"select id as "id!", password_hash from users where email = ?"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|user| (user.id, user.password_hash)))
}

/// Creates a user; a duplicate email is a unique violation on `users.email`.
pub async fn insert_user(
    conn: &mut SqliteConnection,
    email: &str,
    password_hash: &str,
    role: &str,
    person_id: Option<i64>,
    now: &Timestamp,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into users (email, password_hash, role, person_id, created_at) values (?, ?, ?, ?, ?) returning id",
        email,
        password_hash,
        role,
        person_id,
        now,
    )
    .fetch_one(conn)
    .await
}

/// Stores a new session (by token hash).
pub async fn insert_session(
    conn: &mut SqliteConnection,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    expires_at: &Timestamp,
) -> sqlx::Result<()> {
    let now = crate::clock::now();
    sqlx::query!(
        "insert into sessions (token_hash, user_id, csrf, expires_at, last_seen_at) values (?, ?, ?, ?, ?)",
        token_hash,
        user_id,
        csrf,
        expires_at,
        now,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this token hash: before its end, and used since `idle_since`.
pub async fn session(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
    idle_since: &Timestamp,
) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as!(
        SessionRow,
        "select s.user_id, u.email, u.role, u.person_id, s.csrf from sessions s join users u on u.id = s.user_id
         where s.token_hash = ? and s.expires_at > ? and s.last_seen_at > ?",
        token_hash,
        now,
        idle_since,
    )
    .fetch_optional(conn)
    .await
}

/// Records that the session was used now, unless it was since `fresh_since` (one write every
/// few minutes, not one a request).
pub async fn touch_session(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
    fresh_since: &Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update sessions set last_seen_at = ? where token_hash = ? and last_seen_at < ?",
        now,
        token_hash,
        fresh_since,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a session.
pub async fn delete_session(conn: &mut SqliteConnection, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from sessions where token_hash = ?", token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a one-time link.
pub async fn insert_setup_token(
    conn: &mut SqliteConnection,
    token_hash: &str,
    token: &SetupToken,
    expires_at: &Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into setup_tokens (token_hash, email, role, person_id, expires_at) values (?, ?, ?, ?, ?)",
        token_hash,
        token.email,
        token.role,
        token.person_id,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The unused, unexpired one-time link with this hash.
pub async fn setup_token(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
) -> sqlx::Result<Option<SetupToken>> {
    sqlx::query_as!(
        SetupToken,
        "select email, role, person_id from setup_tokens where token_hash = ? and used_at is null and expires_at > ?",
        token_hash,
        now,
    )
    .fetch_optional(conn)
    .await
}

/// Marks a one-time link used; false when it was already used (a double submit).
pub async fn use_setup_token(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update setup_tokens set used_at = ? where token_hash = ? and used_at is null",
        now,
        token_hash,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The id of the account with this email.
pub async fn user_id_by_email(
    conn: &mut SqliteConnection,
    email: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(r#"select id as "id!" from users where email = ?"#, email)
        .fetch_optional(conn)
        .await
}

/// Stores a password reset link for a user.
pub async fn insert_password_reset(
    conn: &mut SqliteConnection,
    token_hash: &str,
    user_id: i64,
    expires_at: &Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into password_resets (token_hash, user_id, expires_at) values (?, ?, ?)",
        token_hash,
        user_id,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether an unused, unexpired reset link has this hash.
pub async fn password_reset_is_live(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from password_resets where token_hash = ? and used_at is null and expires_at > ?) as "live!: bool""#,
        token_hash,
        now,
    )
    .fetch_one(conn)
    .await
}

/// Uses a live reset link, and with it every other link of its user; returns the user, or
/// `None` when the link was unknown, used or expired.
pub async fn use_password_reset(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: &Timestamp,
) -> sqlx::Result<Option<i64>> {
    let user_id: Option<i64> = sqlx::query_scalar!(
        "update password_resets set used_at = ?2
         where token_hash = ?1 and used_at is null and expires_at > ?2 returning user_id",
        token_hash,
        now,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(user_id) = user_id {
        sqlx::query!(
            "update password_resets set used_at = ? where user_id = ? and used_at is null",
            now,
            user_id,
        )
        .execute(conn)
        .await?;
    }
    Ok(user_id)
}

/// Replaces a user's password hash.
pub async fn set_password_hash(
    conn: &mut SqliteConnection,
    user_id: i64,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = ? where id = ?",
        password_hash,
        user_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of a user: their browsers are signed out at the next request.
pub async fn delete_sessions_of(conn: &mut SqliteConnection, user_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from sessions where user_id = ?", user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// The user with this id.
pub async fn user_by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"select u.id as "id!", u.email, u.role, u.person_id, p.name as "person_name?"
           from users u left join people p on p.id = u.person_id where u.id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Deletes a user unless they are the last admin; false when nothing was deleted. Their
/// sessions and reset links go with them; their audit entries keep their person.
pub async fn delete_user_keeping_an_admin(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<bool> {
    // One statement, so two admins removing each other cannot both pass the count.
    let done = sqlx::query!(
        "delete from users where id = ?
         and (role <> 'admin' or (select count(*) from users where role = 'admin') > 1)",
        id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a user a role unless that leaves no admin; false when nothing changed.
pub async fn set_role_keeping_an_admin(
    conn: &mut SqliteConnection,
    id: i64,
    role: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update users set role = ?2 where id = ?1
         and (?2 = 'admin' or role <> 'admin' or (select count(*) from users where role = 'admin') > 1)",
        id,
        role,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The people an account may be linked to: hosts, not guests (the people table, read here
/// until the people store offers this list).
pub async fn linkable_people(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(i64, String)>> {
    let people =
        sqlx::query!(r#"select id as "id!", name from people where is_guest = 0 order by name"#)
            .fetch_all(conn)
            .await?;
    Ok(people.into_iter().map(|p| (p.id, p.name)).collect())
}
