//! Recognizers for the lines that start segments, working on a block's plain text.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::{Ev, collapse, plain_text};

/// A topic's title line: `Name #N: title` (or `#N: title` for a topic with no host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicHead {
    /// The name before `#` (or in parentheses after it), `None` for `#N:` alone.
    pub host: Option<String>,
    /// The N of `#N`.
    pub number: i64,
    /// The plain text after the colon, whitespace collapsed.
    pub title: String,
    /// A link typed with an escaped bracket (`\[Title](url)`), which markdown keeps as text.
    pub escaped_url: Option<String>,
}

/// Words that stand where a host's name would, but name nobody (`**Topic #0: Quick chat**`).
const NOT_NAMES: [&str; 5] = ["topic", "item", "story", "news", "segment"];

/// Reads a topic's title line in every form hosts have typed it:
///
/// - `Name #N: title`, `Name #N - title`, `Name #N (remark): title`;
/// - number first: `#N (Name): title`, `#N Name: title`, `#N: title`;
/// - no separator when the head is set apart by emphasis or a link: `**Brian #5** [Title](u)`.
///
/// `plain` is the block's plain text; `raw` its source, to see what follows the number. Emphasis
/// markers left over as text (`**Michael #4: [**Title**](u)`) are ignored. Prose such as
/// "Issue #12 is fixed" is no topic: nothing sets its head apart.
pub(crate) fn topic_head(plain: &str, raw: &str) -> Option<TopicHead> {
    let text = collapse(&plain.replace('*', ""));
    let (name, after_hash) = text.split_once('#')?;
    let (number, rest) = leading_number(after_hash)?;
    let name = name.trim();
    let (host, rest) = match name.is_empty() {
        true => host_after_number(rest)?,
        false => (Some(host_name(name)?), skip_remark(rest)),
    };
    let rest = rest.trim_start();
    let title = match separated_title(rest) {
        Some(title) => title,
        // `#N` alone is a heading of its own only with a colon (`#3: News`).
        None if host.is_none() => return None,
        None if rest.is_empty() || head_set_apart(raw, number) => rest,
        None => return None,
    };
    let (title, bare_url) = without_bare_address(title);
    let (title, escaped_url) = unescape_link(title);
    Some(TopicHead {
        host: host.filter(|name| !NOT_NAMES.contains(&name.to_lowercase().as_str())),
        number,
        title: collapse(&title),
        escaped_url: escaped_url.or(bare_url),
    })
}

/// `Name N: title` without the `#`, for a name among `hosts` only.
pub(crate) fn hashless_head(plain: &str, hosts: &[String]) -> Option<TopicHead> {
    let text = collapse(&plain.replace('*', ""));
    let (name, rest) = text.split_once(' ')?;
    if !hosts.iter().any(|host| host == name) {
        return None;
    }
    let (number, rest) = leading_number(rest)?;
    let title = rest.trim_start().strip_prefix(':')?;
    Some(TopicHead {
        host: Some(name.to_string()),
        number,
        title: collapse(title),
        escaped_url: None,
    })
}

/// The number at the start of `text` and what follows it.
fn leading_number(text: &str) -> Option<(i64, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    // More than 18 digits could overflow an i64; no show gets there.
    if digits == 0 || digits > 18 {
        return None;
    }
    Some((text[..digits].parse().ok()?, &text[digits..]))
}

/// The host of a number-first head: `(Name)`, or `Name` right before a colon; `None` for `#N:`.
fn host_after_number(rest: &str) -> Option<(Option<String>, &str)> {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        let (name, after) = inner.split_once(')')?;
        return Some((Some(host_name(name)?), after));
    }
    match rest.split_once(':') {
        Some((name, _)) if name.trim().is_empty() => Some((None, rest)),
        Some((name, after)) => Some((
            Some(host_name(name)?),
            &rest[rest.len() - after.len() - 1..],
        )),
        None => None,
    }
}

/// `rest` without a parenthesized remark after the number (`#7 (bonus!):`).
fn skip_remark(rest: &str) -> &str {
    let trimmed = rest.trim_start();
    match trimmed.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((_, after)) => after,
        None => rest,
    }
}

/// The title after a colon, or after a dash standing for one (`Leah #6 - Title`).
fn separated_title(rest: &str) -> Option<&str> {
    if let Some(title) = rest.strip_prefix(':') {
        return Some(title);
    }
    ["- ", "– ", "— "]
        .iter()
        .find_map(|dash| rest.strip_prefix(dash))
}

