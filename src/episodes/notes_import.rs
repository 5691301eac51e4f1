//! `import notes`: markdown show notes into episodes, people, links and talks.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use sqlx::{Acquire, SqliteConnection, SqlitePool};

use super::model::{EpisodeDoc, PersonRef, SegmentDoc, SegmentKind, Status};
use super::save::{Known, SaveError, save_episode_with};
use super::source_store::{self, NotesSource, SourceStamp};
use crate::admin::store::record_imports;
use crate::notes::{self, ParsedEpisode, ParsedSegment};
use crate::people::aliases;
use crate::rendered::feed_notes;
use crate::rendered::{ForHosts, OverCap};
use crate::talks::noted::{self, NotedTalk};

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// The status imported episodes get.
    pub status: Status,
    /// Roll back instead of committing, to show what would change.
    pub dry_run: bool,
    /// The number to use when neither the heading nor the file name has one, or when they
    /// disagree.
    pub number: Option<i64>,
    /// Let a file replace an episode that came from another file (or from the site).
    pub replace: bool,
}

/// What an import did to an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new episode.
    Created,
    /// An episode from the same file, updated in place.
    Updated,
    /// The same file, not changed since it was imported: nothing written.
    Unchanged,
}

/// What importing one file did (or would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub number: i64,
    pub title: String,
    pub change: Change,
    /// What was read despite looking unintended, `line: message`.
    pub warnings: Vec<String>,
    pub segments: usize,
    pub topics: usize,
    pub links: usize,
    pub talks: usize,
}

/// Why a file was not imported: the file, the line when known, and what to do.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ImportError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl ImportError {
    fn new(file: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.display().to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Reads a notes file as UTF-8, naming the line of the first bad byte.
pub fn read_notes(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::new(path, None, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ImportError::new(
            path,
            Some(line),
            "not UTF-8 text: save the file as UTF-8 and import it again",
        )
    })
}

/// Imports one notes file in one transaction: all of it, or nothing.
pub async fn import_notes_file(
    db: &SqlitePool,
    path: &Path,
    options: ImportOptions,
) -> Result<Imported, ImportError> {
    let mut outcome = None;
    import_notes_files(db, &[path], options, |_, result| outcome = Some(result))
        .await
        .map_err(|e| ImportError::new(path, None, e.to_string()))?;
    outcome.unwrap_or_else(|| Err(ImportError::new(path, None, "not imported")))
}

/// Files written per commit: a commit per file costs more than the file's own writes, while
/// one commit for a whole archive would keep the site's editors waiting on the write lock.
const FILES_PER_COMMIT: usize = 50;

/// A file read and parsed, ready to write.
struct ReadyFile {
    parsed: ParsedEpisode,
    number: i64,
    title: String,
    source: Source,
    /// Rendered on the parsing thread: pages and feeds read the HTML from the first request
    /// on, and the writing thread does not wait for it.
    rendered: ForHosts,
}

/// Where an episode's notes came from: the file's name and the SHA-256 of its text.
struct Source {
    file: String,
    sha256: String,
}

/// Imports notes files, each all or nothing, telling `report` how each went in order. Only a
/// failing database ends it early.
///
/// Files are read and parsed a batch ahead on another thread while the database writes the
/// current batch. A batch is written in one transaction without savepoints (SQLite's full-text
/// index writes out its pending terms at every savepoint, which doubled an import's time); if
/// any file of it fails in the database, the batch is rolled back and written again with a
/// savepoint per file, so that only the failing file is left out.
pub async fn import_notes_files<P: AsRef<Path>>(
    db: &SqlitePool,
    files: &[P],
    options: ImportOptions,
    mut report: impl FnMut(&Path, Result<Imported, ImportError>),
) -> sqlx::Result<()> {
    let mut conn = crate::db::bulk_connection(db).await?;
    let paths: Vec<PathBuf> = files.iter().map(|p| p.as_ref().to_path_buf()).collect();
    let mut batches = paths.chunks(FILES_PER_COMMIT).map(<[PathBuf]>::to_vec);
    let mut next = batches
        .next()
        .map(|batch| parse_ahead(db.clone(), batch, options));
    while let Some(parsing) = next.take() {
        let parsed = parsing
            .await
            .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))??;
        next = batches
            .next()
            .map(|batch| parse_ahead(db.clone(), batch, options));
        let outcomes = match write_batch(&mut conn, &parsed, options, false).await? {
            Some(outcomes) => outcomes,
            None => write_batch(&mut conn, &parsed, options, true)
                .await?
                .unwrap_or_default(),
        };
        for ((path, _), outcome) in parsed.iter().zip(outcomes) {
            report(path, outcome);
        }
    }
    sqlx::Connection::close(conn).await
}

