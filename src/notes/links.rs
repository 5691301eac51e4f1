//! Links in a run of events, with adjacent same-URL links merged into one.
//!
//! Editors split one link into several when its text has mixed formatting: 434 has
//! `[Marimo: A Notebook that](u)[ ](u)["Compiles"](u)…`. Readers see one link, so do we.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::{Ev, collapse};
use super::model::ParsedLink;

/// A link and the byte offset where it (its first piece, when merged) starts.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    /// The (merged) link.
    pub link: ParsedLink,
    /// The byte offset of its `[`.
    pub start: usize,
}

/// What lies between the last link's end and here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Something other than whitespace or emphasis: the next link is not adjacent.
    Broken,
    /// Nothing at all.
    Empty,
    /// Only whitespace (and emphasis markers).
    Space,
}

/// Every link in `events`, merged, with trimmed and collapsed text.
pub(crate) fn links_in(events: &[Ev<'_>]) -> Vec<ParsedLink> {
    located_links(events).into_iter().map(|l| l.link).collect()
}

/// Like [`links_in`], keeping where each link starts.
pub(crate) fn located_links(events: &[Ev<'_>]) -> Vec<Located> {
    let mut found: Vec<Located> = Vec::new();
    let mut open: Option<Located> = None;
    let mut gap = Gap::Broken;
    for (event, range) in events {
        if let Some(current) = open.as_mut() {
            match event {
                Event::End(TagEnd::Link) => {
                    found.extend(open.take());
                    gap = Gap::Empty;
                }
                _ => push_text(&mut current.link.text, event),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some(start_link(&mut found, gap, dest_url, range.start));
            }
            _ => gap = next_gap(gap, event),
        }
    }
    // An unclosed link cannot happen with pulldown-cmark, but keep it rather than lose it.
    found.extend(open);
    for located in &mut found {
        located.link.text = collapse(&located.link.text);
    }
    found
}

/// Opens a link: a continuation of the previous one when adjacent with the same URL.
fn start_link(found: &mut Vec<Located>, gap: Gap, url: &str, start: usize) -> Located {
    let continues = gap != Gap::Broken && found.last().is_some_and(|l| l.link.url == url);
    if continues && let Some(mut previous) = found.pop() {
        if gap == Gap::Space {
            previous.link.text.push(' ');
        }
        return previous;
    }
    Located {
        link: ParsedLink {
            url: url.to_string(),
            text: String::new(),
        },
        start,
    }
}

fn push_text(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        _ => {}
    }
}

/// How `event`, outside any link, changes the gap since the last link.
fn next_gap(gap: Gap, event: &Event<'_>) -> Gap {
    if gap == Gap::Broken {
        return Gap::Broken;
    }
    match event {
        Event::Text(t) if t.trim().is_empty() => Gap::Space,
        Event::SoftBreak => Gap::Space,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => gap,
        Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => gap,
        _ => Gap::Broken,
    }
}

/// The one link of `events` when they hold exactly one (merged) link and no other text.
pub(crate) fn sole_link(events: &[Ev<'_>]) -> Option<ParsedLink> {
    let mut links = links_in(events);
    if links.len() != 1 || has_text_outside_links(events) {
        return None;
    }
    links.pop()
}

/// Whether any non-blank text or code lies outside links (image alt text counts).
fn has_text_outside_links(events: &[Ev<'_>]) -> bool {
    let mut in_link = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if in_link == 0 && !t.trim().is_empty() => return true,
            Event::Code(_) if in_link == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Whether the first thing in `events` that is not markup or blank is a link.
pub(crate) fn starts_with_link(events: &[Ev<'_>]) -> bool {
    for (event, _) in events {
        match event {
            Event::Start(Tag::Link { .. }) => return true,
            Event::Start(_) | Event::End(_) => {}
            Event::Text(t) if t.trim().is_empty() => {}
            _ => return false,
        }
    }
    false
}

/// The plain text before the first link (all of it when there is none).
pub(crate) fn text_before_first_link(events: &[Ev<'_>]) -> String {
    let end = events
        .iter()
        .position(|(event, _)| matches!(event, Event::Start(Tag::Link { .. })))
        .unwrap_or(events.len());
    super::blocks::plain_text(&events[..end])
}

/// The links of a markdown text, whose reference links may use `definitions` (`[label]: url`
/// lines from elsewhere in the episode), as they did in the file it came from.
pub fn links_of_markdown(markdown: &str, definitions: &str) -> Vec<ParsedLink> {
    // Definitions go first: nothing in the notes (an unclosed fence, say) can swallow them.
    let text = format!("{definitions}\n\n{markdown}");
    let events: Vec<Ev<'_>> = super::blocks::events(&text).collect();
    links_in(&events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(markdown: &str) -> Vec<(String, String)> {
        links_of_markdown(markdown, "")
            .into_iter()
            .map(|l| (l.url, l.text))
            .collect()
    }

    #[test]
    fn merges_adjacent_links_with_one_url() {
        let md = "[option](u)[ ](u)[-X](u)[ in the standard docs](u)";
        assert_eq!(
            texts(md),
            [("u".into(), "option -X in the standard docs".into())]
        );
        let md = "[**PEX:**](u) [**A library**](u)";
        assert_eq!(texts(md), [("u".into(), "PEX: A library".into())]);
        let md = "[**chatgpt-failures**](u) [](u)";
        assert_eq!(texts(md), [("u".into(), "chatgpt-failures".into())]);
    }

    #[test]
    fn keeps_separate_links_apart() {
        assert_eq!(texts("[a](u) and [b](u)").len(), 2);
        assert_eq!(texts("[a](u)[b](v)").len(), 2);
        assert_eq!(texts("- [a](u)\n- [a](u)\n").len(), 2);
    }

    #[test]
    fn sole_link_needs_no_other_text() {
        let events: Vec<Ev<'_>> = super::super::blocks::events("[a](u)").collect();
        assert!(sole_link(&events).is_some());
        let events: Vec<Ev<'_>> = super::super::blocks::events("see [a](u)").collect();
        assert!(sole_link(&events).is_none());
    }
}
