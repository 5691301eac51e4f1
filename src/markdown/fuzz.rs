//! Fuzz targets for the renderer: whatever a note holds, the HTML runs no script, links only
//! http, https and mailto, and input over a cap shows the refusal instead of the text.

use proptest::prelude::*;

use super::tests::dangers;
use super::{Author, MAX_DEPTH, check, render};

/// Markdown and HTML pieces that attacks are made of, in any order.
const HOSTILE_PIECES: &str = "(<script>|</script>|<img src=x onerror=alert(1)>|<a href=\"|javascript:|JaVaScRiPt:|&#106;|data:text/html,|vbscript:|\" onclick=\"x\"|<svg/onload=1>|<iframe src=|<style>|\\[a\\]\\(|\\)|!\\[i\\]\\(|<|>|\"|'|`|\n|- |> |\\*\\*|https://ok\\.example/|mailto:a@b\\.example|[a-z]{1,5}| |&|;|=|/|<div>|</div>|<details ontoggle=1>|\t){0,60}";

/// Any URL a scheme names (a relative URL has none) must be web or mail.
fn bad_urls(html: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let mut bad = Vec::new();
    for element in fragment
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            if name != "href" && name != "src" {
                continue;
            }
            let value = value.trim().to_ascii_lowercase();
            let scheme = value.split(':').next().unwrap_or_default();
            let has_scheme = value.contains(':')
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if has_scheme && !["http", "https", "mailto"].contains(&scheme) {
                bad.push(format!("{name}={value}"));
            }
        }
    }
    bad
}

fn nested(depth: usize, kind: usize) -> String {
    match kind {
        0 => format!("{}x", "- ".repeat(depth)),
        1 => format!("{}x", "> ".repeat(depth)),
        _ => format!("{}x", "<div>".repeat(depth)),
    }
}

proptest! {
    #![proptest_config(crate::fuzzing::config(400))]

    #[test]
    fn fuzz_markdown_never_renders_script_or_unsafe_urls(source in HOSTILE_PIECES, guest in any::<bool>()) {
        let author = if guest { Author::Guest } else { Author::Host };
        let html = render(&source, author);
        prop_assert_eq!(dangers(&html), Vec::<String>::new(), "rendered {}", html);
        prop_assert_eq!(bad_urls(&html), Vec::<String>::new(), "rendered {}", html);
        prop_assert!(!html.to_ascii_lowercase().contains("<script"), "rendered {}", html);
    }

    #[test]
    fn fuzz_markdown_any_text_renders_safely(source in "\\PC{0,300}") {
        let html = render(&source, Author::Guest);
        prop_assert_eq!(dangers(&html), Vec::<String>::new(), "rendered {}", html);
        prop_assert_eq!(bad_urls(&html), Vec::<String>::new(), "rendered {}", html);
    }

    #[test]
    fn fuzz_markdown_nesting_renders_within_its_cap(depth in 0..(3 * MAX_DEPTH), kind in 0..3usize, tail in HOSTILE_PIECES) {
        let source = format!("{}\n\n{tail}", nested(depth, kind));
        let html = render(&source, Author::Host);
        if check(&source).is_err() {
            prop_assert!(html.starts_with("<p class=\"markdown-refused\">"), "over a cap, the refusal: {}", html);
        } else {
            prop_assert!(!html.contains("markdown-refused"));
            prop_assert!(depth <= MAX_DEPTH, "{} levels were rendered", depth);
        }
        prop_assert_eq!(dangers(&html), Vec::<String>::new(), "rendered {}", html);
    }
}
