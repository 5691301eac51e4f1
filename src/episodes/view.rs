//! Turning stored rows into the episode document, with HTML rendered.

use std::collections::HashMap;

use sqlx::SqliteConnection;
use time::macros::format_description;

use super::model::{Audio, EpisodeDoc, LinkRef, PersonRef, SegmentDoc, SegmentKind, TalkRef};
use super::store::{self, EpisodeRow, SegmentRow};
use crate::clock::Timestamp;
use crate::markdown::{self, Author};

/// The episode numbered `number` with segments, links and talks; drafts only when asked.
pub async fn load_episode(
    conn: &mut SqliteConnection,
    number: i64,
    include_drafts: bool,
) -> sqlx::Result<Option<EpisodeDoc>> {
    let Some(mut row) = store::episode_by_number(conn, number, include_drafts).await? else {
        return Ok(None);
    };
    let store::SegmentParts {
        mut segments,
        links,
        talks,
    } = store::segment_parts(conn, row.id).await?;
    crate::rendered::fill_missing(conn, &mut row, &mut segments).await?;
    let mut links = group_by_segment(links, |l| l.segment_id);
    let mut talks = group_by_segment(talks, |t| t.segment_id);
    let segments = segments
        .into_iter()
        .map(|s| {
            let links = links.remove(&s.id).unwrap_or_default();
            let talks = talks.remove(&s.id).unwrap_or_default();
            segment_doc(s, links, talks)
        })
        .collect();
    Ok(Some(episode_doc(row, segments)))
}

fn group_by_segment<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut groups: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// The document of an episode row with its (already built) segments.
pub fn episode_doc(row: EpisodeRow, segments: Vec<SegmentDoc>) -> EpisodeDoc {
    EpisodeDoc {
        hosts: hosts_of(&segments),
        intro_html: row
            .intro_html
            .unwrap_or_else(|| markdown::render(&row.intro_md, Author::Host)),
        number: row.number,
        slug: row.slug,
        title: row.title,
        status: row.status,
        published_at: row.published_at,
        recorded_at: None,
        summary: row.summary,
        intro_md: row.intro_md,
        audio: row.audio_url.map(|url| Audio {
            url,
            bytes: row.audio_bytes,
            mime_type: row.audio_type,
            duration_secs: row.duration_secs,
        }),
        video_url: row.video_url,
        segments,
    }
}

/// The people presenting topics, in order of first appearance.
pub fn hosts_of(segments: &[SegmentDoc]) -> Vec<PersonRef> {
    let mut hosts: Vec<PersonRef> = Vec::new();
    for person in segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Topic)
        .filter_map(|s| s.person.as_ref())
    {
        if !hosts.iter().any(|h| h.slug == person.slug) {
            hosts.push(person.clone());
        }
    }
    hosts
}

fn segment_doc(
    row: SegmentRow,
    links: Vec<store::SegmentLinkRow>,
    talks: Vec<store::SegmentTalkRow>,
) -> SegmentDoc {
    let author = crate::rendered::author_of(row.person_is_guest);
    SegmentDoc {
        // Rendered when saved; rows saved before that (or whose author changed) render now.
        notes_html: row
            .notes_html
            .unwrap_or_else(|| markdown::render(&row.notes_md, author)),
        position: row.position,
        kind: SegmentKind::parse(&row.kind).unwrap_or(SegmentKind::Other),
        number: row.number,
        person: row
            .person_slug
            .zip(row.person_name)
            .map(|(slug, name)| PersonRef { slug, name }),
        credited_as: row.credited_as,
        title: row.title,
        // Saving refuses other schemes; this guards rows written by older versions.
        url: row.url.filter(|url| crate::links::web_url::is_web_url(url)),
        notes_md: row.notes_md,
        start_secs: row.start_secs,
        links: links
            .into_iter()
            .map(|l| LinkRef {
                url: l.url,
                url_key: l.url_key,
                text: l.text,
            })
            .collect(),
        talks: talks
            .into_iter()
            .map(|t| TalkRef {
                event: t.event,
                slug: t.slug,
                title: t.title,
            })
            .collect(),
    }
}

/// "May 19, 2025" from an RFC 3339 timestamp; empty when absent or unreadable.
pub fn format_date(at: Option<Timestamp>) -> String {
    let format = format_description!("[month repr:long] [day padding:none], [year]");
    at.and_then(|t| t.moment().format(&format).ok())
        .unwrap_or_default()
}

/// "1h 02m" or "42m" from seconds; empty when unknown.
pub fn format_duration(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) if s >= 3600 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        Some(s) if s > 0 => format!("{}m", (s + 59) / 60),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{format_date, format_duration};
    use crate::clock::Timestamp;

    #[test]
    fn dates_read_like_a_calendar() {
        assert_eq!(
            format_date(Timestamp::parse("2025-05-19T17:00:00Z")),
            "May 19, 2025"
        );
        assert_eq!(format_date(None), "");
    }

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(format_duration(Some(3725)), "1h 02m");
        assert_eq!(format_duration(Some(61)), "2m");
        assert_eq!(format_duration(None), "");
    }
}
