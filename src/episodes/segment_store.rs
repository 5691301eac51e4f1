//! SQL for writing an episode's segments many rows at a time.

use sqlx::SqliteConnection;

use super::model::SegmentDoc;

/// A segment row to insert.
#[derive(Debug, serde::Serialize)]
pub struct NewSegment<'a> {
    pub position: i64,
    pub kind: &'a str,
    pub person: Option<i64>,
    pub credited_as: Option<&'a str>,
    pub number: Option<i64>,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub notes: &'a str,
    /// The notes rendered for a host, when the writer rendered them already; a guest's are
    /// left for the first read (their links get `nofollow ugc`).
    pub notes_html: Option<&'a str>,
    pub start: Option<i64>,
}

impl<'a> NewSegment<'a> {
    /// The row for `segment`, presented by `person_id`.
    pub fn of(segment: &'a SegmentDoc, person_id: Option<i64>) -> Self {
        Self {
            position: segment.position,
            kind: segment.kind.as_str(),
            person: person_id,
            credited_as: segment.credited_as.as_deref(),
            number: segment.number,
            title: &segment.title,
            url: segment.url.as_deref(),
            notes: &segment.notes_md,
            // Empty notes render as nothing, for anyone: stored, not left for a first read.
            notes_html: Some(segment.notes_html.as_str())
                .filter(|html| !html.is_empty() || segment.notes_md.is_empty()),
            start: segment.start_secs,
        }
    }
}

/// Inserts an episode's segments in one statement; returns their ids in position order.
pub async fn insert_segments(
    conn: &mut SqliteConnection,
    episode_id: i64,
    segments: &[NewSegment<'_>],
) -> sqlx::Result<Vec<i64>> {
    if segments.is_empty() {
        return Ok(Vec::new());
    }
    let segments = crate::db::json_param(segments)?;
    let rows = sqlx::query!(
        r#"insert into segments (episode_id, position, kind, person_id, credited_as, number, title, url, notes_md,
             notes_html, start_secs)
         select ?1, j.value ->> 'position', j.value ->> 'kind', j.value ->> 'person', j.value ->> 'credited_as',
             j.value ->> 'number', j.value ->> 'title', j.value ->> 'url', j.value ->> 'notes',
             iif(coalesce((select is_guest from people where id = j.value ->> 'person'), 0), null,
                 j.value ->> 'notes_html'),
             j.value ->> 'start'
         from json_each(?2) j order by j.key
         returning position, id as "id!""#,
        episode_id,
        segments,
    )
    .fetch_all(conn)
    .await?;
    let mut rows: Vec<(i64, i64)> = rows.into_iter().map(|s| (s.position, s.id)).collect();
    // `returning` gives rows in no promised order.
    rows.sort_unstable();
    Ok(rows.into_iter().map(|(_, id)| id).collect())
}