/// Each file of a batch, read and parsed or refused.
type ParsedBatch = Vec<(PathBuf, Result<ReadyFile, ImportError>)>;

/// Reads, parses and renders `batch` on a blocking thread. Files the database already holds
/// with the same text are not rendered: writing will most likely find them unchanged (and
/// should it write one after all, its first read renders it).
fn parse_ahead(
    db: SqlitePool,
    batch: Vec<PathBuf>,
    options: ImportOptions,
) -> tokio::task::JoinHandle<sqlx::Result<ParsedBatch>> {
    tokio::spawn(async move {
        let names: Vec<&str> = batch
            .iter()
            .filter_map(|p| p.file_name()?.to_str())
            .collect();
        let imported =
            source_store::imported_files(&mut *db.acquire().await?, &names, options.status).await?;
        let parsed = tokio::task::spawn_blocking(move || {
            batch
                .into_iter()
                .map(|path| {
                    let ready = read_and_parse(&path, options, &imported);
                    (path, ready)
                })
                .collect()
        })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?;
        Ok(parsed)
    })
}

/// Writes a parsed batch in one transaction. Without `savepoints`, a file failing in the
/// database rolls the batch back and gives `None`; with them, only that file is undone.
async fn write_batch(
    conn: &mut SqliteConnection,
    batch: &ParsedBatch,
    options: ImportOptions,
    savepoints: bool,
) -> sqlx::Result<Option<Vec<Result<Imported, ImportError>>>> {
    let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    // Without savepoints, what every file shares is written once for the batch, at the end,
    // and the batch is indexed for search then.
    let mut memo = Memo::new(!savepoints);
    if !savepoints {
        crate::search::store_deferred::defer(&mut tx).await?;
    }
    let numbers: Vec<i64> = batch
        .iter()
        .flat_map(|(_, r)| r.as_ref().ok())
        .map(|r| r.number)
        .collect();
    let mut sources = source_store::notes_sources(&mut tx, &numbers).await?;
    for (path, ready) in batch {
        let ready = match ready {
            Ok(ready) => ready,
            Err(error) => {
                outcomes.push(Err(error.clone()));
                continue;
            }
        };
        match check_source(sources.get(&ready.number), ready, options) {
            SourceCheck::Write => {}
            SourceCheck::Unchanged(imported) => {
                outcomes.push(Ok(imported));
                continue;
            }
            SourceCheck::Refused(message) => {
                outcomes.push(Err(ImportError::new(path, None, message)));
                continue;
            }
        }
        let written = write_file(&mut tx, &mut memo, ready, options.status, savepoints).await?;
        if written.is_ok() {
            remember_source(&mut sources, ready, options.status);
        }
        match written {
            Ok(imported) => outcomes.push(Ok(imported)),
            Err(_) if !savepoints => {
                tx.rollback().await?;
                return Ok(None);
            }
            Err(error) => outcomes.push(Err(ImportError::new(path, None, error.to_string()))),
        }
    }
    if memo.flush(&mut tx).await.is_err() {
        // Only deferred writes (without savepoints) can fail here: redo the batch file by file.
        tx.rollback().await?;
        return Ok(None);
    }
    if options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(Some(outcomes))
}

/// Writes one file of a batch; with `savepoints`, a file that fails is undone alone.
async fn write_file(
    tx: &mut SqliteConnection,
    memo: &mut Memo,
    ready: &ReadyFile,
    status: Status,
    savepoints: bool,
) -> sqlx::Result<Result<Imported, SaveError>> {
    if !savepoints {
        return Ok(import_parsed(tx, memo, ready, Some(status)).await);
    }
    let mut savepoint = tx.begin().await?;
    let written = import_parsed(&mut savepoint, memo, ready, Some(status)).await;
    match written {
        Ok(_) => savepoint.commit().await?,
        Err(_) => {
            savepoint.rollback().await?;
            // What the file wrote is gone, ids included.
            *memo = Memo::new(false);
        }
    }
    Ok(written)
}

/// What the episode a file is about says to writing it.
enum SourceCheck {
    /// Write it: a new episode, or one from the same file.
    Write,
    /// Same file, same text, same status: nothing to write.
    Unchanged(Imported),
    /// The episode came from elsewhere; the message says from where and what to do.
    Refused(String),
}

