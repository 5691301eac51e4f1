//! SQL for the transcripts, their cues and their search index.

use sqlx::SqliteConnection;

use super::format::Cue;
use crate::clock::Timestamp;

/// What the admin says about an attached transcript.
#[derive(Debug, Clone)]
pub struct TranscriptRow {
    pub source_name: String,
    pub source_format: String,
    pub updated_at: Timestamp,
    pub cue_count: i64,
}

struct CueRow {
    start_ms: i64,
    end_ms: i64,
    speaker: String,
    text: String,
}

impl From<CueRow> for Cue {
    fn from(row: CueRow) -> Self {
        Self {
            start_ms: row.start_ms,
            end_ms: row.end_ms,
            speaker: row.speaker,
            text: row.text,
        }
    }
}

/// Puts `cues` in place of episode `episode_id`'s transcript (if any), with its search text.
/// Call inside a transaction: the row, the cues and the index change together.
pub async fn replace(
    conn: &mut SqliteConnection,
    episode_id: i64,
    source_name: &str,
    source_format: &str,
    cues: &[Cue],
    now: &Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into transcripts (episode_id, source_name, source_format, created_at, updated_at)
         values (?1, ?2, ?3, ?4, ?4)
         on conflict (episode_id) do update set source_name = excluded.source_name,
             source_format = excluded.source_format, updated_at = excluded.updated_at",
        episode_id,
        source_name,
        source_format,
        now,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from transcript_cues where episode_id = ?",
        episode_id
    )
    .execute(&mut *conn)
    .await?;
    insert_cues(conn, episode_id, cues).await?;
    index(conn, episode_id, cues).await
}

/// Every cue in one statement: an hour of talk is a thousand cues.
async fn insert_cues(
    conn: &mut SqliteConnection,
    episode_id: i64,
    cues: &[Cue],
) -> sqlx::Result<()> {
    let rows: Vec<(i64, i64, &str, &str)> = cues
        .iter()
        .map(|c| (c.start_ms, c.end_ms, c.speaker.as_str(), c.text.as_str()))
        .collect();
    let rows = crate::db::json_param(&rows)?;
    sqlx::query!(
        "insert into transcript_cues (episode_id, position, start_ms, end_ms, speaker, text)
         select ?1, j.key + 1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3
         from json_each(?2) j",
        episode_id,
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What search reads of a transcript: each speaker's name once per turn, and every cue's text.
async fn index(conn: &mut SqliteConnection, episode_id: i64, cues: &[Cue]) -> sqlx::Result<()> {
    let mut text = String::new();
    let mut speaker = "";
    for cue in cues {
        if !cue.speaker.is_empty() && cue.speaker != speaker {
            text.push_str(&cue.speaker);
            text.push_str(": ");
        }
        speaker = &cue.speaker;
        text.push_str(&cue.text);
        text.push('\n');
    }
    sqlx::query!("delete from transcripts_fts where rowid = ?", episode_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into transcripts_fts (rowid, text) values (?, ?)",
        episode_id,
        text,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes episode `episode_id`'s transcript (its cues and search text go with it); whether
/// there was one.
pub async fn delete(conn: &mut SqliteConnection, episode_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from transcripts where episode_id = ?", episode_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The transcript attached to episode `episode_id`, if any.
pub async fn transcript_of(
    conn: &mut SqliteConnection,
    episode_id: i64,
) -> sqlx::Result<Option<TranscriptRow>> {
    sqlx::query_as!(
        TranscriptRow,
        r#"select t.source_name, t.source_format, t.updated_at as "updated_at: Timestamp",
                (select count(*) from transcript_cues c where c.episode_id = t.episode_id) as "cue_count!: i64"
         from transcripts t where t.episode_id = ?"#,
        episode_id,
    )
    .fetch_optional(conn)
    .await
}

/// The cues of episode `episode_id`, in playing order (none when it has no transcript).
pub async fn cues_of(conn: &mut SqliteConnection, episode_id: i64) -> sqlx::Result<Vec<Cue>> {
    let rows = sqlx::query_as!(
        CueRow,
        "select start_ms, end_ms, speaker, text from transcript_cues
         where episode_id = ? order by position",
        episode_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Cue::from).collect())
}

/// The published episodes with a transcript: the ones whose transcript files exist.
pub async fn published_numbers_with_cues(
    conn: &mut SqliteConnection,
) -> sqlx::Result<std::collections::HashSet<i64>> {
    let numbers = sqlx::query_scalar!(
        "select e.number from episodes e where e.status = 'published'
         and exists (select 1 from transcript_cues c where c.episode_id = e.id)"
    )
    .fetch_all(conn)
    .await?;
    Ok(numbers.into_iter().collect())
}

/// The cues of episode `number` in playing order: none without a transcript, or for a draft
/// unless `include_drafts`.
pub async fn cues_of_number(
    conn: &mut SqliteConnection,
    number: i64,
    include_drafts: bool,
) -> sqlx::Result<Vec<Cue>> {
    let rows = sqlx::query_as!(
        CueRow,
        "select c.start_ms, c.end_ms, c.speaker, c.text from transcript_cues c
         join episodes e on e.id = c.episode_id
         where e.number = ? and (? or e.status = 'published') order by c.position",
        number,
        include_drafts,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Cue::from).collect())
}
