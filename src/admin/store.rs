//! SQL for the audit log: every domain records its changes here, the admin's page reads them.

use sqlx::SqliteConnection;

use crate::clock::Timestamp;

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user (by id).
    User(i64),
    /// The scheduler publishing an episode when its time came.
    Scheduler,
    /// An import run.
    Import,
    /// `shownotes` run from a shell.
    CommandLine,
}

impl Actor {
    /// The actor of an entry written without a user: the scheduler and imports say so by their
    /// action, anything else came from the command line.
    fn without_user(action: &str, detail: &str) -> Self {
        if action == "status" && detail.ends_with("published on schedule") {
            Self::Scheduler
        } else if action == "import" {
            Self::Import
        } else {
            Self::CommandLine
        }
    }

    /// The `actor` column's value.
    fn as_str(self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Scheduler => "scheduler",
            Self::Import => "import",
            Self::CommandLine => "command line",
        }
    }
}

/// Records who did what to which row. `user_id` is `None` for the scheduler, imports and the
/// command line (told apart by the action).
pub async fn audit(
    conn: &mut SqliteConnection,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
    now: &Timestamp,
) -> sqlx::Result<()> {
    let actor = user_id.map_or_else(|| Actor::without_user(action, detail), Actor::User);
    record(conn, actor, action, entity, entity_id, detail, now).await
}

/// Records what `actor` did to which row; a user's entry also keeps their person, so it stays
/// attributed after the account is removed.
pub async fn record(
    conn: &mut SqliteConnection,
    actor: Actor,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
    now: &Timestamp,
) -> sqlx::Result<()> {
    let user_id = match actor {
        Actor::User(id) => Some(id),
        _ => None,
    };
    let actor = actor.as_str();
    sqlx::query!(
        "insert into audit_log (user_id, person_id, actor, action, entity, entity_id, detail, created_at)
         values (?1, (select person_id from users where id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
        user_id,
        actor,
        action,
        entity,
        entity_id,
        detail,
        now,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records what an import run (`shownotes import …`) wrote, stamped now, in its transaction.
pub async fn record_import(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: i64,
    detail: &str,
) -> sqlx::Result<()> {
    let now = crate::clock::now();
    record(
        conn,
        Actor::Import,
        "import",
        entity,
        Some(entity_id),
        detail,
        &now,
    )
    .await
}

/// Records what an import run wrote, one entry per `(entity id, detail)`, in one statement.
pub async fn record_imports(
    conn: &mut SqliteConnection,
    entity: &str,
    entries: &[(i64, String)],
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let (actor, now, entries) = (
        Actor::Import.as_str(),
        crate::clock::now(),
        crate::db::json_param(entries)?,
    );
    sqlx::query!(
        "insert into audit_log (user_id, person_id, actor, action, entity, entity_id, detail, created_at)
         select null, null, ?1, 'import', ?2, j.value ->> 0, j.value ->> 1, ?3
         from json_each(?4) j order by j.key",
        actor,
        entity,
        now,
        entries,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One audit entry with what is known of who made it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub created_at: Timestamp,
    /// `user`, `scheduler`, `import` or `command line`.
    pub actor: String,
    /// The account's email while it exists.
    pub email: Option<String>,
    /// The account's role while it exists.
    pub role: Option<String>,
    /// The person the account belongs (or belonged) to.
    pub person_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
}

/// The latest `limit` entries, newest first.
pub async fn latest(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as!(
        AuditRow,
        r#"select a.created_at as "created_at: Timestamp", a.actor, u.email as "email?",
                u.role as "role?", p.name as "person_name?", a.action, a.entity, a.entity_id,
                a.detail
         from audit_log a
         left join users u on u.id = a.user_id
         left join people p on p.id = coalesce(u.person_id, a.person_id)
         order by a.id desc limit ?"#,
        limit,
    )
    .fetch_all(conn)
    .await
}