/// Whether `ready` may be written over `existing`, the episode of its number (issue 12: no
/// silent overwrites): only one imported from a file of the same name, unless `--replace`.
fn check_source(
    existing: Option<&NotesSource>,
    ready: &ReadyFile,
    options: ImportOptions,
) -> SourceCheck {
    let Some(existing) = existing else {
        return SourceCheck::Write;
    };
    let same_file = existing.source_file.as_deref() == Some(ready.source.file.as_str());
    // An episode the feed alone created waits for its notes: they fill it in.
    let awaits_notes = existing.from_feed && existing.source_file.is_none();
    if !same_file && !options.replace && !awaits_notes {
        let from = match &existing.source_file {
            Some(file) => format!("was imported from {file}"),
            None => "was written on the site".to_string(),
        };
        return SourceCheck::Refused(format!(
            "episode {} already exists and {from}; this file would replace it: check its number, or pass --replace",
            ready.number
        ));
    }
    let same_text = existing.source_sha256.as_deref() == Some(ready.source.sha256.as_str());
    if same_file && same_text && existing.status == options.status {
        return SourceCheck::Unchanged(summary(ready, Change::Unchanged, 0));
    }
    SourceCheck::Write
}

/// What the batch's later files see of the episode `ready` has just written: a second file
/// with the same number is checked against this one, not against the database's old row.
fn remember_source(sources: &mut HashMap<i64, NotesSource>, ready: &ReadyFile, status: Status) {
    let from_feed = sources.get(&ready.number).is_some_and(|s| s.from_feed);
    sources.insert(
        ready.number,
        NotesSource {
            status,
            source_file: Some(ready.source.file.clone()),
            source_sha256: Some(ready.source.sha256.clone()),
            from_feed,
        },
    );
}

/// A file's episode as parsed, with its number, title and source.
fn read_and_parse(
    path: &Path,
    options: ImportOptions,
    imported: &HashSet<(String, String)>,
) -> Result<ReadyFile, ImportError> {
    let source = read_notes(path)?;
    let parsed =
        notes::parse(&source).map_err(|e| ImportError::new(path, Some(e.line), e.message))?;
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (number, title) = number_and_title(&parsed, file_name, options.number)
        .map_err(|message| ImportError::new(path, Some(1), message))?;
    let sha256 = crate::keys::sha256_hex(&source);
    let rendered = match imported.contains(&(file_name.to_string(), sha256.clone())) {
        true => ForHosts::default(),
        false => ForHosts::render(
            &parsed.intro_md,
            parsed.segments.iter().map(|s| s.notes_md.as_str()),
        )
        .map_err(|over| over_cap(path, &parsed, over))?,
    };
    Ok(ReadyFile {
        rendered,
        parsed,
        number,
        title,
        source: Source {
            file: file_name.to_string(),
            sha256,
        },
    })
}

/// The refusal of a file with a field over a markdown cap, at the segment's line.
fn over_cap(path: &Path, parsed: &ParsedEpisode, over: OverCap) -> ImportError {
    match over.segment.and_then(|index| parsed.segments.get(index)) {
        Some(segment) => ImportError::new(
            path,
            Some(segment.line),
            format!("notes of \"{}\": {}", segment.title, over.refused),
        ),
        None => ImportError::new(path, None, format!("intro: {}", over.refused)),
    }
}

/// Number and title: from the heading, else the file name, else `--number`. A heading and a
/// file name that give different numbers are refused unless `--number` settles it.
fn number_and_title(
    parsed: &ParsedEpisode,
    file_name: &str,
    given: Option<i64>,
) -> Result<(i64, String), String> {
    let heading = parsed.title.as_deref().map(split_numbered_title);
    let from_heading = heading.as_ref().and_then(|(n, _)| *n).or(parsed.number);
    let from_file = notes::number_from_file_name(file_name);
    let disagree = from_heading.is_some_and(|n| !notes::file_name_has_number(file_name, n));
    let number = match (from_heading, from_file) {
        (Some(heading), Some(file)) if disagree && given.is_none() => {
            return Err(format!(
                "heading says {heading}, file name says {file}: rename the file or pass --number"
            ));
        }
        _ if disagree => given,
        (Some(number), _) | (None, Some(number)) => Some(number),
        (None, None) => given,
    };
    let number = number.ok_or("no episode number: start with a heading like `# Python Bytes 434`, name the file `434.md`, or pass --number")?;
    let title = heading
        .map(|(_, title)| title)
        .or_else(|| notes::title_from_file_name(file_name))
        .unwrap_or_else(|| format!("Episode {number}"));
    Ok((number, title))
}

