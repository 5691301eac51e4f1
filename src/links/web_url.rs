//! Which URLs a page may link to or load.

/// Whether `url` is safe to put in an `href` or `src`: an absolute http(s) or mailto URL.
pub fn is_web_url(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}
