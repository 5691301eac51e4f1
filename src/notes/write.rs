//! `write`: a [`ParsedEpisode`] back to markdown, in the seed's dialect.
//!
//! Notes are copied verbatim; only title lines are generated, and they are generated so that
//! parsing them again gives back the same host, number, title, URL and links.

use super::blocks::reference_definitions;
use super::links::links_of_markdown;
use super::model::{ParsedEpisode, ParsedLink, ParsedSegment, SegmentKind};
use super::segments::joke_title_from_notes;

/// Writes the episode in the canonical dialect (`**Brian #1:** [Title](url)`, `**Extras**`, …).
pub fn write(episode: &ParsedEpisode) -> String {
    let mut blocks: Vec<String> = Vec::new();
    match (&episode.title, episode.number) {
        (Some(title), _) => blocks.push(format!("# {}", escape_text(title))),
        (None, Some(number)) => blocks.push(format!("# Episode {number}")),
        (None, None) => {}
    }
    push_markdown(&mut blocks, &episode.intro_md);
    let definitions = episode_definitions(episode);
    let mut previous: Option<&ParsedSegment> = None;
    // Sponsor segments are derived from the intro's `Sponsored by` line, already written.
    for segment in episode
        .segments
        .iter()
        .filter(|s| s.kind != SegmentKind::Sponsor)
    {
        let written = Written::new(segment, &definitions);
        blocks.extend(written.title_blocks(previous));
        push_markdown(&mut blocks, &segment.notes_md);
        previous = Some(segment);
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn push_markdown(blocks: &mut Vec<String>, markdown: &str) {
    if !markdown.trim().is_empty() {
        blocks.push(markdown.trim_end().to_string());
    }
}

/// Every `[label]: url` definition of the episode: notes may use one defined elsewhere.
fn episode_definitions(episode: &ParsedEpisode) -> String {
    let notes = episode.segments.iter().map(|s| s.notes_md.as_str());
    let texts = std::iter::once(episode.intro_md.as_str()).chain(notes);
    texts
        .flat_map(reference_definitions)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A segment being written, with the links its notes hold.
struct Written<'s> {
    segment: &'s ParsedSegment,
    notes_links: Vec<ParsedLink>,
}

impl<'s> Written<'s> {
    fn new(segment: &'s ParsedSegment, definitions: &str) -> Self {
        let notes_links = links_of_markdown(&segment.notes_md, definitions);
        Written {
            segment,
            notes_links,
        }
    }

    /// The lines that start the segment, each its own block.
    fn title_blocks(&self, previous: Option<&ParsedSegment>) -> Vec<String> {
        match self.segment.kind {
            SegmentKind::Topic => vec![self.topic_line()],
            SegmentKind::Joke => vec![self.joke_line()],
            SegmentKind::Other => vec![format!("## {}", self.title_markdown())],
            SegmentKind::Extra => extra_lines(self.segment, previous),
            SegmentKind::Sponsor => Vec::new(),
        }
    }

    /// `**Brian #1:** [Title](url)`; `**#1:** …` for a topic with no host (001's news items).
    /// Links typed inside the label (`**[x](u) Brian #1:**`) go back into the label.
    fn topic_line(&self) -> String {
        let links = self.title_links();
        let in_label = self.links_in_label(links);
        let host =
            self.segment.host.as_deref().map(|host| {
                weave_links(host, &links[..in_label]).unwrap_or_else(|| escape_text(host))
            });
        let who = match (host, self.segment.number) {
            (Some(host), Some(number)) => format!("{host} #{number}"),
            (None, Some(number)) => format!("#{number}"),
            (Some(host), None) => host,
            (None, None) => "Topic".to_string(),
        };
        with_title(format!("**{who}:**"), &self.title_with(&links[in_label..]))
    }

    /// How many of the title line's first links were typed in the label, before the number:
    /// none, unless the title cannot hold them all and the host's name can hold those.
    fn links_in_label(&self, links: &[ParsedLink]) -> usize {
        let Some(host) = self.segment.host.as_deref() else {
            return 0;
        };
        (0..=links.len())
            .find(|&k| {
                (k == 0 || weave_links(host, &links[..k]).is_some())
                    && weave_links(&self.segment.title, &links[k..]).is_some()
            })
            .unwrap_or(0)
    }

    /// `**Joke:** [title](url)`, or a bare `**Joke:**` when the title comes from the notes.
    fn joke_line(&self) -> String {
        let title_links = self.title_links();
        if !title_links.is_empty() {
            // The parser titles a joke by its line's first link; a separator keeps links apart.
            let rendered: Vec<String> = title_links.iter().map(link_markdown).collect();
            return with_title("**Joke:**".into(), &rendered.join(" · "));
        }
        let segment = self.segment;
        let from_notes = joke_title_from_notes(&self.notes_links);
        if from_notes == (segment.title.clone(), segment.url.clone()) {
            return "**Joke:**".to_string();
        }
        with_title("**Joke:**".into(), &whole_title(segment))
    }

    /// The links of the segment's title line: those before the ones its notes hold.
    fn title_links(&self) -> &'s [ParsedLink] {
        let links = &self.segment.links;
        &links[..links.len().saturating_sub(self.notes_links.len())]
    }

    /// The title as markdown, each title-line link put back around its text.
    ///
    /// "Hindsight Agent Memory That Learns" with link "Hindsight" gives
    /// `[Hindsight](url) Agent Memory That Learns`, which reads back as the same title and link.
    fn title_markdown(&self) -> String {
        self.title_with(self.title_links())
    }

    fn title_with(&self, links: &[ParsedLink]) -> String {
        if let Some(woven) = weave_links(&self.segment.title, links) {
            return woven;
        }
        // One link whose text is more than the title (`[**A **](u)`: stray emphasis the title
        // drops) is written as typed, so it reads back with the same text.
        if let [only] = links
            && self.segment.url.as_deref() == Some(only.url.as_str())
        {
            return link_markdown(only);
        }
        // Hand-made segments may not match their links; keep at least the title and URL.
        whole_title(self.segment)
    }
}

/// `**Extras**` before the first extras (and before a host-less one), then `Name:`.
fn extra_lines(segment: &ParsedSegment, previous: Option<&ParsedSegment>) -> Vec<String> {
    let continues = previous.is_some_and(|p| p.kind == SegmentKind::Extra);
    let mut lines = Vec::new();
    if !continues || segment.host.is_none() {
        lines.push("**Extras**".to_string());
    }
    if let Some(host) = &segment.host {
        lines.push(format!("{}:", escape_text(host)));
    }
    lines
}

/// The whole title, linked to the URL when there is one.
fn whole_title(segment: &ParsedSegment) -> String {
    match &segment.url {
        Some(url) => link_markdown(&link(url, &segment.title)),
        None => escape_text(&segment.title),
    }
}

fn with_title(lead: String, title: &str) -> String {
    if title.is_empty() {
        lead
    } else {
        format!("{lead} {title}")
    }
}

/// The title with each link's text, found in order, written as that link.
fn weave_links(title: &str, links: &[ParsedLink]) -> Option<String> {
    let mut out = String::new();
    let mut rest = title;
    let mut previous_url: Option<&str> = None;
    for link in links {
        let at = find_word(rest, &link.text)?;
        let gap = &rest[..at];
        if previous_url == Some(link.url.as_str()) && gap.trim().is_empty() {
            // Two same-URL links with only blanks between would read back as one; an empty
            // comment keeps them apart and adds no text.
            out.push_str("<!-- -->");
        }
        out.push_str(&escape_text(gap));
        out.push_str(&link_markdown(link));
        rest = &rest[at + link.text.len()..];
        previous_url = Some(&link.url);
    }
    out.push_str(&escape_text(rest));
    Some(out)
}

/// Where `needle` first occurs as whole words in `text` (else anywhere): a link "s" is not
/// the "s" of "strike".
fn find_word(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let whole = text.match_indices(needle).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !is_word(before) && !is_word(after)
    });
    whole.or_else(|| text.find(needle))
}

