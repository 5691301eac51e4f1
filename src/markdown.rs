//! The only place markdown becomes HTML: pulldown-cmark, then ammonia.
//!
//! Nothing a note says may run script in a listener's browser, so every
//! rendering goes through the sanitizer, whoever wrote the note.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

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

/// Renders markdown to sanitized HTML.
pub fn render(markdown: &str, author: Author) -> String {
    // Smart punctuation stays off so quotes survive an import/export round trip.
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    let sanitizer = match author {
        Author::Host => &*HOST_SANITIZER,
        Author::Guest => &*GUEST_SANITIZER,
    };
    sanitizer.clean(&unsafe_html).to_string()
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
mod tests;
