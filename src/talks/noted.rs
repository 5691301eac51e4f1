//! Talks found in show notes, written to the catalog: the talk with the same video
//! if known, else one held in [`FROM_THE_SHOW`]. A file's talks take a handful of
//! statements in all, and end as saving them one by one would leave them.

use std::collections::HashSet;

use serde::Serialize;
use sqlx::SqliteConnection;

use super::catalog::FROM_THE_SHOW;
use super::pyvideo::Video;
use super::store_catalog;
use crate::db::json_param;
use crate::links::UrlKey;
use crate::slug::slugify;

/// A talk named in show notes: its title, video URL and the related links under it.
pub struct NotedTalk<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub related: Vec<(&'a str, &'a str)>,
}

/// What a noted talk is looked up by.
#[derive(Serialize)]
struct Wanted {
    video: Option<String>,
    slug: String,
}

impl Wanted {
    fn of(talk: &NotedTalk<'_>) -> Self {
        Self {
            video: UrlKey::parse(talk.url).youtube_id().map(str::to_string),
            slug: slugify(talk.title),
        }
    }

    /// The slug a new talk is stored under.
    fn stored_slug(&self) -> &str {
        if self.slug.is_empty() {
            "talk"
        } else {
            &self.slug
        }
    }
}

/// Which talk a noted talk is: one that existed before, or the n-th new one.
#[derive(Clone, Copy)]
enum Match {
    Known(i64),
    New(usize),
}

/// The catalog talk of each of `talks`, in order: the one with the same video,
/// else the one in [`FROM_THE_SHOW`] with the same slug, else a new one there.
/// Their related links and segments are written through [`TalkAttachments`].
pub async fn talks_from_notes(
    conn: &mut SqliteConnection,
    talks: &[NotedTalk<'_>],
) -> sqlx::Result<Vec<i64>> {
    if talks.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Wanted> = talks.iter().map(Wanted::of).collect();
    let (event_id, known) = known_talks(conn, &wanted).await?;
    let (matches, new) = match_talks(&wanted, &known);
    let new_ids = insert_talks(conn, event_id, talks, &wanted, &new).await?;
    let ids: Vec<i64> = matches
        .iter()
        .map(|found| match found {
            Match::Known(id) => *id,
            Match::New(n) => new_ids[*n],
        })
        .collect();
    Ok(ids)
}

/// The [`FROM_THE_SHOW`] event, and for each wanted talk the talk that already
/// had its video and the one in the event that already had its slug. Several
/// catalog records may share a video (they stay distinct talks); notes attach to
/// the one earlier notes already attach to, else the first by event slug then talk
/// slug, catalog events before [`FROM_THE_SHOW`]: the record an import of the
/// catalog's folders, in their order, lets claim a talk from notes.
async fn known_talks(
    conn: &mut SqliteConnection,
    wanted: &[Wanted],
) -> sqlx::Result<(i64, Vec<(Option<i64>, Option<i64>)>)> {
    let rows = store_catalog::talks_by_video_or_slug(conn, FROM_THE_SHOW, wanted).await?;
    // No row at all: the event is missing (wanted is never empty here).
    let event_id = rows.first().ok_or(sqlx::Error::RowNotFound)?.0;
    Ok((
        event_id,
        rows.into_iter()
            .map(|(_, video, slug)| (video, slug))
            .collect(),
    ))
}

/// Matches each talk as the one-by-one lookup would (same video first, then same
/// slug), counting talks created earlier in the list; returns the matches and
/// the indices of the talks to create.
fn match_talks(
    wanted: &[Wanted],
    known: &[(Option<i64>, Option<i64>)],
) -> (Vec<Match>, Vec<usize>) {
    let mut new: Vec<usize> = Vec::new();
    let mut matches = Vec::with_capacity(wanted.len());
    for (index, (talk, (by_video, by_slug))) in wanted.iter().zip(known).enumerate() {
        let new_by_video = || {
            let video = talk.video.as_deref()?;
            new.iter()
                .position(|n| wanted[*n].video.as_deref() == Some(video))
                .map(Match::New)
        };
        let new_by_slug = || {
            new.iter()
                .position(|n| wanted[*n].stored_slug() == talk.slug)
                .map(Match::New)
        };
        let found = by_video
            .map(Match::Known)
            .or_else(new_by_video)
            .or(by_slug.map(Match::Known))
            .or_else(new_by_slug);
        matches.push(found.unwrap_or_else(|| {
            new.push(index);
            Match::New(new.len() - 1)
        }));
    }
    (matches, new)
}

#[derive(Serialize)]
struct NewTalk<'a> {
    slug: &'a str,
    title: &'a str,
    video: Option<&'a str>,
    videos: String,
}

