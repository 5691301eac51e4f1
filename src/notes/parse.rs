//! `parse`: a notes file into a [`ParsedEpisode`].
//!
//! The source is cut into top-level blocks; a scan marks the blocks that start segments;
//! each segment's notes are the exact source between its title block and the next mark.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, Event, Tag};

use super::blocks::{
    Block, BlockKind, collapse, line_of, line_start, plain_text, reparse, slice, top_level_blocks,
    trim_blank_lines,
};
use super::guests::guests;
use super::heads::{
    TopicHead, extra_host, hashless_head, is_extras_header, is_links_header, is_news_heading,
    joke_head, section_title, topic_head,
};
use super::intro::{host_socials, sponsor_segment};
use super::links::{links_in, starts_with_link, text_before_first_link};
use super::model::{NotesError, NotesWarning, ParsedEpisode, ParsedSegment, SegmentKind};
use super::segments::{Mark, MarkKind, build_segments};

/// Parses a notes file. Fails, naming the line, only when there is nothing to import or a
/// topic number repeats; notes without topics import with a warning.
pub fn parse(source: &str) -> Result<ParsedEpisode, NotesError> {
    if source.trim().is_empty() {
        return Err(NotesError {
            line: 1,
            message: "nothing to import: the file is empty".into(),
        });
    }
    let blocks = split_joined_heads(source, top_level_blocks(source));
    let (title, body) = split_title(source, &blocks);
    let (marks, warnings) = marks_or_sections(source, body);
    let intro_start = title.map_or(0, |heading| heading.range.end);
    let intro_end = marks.first().map_or(source.len(), |first| {
        line_start(source, body[first.block].range.start)
    });
    let intro_blocks = &body[..marks.first().map_or(body.len(), |first| first.block)];
    let mut segments: Vec<ParsedSegment> =
        sponsor_segment(source, intro_blocks).into_iter().collect();
    segments.extend(build_segments(source, body, &marks));
    check_numbers(&segments)?;
    let title_text = title.map(|heading| collapse(&plain_text(&heading.events)));
    let intro_md = trim_blank_lines(slice(source, intro_start, intro_end)).to_string();
    Ok(ParsedEpisode {
        number: title_text.as_deref().and_then(heading_number),
        title: title_text,
        recorded_on: super::recorded::recorded_on(&intro_md),
        intro_md,
        host_socials: host_socials(source, intro_blocks),
        guests: guests(intro_blocks),
        segments,
        warnings,
    })
}

/// The marks of host topics; for notes without any (a "top 10 of the year" episode, an
/// interview), their bold or heading sections, with a warning saying so.
fn marks_or_sections(source: &str, body: &[Block<'_>]) -> (Vec<Mark>, Vec<NotesWarning>) {
    let marks = scan_marks(source, body, false);
    if marks
        .iter()
        .any(|mark| matches!(mark.kind, MarkKind::Topic(_)))
    {
        return (marks, Vec::new());
    }
    let sections = scan_marks(source, body, true);
    let message = match sections.is_empty() {
        true => "no segments found: everything is kept as the episode's intro",
        false => {
            "no numbered host topics (like `**Brian #1:** …`): sections imported without host or number"
        }
    };
    let line = body.first().map_or(1, |b| line_of(source, b.range.start));
    let warning = NotesWarning {
        line,
        message: message.into(),
    };
    (sections, vec![warning])
}

/// Paragraphs in which a later line starts a topic (a stray line right above
/// `**Brian #1:** …`, which CommonMark joins into one paragraph) are cut before that line.
/// So are setext headings (lines underlined with `===` or `---`): CommonMark joins their
/// lines the same way, and the topic would otherwise take the stray line as part of its host.
fn split_joined_heads<'a>(source: &'a str, blocks: Vec<Block<'a>>) -> Vec<Block<'a>> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut pending: Vec<Block<'a>> = blocks.into_iter().rev().collect();
    while let Some(block) = pending.pop() {
        match joined_head_at(source, &block) {
            Some(at) => {
                out.extend(reparse(source, block.range.start, at));
                pending.extend(reparse(source, at, block.range.end).into_iter().rev());
            }
            None => out.push(block),
        }
    }
    out
}

