//! The only place markdown becomes HTML: pulldown-cmark, then ammonia.
//!
//! Nothing a note says may run script in a listener's browser, so every
//! rendering goes through the sanitizer, whoever wrote the note.
//!
//! Nor may a note stall the site (issue 13): the sanitizer's HTML parser takes
//! seconds to minutes on thousands of nested elements, so every field is held
//! to a size cap and a nesting cap before it is sanitized, and async code
//! renders through [`render_pooled`], off the threads that answer requests.
//! Input over a cap is refused, not flattened: flattening would silently change
//! what the author wrote, while a refusal names the problem where it was typed.
//! Saving such a field fails with [`check`]'s message; rendering one (a preview,
//! or a row stored before the caps) shows that message instead of the text.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use tokio::sync::Semaphore;

/// How deep lists, quotes and HTML elements may nest, all counted together.
pub const MAX_DEPTH: usize = 32;

/// The default size cap of one markdown field, in bytes (256 KB).
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024;

static MAX_BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_BYTES);

/// Renders at once off the async threads: bounded so that a burst of large
/// renders cannot take every blocking thread.
static RENDERERS: Semaphore = Semaphore::const_new(4);

/// Sets the size cap of one markdown field (`SHOWNOTES_MARKDOWN_MAX_BYTES`), for the whole process.
pub fn set_max_bytes(bytes: usize) {
    MAX_BYTES.store(bytes, Ordering::Relaxed);
}

/// Why a markdown field is not rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Over the size cap.
    #[error("is {size} bytes, more than the {max} allowed")]
    TooLarge {
        /// The field's size.
        size: usize,
        /// The cap.
        max: usize,
    },
    /// Over the nesting cap.
    #[error("is nested deeper than {MAX_DEPTH} levels (lists, quotes or HTML); flatten it")]
    TooDeep,
}

/// Who wrote the markdown: it decides the `rel` of external links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// A host of the show: links are vouched for.
    Host,
    /// A guest or anyone else: links get `nofollow ugc` so they earn no ranking.
    Guest,
}

static HOST_SANITIZER: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| sanitizer("noopener"));
static GUEST_SANITIZER: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| sanitizer("noopener nofollow ugc"));

fn sanitizer(rel: &'static str) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some(rel))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tag_attributes("td", ["align"])
        .add_tag_attributes("th", ["align"]);
    builder
}

fn options() -> Options {
    // Smart punctuation stays off so quotes survive an import/export round trip.
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether `markdown` is within the caps; the error is a field message.
pub fn check(markdown: &str) -> Result<(), Refused> {
    // Saving checks every field of an import: the events are counted, not kept.
    within_caps(markdown, |_| ())
}

/// The parser's events, or why they are not rendered. The parse is linear in
/// the input; only the sanitizer is slow on deep nesting, and it never sees it.
fn parse_within_caps(markdown: &str) -> Result<Vec<Event<'_>>, Refused> {
    let mut events = Vec::new();
    within_caps(markdown, |event| events.push(event))?;
    Ok(events)
}

/// Hands each of the parser's events to `keep` while the caps hold; stops at the first
/// event over one.
fn within_caps<'a>(markdown: &'a str, mut keep: impl FnMut(Event<'a>)) -> Result<(), Refused> {
    let max = MAX_BYTES.load(Ordering::Relaxed);
    if markdown.len() > max {
        return Err(Refused::TooLarge {
            size: markdown.len(),
            max,
        });
    }
    let (mut blocks, mut tags) = (0usize, 0usize);
    for event in Parser::new_ext(markdown, options()) {
        match &event {
            Event::Start(_) => blocks += 1,
            Event::End(_) => blocks = blocks.saturating_sub(1),
            Event::Html(text) | Event::InlineHtml(text) => {
                for step in tag_steps(text) {
                    tags = tags.saturating_add_signed(step);
                }
            }
            _ => {}
        }
        if blocks + tags > MAX_DEPTH {
            return Err(Refused::TooDeep);
        }
        keep(event);
    }
    Ok(())
}

/// Elements that never hold others, and elements whose end tag is optional
/// (the HTML parser closes them itself, so they do not pile up).
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot",
];

/// +1 for each opening tag and -1 for each closing tag in raw HTML: an
/// estimate of the nesting the sanitizer's parser would build.
fn tag_steps(html: &str) -> impl Iterator<Item = isize> + '_ {
    html.split('<').skip(1).filter_map(|rest| {
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || NOT_NESTING.contains(&&*name) {
            return None;
        }
        let inside = rest.split('>').next().unwrap_or(rest);
        match (closing, inside.ends_with('/')) {
            (true, _) => Some(-1),
            (false, true) => None,
            (false, false) => Some(1),
        }
    })
}

/// Renders markdown to sanitized HTML; over a cap, the refusal's message instead.
/// Blocks for as long as the render takes: async code calls [`render_pooled`].
pub fn render(markdown: &str, author: Author) -> String {
    try_render(markdown, author).unwrap_or_else(|refused| refusal(&refused))
}

/// Renders markdown to sanitized HTML, or says which cap it is over: what a writer that
/// renders as it saves uses instead of [`check`] and then [`render`], parsing once.
pub fn try_render(markdown: &str, author: Author) -> Result<String, Refused> {
    let events = parse_within_caps(markdown)?;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, join_adjacent_links(events).into_iter());
    let sanitizer = match author {
        Author::Host => &*HOST_SANITIZER,
        Author::Guest => &*GUEST_SANITIZER,
    };
    Ok(sanitizer.clean(&unsafe_html).to_string())
}

/// One link typed as several adjacent links to the same URL (`[Marimo: A Notebook
/// that](u)[ ](u)["Compiles"](u)`) is one link: a reader (and a screen reader) meets one
/// link, never an empty one made of the space between.
fn join_adjacent_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut joined: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut open_url: Vec<CowStr<'_>> = Vec::new();
    let mut events = events.into_iter().peekable();
    while let Some(event) = events.next() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) => open_url.push(dest_url.clone()),
            Event::End(TagEnd::Link) => {
                let url = open_url.pop();
                if let (Some(url), Some(Event::Start(Tag::Link { dest_url, .. }))) =
                    (&url, events.peek())
                    && dest_url == url
                {
                    // Skip this end and the next start: the text runs on inside one link.
                    open_url.push(url.clone());
                    events.next();
                    continue;
                }
            }
            _ => {}
        }
        joined.push(event);
    }
    joined
}

/// What a refused field shows where its text would be.
fn refusal(refused: &Refused) -> String {
    // The message holds only numbers and fixed words: nothing to escape.
    format!("<p class=\"markdown-refused\">This text is not shown: it {refused}.</p>")
}

/// [`render`] on a blocking thread, so requests keep being answered during any render.
pub async fn render_pooled(markdown: String, author: Author) -> String {
    // Never closed, so acquiring cannot fail; without a permit the render would still be bounded by the caps.
    let _permit = RENDERERS.acquire().await.ok();
    tokio::task::spawn_blocking(move || render(&markdown, author))
        .await
        // A render that panicked shows nothing rather than taking the page down.
        .unwrap_or_default()
}

/// Renders one line of markdown (a title) without the wrapping paragraph.
pub fn render_inline(markdown: &str, author: Author) -> String {
    let html = render(markdown, author);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
