//! Top-level blocks of a markdown source, each with its byte range and its events.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, HeadingLevel, Options, Parser, Tag};

/// An event with the byte range of the source it came from.
pub(crate) type Ev<'a> = (Event<'a>, Range<usize>);

/// What a top-level block is, as far as the dialect cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading(u8),
    List,
    Other,
}

/// One top-level block: its range in the source and every event inside it (Start and End included).
#[derive(Debug, Clone)]
pub(crate) struct Block<'a> {
    /// The block's bytes in the source.
    pub range: Range<usize>,
    /// What kind of block it is.
    pub kind: BlockKind,
    /// Its events, from its Start to its End.
    pub events: Vec<Ev<'a>>,
}

/// A parser over `source`, the one place the parser options are chosen.
pub(crate) fn parser(source: &str) -> Parser<'_> {
    Parser::new_ext(source, options())
}

/// The parser options of the dialect.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Parses `source` into events with their source ranges.
pub(crate) fn events(source: &str) -> impl Iterator<Item = Ev<'_>> {
    parser(source).into_offset_iter()
}

/// The source text of every link reference definition (`[label]: url`) in `source`, in order.
pub(crate) fn reference_definitions(source: &str) -> Vec<&str> {
    let parser = parser(source);
    let mut spans: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .map(|(_, definition)| definition.span.clone())
        .collect();
    spans.sort_by_key(|span| span.start);
    spans
        .into_iter()
        .filter_map(|span| source.get(span))
        .collect()
}

/// The top-level blocks of `source`, in order.
pub(crate) fn top_level_blocks(source: &str) -> Vec<Block<'_>> {
    blocks_of(events(source))
}

/// The top-level blocks of some events, in order.
fn blocks_of<'a>(events: impl Iterator<Item = Ev<'a>>) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    for (event, range) in events {
        let opens = matches!(event, Event::Start(_));
        let closes = matches!(event, Event::End(_));
        if depth == 0 {
            // Leaf events at the top (a rule, say) are blocks of their own.
            blocks.push(Block {
                range: range.clone(),
                kind: kind_of(&event),
                events: Vec::new(),
            });
        }
        if let Some(block) = blocks.last_mut() {
            block.events.push((event, range));
        }
        if opens {
            depth += 1;
        } else if closes {
            depth = depth.saturating_sub(1);
        }
    }
    blocks
}

/// The top-level blocks of `source[start..end]` read on their own, with ranges in `source`:
/// for cutting a block in two. Reference links still find their definitions elsewhere in
/// `source`.
pub(crate) fn reparse(source: &str, start: usize, end: usize) -> Vec<Block<'_>> {
    let definitions: HashMap<String, (String, String)> = parser(source)
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label_key(label),
                (
                    def.dest.to_string(),
                    def.title.as_deref().unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    let resolve = move |link: BrokenLink<'_>| {
        let (dest, title) = definitions.get(&label_key(&link.reference))?;
        Some((CowStr::from(dest.clone()), CowStr::from(title.clone())))
    };
    let part = slice(source, start, end);
    let parsed = Parser::new_with_broken_link_callback(part, options(), Some(resolve));
    let mut blocks = blocks_of(parsed.into_offset_iter());
    for block in &mut blocks {
        block.range = block.range.start + start..block.range.end + start;
        for (_, range) in &mut block.events {
            *range = range.start + start..range.end + start;
        }
    }
    blocks
}

/// A reference label as markdown matches it: case and whitespace runs do not count.
fn label_key(label: &str) -> String {
    collapse(label).to_lowercase()
}

fn kind_of(event: &Event<'_>) -> BlockKind {
    match event {
        Event::Start(Tag::Paragraph) => BlockKind::Paragraph,
        Event::Start(Tag::Heading { level, .. }) => BlockKind::Heading(heading_level(*level)),
        Event::Start(Tag::List(_)) => BlockKind::List,
        _ => BlockKind::Other,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// The plain text of some inline events: text and code spans, breaks as spaces.
pub(crate) fn plain_text(events: &[Ev<'_>]) -> String {
    let mut out = String::new();
    for (event, _) in events {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// `text` trimmed, with every whitespace run turned into one space.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 1-based line of byte `offset`.
pub(crate) fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The start of `pos`'s line when only spaces or tabs precede `pos` on it; else `pos`.
pub(crate) fn line_start(source: &str, pos: usize) -> usize {
    let bytes = source.as_bytes();
    let pos = pos.min(bytes.len());
    let mut i = pos;
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || bytes[i - 1] == b'\n' {
        i
    } else {
        pos
    }
}

/// `source[start..end]`, or "" when the range is empty or not on char boundaries.
pub(crate) fn slice(source: &str, start: usize, end: usize) -> &str {
    if start >= end {
        return "";
    }
    source.get(start..end).unwrap_or("")
}

/// `text` without its leading whitespace-only lines and its trailing whitespace.
///
/// Leading spaces of the first real line stay: they can make it an indented code block.
pub(crate) fn trim_blank_lines(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    text[start..].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_ranges_and_kinds() {
        let source = "# Title\n\nPara **one**.\n\n- a\n  - b\n\n```\ncode\n```\n";
        let blocks = top_level_blocks(source);
        let kinds: Vec<_> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::List,
                BlockKind::Other
            ]
        );
        assert_eq!(
            &source[blocks[1].range.clone()].trim_end(),
            &"Para **one**."
        );
        assert_eq!(plain_text(&blocks[1].events), "Para one.");
    }

    #[test]
    fn trims_blank_lines_but_keeps_indentation() {
        assert_eq!(trim_blank_lines("\n  \n    code\n\n  "), "    code");
        assert_eq!(line_start("ab\n  - x", 5), 3);
        assert_eq!(line_start("ab - x", 3), 3);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