/// Creates the talks at `new` (indices into `talks`) in the event; returns their ids in order.
async fn insert_talks(
    conn: &mut SqliteConnection,
    event_id: i64,
    talks: &[NotedTalk<'_>],
    wanted: &[Wanted],
    new: &[usize],
) -> sqlx::Result<Vec<i64>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let rows = new
        .iter()
        .map(|n| new_talk(&talks[*n], &wanted[*n]))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let created = store_catalog::insert_noted_talks(conn, event_id, &rows).await?;
    // Slugs are unique in an event, so they name the new talks.
    rows.iter()
        .map(|row| {
            created
                .get(row.slug)
                .copied()
                .ok_or(sqlx::Error::RowNotFound)
        })
        .collect()
}

fn new_talk<'a>(talk: &NotedTalk<'a>, wanted: &'a Wanted) -> sqlx::Result<NewTalk<'a>> {
    let kind = if wanted.video.is_some() {
        "youtube"
    } else {
        "link"
    };
    let videos = json_param(&[Video {
        kind: kind.to_string(),
        url: talk.url.to_string(),
    }])?;
    Ok(NewTalk {
        slug: wanted.stored_slug(),
        title: talk.title,
        video: wanted.video.as_deref(),
        videos,
    })
}

/// What noted talks are attached to: their related links and the segments that discuss them.
/// Gathered over any number of files and written in two statements, leaving what writing them
/// file by file would have left.
#[derive(Default)]
pub struct TalkAttachments {
    related: Vec<RelatedRow>,
    /// (talk id, URL) of each related link gathered, so a URL met twice is added once.
    related_seen: HashSet<(i64, String)>,
    segments: Vec<SegmentTalk>,
}

#[derive(Serialize)]
struct RelatedRow {
    talk: i64,
    url: String,
    text: String,
}

#[derive(Serialize)]
struct SegmentTalk {
    segment: i64,
    talk: i64,
    position: usize,
}

impl TalkAttachments {
    /// Gathers the related links of `talks` (whose catalog ids are `ids`) and the segments
    /// that discuss them: `(segment id, talk ids in order)`.
    pub fn gather(&mut self, talks: &[NotedTalk<'_>], ids: &[i64], discussed: &[(i64, Vec<i64>)]) {
        for (talk, id) in talks.iter().zip(ids) {
            for (url, text) in &talk.related {
                // A URL met twice (under one talk or two mentions of it) is added once, the first time.
                if self.related_seen.insert((*id, url.to_string())) {
                    self.related.push(RelatedRow {
                        talk: *id,
                        url: url.to_string(),
                        text: text.to_string(),
                    });
                }
            }
        }
        for (segment, talks) in discussed {
            self.segments
                .extend(talks.iter().enumerate().map(|(index, talk)| SegmentTalk {
                    segment: *segment,
                    talk: *talk,
                    position: index + 1,
                }));
        }
    }

    /// Writes what was gathered and forgets it.
    pub async fn write(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let gathered = std::mem::take(self);
        store_catalog::add_related_links(conn, &gathered.related).await?;
        store_catalog::attach_to_segments(conn, &gathered.segments).await
    }
}
