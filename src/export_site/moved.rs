//! Pages the static copy holds at addresses the live site redirects: an episode's number alone
//! (`/episodes/434`) and the slugs it had before a title edit. A static server cannot answer
//! with a redirect, so the copy writes a small page there that sends the browser on (`refresh`)
//! and tells search engines which address is the episode's (`canonical`).

use askama::Template;

#[derive(Template)]
#[template(path = "export/moved.html")]
struct Moved<'a> {
    /// Where the browser goes: the path alone, so the copy works on any host that serves it.
    path: &'a str,
    /// The episode's address on the site, for search engines.
    canonical: &'a str,
    css_url: &'a str,
}

/// The page that leads to `path` on the site at `base_url`.
pub(super) fn page_leading_to(base_url: &str, path: &str) -> Result<String, askama::Error> {
    Moved {
        path,
        canonical: &format!("{}{path}", base_url.trim_end_matches('/')),
        css_url: crate::web::css_url(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_sends_the_browser_on_and_names_the_address_it_leads_to() {
        let page = page_leading_to("https://show.example/", "/episodes/7/a-title").unwrap();
        let (path, url) = (
            "/episodes/7/a-title",
            "https://show.example/episodes/7/a-title",
        );
        assert!(page.contains(&format!(r#"<link rel="canonical" href="{url}">"#)));
        assert!(page.contains(&format!(r#"content="0; url={path}""#)));
        assert!(page.contains(&format!(r#"<a href="{path}">its new address</a>"#)));
    }
}
