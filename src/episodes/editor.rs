//! The episode editor's form: what the host typed, turned into an episode or
//! into field errors, and back into rows for the template.

use serde::Deserialize;

use super::manage::{Publishing, StatusChange};
use super::model::{Audio, EpisodeDoc, PersonRef, SegmentDoc, SegmentKind, Status};
use super::zoned::{HostZone, is_future};
use crate::clock::Timestamp;
use crate::links::web_url::is_web_url;
use crate::slug::slugify;
use crate::validation::FieldErrors;

/// The editor form exactly as submitted; segments are parallel lists, one entry per row.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EpisodeForm {
    pub version: i64,
    pub number: String,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub audio_url: String,
    pub audio_bytes: String,
    pub audio_type: String,
    pub duration: String,
    pub video_url: String,
    pub intro_md: String,
    pub seg_kind: Vec<String>,
    pub seg_person: Vec<String>,
    pub seg_number: Vec<String>,
    pub seg_title: Vec<String>,
    pub seg_url: Vec<String>,
    pub seg_notes: Vec<String>,
    pub seg_start: Vec<String>,
    pub seg_position: Vec<String>,
    /// Hidden: the presenter's name as imported notes wrote it ("Brain"), kept while the
    /// row's person stays the one it was loaded with (`seg_person_was`).
    pub seg_credited_as: Vec<String>,
    /// Hidden: the row's person as loaded.
    pub seg_person_was: Vec<String>,
    /// Row indexes whose "delete" box is ticked.
    pub seg_delete: Vec<usize>,
    /// Which button saved the form: `save` (or none), `publish`, `schedule`, `unpublish`.
    pub intent: String,
    /// The publication date and time (`datetime-local`) in `time_zone`: when a scheduled
    /// episode goes public, or when a published one went public. Empty: now, when published.
    pub publish_at: String,
    /// The host's time zone (IANA name, filled in by the browser); empty is UTC.
    pub time_zone: String,
}

/// One segment row of the editor, as text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SegmentRow {
    pub index: usize,
    pub kind: String,
    pub person: String,
    pub number: String,
    pub title: String,
    pub url: String,
    pub notes: String,
    pub start: String,
    pub position: String,
    pub credited_as: String,
    pub person_was: String,
}

impl SegmentRow {
    /// The card's title, said the way the episode page says it: "Brian #1: Markdown formatting
    /// with ruff", "Extras from Michael", "Joke: …"; "New segment" while nothing is typed.
    pub fn heading(&self) -> String {
        let first_name = self.person.split_whitespace().next().unwrap_or_default();
        let title = self.title.trim();
        let heading = match self.kind.as_str() {
            "topic" => {
                let who = match (first_name, self.number.trim()) {
                    ("", "") => String::new(),
                    (name, "") => name.to_string(),
                    ("", number) => format!("#{number}"),
                    (name, number) => format!("{name} #{number}"),
                };
                match (who.is_empty(), title.is_empty()) {
                    (true, _) => title.to_string(),
                    (false, true) => who,
                    (false, false) => format!("{who}: {title}"),
                }
            }
            "extra" if first_name.is_empty() => "Extras".to_string(),
            "extra" => format!("Extras from {first_name}"),
            "joke" => format!("Joke: {title}"),
            "sponsor" => format!("Sponsor: {title}"),
            _ => title.to_string(),
        };
        if self.is_blank() {
            return "New segment".to_string();
        }
        match heading.trim_end_matches([':', ' ']) {
            "" => "Untitled segment".to_string(),
            trimmed => trimmed.to_string(),
        }
    }

