//! Attaching and removing an episode's transcript: the rules and the transaction, for the
//! admin and the command line alike. Knows nothing of the web.

use sqlx::SqlitePool;

use super::format::{self, Cue, Format, ParseError};
use super::store;
use crate::admin::store::audit;
use crate::clock::Timestamp;
use crate::{clock, db};

/// The largest transcript file accepted: an hour and a half of talk as WebVTT is about 150 KB,
/// so this leaves room for long episodes and still bounds what one upload holds in memory.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Why a transcript was not attached.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    /// No episode by that number or id.
    #[error("there is no episode {0}")]
    NoEpisode(String),
    /// Nothing was sent.
    #[error("choose a WebVTT (.vtt) or SRT (.srt) file to attach")]
    NoFile,
    /// Over [`MAX_FILE_BYTES`].
    #[error("{file} is {size}; a transcript may be at most 2 MB")]
    TooLarge { file: String, size: String },
    /// An upload over the limit, cut off before its end.
    #[error("the file is larger than 2 MB, the most a transcript may be")]
    UploadTooLarge,
    /// Neither the name nor the text says WebVTT or SRT.
    #[error("{file} is neither WebVTT nor SRT: name it .vtt or .srt")]
    UnknownFormat { file: String },
    /// The file says what is wrong on one line.
    #[error("{file} line {}: {}", .error.line, .error.message)]
    Unreadable { file: String, error: ParseError },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl TranscriptError {
    /// Whether what was given was refused (rather than the database failing).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, Self::Database(_))
    }
}

/// What was attached.
#[derive(Debug, Clone)]
pub struct Attached {
    pub format: Format,
    pub cues: usize,
    pub speakers: usize,
}

/// Who attaches or removes: a signed-in user, or the command line.
#[derive(Debug, Clone, Copy)]
pub enum By {
    User(i64),
    CommandLine,
}

impl By {
    fn user_id(self) -> Option<i64> {
        match self {
            Self::User(id) => Some(id),
            Self::CommandLine => None,
        }
    }
}

/// The name to keep and show for an uploaded file: its last path part, at most 200 characters.
pub fn file_name_of(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if base.is_empty() {
        "transcript".to_string()
    } else {
        base
    }
}

/// Reads a transcript file: its format (by name, else by its first line) and its cues.
pub fn read(file: &str, bytes: &[u8]) -> Result<(Format, Vec<Cue>), TranscriptError> {
    if bytes.is_empty() {
        return Err(TranscriptError::NoFile);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TranscriptError::TooLarge {
            file: file.to_string(),
            size: megabytes(bytes.len()),
        });
    }
    let unreadable = |error| TranscriptError::Unreadable {
        file: file.to_string(),
        error,
    };
    let text = format::decode(bytes).map_err(unreadable)?;
    let format = Format::of(file, text).ok_or_else(|| TranscriptError::UnknownFormat {
        file: file.to_string(),
    })?;
    let cues = format::parse(format, text).map_err(unreadable)?;
    Ok((format, cues))
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Reads `bytes` and puts its cues in place of episode `episode_id`'s transcript, in one
/// transaction with the audit entry.
pub async fn attach(
    pool: &SqlitePool,
    episode_id: i64,
    file: &str,
    bytes: &[u8],
    by: By,
) -> Result<Attached, TranscriptError> {
    let (format, cues) = read(file, bytes)?;
    let now = clock::now();
    let mut tx = db::begin_write(pool).await?;
    if crate::episodes::store::number_and_version(&mut tx, episode_id)
        .await?
        .is_none()
    {
        return Err(TranscriptError::NoEpisode(episode_id.to_string()));
    }
    store::replace(&mut tx, episode_id, file, format.as_str(), &cues, &now).await?;
    let detail = format!("attached the transcript {file} ({} cues)", cues.len());
    record(&mut tx, by, episode_id, &detail, &now).await?;
    tx.commit().await?;
    let mut speakers: Vec<&str> = cues.iter().map(|c| c.speaker.as_str()).collect();
    speakers.sort_unstable();
    speakers.dedup();
    speakers.retain(|s| !s.is_empty());
    Ok(Attached {
        format,
        cues: cues.len(),
        speakers: speakers.len(),
    })
}

/// Removes episode `episode_id`'s transcript; whether it had one.
pub async fn remove(pool: &SqlitePool, episode_id: i64, by: By) -> Result<bool, TranscriptError> {
    let mut tx = db::begin_write(pool).await?;
    let removed = store::delete(&mut tx, episode_id).await?;
    if removed {
        record(
            &mut tx,
            by,
            episode_id,
            "removed the transcript",
            &clock::now(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// The audit entry of a change to episode `episode_id`'s transcript (an update of the episode).
async fn record(
    conn: &mut sqlx::SqliteConnection,
    by: By,
    episode_id: i64,
    detail: &str,
    now: &Timestamp,
) -> sqlx::Result<()> {
    let user = by.user_id();
    audit(
        conn,
        user,
        "update",
        "episode",
        Some(episode_id),
        detail,
        now,
    )
    .await
}

/// The id of episode `number`, drafts included.
pub async fn episode_id_of_number(pool: &SqlitePool, number: i64) -> Result<i64, TranscriptError> {
    let mut conn = pool.acquire().await?;
    match crate::episodes::store::status_of_number(&mut conn, number).await? {
        Some(_) => Ok(crate::episodes::store::id_of_number(&mut conn, number).await?),
        None => Err(TranscriptError::NoEpisode(number.to_string())),
    }
}
