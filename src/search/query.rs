//! What a listener typed, made safe for FTS5; and the highlighted snippets FTS5 gives back.

use serde::{Serialize, Serializer};

/// Marks the start of a matched term in `snippet()`/`highlight()` output (a private-use character).
pub const MARK_START: &str = "\u{E000}";
/// Marks the end of a matched term.
pub const MARK_END: &str = "\u{E001}";

/// At most this many words of a query are used.
const MAX_TERMS: usize = 12;
/// A single word is cut at this many characters.
const MAX_TERM_CHARS: usize = 64;

/// Endings after an apostrophe that are no word of their own: `marimo's` is about marimo.
const CLITICS: [&str; 7] = ["s", "t", "ll", "re", "ve", "d", "m"];

/// The FTS5 MATCH expression for `typed`: every word, and every `"quoted phrase"`, quoted, so
/// `"`, `*`, `-`, `NEAR`, `AND` and parentheses are only ever text. Punctuation inside a word
/// splits it as the index does (`e-mail` is the phrase "e mail"), and an apostrophe's ending is
/// dropped (`pytest's` finds pytest). `None` when nothing searchable is left.
pub fn fts_query(typed: &str) -> Option<String> {
    match_expression(typed, false)
}

/// [`fts_query`], with the last word matching as a prefix while it is being typed (`pyte` finds
/// pytest): unless it is quoted, a number, ends in punctuation or lost an apostrophe's ending.
pub fn fts_prefix_query(typed: &str) -> Option<String> {
    match_expression(typed, true)
}

fn match_expression(typed: &str, prefix_last: bool) -> Option<String> {
    let terms = typed_terms(typed);
    let last = terms.len().saturating_sub(1);
    let terms: Vec<String> = terms
        .into_iter()
        .enumerate()
        .filter_map(|(index, (words, quoted))| {
            let tokens: Vec<String> = words.iter().flat_map(|word| tokens_of(word)).collect();
            let prefix =
                prefix_last && index == last && !quoted && is_typed_prefix(&words, &tokens);
            let star = if prefix { "*" } else { "" };
            (!tokens.is_empty()).then(|| format!("\"{}\"{star}", tokens.join(" ")))
        })
        .take(MAX_TERMS)
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Whether the word's last token is what was typed last: its final characters, two or more,
/// not all digits (a number is matched whole: 17 is not 170).
fn is_typed_prefix(words: &[&str], tokens: &[String]) -> bool {
    match (words.last(), tokens.last()) {
        (Some(word), Some(token)) => {
            token.chars().count() >= 2
                && !token.chars().all(|c| c.is_ascii_digit())
                && word.ends_with(token.as_str())
        }
        _ => false,
    }
}

/// The typed text as terms, each with whether it was quoted: each `"quoted phrase"` one term of
/// several words, every other word a term of its own. An unclosed quote quotes the rest.
fn typed_terms(typed: &str) -> Vec<(Vec<&str>, bool)> {
    let mut terms = Vec::new();
    for (index, part) in typed.split('"').enumerate() {
        let words: Vec<&str> = part.split_whitespace().collect();
        match index % 2 {
            1 if !words.is_empty() => terms.push((words, true)),
            _ => terms.extend(words.into_iter().map(|word| (vec![word], false))),
        }
    }
    terms
}

/// The index's tokens of one typed word: its runs of letters and digits, a clitic after an
/// apostrophe left out, each cut at [`MAX_TERM_CHARS`].
fn tokens_of(word: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut after_apostrophe = false;
    let mut current = String::new();
    for ch in word.chars() {
        if ch.is_alphanumeric() {
            current.push(ch);
            continue;
        }
        push_token(&mut tokens, std::mem::take(&mut current), after_apostrophe);
        after_apostrophe = matches!(ch, '\'' | '’');
    }
    push_token(&mut tokens, current, after_apostrophe);
    tokens
}

/// Adds `token` unless it is empty or a clitic after an apostrophe.
fn push_token(tokens: &mut Vec<String>, token: String, after_apostrophe: bool) {
    let clitic = after_apostrophe && CLITICS.contains(&token.to_lowercase().as_str());
    if !token.is_empty() && !clitic {
        tokens.push(token.chars().take(MAX_TERM_CHARS).collect());
    }
}

/// A piece of snippet text, matched or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The text, unescaped.
    pub text: String,
    /// Whether it matched the query.
    pub marked: bool,
}

/// Text with the matched terms marked; templates escape each fragment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The fragments in order.
    pub fragments: Vec<Fragment>,
}

impl Snippet {
    /// Reads FTS5 output with [`MARK_START`]/[`MARK_END`] around matches. Stray or nested
    /// markers (a note may contain the characters itself) never unbalance anything.
    pub fn parse(marked: &str) -> Self {
        let tidy = tidy_markdown(marked);
        let mut fragments: Vec<Fragment> = Vec::new();
        let mut marked = false;
        let mut text = String::new();
        for ch in tidy.chars() {
            let toggles = (ch == '\u{E000}' && !marked) || (ch == '\u{E001}' && marked);
            if toggles {
                if !text.is_empty() {
                    fragments.push(Fragment {
                        text: std::mem::take(&mut text),
                        marked,
                    });
                }
                marked = !marked;
            } else if ch != '\u{E000}' && ch != '\u{E001}' {
                text.push(ch);
            }
        }
        if !text.is_empty() {
            fragments.push(Fragment { text, marked });
        }
        Self { fragments }
    }

