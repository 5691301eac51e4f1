//! "Already covered in episode 485": the links of an episode's segments that other episodes
//! linked to before, found by the registry's key (http and https, `www.`, tracking parameters
//! and the like make no difference), shown beside each segment when the editor opens.

use std::collections::HashSet;

use sqlx::SqliteConnection;

use super::editor::SegmentRow;
use crate::links::{self, UrlKey};

/// A link of a segment that another episode covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoveredLink {
    /// The URL as this segment writes it.
    pub url: String,
    pub episode_id: i64,
    pub number: i64,
    pub title: String,
}

/// At most this many earlier episodes are named per link: the newest say enough.
const EPISODES_PER_LINK: usize = 3;

/// A segment's web links with their keys: its title link, then those of its notes, each once.
fn links_of(row: &SegmentRow) -> Vec<(String, String)> {
    let title_link = Some(row.url.trim().to_string()).filter(|url| !url.is_empty());
    let note_links = links::extract(&row.notes).into_iter().map(|link| link.url);
    let mut seen = HashSet::new();
    title_link
        .into_iter()
        .chain(note_links)
        .filter(|url| links::web_url::is_web_url(url))
        .map(|url| (UrlKey::parse(&url).as_str().to_string(), url))
        .filter(|(key, _)| seen.insert(key.clone()))
        .map(|(key, url)| (url, key))
        .collect()
}

/// The key without its scheme: the registry keeps `http://` and `https://` apart (a site may
/// serve different pages on them), but a host who links either has covered the page.
fn without_scheme(key: &str) -> &str {
    key.strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key)
}

/// A key and its twin under the other scheme.
pub fn scheme_twins(key: &str) -> Vec<String> {
    let rest = without_scheme(key);
    if rest == key {
        return vec![key.to_string()];
    }
    vec![format!("https://{rest}"), format!("http://{rest}")]
}

/// For each row, the links other episodes than `episode_id` covered, in the row's order.
pub async fn covered_elsewhere(
    conn: &mut SqliteConnection,
    episode_id: Option<i64>,
    rows: &[SegmentRow],
) -> sqlx::Result<Vec<Vec<CoveredLink>>> {
    let per_row: Vec<Vec<(String, String)>> = rows.iter().map(links_of).collect();
    let keys: Vec<String> = per_row
        .iter()
        .flatten()
        .flat_map(|(_, key)| scheme_twins(key))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let found = links::store::keys_covered_elsewhere(conn, &keys, episode_id.unwrap_or(-1)).await?;
    Ok(per_row
        .into_iter()
        .map(|links| {
            let mut covered = Vec::new();
            for (url, key) in links {
                let mut episodes = HashSet::new();
                let hits = found
                    .iter()
                    .filter(|hit| without_scheme(&hit.url_key) == without_scheme(&key))
                    .filter(|hit| episodes.insert(hit.id))
                    .take(EPISODES_PER_LINK);
                covered.extend(hits.map(|hit| CoveredLink {
                    url: url.clone(),
                    episode_id: hit.id,
                    number: hit.number,
                    title: hit.title.clone(),
                }));
            }
            covered
        })
        .collect())
}
