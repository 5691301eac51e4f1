//! `shownotes check feed`: what a podcast directory would reject in the show's feed.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use sqlx::SqliteConnection;

use super::store::{self, FeedRow};
use crate::settings::{self, Settings};

/// Apple Podcasts Connect refuses titles longer than this many characters.
pub const MAX_TITLE_CHARS: usize = 255;
/// Apple Podcasts reads at most this many bytes of a show description.
pub const MAX_DESCRIPTION_BYTES: usize = 4000;

/// One thing a directory would reject, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// "show", or the episode ("episode 434 “Title”").
    pub subject: String,
    /// What is wrong, in words a host can act on.
    pub message: String,
    /// Where it is fixed: a settings field, or an episode.
    pub fix: Fix,
}

/// Where a problem is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// The settings form's field of this name.
    Setting(&'static str),
    /// The episode with this id.
    Episode(i64),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Runs the check on the database at `db_path`: prints each problem, fails when there are any.
pub async fn run(db_path: &Path) -> anyhow::Result<()> {
    let pool = crate::db::open(db_path).await?;
    let problems = problems(&mut *pool.acquire().await?).await?;
    for problem in &problems {
        println!("{problem}");
    }
    match problems.len() {
        0 => {
            println!("the feed has nothing a podcast directory would reject");
            Ok(())
        }
        n => anyhow::bail!("{n} problem(s) a podcast directory would reject"),
    }
}

/// Every problem of the show and its published episodes.
pub async fn problems(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Problem>> {
    let settings = settings::load(conn).await?;
    let rows = store::feed_rows(conn, "", None).await?;
    let changed: HashMap<i64, String> = store::changed_guids(conn).await?.into_iter().collect();
    let mut problems = show_problems(&settings);
    let mut enclosures: HashMap<&str, i64> = HashMap::new();
    for row in &rows {
        let subject = format!("episode {} “{}”", row.number, row.title);
        let mut messages = episode_problems(row);
        if let Some(old) = changed.get(&row.number) {
            messages.push(format!(
                "guid changed from {old:?} to {:?}: apps will see a new episode",
                row.guid
            ));
        }
        if let Some(url) = row.audio_url.as_deref()
            && let Some(first) = enclosures.insert(url, row.number)
        {
            messages.push(format!(
                "enclosure URL is also episode {first}'s: directories skip repeats"
            ));
        }
        problems.extend(messages.into_iter().map(|message| Problem {
            subject: subject.clone(),
            message,
            fix: Fix::Episode(row.id),
        }));
    }
    Ok(problems)
}

/// The show's problems, each with the settings field that fixes it.
fn show_problems(settings: &Settings) -> Vec<Problem> {
    let mut messages = Vec::new();
    if settings.artwork_url.trim().is_empty() {
        messages.push((
            "artwork_url",
            "no artwork (itunes:image): set the show's artwork URL".to_string(),
        ));
    } else if !settings.artwork_url.starts_with("https://") {
        messages.push((
            "artwork_url",
            format!("artwork URL is not HTTPS: {}", settings.artwork_url),
        ));
    }
    if settings.title.trim().is_empty() {
        messages.push(("title", "the show has no title".to_string()));
    } else if settings.title.chars().count() > MAX_TITLE_CHARS {
        messages.push((
            "title",
            format!("show title is over {MAX_TITLE_CHARS} characters"),
        ));
    }
    if settings.description.trim().is_empty() {
        messages.push(("description", "the show has no description".to_string()));
    } else if settings.description.len() > MAX_DESCRIPTION_BYTES {
        messages.push((
            "description",
            format!("show description is over {MAX_DESCRIPTION_BYTES} bytes"),
        ));
    }
    if settings.owner_email.trim().is_empty() {
        messages.push((
            "owner_email",
            "no owner email (itunes:owner): directories verify the show with it".to_string(),
        ));
    }
    if super::channel::parse_categories(&settings.categories).is_empty() {
        messages.push(("categories", "no category (itunes:category)".to_string()));
    }
    messages
        .into_iter()
        .map(|(field, message)| Problem {
            subject: "show".to_string(),
            message,
            fix: Fix::Setting(field),
        })
        .collect()
}

fn episode_problems(row: &FeedRow) -> Vec<String> {
    let mut messages = Vec::new();
    if row.title.trim().is_empty() {
        messages.push("no title".to_string());
    } else if row.title.chars().count() > MAX_TITLE_CHARS {
        messages.push(format!(
            "title is {} characters, over Apple's limit of {MAX_TITLE_CHARS}",
            row.title.chars().count()
        ));
    }
    match row.audio_url.as_deref() {
        None => messages.push("no enclosure: the episode has no audio file".to_string()),
        Some(url) => {
            if !url.starts_with("https://") {
                messages.push(format!("enclosure URL is not HTTPS: {url}"));
            }
            if row.audio_bytes.unwrap_or(0) <= 0 {
                messages
                    .push("enclosure has no length (the audio file's size in bytes)".to_string());
            }
        }
    }
    messages
}
