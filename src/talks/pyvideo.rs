//! The pyvideo data layout: `DIR/<event>/category.json` and `DIR/<event>/videos/<talk>.json`.
//! An event's slug is its folder name, a talk's slug its file name without `.json`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::pyjson;

/// One event folder, read and checked.
#[derive(Debug)]
pub struct EventFolder {
    /// The folder name.
    pub slug: String,
    /// `category.json`.
    pub category: Category,
    /// The valid talk records, with their slugs.
    pub talks: Vec<(String, Record)>,
    /// Records that could not be read, by path, with the reason.
    pub rejected: Vec<(PathBuf, String)>,
}

/// `category.json`: the event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Category {
    /// The event's title.
    pub title: String,
    /// Every other field, kept as it was.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The file as read, which export writes back with only the site's changes.
    #[serde(skip)]
    pub source: Value,
}

/// One video record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default)]
    pub recorded: Option<String>,
    #[serde(default)]
    pub duration: Option<i64>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub videos: Vec<Video>,
    #[serde(default)]
    pub related_urls: Vec<RelatedUrl>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Every field not modelled above (copyright_text, quality_notes, id…), kept as it was.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The file as read, which export writes back with only the site's changes.
    #[serde(skip)]
    pub source: Value,
}

/// A video of a talk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Video {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

/// A related URL: a bare string or `{label, url}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum RelatedUrl {
    /// `"https://…"`.
    Bare(String),
    /// `{"label": "…", "url": "…"}`.
    Labelled { label: String, url: String },
}

impl Record {
    /// Checks what the schema requires beyond JSON types.
    fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("title is empty".to_string());
        }
        if let Some(recorded) = &self.recorded {
            let date = recorded.get(..10).unwrap_or_default();
            let valid = date.len() == 10
                && time::Date::parse(
                    date,
                    &time::macros::format_description!("[year]-[month]-[day]"),
                )
                .is_ok();
            if !valid {
                return Err(format!(
                    "recorded {recorded:?} is not a date like 2019-07-11"
                ));
            }
        }
        if self.duration.is_some_and(|d| d < 0) {
            return Err("duration is negative".to_string());
        }
        Ok(())
    }
}

/// Every event folder under `dir` (those with a `category.json`), sorted by slug.
pub fn event_folders(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("category.json").is_file())
        .collect();
    folders.sort();
    Ok(folders)
}

/// Reads one event folder; bad records are collected, not fatal.
pub fn read_event(folder: &Path) -> Result<EventFolder, String> {
    let slug = folder
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("folder name is not UTF-8")?
        .to_string();
    let category_path = folder.join("category.json");
    let (mut category, source): (Category, Value) =
        read_json(&category_path).map_err(|e| format!("{}: {e}", category_path.display()))?;
    category.source = source;
    let mut event = EventFolder {
        slug,
        category,
        talks: Vec::new(),
        rejected: Vec::new(),
    };
    for path in video_files(&folder.join("videos")) {
        let talk_slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        match read_json::<Record>(&path).and_then(|(r, source)| r.check().map(|()| (r, source))) {
            Ok((record, source)) => event.talks.push((talk_slug, Record { source, ..record })),
            Err(reason) => event.rejected.push((path, reason)),
        }
    }
    Ok(event)
}

fn video_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// A file read into `T`, and the JSON value it holds (to be written back whole).
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, Value), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse_json(&text)
}

/// A record (or category) file's text read into `T`, with the JSON value it holds.
fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<(T, Value), String> {
    let source: Value =
        serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let parsed = T::deserialize(&source).map_err(|e| e.to_string())?;
    Ok((parsed, source))
}

/// Writes one event folder in the same layout, each file as pyvideo/data's own
/// tools write it ([`pyjson`]).
pub fn write_event(
    dir: &Path,
    slug: &str,
    category: &Value,
    talks: &[(String, Value)],
) -> std::io::Result<()> {
    let folder = dir.join(slug);
    std::fs::create_dir_all(folder.join("videos"))?;
    std::fs::write(folder.join("category.json"), pyjson::to_string(category))?;
    for (talk_slug, record) in talks {
        let path = folder.join("videos").join(format!("{talk_slug}.json"));
        std::fs::write(path, pyjson::to_string(record))?;
    }
    Ok(())
}

/// A record as export writes it: the file it came from with only the fields the site
/// changed since replaced by `current` (the record as the site holds it), so `null`,
/// `""`, absent keys, unknown keys and number spellings all stay as they were. A
/// talk with no file of its own (found in show notes) is written from `current`.
pub fn record_value(current: &Record) -> Value {
    let Value::Object(mut source) = current.source.clone() else {
        return serde_json::to_value(current).unwrap_or(Value::Null);
    };
    // What the site stored when it read the file; a file it could not read again is
    // written from the site's values, as if it had none.
    let Ok(imported) = Record::deserialize(&Value::Object(source.clone())) else {
        return serde_json::to_value(current).unwrap_or(Value::Null);
    };
    for (key, value) in changes(&imported, current) {
        source.insert(key.to_string(), value);
    }
    Value::Object(source)
}

/// The fields whose value the site holds differs from what it stored on import, with
/// their new values. Text fields are stored as text (`null` as empty), so they
/// compare as text and are written as the text the site holds.
fn changes(imported: &Record, current: &Record) -> Vec<(&'static str, Value)> {
    let text = |value: &Option<String>| json!(value.as_deref().unwrap_or_default());
    // (key, as stored from the file, as the site holds it)
    let fields = [
        ("title", json!(imported.title), json!(current.title)),
        (
            "description",
            text(&imported.description),
            text(&current.description),
        ),
        (
            "speakers",
            json!(credited(imported)),
            json!(credited(current)),
        ),
        (
            "recorded",
            json!(imported.recorded),
            json!(current.recorded),
        ),
        (
            "duration",
            json!(imported.duration),
            json!(current.duration),
        ),
        (
            "language",
            text(&imported.language),
            text(&current.language),
        ),
        (
            "thumbnail_url",
            text(&imported.thumbnail_url),
            text(&current.thumbnail_url),
        ),
        ("videos", json!(imported.videos), json!(current.videos)),
        (
            "related_urls",
            json!(imported.related_urls),
            json!(current.related_urls),
        ),
        ("tags", json!(imported.tags), json!(current.tags)),
    ];
    fields
        .into_iter()
        .filter(|(_, stored, held)| stored != held)
        .map(|(key, _, held)| (key, held))
        .collect()
}

/// The speakers a record credits as the catalog stores them: trimmed, without
/// blanks, a name met again (in any ASCII case, as people are found by name) kept
/// once, where first met.
pub fn credited(record: &Record) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::with_capacity(record.speakers.len());
    for name in record.speakers.iter().map(|name| name.trim()) {
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    names
}

/// `category.json` as export writes it: the file it came from, with the title the site holds.
pub fn category_value(current: &Category) -> Value {
    match current.source.clone() {
        Value::Object(mut source) => {
            let imported = source.get("title").and_then(Value::as_str);
            if imported != Some(current.title.as_str()) {
                source.insert("title".to_string(), json!(current.title));
            }
            Value::Object(source)
        }
        _ => serde_json::to_value(current).unwrap_or(Value::Null),
    }
}

/// A video file's text as the importer reads it: the record, or why it is rejected.
#[cfg(test)]
pub(crate) fn read_record(text: &str) -> Result<Record, String> {
    let (record, source) = parse_json::<Record>(text)?;
    record.check()?;
    Ok(Record { source, ..record })
}