/// Whether, in the source, emphasis closes or a link opens right after `#number` (and a
/// remark): then the head stands apart from the title without a colon.
fn head_set_apart(raw: &str, number: i64) -> bool {
    let marker = format!("#{number}");
    let Some(at) = raw.find(&marker) else {
        return false;
    };
    let after = skip_remark(&raw[at + marker.len()..]).trim_start();
    after.is_empty() || after.starts_with(['*', '_', '[', '\\'])
}

/// `title` without a web address typed in parentheses before it (`(https://…)Title`, seen
/// after a head that is itself a link), and that address: the segment's link, not its words.
fn without_bare_address(title: &str) -> (&str, Option<String>) {
    let text = title.trim_start();
    let address = text
        .strip_prefix('(')
        .and_then(|inner| inner.split_once(')'))
        .filter(|(url, _)| url.starts_with("http") && !url.contains(char::is_whitespace));
    match address {
        Some((url, rest)) => (rest, Some(url.to_string())),
        None => (title, None),
    }
}

/// A title typed as `[Title](url)` whose bracket was escaped: the title and the URL, as a
/// curator would read them.
fn unescape_link(title: &str) -> (String, Option<String>) {
    let text = title.trim();
    let parts = text
        .strip_prefix('[')
        .and_then(|inner| inner.split_once("]("))
        .and_then(|(words, rest)| Some((words, rest.split_once(')')?)));
    match parts {
        Some((words, (url, tail))) if url.starts_with("http") && !url.contains(' ') => {
            (format!("{words}{tail}"), Some(url.to_string()))
        }
        _ => (title.to_string(), None),
    }
}

/// A person's name: one or two words, each starting with a letter.
pub(crate) fn host_name(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let name_like = |word: &&str| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_alphabetic)
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.'))
    };
    if words.is_empty() || words.len() > 2 || !words.iter().all(name_like) {
        return None;
    }
    Some(words.join(" "))
}

/// Reads `Joke` / `Jokes` followed by a colon or the end; returns the text after the colon.
pub(crate) fn joke_head(plain: &str) -> Option<String> {
    let text = plain.trim();
    let word = text.get(..4)?;
    if !word.eq_ignore_ascii_case("joke") {
        return None;
    }
    let rest = &text[4..];
    let rest = rest.strip_prefix(['s', 'S']).unwrap_or(rest).trim_start();
    if rest.is_empty() {
        return Some(String::new());
    }
    rest.strip_prefix(':').map(collapse)
}

/// `Extras`, `Extras:`, `**Extras**`, `## **Extras**`.
pub(crate) fn is_extras_header(plain: &str) -> bool {
    let word = without_colon(plain);
    word.eq_ignore_ascii_case("extras") || word.eq_ignore_ascii_case("extra")
}

/// A host's extras line: `Brian:` (maybe bold); a bare `Brian` only when a list follows.
pub(crate) fn extra_host(plain: &str, list_follows: bool) -> Option<String> {
    let text = plain.trim();
    let (name, colon) = match text.strip_suffix(':') {
        Some(name) => (name, true),
        None => (text, false),
    };
    let capitalized = name.chars().next().is_some_and(char::is_uppercase);
    if !(colon || list_follows && capitalized) {
        return None;
    }
    host_name(name)
}

/// A `Links` paragraph (470 ends with one and a list repeating every link).
pub(crate) fn is_links_header(plain: &str) -> bool {
    without_colon(plain).eq_ignore_ascii_case("links")
}

/// 001's `## News items` heading, after which bare link paragraphs are topics.
pub(crate) fn is_news_heading(plain: &str) -> bool {
    let text = collapse(plain);
    text.eq_ignore_ascii_case("news items") || text.eq_ignore_ascii_case("news")
}

/// The sponsor's name from a `Sponsored by NAME: …` / `NAME. …` / `NAME! …` line.
pub(crate) fn sponsor_name(plain: &str) -> Option<String> {
    let text = collapse(plain);
    let head = text.get(.."sponsored by".len())?;
    if !head.eq_ignore_ascii_case("sponsored by") {
        return None;
    }
    let rest = text[head.len()..].trim_start();
    let end = sponsor_name_end(rest);
    let name = rest[..end].trim();
    let name = without_scheme(name);
    Some(if name.is_empty() { "Sponsor" } else { name }.to_string())
}

