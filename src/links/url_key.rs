//! A link's identity: the normalized `url_key` of DESIGN.md.

use serde::Serialize;
use url::Url;

/// Query parameters that track the reader rather than name the page.
const TRACKING_PARAMS: &[&str] = &["fbclid", "gclid", "si", "pp", "ref_src"];
/// YouTube parameters that place a video in a playlist or at a time: same video.
const YOUTUBE_PLAYLIST_PARAMS: &[&str] = &["list", "index", "t", "feature", "lc"];

/// A normalized URL: two links with the same key are the same link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct UrlKey(String);

impl UrlKey {
    /// Normalizes `raw`: lowercased scheme and host, no `www.`, no default port,
    /// no fragment, no tracking parameters, no trailing slash, and
    /// `youtu.be/ID` as `youtube.com/watch?v=ID`. Text that is not an absolute
    /// URL is kept as it is, trimmed.
    pub fn parse(raw: &str) -> Self {
        match Url::parse(raw.trim()) {
            Ok(url) if url.has_host() => Self(normalize(url)),
            _ => Self(raw.trim().to_string()),
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The YouTube video id, when the key names a YouTube video.
    pub fn youtube_id(&self) -> Option<&str> {
        let rest = self
            .0
            .strip_prefix("https://youtube.com/watch?")
            .or_else(|| self.0.strip_prefix("http://youtube.com/watch?"))?;
        rest.split('&')
            .find_map(|pair| pair.strip_prefix("v="))
            .filter(|id| !id.is_empty())
    }
}

impl AsRef<str> for UrlKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn normalize(mut url: Url) -> String {
    url.set_fragment(None);
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let host = if host == "m.youtube.com" {
        "youtube.com".to_string()
    } else {
        host
    };
    let (host, path, mut pairs) = youtube_short_link(&url, host);
    // Only a video page's playlist position is noise; a playlist's `list` is its identity.
    let youtube = host == "youtube.com" && path == "/watch";
    pairs.retain(|(name, _)| keeps_param(name, youtube));
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = path.trim_end_matches('/');
    let mut key = format!("{}://{host}{port}{path}", url.scheme());
    if !pairs.is_empty() {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        key.push('?');
        key.push_str(&query);
    }
    key
}

/// `youtu.be/ID?x` becomes `youtube.com/watch` with `v=ID` first.
fn youtube_short_link(url: &Url, host: String) -> (String, String, Vec<(String, String)>) {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if host != "youtu.be" {
        return (host, url.path().to_string(), pairs);
    }
    let id = url.path().trim_matches('/').to_string();
    pairs.insert(0, ("v".to_string(), id));
    ("youtube.com".to_string(), "/watch".to_string(), pairs)
}

fn keeps_param(name: &str, youtube: bool) -> bool {
    let name = name.to_ascii_lowercase();
    if name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str()) {
        return false;
    }
    !(youtube && YOUTUBE_PLAYLIST_PARAMS.contains(&name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::UrlKey;

    fn key(raw: &str) -> String {
        UrlKey::parse(raw).as_str().to_string()
    }

    #[test]
    fn scheme_and_host_are_lowercased_and_default_port_dropped() {
        assert_eq!(
            key("HTTPS://Example.COM:443/Path"),
            "https://example.com/Path"
        );
        assert_eq!(key("http://example.com:80/a"), "http://example.com/a");
        assert_eq!(
            key("http://example.com:8080/a"),
            "http://example.com:8080/a"
        );
    }

    #[test]
    fn www_fragment_and_trailing_slash_are_dropped() {
        assert_eq!(
            key("https://www.example.com/blog/#top"),
            "https://example.com/blog"
        );
        assert_eq!(key("https://pythontest.com/"), "https://pythontest.com");
    }

    #[test]
    fn tracking_parameters_are_dropped_and_others_kept_in_order() {
        assert_eq!(
            key("https://example.com/a?utm_source=x&b=2&UTM_medium=y&a=1&fbclid=z&si=q"),
            "https://example.com/a?b=2&a=1"
        );
    }

    #[test]
    fn youtube_playlist_position_and_time_are_dropped() {
        assert_eq!(
            key("https://www.youtube.com/watch?v=ydVmzg_SJLw&list=PL2Uw4&index=1&t=8s&pp=iAQB"),
            "https://youtube.com/watch?v=ydVmzg_SJLw"
        );
        assert_eq!(
            key("https://m.youtube.com/watch?v=abc&t=2s"),
            "https://youtube.com/watch?v=abc"
        );
    }

    #[test]
    fn youtu_be_short_links_become_watch_urls() {
        assert_eq!(
            key("https://youtu.be/n2WFfVIqlDw?si=abc&t=10"),
            "https://youtube.com/watch?v=n2WFfVIqlDw"
        );
        assert_eq!(
            UrlKey::parse("https://youtu.be/n2WFfVIqlDw").youtube_id(),
            Some("n2WFfVIqlDw")
        );
    }

    #[test]
    fn list_is_kept_off_youtube_and_playlists_keep_their_list() {
        assert_eq!(
            key("https://example.com/?list=3"),
            "https://example.com?list=3"
        );
        let playlist = UrlKey::parse("https://www.youtube.com/playlist?list=PL2&si=x");
        assert_eq!(playlist.as_str(), "https://youtube.com/playlist?list=PL2");
        assert_eq!(playlist.youtube_id(), None);
    }

    #[test]
    fn text_that_is_not_a_url_is_kept_trimmed() {
        assert_eq!(key("  pythonbytes.fm/live "), "pythonbytes.fm/live");
    }
}