    /// A row with nothing typed in it: the editor's "new segment" row.
    pub fn is_blank(&self) -> bool {
        [
            &self.person,
            &self.number,
            &self.title,
            &self.url,
            &self.notes,
            &self.start,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

fn at(list: &[String], index: usize) -> String {
    list.get(index).cloned().unwrap_or_default()
}

impl EpisodeForm {
    /// The segment rows in the order the host gave them (position fields, then
    /// form order), without deleted rows; blank rows are dropped.
    pub fn rows(&self) -> Vec<SegmentRow> {
        let mut rows: Vec<SegmentRow> = (0..self.seg_kind.len())
            .filter(|i| !self.seg_delete.contains(i))
            .map(|i| SegmentRow {
                index: i,
                kind: at(&self.seg_kind, i),
                person: at(&self.seg_person, i),
                number: at(&self.seg_number, i),
                title: at(&self.seg_title, i),
                url: at(&self.seg_url, i),
                notes: at(&self.seg_notes, i),
                start: at(&self.seg_start, i),
                position: at(&self.seg_position, i),
                credited_as: at(&self.seg_credited_as, i),
                person_was: at(&self.seg_person_was, i),
            })
            .filter(|row| !row.is_blank())
            .collect();
        rows.sort_by_key(|row| {
            (
                row.position
                    .trim()
                    .parse::<f64>()
                    .map(|p| (p * 1000.0) as i64)
                    .unwrap_or(i64::MAX),
                row.index,
            )
        });
        for (index, row) in rows.iter_mut().enumerate() {
            row.index = index;
            row.position = (index + 1).to_string();
        }
        rows
    }

    /// The form filled from a saved episode.
    pub fn from_doc(doc: &EpisodeDoc, version: i64) -> Self {
        let audio = doc.audio.as_ref();
        let mut form = Self {
            version,
            number: doc.number.to_string(),
            title: doc.title.clone(),
            slug: doc.slug.clone(),
            summary: doc.summary.clone(),
            audio_url: audio.map(|a| a.url.clone()).unwrap_or_default(),
            audio_bytes: audio
                .and_then(|a| a.bytes)
                .map(|b| b.to_string())
                .unwrap_or_default(),
            audio_type: audio.and_then(|a| a.mime_type.clone()).unwrap_or_default(),
            duration: format_clock(audio.and_then(|a| a.duration_secs)),
            intro_md: doc.intro_md.clone(),
            video_url: doc.video_url.clone().unwrap_or_default(),
            ..Self::default()
        };
        for segment in &doc.segments {
            form.push_segment(segment);
        }
        form
    }

    fn push_segment(&mut self, s: &SegmentDoc) {
        let person = s
            .person
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        self.seg_kind.push(s.kind.as_str().to_string());
        self.seg_person.push(person.clone());
        self.seg_person_was.push(person);
        self.seg_credited_as
            .push(s.credited_as.clone().unwrap_or_default());
        self.seg_number
            .push(s.number.map(|n| n.to_string()).unwrap_or_default());
        self.seg_title.push(s.title.clone());
        self.seg_url.push(s.url.clone().unwrap_or_default());
        self.seg_notes.push(s.notes_md.clone());
        self.seg_start.push(format_clock(s.start_secs));
        self.seg_position.push(s.position.to_string());
    }

    /// The episode the form describes, or what is wrong with it, field by field.
    pub fn to_doc(&self) -> Result<EpisodeDoc, FieldErrors> {
        let mut errors = FieldErrors::default();
        let number = parse_number(&self.number, "number", &mut errors);
        if self.title.trim().is_empty() {
            errors.add("title", "is required");
        }
        let audio = self.audio(&mut errors);
        check_url(&self.video_url, "video_url", &mut errors);
        check_markdown(&self.intro_md, "intro_md", &mut errors);
        let segments: Vec<SegmentDoc> = self
            .rows()
            .iter()
            .map(|row| segment_of(row, &mut errors))
            .collect();
        check_duplicate_numbers(&segments, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let slug = if self.slug.trim().is_empty() {
            slugify(&self.title)
        } else {
            slugify(&self.slug)
        };
        Ok(EpisodeDoc {
            number: number.unwrap_or_default(),
            slug,
            title: self.title.trim().to_string(),
            summary: self.summary.trim().to_string(),
            // Browsers send text areas with CRLF; markdown is stored with LF (see `save`).
            intro_md: super::save::unix_lines(&self.intro_md),
            audio,
            video_url: Some(self.video_url.trim())
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            segments,
            ..EpisodeDoc::default()
        })
    }

    fn audio(&self, errors: &mut FieldErrors) -> Option<Audio> {
        if self.audio_url.trim().is_empty() {
            return None;
        }
        check_url(&self.audio_url, "audio_url", errors);
        let bytes = optional_number(&self.audio_bytes, "audio_bytes", errors);
        let duration_secs = parse_clock(&self.duration)
            .map_err(|e| errors.add("duration", e))
            .ok()
            .flatten();
        let mime_type = Some(self.audio_type.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Some(Audio {
            url: self.audio_url.trim().to_string(),
            bytes,
            mime_type,
            duration_secs,
        })
    }
}

/// The episode as its page would show it once saved: markdown rendered by the site's own
/// renderer, presenters linked by the URL name their name gives. Nothing is stored.
pub async fn rendered_for_preview(mut doc: EpisodeDoc, status: Status) -> EpisodeDoc {
    use crate::markdown::{Author, render_pooled};
    doc.status = status;
    doc.intro_html = render_pooled(doc.intro_md.clone(), Author::Host).await;
    for segment in &mut doc.segments {
        segment.notes_html = render_pooled(segment.notes_md.clone(), Author::Host).await;
        if let Some(person) = &mut segment.person {
            person.slug = slugify(&person.name);
        }
    }
    doc.hosts = super::view::hosts_of(&doc.segments);
    doc
}

impl EpisodeForm {
    /// The episode, its publication date and the status change the pressed button asks for
    /// (`current` is the episode's status now), or every field that is wrong.
    pub fn to_doc_and_publishing(
        &self,
        current: Status,
    ) -> Result<(EpisodeDoc, Publishing), FieldErrors> {
        let (doc, when) = match (self.to_doc(), self.publication_time()) {
            (Ok(doc), Ok(when)) => (doc, when),
            (Err(mut errors), Err(message)) => {
                errors.add("publish_at", message);
                return Err(errors);
            }
            (Err(errors), _) => return Err(errors),
            (_, Err(message)) => return Err(FieldErrors::one("publish_at", message)),
        };
        let (zone, at) = when;
        let (published_at, change) = publication(&self.intent, current, at)
            .map_err(|m| FieldErrors::one("publish_at", m))?;
        let doc = EpisodeDoc {
            published_at,
            ..doc
        };
        let time_zone = zone.name().to_string();
        Ok((doc, Publishing { change, time_zone }))
    }

    /// The host's zone and the typed time in UTC (none when empty).
    fn publication_time(&self) -> Result<(HostZone, Option<Timestamp>), String> {
        let zone = HostZone::parse(&self.time_zone)?;
        let at = match self.publish_at.trim() {
            "" => None,
            typed => Some(zone.to_utc(typed)?),
        };
        Ok((zone, at))
    }
}

/// What the pressed button does with the typed time `at`: the publication date to keep, and
/// the status change. A future time only schedules; a past one dates the episode.
fn publication(
    intent: &str,
    current: Status,
    at: Option<Timestamp>,
) -> Result<(Option<Timestamp>, Option<StatusChange>), String> {
    let future = at.is_some_and(is_future);
    let too_early = || "is in the future: press Schedule to publish the episode then".to_string();
    match (intent, at) {
        ("schedule", Some(at)) => Ok((None, Some(StatusChange::Schedule(at)))),
        ("schedule", None) => Err("pick the date and time the episode goes public".to_string()),
        ("publish", _) if future => Err(too_early()),
        ("publish", at) => Ok((at, Some(StatusChange::Publish))),
        ("unpublish", at) => Ok((at.filter(|_| !future), Some(StatusChange::Unpublish))),
        // Saving a scheduled episode keeps it scheduled, at the time now in the field.
        (_, Some(at)) if current == Status::Scheduled => {
            Ok((None, Some(StatusChange::Schedule(at))))
        }
        (_, Some(_)) if future => Err(too_early()),
        (_, at) => Ok((at, None)),
    }
}

fn segment_of(row: &SegmentRow, errors: &mut FieldErrors) -> SegmentDoc {
    let field = |name: &str| format!("segments[{}].{name}", row.index);
    let kind = SegmentKind::parse(&row.kind).unwrap_or_else(|| {
        errors.add(field("kind"), "pick a kind");
        SegmentKind::Topic
    });
    check_url(&row.url, &field("url"), errors);
    check_markdown(&row.notes, &field("notes"), errors);
    let number = optional_number(&row.number, &field("number"), errors);
    let start_secs = parse_clock(&row.start)
        .map_err(|e| errors.add(field("start"), e))
        .ok()
        .flatten();
    if kind == SegmentKind::Topic && row.title.trim().is_empty() {
        errors.add(field("title"), "a topic needs a title");
    }
    let person = Some(row.person.trim())
        .filter(|p| !p.is_empty())
        .map(|name| PersonRef {
            slug: String::new(),
            name: name.to_string(),
        });
    let url = Some(row.url.trim())
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    SegmentDoc {
        position: row.index as i64 + 1,
        kind,
        number,
        credited_as: credited_as(row, person.as_ref()),
        person,
        title: row.title.trim().to_string(),
        url,
        notes_md: super::save::unix_lines(&row.notes),
        start_secs,
        ..SegmentDoc::default()
    }
}

/// The name the notes credited the row's presenter with, while the host keeps the person the
/// row was loaded with: export gives back what was imported (issue 12). Another person clears it.
fn credited_as(row: &SegmentRow, person: Option<&PersonRef>) -> Option<String> {
    let credited = row.credited_as.trim();
    let unchanged = person.is_some_and(|p| p.name == row.person_was.trim());
    (unchanged && !credited.is_empty()).then(|| credited.to_string())
}

fn check_duplicate_numbers(segments: &[SegmentDoc], errors: &mut FieldErrors) {
    for (index, segment) in segments.iter().enumerate() {
        let Some(number) = segment
            .number
            .filter(|_| segment.kind == SegmentKind::Topic)
        else {
            continue;
        };
        let earlier = segments[..index]
            .iter()
            .any(|s| s.kind == SegmentKind::Topic && s.number == Some(number));
        if earlier {
            errors.add(
                format!("segments[{index}].number"),
                format!("#{number} is used by an earlier topic"),
            );
        }
    }
}

fn parse_number(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            errors.add(field, "must be a whole number like 434");
            None
        }
    }
}

fn optional_number(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    if text.trim().is_empty() {
        None
    } else {
        parse_number(text, field, errors)
    }
}

/// Over the markdown caps a field would be refused by the renderer anyway: say so beside it.
fn check_markdown(text: &str, field: &str, errors: &mut FieldErrors) {
    if let Err(refused) = crate::markdown::check(text) {
        errors.add(field, refused.to_string());
    }
}

fn check_url(text: &str, field: &str, errors: &mut FieldErrors) {
    if !text.trim().is_empty() && !is_web_url(text.trim()) {
        errors.add(field, "must start with https:// or http://");
    }
}

/// `1:02:03`, `62:03` or `3723` as seconds; empty is none.
pub fn parse_clock(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parts: Result<Vec<i64>, _> = text.split(':').map(str::parse::<i64>).collect();
    match parts {
        Ok(parts) if (1..=3).contains(&parts.len()) && parts.iter().all(|p| *p >= 0) => {
            Ok(Some(parts.iter().fold(0, |total, part| total * 60 + part)))
        }
        _ => Err("must be a time like 1:02:03 or a number of seconds".to_string()),
    }
}

/// Seconds as `h:mm:ss` (or `m:ss`); empty for none.
pub fn format_clock(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) if s >= 3600 => format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60),
        Some(s) => format!("{}:{:02}", s / 60, s % 60),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form_with_rows(titles: &[&str], positions: &[&str]) -> EpisodeForm {
        let n = titles.len();
        EpisodeForm {
            number: "7".into(),
            title: "Seven".into(),
            seg_kind: vec!["topic".into(); n],
            seg_person: vec!["Brian".into(); n],
            seg_number: (1..=n).map(|i| i.to_string()).collect(),
            seg_title: titles.iter().map(|t| t.to_string()).collect(),
            seg_url: vec![String::new(); n],
            seg_notes: vec![String::new(); n],
            seg_start: vec![String::new(); n],
            seg_position: positions.iter().map(|p| p.to_string()).collect(),
            ..EpisodeForm::default()
        }
    }

    #[test]
    fn rows_follow_the_position_fields_and_skip_deleted_and_blank_rows() {
        let mut form = form_with_rows(&["a", "b", "c"], &["2", "1", "3"]);
        form.seg_delete = vec![2];
        let titles: Vec<String> = form.rows().into_iter().map(|r| r.title).collect();
        assert_eq!(titles, ["b", "a"]);
    }

    #[test]
    fn bad_fields_are_reported_by_name() {
        let mut form = form_with_rows(&["a", ""], &["1", "2"]);
        form.number = "four".into();
        form.seg_url[0] = "javascript:alert(1)".into();
        form.seg_start[0] = "soon".into();
        let errors = form.to_doc().unwrap_err();
        assert!(errors.get("number").is_some());
        assert!(errors.get("segments[0].url").is_some());
        assert!(errors.get("segments[0].start").is_some());
        assert!(errors.get("segments[1].title").is_some());
    }

    #[test]
    fn a_credited_name_stays_while_the_person_does_and_goes_with_another_person() {
        let mut form = form_with_rows(&["a", "b"], &["1", "2"]);
        form.seg_person = vec!["Brian".into(), "Michael".into()];
        form.seg_person_was = vec!["Brian".into(), "Brian".into()];
        form.seg_credited_as = vec!["Brain".into(), "Brain".into()];
        let doc = form.to_doc().unwrap();
        let credited: Vec<Option<&str>> = doc
            .segments
            .iter()
            .map(|s| s.credited_as.as_deref())
            .collect();
        assert_eq!(credited, [Some("Brain"), None]);
    }

    #[test]
    fn clock_times_read_and_write() {
        assert_eq!(parse_clock("1:02:03"), Ok(Some(3723)));
        assert_eq!(parse_clock("62:03"), Ok(Some(3723)));
        assert_eq!(parse_clock(""), Ok(None));
        assert!(parse_clock("1:xx").is_err());
        assert_eq!(format_clock(Some(3723)), "1:02:03");
        assert_eq!(format_clock(Some(63)), "1:03");
    }

    #[test]
    fn a_past_time_dates_the_episode_and_a_future_one_only_schedules() {
        let past = Timestamp::parse("2017-01-30T08:00:00Z");
        let future = Timestamp::parse("2999-01-01T10:00:00Z");
        let draft = Status::Draft;
        assert_eq!(publication("save", draft, past).unwrap().0, past);
        assert!(publication("save", draft, future).is_err());
        assert!(publication("publish", draft, future).is_err());
        assert!(matches!(
            publication("schedule", draft, future).unwrap().1,
            Some(StatusChange::Schedule(_))
        ));
        assert!(publication("schedule", draft, None).is_err());
        assert!(
            matches!(
                publication("save", Status::Scheduled, future).unwrap().1,
                Some(StatusChange::Schedule(_))
            ),
            "saving a scheduled episode keeps it scheduled"
        );
        assert_eq!(publication("save", draft, None).unwrap(), (None, None));
    }
}
