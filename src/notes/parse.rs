//! `parse`: a notes file into a [`ParsedEpisode`].
//!
//! The source is cut into top-level blocks; a scan marks the blocks that start segments;
//! each segment's notes are the exact source between its title block and the next mark.

use std::collections::HashMap;

use super::blocks::{
    Block, BlockKind, collapse, line_start, plain_text, slice, top_level_blocks, trim_blank_lines,
};
use super::heads::{
    TopicHead, extra_host, is_extras_header, is_links_header, is_news_heading, joke_head,
    last_integer, topic_head,
};
use super::intro::{host_socials, sponsor_segment};
use super::links::{links_in, starts_with_link, text_before_first_link};
use super::segments::{Mark, MarkKind, build_segments};
use super::{NotesError, ParsedEpisode, ParsedSegment, SegmentKind};

/// Parses a notes file. Fails, naming the line, when it has no segments or a repeated topic number.
pub fn parse(source: &str) -> Result<ParsedEpisode, NotesError> {
    let blocks = top_level_blocks(source);
    let (title, body) = split_title(source, &blocks);
    let marks = scan_marks(body);
    let Some(first) = marks.first() else {
        return Err(NotesError {
            line: 1,
            message: "no segments found: expected lines like `**Brian #1:** [Title](url)`".into(),
        });
    };
    let intro_start = title.map_or(0, |heading| heading.range.end);
    let intro_end = line_start(source, body[first.block].range.start);
    let intro_blocks = &body[..first.block];
    let mut segments: Vec<ParsedSegment> =
        sponsor_segment(source, intro_blocks).into_iter().collect();
    segments.extend(build_segments(source, body, &marks));
    check_numbers(&segments)?;
    let title_text = title.map(|heading| collapse(&plain_text(&heading.events)));
    Ok(ParsedEpisode {
        number: title_text.as_deref().and_then(last_integer),
        title: title_text,
        intro_md: trim_blank_lines(slice(source, intro_start, intro_end)).to_string(),
        host_socials: host_socials(source, intro_blocks),
        segments,
    })
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
}

/// The blocks of `body` that start segments, in order.
fn scan_marks(body: &[Block<'_>]) -> Vec<Mark> {
    let mut scan = Scan::default();
    let mut marks = Vec::new();
    for (index, block) in body.iter().enumerate() {
        let list_follows = body
            .get(index + 1)
            .is_some_and(|b| b.kind == BlockKind::List);
        if let Some(kind) = scan.classify(block, list_follows) {
            scan.enter(&kind, block);
            marks.push(Mark { block: index, kind });
        }
    }
    marks
}

impl Scan {
    /// What segment, if any, `block` starts.
    fn classify(&mut self, block: &Block<'_>, list_follows: bool) -> Option<MarkKind> {
        let level = match block.kind {
            BlockKind::Paragraph => None,
            BlockKind::Heading(level) => Some(level),
            _ => return None,
        };
        let plain = plain_text(&block.events);
        // `Name #N` must be outside any link: the name and number are not a link's words.
        let head =
            topic_head(&plain).filter(|_| text_before_first_link(&block.events).contains('#'));
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
