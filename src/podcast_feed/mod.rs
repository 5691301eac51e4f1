//! A show's existing podcast feed (RSS 2.0 with Apple's and Podcasting 2.0's tags, or Atom),
//! read for `import feed`: [`parse`] gives each item as podcast apps know it.
//!
//! Pure code, no database and no I/O, like `notes`.

mod decode;
mod values;
mod xml;

pub use decode::feed_text;

pub use crate::notes::{number_in_title, title_without_number};
pub use values::{duration_secs, publication_date};

/// An item's children as written (trimmed of nothing), before they are read as values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawItem {
    /// 1-based position of the item in the feed.
    pub position: usize,
    pub title: Option<String>,
    pub link: Option<String>,
    pub guid: Option<String>,
    pub pub_date: Option<String>,
    /// Atom's `updated`, the date of an entry without `published`.
    pub updated: Option<String>,
    pub description: Option<String>,
    /// `content:encoded` or Atom's `content`.
    pub content: Option<String>,
    pub episode: Option<String>,
    pub duration: Option<String>,
    pub image: Option<String>,
    pub enclosures: Vec<RawEnclosure>,
}

/// An `<enclosure>` (or Atom `rel="enclosure"` link) as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEnclosure {
    pub url: String,
    pub length: Option<String>,
    pub mime_type: Option<String>,
}

/// An item as an import uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// 1-based position of the item in the feed.
    pub position: usize,
    /// The title, trimmed; empty when the item has none.
    pub title: String,
    /// `itunes:episode`, else the number in the title.
    pub number: Option<i64>,
    /// What podcast apps know the item by: its guid, else its link, else its enclosure URL.
    pub identity: String,
    /// `pubDate` (or Atom `published`/`updated`), when it reads as a date.
    pub published: Option<time::OffsetDateTime>,
    /// The description (HTML or text, as written).
    pub description: String,
    pub audio: Option<Audio>,
    pub duration_secs: Option<i64>,
    /// The item's web page, when it is an http(s) URL.
    pub link: Option<String>,
    /// The item's artwork, when it is an http(s) URL.
    pub image: Option<String>,
    /// What was skipped or read despite looking wrong.
    pub warnings: Vec<String>,
}

/// The first enclosure of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audio {
    pub url: String,
    pub bytes: Option<i64>,
    pub mime_type: Option<String>,
}

/// A feed that cannot be read at all, with the line where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FeedError {
    pub line: usize,
    pub message: String,
}

impl FeedError {
    fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let before = text.get(..offset.min(text.len())).unwrap_or(text);
        Self {
            line: before.matches('\n').count() + 1,
            message: message.into(),
        }
    }
}

/// Every item of a feed, in feed order: each one read, or why it cannot be (`position: title:
/// reason`).
pub fn parse(text: &str) -> Result<Vec<Result<FeedItem, String>>, FeedError> {
    Ok(xml::items(text)?.into_iter().map(read_item).collect())
}

/// Reads one item's values; an item apps cannot identify is refused.
pub fn read_item(raw: RawItem) -> Result<FeedItem, String> {
    let title = raw.title.as_deref().map(str::trim).unwrap_or_default();
    let mut warnings = Vec::new();
    let identity = identity(&raw).ok_or_else(|| {
        format!(
            "item {} \"{title}\": no guid, link or enclosure, so podcast apps cannot tell it apart: add a <guid>",
            raw.position
        )
    })?;
    let number = match raw.episode.as_deref().map(str::trim) {
        Some(text) => match text.parse::<i64>() {
            Ok(number) if number >= 0 => Some(number),
            _ => {
                warnings.push(format!("itunes:episode {text:?} is not a number"));
                number_in_title(title)
            }
        },
        None => number_in_title(title),
    };
    let published = date(&raw, &mut warnings);
    let duration_secs = raw.duration.as_deref().and_then(|text| {
        let secs = duration_secs(text);
        if secs.is_none() {
            warnings.push(format!(
                "itunes:duration {text:?} is not seconds, mm:ss or hh:mm:ss: left out"
            ));
        }
        secs
    });
    Ok(FeedItem {
        position: raw.position,
        title: title.to_string(),
        number,
        identity,
        published,
        description: raw
            .description
            .as_deref()
            .or(raw.content.as_deref())
            .unwrap_or_default()
            .trim()
            .to_string(),
        audio: audio(&raw.enclosures, &mut warnings),
        duration_secs,
        link: web_url("link", raw.link.as_deref(), &mut warnings),
        image: web_url("itunes:image", raw.image.as_deref(), &mut warnings),
        warnings,
    })
}

/// Its guid, else what podcast apps fall back to: the link, else the first enclosure's URL.
fn identity(raw: &RawItem) -> Option<String> {
    fn written(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|t| !t.is_empty())
    }
    written(raw.guid.as_deref())
        .or_else(|| written(raw.link.as_deref()))
        .or_else(|| written(raw.enclosures.first().map(|e| e.url.as_str())))
        .map(str::to_string)
}

fn date(raw: &RawItem, warnings: &mut Vec<String>) -> Option<time::OffsetDateTime> {
    let text = raw.pub_date.as_deref().or(raw.updated.as_deref())?;
    let read = publication_date(text);
    if read.is_none() {
        warnings.push(format!("pubDate {:?} is not a date: left out", text.trim()));
    }
    read
}

/// The first enclosure, when its URL is a web address; more than one is warned about.
fn audio(enclosures: &[RawEnclosure], warnings: &mut Vec<String>) -> Option<Audio> {
    let first = enclosures.first()?;
    if enclosures.len() > 1 {
        warnings.push(format!(
            "{} enclosures: only the first ({}) is kept",
            enclosures.len(),
            first.url.trim()
        ));
    }
    let url = web_url("enclosure", Some(&first.url), warnings)?;
    let bytes = first.length.as_deref().and_then(|text| {
        let bytes = text.trim().parse::<i64>().ok().filter(|b| *b >= 0);
        if bytes.is_none() {
            warnings.push(format!(
                "enclosure length {text:?} is not a number of bytes: left out"
            ));
        }
        bytes
    });
    Some(Audio {
        url,
        bytes,
        mime_type: first
            .mime_type
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// A URL kept as a link only when it is http(s): another scheme would be a link listeners
/// cannot follow, or one that runs script.
fn web_url(what: &str, url: Option<&str>, warnings: &mut Vec<String>) -> Option<String> {
    let url = url.map(str::trim).filter(|u| !u.is_empty())?;
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Some(url.to_string())
    } else {
        warnings.push(format!("{what} {url:?} is not an http(s) URL: skipped"));
        None
    }
}

#[cfg(test)]
mod tests;
