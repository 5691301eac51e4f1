//! Recognizers for the lines that start segments, working on a block's plain text.

use super::blocks::collapse;

/// A topic's title line: `Name #N: title` (or `#N: title` for a topic with no host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicHead {
    /// The name before `#`, `None` for `#N:` alone.
    pub host: Option<String>,
    /// The N of `#N`.
    pub number: i64,
    /// The plain text after the colon, whitespace collapsed.
    pub title: String,
}

/// Reads `Name #N`, optionally followed by `:` and a title.
///
/// A colon or the end must follow the number, so prose like "Issue #12 is fixed" is not a topic.
pub(crate) fn topic_head(plain: &str) -> Option<TopicHead> {
    let text = plain.trim();
    let (name, after_hash) = text.split_once('#')?;
    let digits = after_hash.bytes().take_while(u8::is_ascii_digit).count();
    // More than 18 digits could overflow an i64; no show gets there.
    if digits == 0 || digits > 18 {
        return None;
    }
    let number = after_hash[..digits].parse().ok()?;
    let rest = after_hash[digits..].trim_start();
    let title = match rest.strip_prefix(':') {
        Some(title) => title,
        None if rest.is_empty() => "",
        None => return None,
    };
    let name = name.trim();
    let host = match name.is_empty() {
        // The writer's form for a topic with no host (001's news items) needs the colon.
        true if rest.starts_with(':') => None,
        true => return None,
        false => Some(host_name(name)?),
    };
    Some(TopicHead {
        host,
        number,
        title: collapse(title),
    })
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
    Some(if name.is_empty() { "Sponsor" } else { name }.to_string())
}

/// Where the name ends: at `:`, `!`, `?`, `;`, `,`, or a `.` ending a sentence.
fn sponsor_name_end(rest: &str) -> usize {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, ':' | '!' | '?' | ';' | ',') || (c == '.' && next_is_space) {
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

/// The last integer in `text` ("Python Bytes 434" → 434).
pub(crate) fn last_integer(text: &str) -> Option<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .filter_map(|run| run.parse().ok())
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<(Option<String>, i64, String)> {
        topic_head(text).map(|h| (h.host, h.number, h.title))
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
        assert_eq!(last_integer("Python Bytes 434"), Some(434));
        assert_eq!(last_integer("PB"), None);
    }
}
