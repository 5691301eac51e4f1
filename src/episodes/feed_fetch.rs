//! Downloads a feed for `import feed URL`: the bytes a podcast app would read at that address.

use std::time::Duration;

/// A feed larger than this is not a podcast feed (the largest real ones are a few megabytes).
const MAX_FEED_BYTES: usize = 64 * 1024 * 1024;

/// Why a feed could not be downloaded, worded for the person who typed the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: cannot download the feed: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url}: the server answered {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    #[error("{url}: the feed is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)]
    TooLarge { url: String },
}

/// A downloaded feed: its bytes and the charset the server declared, if any.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub charset: Option<String>,
}

/// Whether `source` names a feed on the web rather than a file.
pub fn is_url(source: &str) -> bool {
    let source = source.trim_start();
    source.starts_with("http://") || source.starts_with("https://")
}

/// The feed at `url`, following redirects; refused past [`MAX_FEED_BYTES`] while it streams in.
pub async fn fetch(url: &str) -> Result<Fetched, FetchError> {
    let unreachable = |error: reqwest::Error| FetchError::Unreachable {
        url: url.to_string(),
        reason: error.without_url().to_string(),
    };
    let client = reqwest::Client::builder()
        .user_agent(concat!(
            "shownotes/",
            env!("CARGO_PKG_VERSION"),
            " (feed import)"
        ))
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(unreachable)?;
    let mut response = client.get(url.trim()).send().await.map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status,
        });
    }
    let charset = declared_charset(&response);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if bytes.len() + chunk.len() > MAX_FEED_BYTES {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched { bytes, charset })
}

/// `charset=…` of the response's Content-Type.
fn declared_charset(response: &reqwest::Response) -> Option<String> {
    let content_type = response.headers().get(reqwest::header::CONTENT_TYPE)?;
    content_type
        .to_str()
        .ok()?
        .split(';')
        .filter_map(|parameter| parameter.trim().split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
}
