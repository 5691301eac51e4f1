//! A table of hostile inputs, OWASP XSS cheat-sheet style: none may survive
//! rendering with anything that runs script.

use super::{Author, render};

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<div style=\"background-image: url(javascript:alert('XSS'))\">x</div>",
    "<div style=\"width: expression(alert('XSS'));\">x</div>",
    "<style>@import'https://xss.example/xss.css';</style>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://xss.example/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\" AllowScriptAccess=\"always\"></EMBED>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "[click me](javascript:alert(1))",
    "[click me](JAVASCRIPT:alert(1))",
    "[click me](vbscript:msgbox(1))",
    "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "[a](https://ok.example \"title\\\" onmouseover=alert(1) x=\\\"\")",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<base href=\"javascript:alert('XSS');//\">",
    "`<script>` in code is text, and so is <b onclick=alert(1)>this</b>",
];

/// Elements that can run script, load foreign content or restyle the page.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "style", "link", "meta", "object", "embed", "form", "input", "base", "svg",
    "math", "button", "video", "source",
];

/// Every reason a rendered fragment could run script, found by parsing it as a browser would.
pub(super) fn dangers(html: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let mut found = Vec::new();
    for element in fragment
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let tag = element.value().name();
        if FORBIDDEN_TAGS.contains(&tag) {
            found.push(format!("<{tag}>"));
        }
        for (name, value) in element.value().attrs() {
            let value = value.trim().to_ascii_lowercase();
            if name.starts_with("on") || name == "style" {
                found.push(format!("{tag}[{name}]"));
            }
            let scheme_ok = !["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| value.starts_with(s));
            if ["href", "src", "action", "background", "formaction"].contains(&name) && !scheme_ok {
                found.push(format!("{tag}[{name}={value}]"));
            }
        }
    }
    found
}

#[test]
fn hostile_markdown_never_renders_script() {
    assert!(HOSTILE.len() >= 30);
    for input in HOSTILE {
        for author in [Author::Host, Author::Guest] {
            let html = render(input, author);
            assert_eq!(
                dangers(&html),
                Vec::<String>::new(),
                "{input:?} rendered {html}"
            );
        }
    }
}

#[test]
fn the_danger_check_itself_catches_script() {
    assert_eq!(
        dangers("<p onclick=x><a href=' JavaScript:x'>a</a><script></script></p>").len(),
        3
    );
}

#[test]
fn code_keeps_hostile_text_visible_but_escaped() {
    let html = render("`<script>alert(1)</script>`", Author::Host);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn host_links_get_noopener_and_guest_links_get_nofollow_ugc() {
    let host = render("[site](https://example.com)", Author::Host);
    assert!(host.contains("rel=\"noopener\""), "{host}");
    let guest = render("[site](https://example.com)", Author::Guest);
    assert!(guest.contains("rel=\"noopener nofollow ugc\""), "{guest}");
}

#[test]
fn notes_markdown_keeps_lists_tables_strikethrough_and_quotes() {
    let html = render(
        "- a \"quoted\" item\n  - nested ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        Author::Host,
    );
    assert!(
        html.contains("<ul>") && html.contains("<table>") && html.contains("<del>gone</del>"),
        "{html}"
    );
    assert!(
        html.contains("&quot;quoted&quot;") || html.contains("\"quoted\""),
        "{html}"
    );
}

#[test]
fn inline_rendering_drops_the_paragraph() {
    let html = super::render_inline("[**Title**](https://example.com)", Author::Host);
    assert!(
        html.starts_with("<a href=\"https://example.com\""),
        "{html}"
    );
}

#[test]
fn nesting_up_to_the_cap_renders_and_deeper_is_refused() {
    let within = format!("{}word", "> ".repeat(20));
    assert!(render(&within, Author::Host).contains("<blockquote>"));
    assert_eq!(super::check(&within), Ok(()));
    for deep in [
        format!("{}word", "- ".repeat(40)),
        format!("{}word", "<div>".repeat(40)),
        format!("{}word", "<span>".repeat(40)),
    ] {
        assert_eq!(super::check(&deep), Err(super::Refused::TooDeep), "{deep}");
        assert!(render(&deep, Author::Host).contains("markdown-refused"));
    }
}

#[test]
fn closed_and_void_html_tags_do_not_count_as_nesting() {
    let flat = "<b>x</b><br><img src=https://example.com/a.png>\n".repeat(100);
    assert_eq!(super::check(&flat), Ok(()));
}

#[test]
fn adjacent_links_to_one_url_render_as_one_link() {
    let html = render(
        "[Marimo: A Notebook that](https://m.example/)[ ](https://m.example/)[\"Compiles\"](https://m.example/) and [other](https://o.example/)",
        Author::Host,
    );
    assert_eq!(html.matches("<a ").count(), 2, "{html}");
    assert!(
        html.contains(">Marimo: A Notebook that \"Compiles\"</a>")
            || html.contains(">Marimo: A Notebook that &quot;Compiles&quot;</a>"),
        "{html}"
    );
}