    /// Whether there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.fragments.is_empty()
    }

    /// The snippet as HTML: the text escaped first, then matches wrapped in `<mark>`.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        for fragment in &self.fragments {
            let escaped = askama::filters::escape(&fragment.text, askama::filters::Html)
                .map(|safe| safe.to_string())
                .unwrap_or_default();
            if fragment.marked {
                html.push_str("<mark>");
                html.push_str(&escaped);
                html.push_str("</mark>");
            } else {
                html.push_str(&escaped);
            }
        }
        html
    }
}

impl Serialize for Snippet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_html())
    }
}

/// Notes are indexed as markdown; a snippet reads as the rendered notes do: no link targets,
/// bare URLs or emphasis marks, even where the snippet's window cuts a link in two.
fn tidy_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        // Skip the `](target)` part when the target is one word; keep anything else as written.
        match after[2..].find(|c: char| c == ')' || c.is_whitespace()) {
            Some(end) if after[2..][end..].starts_with(')') => rest = &after[2 + end + 1..],
            // The window ends inside the target: drop it, keep the ellipsis.
            None => {
                if after.ends_with('…') {
                    out.push('…');
                }
                rest = "";
            }
            _ => {
                out.push_str("](");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    let cleaned: String = out
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '[' | ']'))
        .collect();
    // List bullets and heading marks at the start of a line are layout, not words.
    let text = cleaned
        .lines()
        .map(|line| {
            line.trim_start()
                .trim_start_matches(['-', '+', '#', '>'])
                .trim()
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .iter()
        .enumerate()
        .filter(|(index, word)| !(is_url_word(word) || (*index == 0 && is_cut_target(word))))
        .map(|(_, word)| word.replace("__", ""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A bare URL or autolink (`https://…`, `<https://…>`), match markers aside.
fn is_url_word(word: &str) -> bool {
    let plain: String = word
        .chars()
        .filter(|c| !matches!(c, '\u{E000}' | '\u{E001}' | '<' | '(' | '…'))
        .collect();
    let lower = plain.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("www.")
}

/// The tail of a link target the snippet's window starts in (`…org/en/stable)`).
fn is_cut_target(word: &str) -> bool {
    let word = word.trim_start_matches('…');
    match word.find(')') {
        Some(end) => {
            let target = &word[..end];
            !target.contains('(') && (target.contains('/') || target.contains('.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_syntax_is_quoted_into_plain_words() {
        assert_eq!(fts_query("foo*").as_deref(), Some("\"foo\""));
        assert_eq!(fts_query("NEAR(a b)").as_deref(), Some("\"NEAR a\" \"b\""));
        assert_eq!(fts_query("\"unbalanced").as_deref(), Some("\"unbalanced\""));
        assert_eq!(fts_query("a AND").as_deref(), Some("\"a\" \"AND\""));
        assert_eq!(fts_query(")( \" -"), None);
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn apostrophes_phrases_and_inner_punctuation_read_as_the_index_does() {
        assert_eq!(fts_query("marimo's").as_deref(), Some("\"marimo\""));
        assert_eq!(
            fts_query("pytest’s plugins").as_deref(),
            Some("\"pytest\" \"plugins\"")
        );
        assert_eq!(fts_query("don't").as_deref(), Some("\"don\""));
        assert_eq!(
            fts_query("\"test suite\" fast").as_deref(),
            Some("\"test suite\" \"fast\"")
        );
        assert_eq!(
            fts_query("e-mail 3.12").as_deref(),
            Some("\"e mail\" \"3 12\"")
        );
        assert_eq!(fts_query("O'Reilly").as_deref(), Some("\"O Reilly\""));
    }

    #[test]
    fn the_last_unquoted_word_is_a_prefix() {
        assert_eq!(
            fts_prefix_query("tips pyte").as_deref(),
            Some("\"tips\" \"pyte\"*")
        );
        assert_eq!(fts_prefix_query("\"pyte\"").as_deref(), Some("\"pyte\""));
        assert_eq!(fts_prefix_query("marimo's").as_deref(), Some("\"marimo\""));
        assert_eq!(fts_prefix_query("pytest.").as_deref(), Some("\"pytest\""));
        assert_eq!(fts_prefix_query("a").as_deref(), Some("\"a\""));
        assert_eq!(
            fts_prefix_query("packaging 17").as_deref(),
            Some("\"packaging\" \"17\"")
        );
        assert_eq!(fts_prefix_query("py* x").as_deref(), Some("\"py\" \"x\""));
    }

    #[test]
    fn snippets_mark_matches_and_escape_everything_else() {
        let snippet = Snippet::parse("<b>\u{E000}pytest\u{E001}</b> & \u{E001}stray");
        assert_eq!(
            snippet.to_html(),
            "&#60;b&#62;<mark>pytest</mark>&#60;/b&#62; &#38; stray"
        );
    }

    #[test]
    fn cut_links_and_bare_urls_leave_no_trace() {
        let snippet = Snippet::parse(
            "…stable/fixtures) and \u{E000}more\u{E001} [docs](https://docs.pytest.org/en…",
        );
        assert_eq!(snippet.to_html(), "and <mark>more</mark> docs…");
        let snippet = Snippet::parse("see <https://x.dev/\u{E000}ruff\u{E001}> and __bold__");
        assert_eq!(snippet.to_html(), "see and bold");
    }

    #[test]
    fn markdown_links_and_emphasis_are_tidied() {
        let snippet = Snippet::parse("- see [**\u{E000}Ruff\u{E001}**](https://x.dev/r)\n  - now");
        assert_eq!(snippet.to_html(), "see <mark>Ruff</mark> now");
    }
}
