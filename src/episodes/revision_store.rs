//! SQL for an episode's revisions: every saved version, kept for comparing and restoring.

use sqlx::SqliteConnection;

use crate::clock::Timestamp;

/// A revision to keep.
pub struct NewRevision<'a> {
    pub episode_id: i64,
    /// The host who saved it; none for a version saved outside the editor.
    pub user_id: Option<i64>,
    /// `user`, or what saved it without a host (`earlier`: a version found unrecorded).
    pub actor: &'a str,
    pub number: i64,
    pub title: &'a str,
    pub doc_json: &'a str,
    pub notes_md: &'a str,
    pub created_at: &'a Timestamp,
}

/// Keeps a revision; returns its id.
pub async fn insert(conn: &mut SqliteConnection, revision: &NewRevision<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into episode_revisions (episode_id, user_id, actor, number, title, doc_json, notes_md, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?) returning id as "id!""#,
        revision.episode_id,
        revision.user_id,
        revision.actor,
        revision.number,
        revision.title,
        revision.doc_json,
        revision.notes_md,
        revision.created_at,
    )
    .fetch_one(conn)
    .await
}

/// The document of an episode's newest revision, if it has any.
pub async fn newest_doc(
    conn: &mut SqliteConnection,
    episode_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select doc_json from episode_revisions where episode_id = ? order by id desc limit 1",
        episode_id,
    )
    .fetch_optional(conn)
    .await
}

/// Drops an episode's oldest revisions past the newest `keep`.
pub async fn keep_newest(
    conn: &mut SqliteConnection,
    episode_id: i64,
    keep: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from episode_revisions where episode_id = ?1 and id < coalesce(
             (select id from episode_revisions where episode_id = ?1 order by id desc limit 1 offset ?2 - 1), 0)",
        episode_id,
        keep,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A revision as listed, with what is known of who saved it.
#[derive(Debug, Clone)]
pub struct RevisionRow {
    pub id: i64,
    pub actor: String,
    pub email: Option<String>,
    pub person_name: Option<String>,
    pub number: i64,
    pub title: String,
    pub created_at: Timestamp,
}

/// An episode's revisions, newest first.
pub async fn list(conn: &mut SqliteConnection, episode_id: i64) -> sqlx::Result<Vec<RevisionRow>> {
    sqlx::query_as!(
        RevisionRow,
        r#"select r.id as "id!", r.actor, u.email as "email?", p.name as "person_name?", r.number,
                r.title, r.created_at as "created_at: Timestamp"
         from episode_revisions r left join users u on u.id = r.user_id
         left join people p on p.id = u.person_id
         where r.episode_id = ? order by r.id desc"#,
        episode_id,
    )
    .fetch_all(conn)
    .await
}

/// One revision of episode `episode_id` with its content: (listed row, doc_json, notes_md).
pub async fn one(
    conn: &mut SqliteConnection,
    episode_id: i64,
    revision_id: i64,
) -> sqlx::Result<Option<(RevisionRow, String, String)>> {
    let row = sqlx::query_as!(
        RevisionRow,
        r#"select r.id as "id!", r.actor, u.email as "email?", p.name as "person_name?", r.number,
                r.title, r.created_at as "created_at: Timestamp"
         from episode_revisions r left join users u on u.id = r.user_id
         left join people p on p.id = u.person_id
         where r.episode_id = ? and r.id = ?"#,
        episode_id,
        revision_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let texts = sqlx::query!(
        "select doc_json, notes_md from episode_revisions where id = ?",
        revision_id
    )
    .fetch_one(conn)
    .await?;
    Ok(Some((row, texts.doc_json, texts.notes_md)))
}