/// A sponsor named only by its address (`Sponsored by https://pythonbytes.fm/datadog`) is
/// called by what a listener would type: `pythonbytes.fm/datadog`.
fn without_scheme(name: &str) -> &str {
    ["https://", "http://"]
        .iter()
        .find_map(|scheme| name.strip_prefix(scheme))
        .map_or(name, |rest| rest.trim_end_matches('/'))
}

/// Where the name ends: at `:`, `!`, `?`, `;`, `,`, or a `.` ending a sentence.
fn sponsor_name_end(rest: &str) -> usize {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Punctuation ends the name only before a space: `https://…` and `pythonbytes.fm` go on.
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, ':' | '!' | '?' | ';' | ',' | '.') && next_is_space {
            return i;
        }
    }
    rest.len()
}

/// The plain text trimmed, without a trailing colon.
fn without_colon(plain: &str) -> &str {
    let text = plain.trim();
    text.strip_suffix(':').unwrap_or(text).trim()
}

/// The title of a section in notes without host topics: a paragraph that is bold text alone,
/// maybe with a colon and a link after it (`**10: Python 3.7:**`, `**The announcement**: [..](u)`).
/// Long bold lines and bold italics are quotations, not titles.
pub(crate) fn section_title(events: &[Ev<'_>]) -> Option<String> {
    let inner = events.get(1..events.len().saturating_sub(1))?;
    if !matches!(inner.first(), Some((Event::Start(Tag::Strong), _))) {
        return None;
    }
    let strong_end = inner
        .iter()
        .position(|(event, _)| matches!(event, Event::End(TagEnd::Strong)))?;
    let bold = collapse(&plain_text(&inner[..strong_end]));
    let italic = inner[..strong_end]
        .iter()
        .any(|(event, _)| matches!(event, Event::Start(Tag::Emphasis)));
    let after = collapse(&plain_text(&inner[strong_end..]));
    let titled = after.is_empty() || after.starts_with(':') || bold.ends_with(':');
    if bold.is_empty() || italic || bold.chars().count() > 100 || !titled {
        return None;
    }
    let whole = collapse(&plain_text(inner));
    Some(whole.strip_suffix(':').unwrap_or(&whole).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<(Option<String>, i64, String)> {
        topic_head(text, text).map(|h| (h.host, h.number, h.title))
    }

    #[test]
    fn topic_heads() {
        let brian = Some("Brian".to_string());
        assert_eq!(
            head("Brian #1: Title"),
            Some((brian.clone(), 1, "Title".into()))
        );
        assert_eq!(
            head(" Brian  #12 :  A  b "),
            Some((brian, 12, "A b".into()))
        );
        assert_eq!(head("#3: News"), Some((None, 3, "News".into())));
        assert_eq!(
            head("Michael #2"),
            Some((Some("Michael".into()), 2, String::new()))
        );
        assert_eq!(head("Issue #12 is fixed"), None);
        assert_eq!(head("#12"), None);
        assert_eq!(head("This is three #1: x"), None);
        assert_eq!(head("Brian #: x"), None);
    }

    #[test]
    fn other_heads() {
        assert_eq!(joke_head("Joke: [x]"), Some("[x]".into()));
        assert_eq!(joke_head("Joke:"), Some(String::new()));
        assert_eq!(joke_head("Jokers are fun"), None);
        assert!(is_extras_header(" Extras: "));
        assert_eq!(extra_host("Michael: ", false), Some("Michael".into()));
        assert_eq!(extra_host("Michael", true), Some("Michael".into()));
        assert_eq!(extra_host("Michael", false), None);
        assert_eq!(extra_host("so much more:", false), None);
        assert_eq!(
            sponsor_name("Sponsored by Digital Ocean: x"),
            Some("Digital Ocean".into())
        );
        assert_eq!(
            sponsor_name("Sponsored by DigitalOcean. They"),
            Some("DigitalOcean".into())
        );
        assert_eq!(sponsor_name("Sponsored by us! Support"), Some("us".into()));
        assert_eq!(
            sponsor_name("Sponsored by https://pythonbytes.fm/datadog"),
            Some("pythonbytes.fm/datadog".into())
        );
        assert_eq!(
            sponsor_name("Sponsored by Datadog: pythonbytes.fm/datadog"),
            Some("Datadog".into())
        );
    }
}
