//! Turning the marked blocks into segments: titles, URLs, exact notes slices, links, talks.

use super::blocks::{Block, line_of, line_start, slice, trim_blank_lines};
use super::heads::TopicHead;
use super::links::links_in;
use super::model::{ParsedLink, ParsedSegment, SegmentKind};
use super::talks::find_talks;

/// A block that starts a segment (or, for the extras header, may start one).
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// Index into the body blocks.
    pub block: usize,
    /// What the block starts.
    pub kind: MarkKind,
}

/// What a marked block starts.
#[derive(Debug, Clone)]
pub(crate) enum MarkKind {
    /// A topic: `**Brian #1:** …`, or a bare link paragraph after `## News items`.
    Topic(TopicHead),
    /// The joke, with the title line's text after the colon.
    Joke(String),
    /// `Extras`: a host-less extras segment unless a `Name:` follows right away.
    ExtrasHeader,
    /// A host's extras (`Brian:`).
    ExtraName(String),
    /// Any other section, titled by its heading.
    Other(String),
}

/// The title a joke gets when its line has no link and no text: the first link in the notes
/// whose text is not a bare URL (150 has "via [https://twitter…]" first), else the first link.
pub(crate) fn joke_title_from_notes(links: &[ParsedLink]) -> (String, Option<String>) {
    let is_bare_url = |link: &&ParsedLink| link.text.starts_with("http") || link.text.is_empty();
    let chosen = links
        .iter()
        .find(|link| !is_bare_url(link))
        .or(links.first());
    match chosen {
        Some(link) => (link.text.clone(), Some(link.url.clone())),
        None => ("Joke".to_string(), None),
    }
}

/// One segment per mark, except an extras header with nothing of its own.
pub(crate) fn build_segments(
    source: &str,
    body: &[Block<'_>],
    marks: &[Mark],
) -> Vec<ParsedSegment> {
    let mut segments = Vec::new();
    for (index, mark) in marks.iter().enumerate() {
        let next = marks.get(index + 1);
        let notes_end = next.map_or(body.len(), |n| n.block);
        let notes_blocks = body.get(mark.block + 1..notes_end).unwrap_or(&[]);
        let end = next.map_or(source.len(), |n| {
            line_start(source, body[n.block].range.start)
        });
        let title_block = &body[mark.block];
        let notes_md = trim_blank_lines(slice(source, title_block.range.end, end));
        // An empty extras header before a host's extras (or another header) is no segment.
        let header_only = matches!(mark.kind, MarkKind::ExtrasHeader)
            && notes_md.is_empty()
            && next
                .is_some_and(|n| matches!(n.kind, MarkKind::ExtraName(_) | MarkKind::ExtrasHeader));
        if header_only {
            continue;
        }
        segments.push(segment(source, mark, title_block, notes_blocks, notes_md));
    }
    segments
}

fn segment(
    source: &str,
    mark: &Mark,
    title_block: &Block<'_>,
    notes: &[Block<'_>],
    notes_md: &str,
) -> ParsedSegment {
    let title_links = match &mark.kind {
        // A `Name:` line has no links of its own worth keeping; the extras header neither.
        MarkKind::ExtrasHeader | MarkKind::ExtraName(_) => Vec::new(),
        MarkKind::Topic(head) => escaped_or_real_links(head, title_block),
        _ => links_in(&title_block.events),
    };
    let notes_links: Vec<ParsedLink> = notes.iter().flat_map(|b| links_in(&b.events)).collect();
    let head = head_of(&mark.kind, &title_links, &notes_links);
    let talks = match head.kind {
        SegmentKind::Topic => find_talks(notes),
        _ => Vec::new(),
    };
    ParsedSegment {
        kind: head.kind,
        host: head.host,
        number: head.number,
        title: head.title,
        url: head.url,
        notes_md: notes_md.to_string(),
        line: line_of(source, title_block.range.start),
        links: title_links.into_iter().chain(notes_links).collect(),
        talks,
    }
}

/// The title line's links; a link typed with an escaped bracket counts as one when it is the
/// only one, as it does for a reader of the source.
fn escaped_or_real_links(head: &TopicHead, title_block: &Block<'_>) -> Vec<ParsedLink> {
    let links = links_in(&title_block.events);
    match &head.escaped_url {
        Some(url) if links.is_empty() => vec![ParsedLink {
            url: url.clone(),
            text: head.title.clone(),
        }],
        _ => links,
    }
}

/// The parts of a segment that its title line decides.
struct Head {
    kind: SegmentKind,
    host: Option<String>,
    number: Option<i64>,
    title: String,
    url: Option<String>,
}

fn head_of(mark: &MarkKind, title_links: &[ParsedLink], notes_links: &[ParsedLink]) -> Head {
    let first_url = title_links.first().map(|link| link.url.clone());
    let (kind, title, url) = match mark {
        MarkKind::Topic(topic) => (SegmentKind::Topic, topic.title.clone(), first_url),
        MarkKind::Joke(rest) => {
            let (title, url) = joke_title(rest, title_links, notes_links);
            (SegmentKind::Joke, title, url)
        }
        MarkKind::ExtrasHeader | MarkKind::ExtraName(_) => {
            (SegmentKind::Extra, "Extras".to_string(), None)
        }
        MarkKind::Other(title) => (SegmentKind::Other, title.clone(), first_url),
    };
    let (host, number) = match mark {
        MarkKind::Topic(topic) => (topic.host.clone(), Some(topic.number)),
        MarkKind::ExtraName(host) => (Some(host.clone()), None),
        _ => (None, None),
    };
    Head {
        kind,
        host,
        number,
        title,
        url,
    }
}

/// The joke's title and URL: its line's first link, else its line's text, else from the notes.
fn joke_title(
    rest: &str,
    title_links: &[ParsedLink],
    notes_links: &[ParsedLink],
) -> (String, Option<String>) {
    match title_links.first() {
        Some(link) => (link.text.clone(), Some(link.url.clone())),
        None if !rest.is_empty() => (rest.to_string(), None),
        None => joke_title_from_notes(notes_links),
    }
}