/// `Episode 12: Title` (what export writes), `#458: Title` and `465: Title` are number and
/// title ([`notes::number_in_title`]); any other heading is the title as it stands.
pub fn split_numbered_title(heading: &str) -> (Option<i64>, String) {
    if let Some(negative) = negative_number(heading) {
        return negative;
    }
    let title = notes::title_without_number(heading);
    match notes::number_in_title(heading) {
        Some(number) if title != heading.trim() => (Some(number), title.to_string()),
        _ => (None, heading.to_string()),
    }
}

/// `Episode -5: Title`: kept as a number so that saving refuses it by name, rather than the
/// heading passing for a title.
fn negative_number(heading: &str) -> Option<(Option<i64>, String)> {
    let text = heading.strip_prefix("Episode ").unwrap_or(heading);
    let (number, title) = text.split_once(": ")?;
    let digits = number.strip_prefix('-')?;
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| (number.parse().ok(), title.trim().to_string()))
}

/// Notes pasted into the editor: a draft (an existing episode keeps its status).
/// Returns the episode's id.
pub async fn import_pasted(
    db: &SqlitePool,
    source: &str,
    number: Option<i64>,
    user_id: i64,
) -> Result<i64, ImportError> {
    let pasted = Path::new("pasted notes");
    let parsed =
        notes::parse(source).map_err(|e| ImportError::new(pasted, Some(e.line), e.message))?;
    let (number, title) = number_and_title(&parsed, "", number).map_err(|_| {
        ImportError::new(
            pasted,
            Some(1),
            "no episode number: fill in the number field or start with a heading like `# Episode 434: Title`",
        )
    })?;
    let db_error = |e: SaveError| ImportError::new(pasted, None, e.to_string());
    let mut tx = crate::db::begin_write(db)
        .await
        .map_err(|e| db_error(e.into()))?;
    // Pasted notes are rendered on their first read, as the editor's are on save.
    let ready = ReadyFile {
        parsed,
        number,
        title,
        source: Source {
            file: String::new(),
            sha256: String::new(),
        },
        rendered: ForHosts::default(),
    };
    import_parsed(&mut tx, &mut Memo::new(false), &ready, None)
        .await
        .map_err(db_error)?;
    let id = super::store::id_of_number(&mut tx, number)
        .await
        .map_err(|e| db_error(e.into()))?;
    let now = crate::clock::now();
    crate::accounts::store::audit(
        &mut tx,
        Some(user_id),
        "import",
        "episode",
        Some(id),
        &format!("#{number} from pasted notes"),
        &now,
    )
    .await
    .map_err(|e| db_error(e.into()))?;
    feed_notes::refresh(&mut tx, &[id])
        .await
        .map_err(|e| db_error(e.into()))?;
    tx.commit().await.map_err(|e| db_error(e.into()))?;
    Ok(id)
}

/// What one transaction of an import has looked up or written already, so that files naming
/// the same hosts and links do not look them up again. Forgotten when a savepoint rolls back.
#[derive(Default)]
struct Memo {
    names: aliases::KnownNames,
    known: Known,
    /// Hosts marked with the URLs of their "Connect with the hosts" line.
    marked: HashSet<(i64, Vec<String>)>,
    /// Talk attachments, written with the links: at once, or by [`Memo::flush`].
    talks: noted::TalkAttachments,
    /// What was written, indexed for search by [`Memo::flush`] when deferring.
    search: crate::search::store_deferred::Deferred,
    /// Audit entries of the episodes written (id, detail), recorded by [`Memo::flush`] when
    /// deferring: one statement per batch instead of one per file.
    audited: Vec<(i64, String)>,
    /// The files the episodes written came from, recorded by [`Memo::flush`] when deferring.
    sources: Vec<SourceStamp>,
}

impl Memo {
    /// `deferring`: every file's links and talk attachments are written together when the
    /// batch ends, a few statements for all rather than a few per file.
    fn new(deferring: bool) -> Self {
        Self {
            known: if deferring {
                Known::deferring()
            } else {
                Known::default()
            },
            ..Self::default()
        }
    }

