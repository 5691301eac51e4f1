//! SQL for the installation's keys.

use sqlx::SqliteConnection;

/// The site key's bytes, as the migration made them with `randomblob`.
pub async fn site_key(conn: &mut SqliteConnection) -> sqlx::Result<Vec<u8>> {
    sqlx::query_scalar!(r#"select key as "key!" from server_keys where name = 'site'"#)
        .fetch_one(conn)
        .await
}
