//! Which representation of a feed a request wants: the page for people (a browser) or the
//! feed itself (podcast apps, feed readers). Both live at one address, so apps keep working
//! with the URL a listener copies from the address bar.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

/// The feeds that answer a browser with a page: the show's, and each host's.
pub fn is_negotiated(path: &str) -> bool {
    path == "/episodes/rss"
        || path
            .strip_prefix("/hosts/")
            .and_then(|rest| rest.strip_suffix("/rss"))
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// Whether `Accept` ranks HTML above every feed type it names. Browsers do
/// (`text/html,…,application/xml;q=0.9,*/*;q=0.8`); apps send `*/*`, a feed type or nothing,
/// and a tie goes to the feed, so no app is ever handed a page. Wildcards count for neither.
pub fn prefers_html(headers: &HeaderMap) -> bool {
    let mut html: f32 = 0.0;
    let mut feed: f32 = 0.0;
    for accept in headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for range in accept.split(',') {
            let (media, q) = media_and_quality(range);
            match media.as_str() {
                "text/html" | "application/xhtml+xml" => html = html.max(q),
                "application/rss+xml"
                | "application/xml"
                | "text/xml"
                | "application/atom+xml"
                | "application/rdf+xml" => feed = feed.max(q),
                _ => {}
            }
        }
    }
    html > 0.0 && html > feed
}

/// `text/html;q=0.9` → (`text/html`, 0.9); a missing or unreadable `q` is 1.
fn media_and_quality(range: &str) -> (String, f32) {
    let mut parts = range.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let q = parts
        .filter_map(|p| p.trim().strip_prefix("q="))
        .find_map(|q| q.trim().parse::<f32>().ok())
        .map_or(1.0, |q| q.clamp(0.0, 1.0));
    (media, q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn wants_page(accept: Option<&str>) -> bool {
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(ACCEPT, HeaderValue::from_str(accept).expect("header"));
        }
        prefers_html(&headers)
    }

    #[test]
    fn browsers_get_the_page_and_apps_the_feed() {
        let chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(wants_page(Some(chromium)));
        assert!(wants_page(Some(firefox)));
        assert!(!wants_page(None));
        assert!(!wants_page(Some("*/*")));
        assert!(!wants_page(Some("application/rss+xml")));
        assert!(!wants_page(Some(
            "application/rss+xml, application/rdf+xml;q=0.8, application/atom+xml;q=0.6, application/xml;q=0.4, text/xml;q=0.4, text/html;q=0.2"
        )));
        assert!(!wants_page(Some("text/html;q=0.5, application/xml;q=0.5")));
        assert!(!wants_page(Some("text/html;q=0")));
    }

    #[test]
    fn the_show_feed_and_host_feeds_negotiate() {
        assert!(is_negotiated("/episodes/rss"));
        assert!(is_negotiated("/hosts/brian-okken/rss"));
        assert!(!is_negotiated("/hosts//rss"));
        assert!(!is_negotiated("/talks/rss"));
        assert!(!is_negotiated("/episodes/atom"));
    }
}