    /// Writes what was deferred; before the transaction commits.
    async fn flush(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let deferring = self.known.defers();
        self.known.flush(conn).await?;
        self.talks.write(conn).await?;
        if deferring {
            crate::search::store_deferred::index(conn, &self.search).await?;
        }
        record_imports(conn, "episode", &std::mem::take(&mut self.audited)).await?;
        source_store::set_notes_sources(conn, &std::mem::take(&mut self.sources)).await?;
        // Last: the writes above may touch the episodes, which forgets their fragments.
        feed_notes::refresh_stale(conn).await
    }
}

impl Memo {
    /// Records which file episode `id` came from, and an audit entry saying so: now, or with
    /// the batch when deferring.
    async fn record_source(
        &mut self,
        conn: &mut SqliteConnection,
        id: i64,
        number: i64,
        source: &Source,
    ) -> sqlx::Result<()> {
        let stamp = SourceStamp {
            id,
            file: source.file.clone(),
            sha256: source.sha256.clone(),
        };
        let detail = format!("#{number} from notes file {}", source.file);
        if self.known.defers() {
            self.audited.push((id, detail));
            self.sources.push(stamp);
            return Ok(());
        }
        record_imports(conn, "episode", &[(id, detail)]).await?;
        source_store::set_notes_sources(conn, &[stamp]).await
    }
}

/// `status` None keeps an existing episode's status (a new one is a draft).
async fn import_parsed(
    conn: &mut SqliteConnection,
    memo: &mut Memo,
    ready: &ReadyFile,
    status: Option<Status>,
) -> Result<Imported, SaveError> {
    let (parsed, number, source) = (&ready.parsed, ready.number, &ready.source);
    let (hosts, names) = presenters(parsed);
    let everyone: Vec<&str> = hosts.iter().chain(&names).copied().collect();
    memo.names.learn(conn, &everyone).await?;
    mark_hosts(conn, memo, parsed).await?;
    let status = match status {
        Some(status) => status,
        None => existing_status(conn, number)
            .await?
            .unwrap_or(Status::Draft),
    };
    let people = aliases::resolve_names(conn, &mut memo.names, &names, &hosts).await?;
    let doc = episode_doc(ready, status, &people, &hosts);
    let saved = save_episode_with(conn, doc, &mut memo.known).await?;
    // Pasted notes have no file: the episode keeps the source it had, and the admin's
    // handler records who pasted them. A file is imported from the command line.
    if !source.file.is_empty() {
        memo.record_source(conn, saved.episode_id, number, source)
            .await?;
    }
    memo.search.episode(saved.episode_id, &saved.segment_ids);
    let talks = attach_talks(conn, memo, &parsed.segments, &saved.segment_ids).await?;
    let change = match saved.created {
        true => Change::Created,
        false => Change::Updated,
    };
    Ok(summary(ready, change, talks))
}

/// The show's hosts (named with their socials in the notes) and each topic's presenter, by
/// full name.
fn presenters(parsed: &ParsedEpisode) -> (Vec<&str>, Vec<&str>) {
    let hosts: Vec<&str> = parsed
        .host_socials
        .iter()
        .map(|h| h.name.as_str())
        .filter(|n| *n != "Show")
        .collect();
    let names = parsed
        .segments
        .iter()
        .filter_map(|s| s.host.as_deref())
        .map(|name| full_name(name, parsed, &hosts))
        .collect();
    (hosts, names)
}

/// The episode `ready` holds, its presenters resolved to `people` and its notes as rendered on
/// the parsing thread.
fn episode_doc(
    ready: &ReadyFile,
    status: Status,
    people: &HashMap<String, PersonRef>,
    hosts: &[&str],
) -> EpisodeDoc {
    let (parsed, rendered) = (&ready.parsed, &ready.rendered);
    let segments = parsed
        .segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let person = segment
                .host
                .as_deref()
                .and_then(|name| people.get(full_name(name, parsed, hosts)).cloned());
            let notes_html = rendered.notes_html.get(index).cloned().unwrap_or_default();
            segment_doc(segment, person, notes_html)
        })
        .collect();
    EpisodeDoc {
        number: ready.number,
        title: ready.title.clone(),
        status,
        intro_md: parsed.intro_md.clone(),
        intro_html: rendered.intro_html.clone(),
        recorded_at: parsed
            .recorded_on
            .map(|day| crate::clock::Timestamp::of(day.midnight().assume_utc())),
        segments,
        ..Default::default()
    }
}

