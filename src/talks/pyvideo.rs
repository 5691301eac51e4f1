//! The pyvideo data layout: `DIR/<event>/category.json` and `DIR/<event>/videos/<talk>.json`.
//! An event's slug is its folder name, a talk's slug its file name without `.json`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    let category: Category =
        read_json(&category_path).map_err(|e| format!("{}: {e}", category_path.display()))?;
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
        match read_json::<Record>(&path).and_then(|r| r.check().map(|()| r)) {
            Ok(record) => event.talks.push((talk_slug, record)),
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

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("line {}: {e}", e.line()))
}

/// Writes one event folder in the same layout, records pretty-printed with sorted keys.
pub fn write_event(
    dir: &Path,
    slug: &str,
    category: &Category,
    talks: &[(String, Record)],
) -> std::io::Result<()> {
    let folder = dir.join(slug);
    std::fs::create_dir_all(folder.join("videos"))?;
    write_json(&folder.join("category.json"), category)?;
    for (talk_slug, record) in talks {
        write_json(
            &folder.join("videos").join(format!("{talk_slug}.json")),
            record,
        )?;
    }
    Ok(())
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    // Through Value so keys come out sorted, as pyvideo's own files are.
    let value = serde_json::to_value(value).map_err(std::io::Error::other)?;
    let mut text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}