fn link(url: &str, text: &str) -> ParsedLink {
    ParsedLink {
        url: url.to_string(),
        text: text.to_string(),
    }
}

fn link_markdown(link: &ParsedLink) -> String {
    format!("[{}]({})", escape_text(&link.text), destination(&link.url))
}

/// Backslash-escapes what markdown would otherwise read as markup in a line of text.
///
/// Escapes only where needed, so ordinary titles ("C# tips", "snake_case") stay readable.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if needs_escape(c, previous, next, &text[index..]) {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

fn needs_escape(c: char, previous: Option<char>, next: Option<char>, rest: &str) -> bool {
    let word = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
    match c {
        '\\' | '`' | '*' | '[' | ']' | '<' | '~' => true,
        // Intraword underscores never make emphasis.
        '_' => !(word(previous) && word(next)),
        '!' => next == Some('['),
        // A `#` after a space could close a heading (`## Title #`).
        '#' => previous.is_none_or(char::is_whitespace),
        '&' => starts_entity(rest),
        _ => false,
    }
}

/// A link destination: bare with `()\<` escaped, or in `<…>` when it holds spaces.
fn destination(url: &str) -> String {
    let needs_angle = url.chars().any(|c| c.is_whitespace() || c.is_control());
    let mut out = String::with_capacity(url.len() + 2);
    for (index, c) in url.char_indices() {
        let special = if needs_angle {
            matches!(c, '<' | '>' | '\\')
        } else {
            matches!(c, '(' | ')' | '<' | '\\')
        };
        if special || (c == '&' && starts_entity(&url[index..])) {
            out.push('\\');
        }
        out.push(c);
    }
    if needs_angle { format!("<{out}>") } else { out }
}

/// Whether `text` (starting at a `&`) reads as an HTML entity like `&amp;` or `&#39;`.
fn starts_entity(text: &str) -> bool {
    let body = &text[1..];
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .unwrap_or(body.len());
    name_len > 0 && body[name_len..].starts_with(';')
}