/// Where a block should be cut: before a joined topic head, or after an unclosed fence's
/// real end.
fn joined_head_at(source: &str, block: &Block<'_>) -> Option<usize> {
    let text = slice(source, block.range.start, block.range.end);
    let joins_lines = match block.kind {
        BlockKind::Paragraph => true,
        BlockKind::Heading(_) => is_setext(text),
        _ => false,
    };
    if !joins_lines {
        return unclosed_fence_end(source, block);
    }
    let mut offset = block.range.start;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index > 0 && line_starts_topic(line) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Whether a heading's source is underlined (setext) rather than opened with `#` (ATX).
fn is_setext(heading: &str) -> bool {
    !heading.trim_start().starts_with('#')
}

/// A fenced code block that runs to the end of the file because its closing fence was typed
/// at the end of a line (`["a", "b"]```, as in 035) ends after that line: otherwise every
/// later topic would be code. The block's own source is untouched; each segment renders alone.
fn unclosed_fence_end(source: &str, block: &Block<'_>) -> Option<usize> {
    let fence = match block.events.first() {
        Some((Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))), _)) => {
            let opening = slice(source, block.range.start, block.range.end).trim_start();
            let marker = opening.chars().next()?;
            opening
                .chars()
                .take_while(|c| *c == marker)
                .collect::<String>()
        }
        _ => return None,
    };
    let text = slice(source, block.range.start, block.range.end);
    let runs_to_end = source[block.range.end..].trim().is_empty();
    let closed = text
        .trim_end()
        .lines()
        .last()
        .is_some_and(|last| last.trim() == fence);
    if !runs_to_end || closed {
        return None;
    }
    let mut offset = block.range.start;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if index > 0 && line.trim_end().ends_with(&fence) && offset < block.range.end {
            return Some(offset);
        }
    }
    None
}

/// Whether `line`, read alone, is a topic's head set in bold, a link or `Name #N`.
fn line_starts_topic(line: &str) -> bool {
    let trimmed = line.trim();
    let starts_like_head =
        trimmed.starts_with(['*', '[', '#']) || trimmed.starts_with(char::is_uppercase);
    if !starts_like_head || !trimmed.contains('#') {
        return false;
    }
    let blocks = top_level_blocks(trimmed);
    blocks.first().is_some_and(|block| {
        topic_head(&plain_text(&block.events), trimmed).is_some()
            && text_before_first_link(&block.events).contains('#')
    })
}

/// The episode number of a top heading: the number it starts with (`#477: Title` is 477,
/// whatever digits its title holds; `Episode 12: Title`), else a number ending it
/// (`Python Bytes 434`, `PB 480`).
pub(crate) fn heading_number(heading: &str) -> Option<i64> {
    if let Some(number) = super::title_number::number_in_title(heading) {
        return Some(number);
    }
    let last = heading.split_whitespace().next_back()?;
    let last = last.strip_prefix('#').unwrap_or(last);
    match !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        true => last.parse().ok(),
        false => None,
    }
}

/// The top `# …` heading and the blocks after it.
///
/// Only a heading with nothing before it counts: text before it (a `[label]: url` definition
/// is no block) would otherwise be lost from the intro.
fn split_title<'b, 'a>(
    source: &str,
    blocks: &'b [Block<'a>],
) -> (Option<&'b Block<'a>>, &'b [Block<'a>]) {
    match blocks.split_first() {
        Some((first, rest))
            if first.kind == BlockKind::Heading(1)
                && slice(source, 0, first.range.start).trim().is_empty() =>
        {
            (Some(first), rest)
        }
        _ => (None, blocks),
    }
}

/// Two topics with one number would collide in the database; say where both are.
fn check_numbers(segments: &[ParsedSegment]) -> Result<(), NotesError> {
    let mut first_line: HashMap<i64, usize> = HashMap::new();
    let topics = segments.iter().filter(|s| s.kind == SegmentKind::Topic);
    for segment in topics {
        let Some(number) = segment.number else {
            continue;
        };
        if let Some(first) = first_line.insert(number, segment.line) {
            return Err(NotesError {
                line: segment.line,
                message: format!(
                    "segment #{number} appears twice (first on line {first}); renumber one of them"
                ),
            });
        }
    }
    Ok(())
}

/// Where the scan is: which section we are in and what the current segment started with.
#[derive(Debug, Default)]
struct Scan {
    /// A segment has started: headings now start `Other` segments instead of staying in the intro.
    started: bool,
    /// After 001's `## News items`: bare link paragraphs are topics.
    news: bool,
    /// Inside the extras: `Name:` paragraphs split it per host.
    extras: bool,
    /// The heading level the current segment started with, if it started with a heading.
    level: Option<u8>,
    /// The highest topic number so far, to number news items after it.
    max_topic: i64,
    /// Notes without host topics: bold paragraphs and headings open sections.
    sections: bool,
}