/// What importing `ready` did, counted from the file.
fn summary(ready: &ReadyFile, change: Change, talks: usize) -> Imported {
    let segments = &ready.parsed.segments;
    Imported {
        number: ready.number,
        title: ready.title.clone(),
        change,
        warnings: ready
            .parsed
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.line, w.message))
            .chain(segments.iter().flat_map(unsafe_links))
            .collect(),
        segments: segments.len(),
        topics: segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Topic)
            .count(),
        links: segments.iter().map(|s| s.links.len()).sum(),
        talks,
    }
}

/// A warning for each URL of `segment` that stays text: only http, https and mailto become links.
fn unsafe_links(segment: &ParsedSegment) -> Vec<String> {
    let urls = segment
        .url
        .iter()
        .chain(segment.links.iter().map(|l| &l.url));
    urls.filter(|url| !crate::links::web_url::is_web_url(url))
        .map(|url| {
            format!(
                "{}: {url} is kept as text, not a link (only http, https and mailto)",
                segment.line
            )
        })
        .collect()
}

/// The name a head's presenter is resolved by: one of this episode's hosts as written, else
/// the full name of the guest the intro announces by that first name ("Cris" → "Cristian
/// Medina"), else the name as written.
fn full_name<'a>(name: &'a str, parsed: &'a ParsedEpisode, hosts: &[&str]) -> &'a str {
    if hosts.contains(&name) {
        return name;
    }
    notes::guest_named(name, &parsed.guests).unwrap_or(name)
}

/// Marks the hosts of "Connect with the hosts", in as few statements as the order allows;
/// none for a host already marked with the same URLs in this transaction.
async fn mark_hosts(
    conn: &mut SqliteConnection,
    memo: &mut Memo,
    parsed: &ParsedEpisode,
) -> sqlx::Result<()> {
    let mut pending: Vec<(i64, &[String])> = Vec::new();
    for social in parsed.host_socials.iter().filter(|h| h.name != "Show") {
        // A name looked up afresh may be matched as a typo of a host: the hosts
        // before it must be marked by then, as marking one by one would have.
        if !memo.names.knows(&social.name) {
            aliases::mark_hosts_with_socials(conn, &pending).await?;
            pending.clear();
        }
        let host = memo.names.resolve(conn, &social.name, true, &[]).await?;
        if memo.marked.insert((host.id, social.urls.clone())) {
            pending.push((host.id, &social.urls));
        }
    }
    aliases::mark_hosts_with_socials(conn, &pending).await
}

async fn existing_status(conn: &mut SqliteConnection, number: i64) -> sqlx::Result<Option<Status>> {
    super::store::status_of_number(conn, number).await
}

fn segment_doc(
    segment: &ParsedSegment,
    person: Option<PersonRef>,
    notes_html: String,
) -> SegmentDoc {
    let credited_as = segment
        .host
        .clone()
        .filter(|typed| person.as_ref().is_some_and(|p| &p.name != typed));
    SegmentDoc {
        kind: segment.kind,
        number: segment.number,
        person,
        credited_as,
        title: segment.title.clone(),
        url: segment
            .url
            .clone()
            .filter(|u| crate::links::web_url::is_web_url(u)),
        notes_md: segment.notes_md.clone(),
        notes_html,
        ..Default::default()
    }
}

/// Puts the talks named in `segments` in the catalog; their links and segments are written
/// now, or with the batch when `memo` defers.
async fn attach_talks(
    conn: &mut SqliteConnection,
    memo: &mut Memo,
    segments: &[ParsedSegment],
    segment_ids: &[i64],
) -> sqlx::Result<usize> {
    let noted: Vec<NotedTalk> = segments
        .iter()
        .flat_map(|segment| &segment.talks)
        .map(|talk| NotedTalk {
            title: &talk.title,
            url: &talk.url,
            related: talk
                .related
                .iter()
                .map(|l| (l.url.as_str(), l.text.as_str()))
                .collect(),
        })
        .collect();
    let ids = noted::talks_from_notes(conn, &noted).await?;
    memo.search.talks(&ids);
    let mut talk_ids = ids.iter().copied();
    let discussed: Vec<(i64, Vec<i64>)> = segments
        .iter()
        .zip(segment_ids)
        .map(|(segment, id)| (*id, talk_ids.by_ref().take(segment.talks.len()).collect()))
        .collect();
    memo.talks.gather(&noted, &ids, &discussed);
    if !memo.known.defers() {
        memo.talks.write(conn).await?;
    }
    Ok(noted.len())
}
