//! `import feed`: the show's existing podcast feed fills in what podcast apps know each episode
//! by (guid, date, audio, duration), and creates the episodes only the feed has.
//!
//! Items are matched to episodes by number. An item's guid (or, without one, what apps fall
//! back to) becomes the episode's guid for good, so that apps that read the old feed find the
//! same episodes in ours. A description becomes a created episode's intro as written: HTML is
//! valid markdown, and the site renders it sanitized, as it renders every intro.

use std::collections::HashMap;

use sqlx::{Acquire, SqliteConnection, SqlitePool};

use super::feed_store::{self, FeedFields};
use super::model::{Audio, EpisodeDoc, Status};
use super::notes_import::Change;
use super::save::{Known, SaveError, save_episode_with};
use crate::admin::store::record_import;
use crate::clock::Timestamp;
use crate::podcast_feed::{self, FeedItem};

/// What importing one item did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemImported {
    pub number: i64,
    pub title: String,
    pub change: Change,
    /// `item N "title": message` for what was skipped or read despite looking wrong.
    pub warnings: Vec<String>,
}

/// Every item's outcome in feed order; a refusal names the item by position and title.
pub type FeedOutcomes = Vec<Result<ItemImported, String>>;

/// Why a feed was not imported at all.
#[derive(Debug, thiserror::Error)]
pub enum FeedImportError {
    /// The text is not a feed; nothing was written.
    #[error("{source_name}:{line}: {message}", line = .error.line, message = .error.message)]
    Unreadable {
        source_name: String,
        error: podcast_feed::FeedError,
    },
    /// The database failed; nothing was written.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Imports the feed `text` (read from `source_name`) in one transaction: every item that can
/// be imported is, and none of a run is written if the database fails.
pub async fn import_feed(
    db: &SqlitePool,
    source_name: &str,
    text: &str,
) -> Result<FeedOutcomes, FeedImportError> {
    let items = podcast_feed::parse(text).map_err(|error| FeedImportError::Unreadable {
        source_name: source_name.to_string(),
        error,
    })?;
    let mut tx = crate::db::begin_write(db).await?;
    let numbers = number_items(&mut tx, &items).await?;
    let mut outcomes = Vec::with_capacity(items.len());
    let mut taken: HashMap<i64, usize> = HashMap::new();
    for item in items {
        let item = match item {
            Ok(item) => item,
            Err(refused) => {
                outcomes.push(Err(refused));
                continue;
            }
        };
        let number = numbers[&item.position];
        if let Some(first) = taken.insert(number, item.position) {
            outcomes.push(Err(format!(
                "{}: episode {number} is item {first} already: give one of them another itunes:episode",
                name(&item)
            )));
            continue;
        }
        let mut savepoint = tx.begin().await?;
        match import_item(&mut savepoint, &item, number).await {
            Ok(Ok(imported)) => {
                savepoint.commit().await?;
                outcomes.push(Ok(imported));
            }
            Ok(Err(refused)) => {
                savepoint.rollback().await?;
                outcomes.push(Err(refused));
            }
            Err(error) => {
                savepoint.rollback().await?;
                outcomes.push(Err(format!("{}: {error}", name(&item))));
            }
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// `item N "title"`, how messages name an item.
fn name(item: &FeedItem) -> String {
    format!("item {} \"{}\"", item.position, item.title)
}

/// Each readable item's episode number, by position: its own; else that of the episode that
/// already has its guid (an earlier import); else the next after the highest number known, in
/// publication order (feeds list newest first, so an undated item counts as older than the
/// items below it).
async fn number_items(
    conn: &mut SqliteConnection,
    items: &[Result<FeedItem, String>],
) -> sqlx::Result<HashMap<usize, i64>> {
    let items: Vec<&FeedItem> = items.iter().flatten().collect();
    let mut numbers = HashMap::with_capacity(items.len());
    let mut unnumbered = Vec::new();
    for item in &items {
        let known = match item.number {
            Some(number) => Some(number),
            None => feed_store::number_with_guid(conn, &item.identity).await?,
        };
        match known {
            Some(number) => {
                numbers.insert(item.position, number);
            }
            None => unnumbered.push(*item),
        }
    }
    let highest_in_feed = numbers.values().copied().max();
    let highest = feed_store::highest_number(conn)
        .await?
        .max(highest_in_feed)
        .unwrap_or(0);
    unnumbered.sort_by_key(|item| (item.published, std::cmp::Reverse(item.position)));
    for (next, item) in (highest + 1..).zip(unnumbered) {
        numbers.insert(item.position, next);
    }
    Ok(numbers)
}

/// Fills episode `number` from `item`, or creates it. `Ok(Err(_))` is an item refused.
async fn import_item(
    conn: &mut SqliteConnection,
    item: &FeedItem,
    number: i64,
) -> Result<Result<ItemImported, String>, SaveError> {
    if let Some(other) = feed_store::number_with_guid(conn, &item.identity).await?
        && other != number
    {
        return Ok(Err(format!(
            "{}: guid {:?} is episode {other}'s already; an episode keeps its guid for good",
            name(item),
            item.identity
        )));
    }
    let mut warnings: Vec<String> = item
        .warnings
        .iter()
        .map(|w| format!("{}: {w}", name(item)))
        .collect();
    let now = crate::clock::now();
    let change = match feed_store::feed_fields(conn, number).await? {
        Some(stored) => {
            let fields = merged(item, &stored.fields);
            if fields == stored.fields {
                Change::Unchanged
            } else {
                feed_store::set_feed_fields(conn, stored.id, &fields, false, &now).await?;
                let detail = format!("#{number}: guid, date and audio from the feed");
                record_import(conn, "episode", stored.id, &detail).await?;
                Change::Updated
            }
        }
        None => {
            if item.published.is_none() {
                warnings.push(format!("{}: no date: published today", name(item)));
            }
            let id = create(conn, item, number, &now).await?;
            let detail = format!("#{number} from the feed");
            record_import(conn, "episode", id, &detail).await?;
            Change::Created
        }
    };
    Ok(Ok(ItemImported {
        number,
        title: item.title.clone(),
        change,
        warnings,
    }))
}

/// An episode only the feed has: title and description, published on its date. Returns its id.
async fn create(
    conn: &mut SqliteConnection,
    item: &FeedItem,
    number: i64,
    now: &Timestamp,
) -> Result<i64, SaveError> {
    let published_at = item.published.map(Timestamp::of);
    let title = match podcast_feed::title_without_number(&item.title) {
        "" => format!("Episode {number}"),
        title => title.to_string(),
    };
    let doc = EpisodeDoc {
        number,
        title,
        status: Status::Published,
        published_at,
        intro_md: item.description.clone(),
        audio: item.audio.as_ref().map(|audio| Audio {
            url: audio.url.clone(),
            bytes: audio.bytes,
            mime_type: audio.mime_type.clone(),
            duration_secs: item.duration_secs,
        }),
        ..Default::default()
    };
    let saved = save_episode_with(conn, doc, &mut Known::default()).await?;
    let stored = feed_store::feed_fields(conn, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let fields = merged(item, &stored.fields);
    feed_store::set_feed_fields(conn, saved.episode_id, &fields, true, now).await?;
    Ok(saved.episode_id)
}

/// The feed fields of an episode after `item` is imported: what the item says, and what the
/// episode has where the item says nothing.
fn merged(item: &FeedItem, stored: &FeedFields) -> FeedFields {
    let audio = item.audio.as_ref();
    let same_audio = audio.is_some_and(|a| stored.audio_url.as_deref() == Some(a.url.as_str()));
    let kept = |ours: &Option<i64>| if same_audio { *ours } else { None };
    FeedFields {
        guid: item.identity.clone(),
        published_at: item.published.map(Timestamp::of).or(stored.published_at),
        audio_url: audio
            .map(|a| a.url.clone())
            .or_else(|| stored.audio_url.clone()),
        audio_bytes: match audio {
            Some(a) => a.bytes.or_else(|| kept(&stored.audio_bytes)),
            None => stored.audio_bytes,
        },
        audio_type: match audio {
            Some(a) => a
                .mime_type
                .clone()
                .or_else(|| same_audio.then(|| stored.audio_type.clone()).flatten()),
            None => stored.audio_type.clone(),
        },
        duration_secs: item.duration_secs.or(stored.duration_secs),
        link_url: item.link.clone().or_else(|| stored.link_url.clone()),
        image_url: item.image.clone().or_else(|| stored.image_url.clone()),
    }
}
