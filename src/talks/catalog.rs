//! Writing the catalog: pyvideo records and talks found in show notes, merged by video.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use super::pyvideo::{self, Record, RelatedUrl, Video};
use super::store_catalog::TalkRow;
use super::{store, store_catalog};
use crate::links::UrlKey;
use crate::people::person_ref::PersonRef;

/// The event that holds talks found in notes until a catalog record claims them.
pub const FROM_THE_SHOW: &str = "from-the-show";

/// Inserts or updates the event `slug`; returns its id.
pub async fn upsert_event(
    conn: &mut SqliteConnection,
    slug: &str,
    title: &str,
    extra: &Map<String, Value>,
    source: &Value,
) -> sqlx::Result<i64> {
    store_catalog::upsert_event(conn, slug, title, year_in(title), extra, source).await
}

/// The year an event's title names ("PyCon US 2025"), for ordering events.
fn year_in(title: &str) -> Option<i64> {
    title
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse::<i64>().ok())
        .rfind(|year| (1980..=2200).contains(year))
}

/// The YouTube id of the first video that has one: a talk's identity across sources.
pub fn video_id_of(videos: &[Video]) -> Option<String> {
    videos
        .iter()
        .find_map(|v| UrlKey::parse(&v.url).youtube_id().map(str::to_string))
}

/// Saves an event's catalog records (`(slug, record)`, in order) as its talks, as if
/// one after another. Each record is a talk of its own, whatever video it shares with
/// another (issue 12); a talk found in notes and held in [`FROM_THE_SHOW`] takes the
/// event, slug, title and speakers of the first record with its video, and the links
/// and segments the notes gave it stay. Returns the talks' ids in order.
pub async fn save_records(
    conn: &mut SqliteConnection,
    event_id: i64,
    records: &[(String, Record)],
) -> sqlx::Result<Vec<i64>> {
    let videos: Vec<String> = records
        .iter()
        .filter_map(|(_, record)| video_id_of(&record.videos))
        .collect();
    let mut held = store::held_talks_by_video(conn, FROM_THE_SHOW, &videos).await?;
    let rows: Vec<TalkRow<'_>> = records
        .iter()
        .map(|(slug, record)| TalkRow {
            slug,
            record,
            video_id: video_id_of(&record.videos),
        })
        .collect();
    for row in &rows {
        // A talk found in notes and held until now becomes the first record with its
        // video; records after it that share the video stay talks of their own. Moved
        // before any record is saved: an event's records have slugs of their own (file
        // names), so none of them can take the slug first.
        if let Some(held_id) = row.video_id.as_ref().and_then(|v| held.remove(v)) {
            store::move_talk(conn, held_id, event_id, row.slug).await?;
        }
    }
    let by_slug = store_catalog::upsert_talks(conn, event_id, &rows).await?;
    let ids = records
        .iter()
        .map(|(slug, _)| by_slug.get(slug).copied().ok_or(sqlx::Error::RowNotFound))
        .collect::<sqlx::Result<Vec<i64>>>()?;
    let speakers = speakers_of(conn, records).await?;
    let latest = last_record_of_each_talk(&ids);
    replace_speakers(conn, &latest, &speakers).await?;
    replace_catalog_links(conn, &latest, records).await?;
    Ok(ids)
}

/// Each talk saved, with the index of the last record saved to it: a record
/// replaces the speakers and catalog links of any record before it.
fn last_record_of_each_talk(ids: &[i64]) -> Vec<(i64, usize)> {
    let latest: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut latest: Vec<(i64, usize)> = latest.into_iter().collect();
    latest.sort_unstable();
    latest
}

/// A speaker of a record: their place, the person, and the name as the record wrote it.
type Credit<'a> = (usize, i64, &'a str);

/// Each record's speakers, resolved (or created) in the order the records name
/// them, as saving the records one by one would.
async fn speakers_of<'a>(
    conn: &mut SqliteConnection,
    records: &'a [(String, Record)],
) -> sqlx::Result<Vec<Vec<Credit<'a>>>> {
    let person = |name: &str| PersonRef {
        slug: String::new(),
        name: name.to_string(),
    };
    let everyone: Vec<PersonRef> = records
        .iter()
        .flat_map(|(_, record)| pyvideo::credited(record).into_iter().map(person))
        .collect();
    let mut known = crate::people::store::KnownPeople::preload(conn, everyone.iter()).await?;
    let mut speakers = Vec::with_capacity(records.len());
    for (_, record) in records {
        let mut of_record = Vec::with_capacity(record.speakers.len());
        for (place, name) in pyvideo::credited(record).into_iter().enumerate() {
            let id = known.resolve_or_create(conn, &person(name), true).await?;
            of_record.push((place, id, name));
        }
        speakers.push(of_record);
    }
    Ok(speakers)
}

#[derive(Serialize)]
struct SpeakerRow<'a> {
    talk: i64,
    person: i64,
    position: usize,
    credited_as: &'a str,
}

/// Replaces the speakers of each talk with those of its last record.
async fn replace_speakers(
    conn: &mut SqliteConnection,
    latest: &[(i64, usize)],
    speakers: &[Vec<Credit<'_>>],
) -> sqlx::Result<()> {
    let talks: Vec<i64> = latest.iter().map(|(talk, _)| *talk).collect();
    let rows: Vec<SpeakerRow> = latest
        .iter()
        .flat_map(|(talk, record)| {
            speakers[*record]
                .iter()
                .map(|(position, person, name)| SpeakerRow {
                    talk: *talk,
                    person: *person,
                    position: *position,
                    credited_as: name,
                })
        })
        .collect();
    store_catalog::replace_speakers(conn, &talks, &rows).await
}

#[derive(Serialize)]
struct CatalogLinkRow<'a> {
    talk: i64,
    offset: usize,
    url: &'a str,
    text: &'a str,
    bare: bool,
}

/// Replaces the catalog links of each talk with its last record's related URLs,
/// after any links from notes.
async fn replace_catalog_links(
    conn: &mut SqliteConnection,
    latest: &[(i64, usize)],
    records: &[(String, Record)],
) -> sqlx::Result<()> {
    let talks: Vec<i64> = latest.iter().map(|(talk, _)| *talk).collect();
    let rows: Vec<CatalogLinkRow> = latest
        .iter()
        .flat_map(|(talk, record)| {
            records[*record]
                .1
                .related_urls
                .iter()
                .enumerate()
                .map(|(offset, link)| {
                    let (url, text, bare) = match link {
                        RelatedUrl::Bare(url) => (url.as_str(), "", true),
                        RelatedUrl::Labelled { label, url } => {
                            (url.as_str(), label.as_str(), false)
                        }
                    };
                    CatalogLinkRow {
                        talk: *talk,
                        offset: offset + 1,
                        url,
                        text,
                        bare,
                    }
                })
        })
        .collect();
    store_catalog::replace_catalog_links(conn, &talks, &rows).await
}
