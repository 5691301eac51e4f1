//! Finds the links in a piece of markdown, as the registry counts them.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A link found in markdown: its URL and its plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as written.
    pub url: String,
    /// The link's text, whitespace collapsed.
    pub text: String,
}

/// Every link of `markdown`, in order. Adjacent links with one URL are one
/// link with their texts joined: editors split a link when they style part of it.
pub fn extract(markdown: &str) -> Vec<FoundLink> {
    let mut links: Vec<FoundLink> = Vec::new();
    let mut current: Option<FoundLink> = None;
    let mut just_closed = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let adjacent = just_closed && links.last().is_some_and(|l| l.url == *dest_url);
                current = Some(match adjacent {
                    true => links
                        .pop()
                        .map(|mut l| {
                            l.text.push(' ');
                            l
                        })
                        .unwrap_or_default(),
                    false => FoundLink {
                        url: dest_url.to_string(),
                        text: String::new(),
                    },
                });
            }
            Event::End(TagEnd::Link) => {
                if let Some(mut link) = current.take() {
                    link.text = collapse_whitespace(&link.text);
                    links.push(link);
                }
                just_closed = true;
                continue;
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(link) = current.as_mut() {
                    link.text.push_str(&text);
                }
            }
            _ => {}
        }
        just_closed = false;
    }
    links
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::extract;

    #[test]
    fn adjacent_links_with_one_url_are_one_link() {
        let md = "- [Marimo: A Notebook that](u)[ ](u)[\"Compiles\"](u)[ Python for Reproducibility](u)\n";
        let links = extract(md);
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].text,
            "Marimo: A Notebook that \"Compiles\" Python for Reproducibility"
        );
    }

    #[test]
    fn separated_links_stay_apart() {
        let links = extract("[a](u) and [b](u), [c](v)");
        let texts: Vec<_> = links.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c"]);
    }

    #[test]
    fn bold_link_text_is_plain() {
        assert_eq!(
            extract("[**Title** `code`](https://x.example)")[0].text,
            "Title code"
        );
    }
}