/// The blocks of `body` that start segments, in order.
fn scan_marks(source: &str, body: &[Block<'_>], sections: bool) -> Vec<Mark> {
    let mut scan = Scan {
        sections,
        ..Scan::default()
    };
    let mut marks = Vec::new();
    for (index, block) in body.iter().enumerate() {
        let list_follows = body
            .get(index + 1)
            .is_some_and(|b| b.kind == BlockKind::List);
        if let Some(kind) = scan.classify(source, block, list_follows) {
            scan.enter(&kind, block);
            marks.push(Mark { block: index, kind });
        }
    }
    if !sections {
        add_topics_missing_their_hash(body, &mut marks);
    }
    marks
}

/// Topics whose `#` was forgotten (`**Brian 5 : icdiff**`): read only for a host who has other
/// topics in the file and a number no topic has, so that "Python 3: …" stays prose.
fn add_topics_missing_their_hash(body: &[Block<'_>], marks: &mut Vec<Mark>) {
    let mut hosts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    for mark in marks.iter() {
        if let MarkKind::Topic(head) = &mark.kind {
            hosts.extend(head.host.clone());
            numbers.push(head.number);
        }
    }
    for (index, block) in body.iter().enumerate() {
        let unmarked = block.kind == BlockKind::Paragraph && marks.iter().all(|m| m.block != index);
        let head = unmarked
            .then(|| hashless_head(&plain_text(&block.events), &hosts))
            .flatten()
            .filter(|head| !numbers.contains(&head.number));
        if let Some(head) = head {
            numbers.push(head.number);
            let at = marks.partition_point(|m| m.block < index);
            marks.insert(
                at,
                Mark {
                    block: index,
                    kind: MarkKind::Topic(head),
                },
            );
        }
    }
}

impl Scan {
    /// What segment, if any, `block` starts.
    fn classify(
        &mut self,
        source: &str,
        block: &Block<'_>,
        list_follows: bool,
    ) -> Option<MarkKind> {
        let level = match block.kind {
            BlockKind::Paragraph => None,
            BlockKind::Heading(level) => Some(level),
            _ => return None,
        };
        let plain = plain_text(&block.events);
        let raw = slice(source, block.range.start, block.range.end);
        // `Name #N` must be outside any link (the name and number are not a link's words),
        // unless the whole head is a link's text (`[**#1 Brian: Title**](url)`).
        let head = topic_head(&plain, raw).filter(|_| {
            text_before_first_link(&block.events).contains('#') || starts_with_link(&block.events)
        });
        if let Some(head) = head {
            return Some(MarkKind::Topic(head));
        }
        if let Some(rest) = joke_head(&plain) {
            return Some(MarkKind::Joke(rest));
        }
        if is_extras_header(&plain) {
            return Some(MarkKind::ExtrasHeader);
        }
        match level {
            Some(level) => self.heading(level, &plain),
            None => self.paragraph(block, &plain, list_follows),
        }
    }

    /// A heading that is no marker: `## News items`, a new `Other` section, or just notes.
    fn heading(&mut self, level: u8, plain: &str) -> Option<MarkKind> {
        if self.sections && level >= 2 {
            return Some(MarkKind::Other(collapse(plain)));
        }
        if is_news_heading(plain) {
            self.news = true;
            return None;
        }
        // Before any segment a heading is intro (485's `## **Show Intro**`). After, `#`/`##`
        // always open a section, as do headings as high as the one that opened the current
        // segment; deeper ones are its notes (001's `### Brian`). The writer uses `##`.
        let opens_section = self.started && level <= self.level.unwrap_or(2).max(2);
        opens_section.then(|| MarkKind::Other(collapse(plain)))
    }

    /// A paragraph that is no marker: `Links`, a host's extras, or a news item.
    fn paragraph(&self, block: &Block<'_>, plain: &str, list_follows: bool) -> Option<MarkKind> {
        if self.started && is_links_header(plain) {
            return Some(MarkKind::Other("Links".into()));
        }
        if self.sections {
            return section_title(&block.events).map(MarkKind::Other);
        }
        if self.extras
            && let Some(host) = extra_host(plain, list_follows)
        {
            return Some(MarkKind::ExtraName(host));
        }
        let links = links_in(&block.events);
        let news_item = self.news && links.len() == 1 && starts_with_link(&block.events);
        news_item.then(|| {
            MarkKind::Topic(TopicHead {
                host: None,
                number: self.max_topic + 1,
                title: collapse(plain),
                escaped_url: None,
            })
        })
    }

    /// Updates the section state once `block` has started a `kind` segment.
    fn enter(&mut self, kind: &MarkKind, block: &Block<'_>) {
        self.started = true;
        self.level = match block.kind {
            BlockKind::Heading(level) => Some(level),
            _ => None,
        };
        match kind {
            MarkKind::Topic(head) => {
                self.extras = false;
                self.max_topic = self.max_topic.max(head.number);
            }
            MarkKind::Joke(_) | MarkKind::Other(_) => {
                self.extras = false;
                self.news = false;
            }
            MarkKind::ExtrasHeader => {
                self.extras = true;
                self.news = false;
            }
            // Ends news too: the writer may leave out the extras header before it.
            MarkKind::ExtraName(_) => self.news = false,
        }
    }
}
