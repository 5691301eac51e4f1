//! Which addresses the static copy holds, and the file each one is written to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use sqlx::SqliteConnection;

use super::error::ExportError;
use super::files::{Earlier, Staging};

/// One address to request: `optional` ones may answer 404 and are then left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wanted {
    pub path: String,
    pub optional: bool,
    /// The number of the episode this address belongs to alone (its page, chapters,
    /// transcript files, digest page), which `--changed-since` may leave as it was.
    pub episode: Option<i64>,
    /// A list paged with `?page=N` (a host's page, a tag's): written page by page.
    pub paged: bool,
    /// A feed of the show's episodes, megabytes of notes: rendered only once the one before
    /// it is compressed ([`super::files::Staging::wait_for_large`]).
    pub large: bool,
    /// An address the live site redirects to this one (`/episodes/434`, an episode's old slug):
    /// not requested; the copy holds a page leading there ([`super::moved`]).
    pub moved_to: Option<String>,
}

impl Wanted {
    fn required(path: impl Into<String>) -> Self {
        let path = path.into();
        Self {
            large: FEEDS_OF_EPISODES.contains(&path.as_str()),
            path,
            optional: false,
            episode: None,
            paged: false,
            moved_to: None,
        }
    }

    /// `path`, which the live site redirects to `to`.
    fn moved(path: impl Into<String>, to: &str) -> Self {
        Self {
            moved_to: Some(to.to_string()),
            ..Self::required(path)
        }
    }

    fn optional(path: impl Into<String>) -> Self {
        Self {
            optional: true,
            ..Self::required(path)
        }
    }

    fn large(self) -> Self {
        Self {
            large: true,
            ..self
        }
    }

    fn paged(self) -> Self {
        Self {
            paged: true,
            ..self
        }
    }

    fn of_episode(self, number: i64) -> Self {
        Self {
            episode: Some(number),
            ..self
        }
    }

    /// What of `wanted` to render: all of it, but with `touched` (`--changed-since` after
    /// episodes alone changed) the pages of an episode not in it are left as the earlier
    /// export wrote them (and entered in the new manifest), and its optional addresses the
    /// earlier export did not have stay absent.
    pub fn to_render(
        wanted: Vec<Wanted>,
        touched: Option<&BTreeSet<i64>>,
        staging: &mut Staging,
    ) -> Result<Vec<Wanted>, ExportError> {
        let Some(touched) = touched else {
            return Ok(wanted);
        };
        let mut render = Vec::with_capacity(wanted.len());
        for want in wanted {
            let untouched = want
                .episode
                .is_some_and(|number| !touched.contains(&number));
            if untouched && want.left_as_it_was(staging)? {
                continue;
            }
            render.push(want);
        }
        Ok(render)
    }

    /// An episode's and a digest's pages (slugs are letters, digits and dashes) and the pages
    /// leading to them are HTML; an episode's other addresses name their file
    /// (`chapters.json`, `transcript.vtt`).
    fn is_page(&self) -> bool {
        let last = self.path.rsplit('/').next().unwrap_or_default();
        self.moved_to.is_some() || !last.contains('.')
    }

    fn left_as_it_was(&self, staging: &mut Staging) -> Result<bool, ExportError> {
        let file = file_for(&self.path, self.is_page())
            .ok_or_else(|| ExportError::BadPath(self.path.clone()))?;
        Ok(match staging.keep_earlier(&file) {
            Earlier::Kept => true,
            Earlier::Absent => self.optional,
            Earlier::Unknown => false,
        })
    }
}

/// The pages every site has, whatever its content (the archive pages are found by their pager).
const FIXED: &[&str] = &[
    "/",
    "/talks",
    "/episodes/rss",
    "/episodes/atom",
    "/episodes/feed.json",
    "/talks/rss",
    "/sitemap.xml",
    "/robots.txt",
    "/favicon.ico",
    // The empty search page: the footer's "Search" link; its box searches `search-index.json`.
    "/search",
];

/// The show's feeds, each listing every episode with its notes.
const FEEDS_OF_EPISODES: &[&str] = &["/episodes/rss", "/episodes/atom", "/episodes/feed.json"];

/// List pages this build may not have yet.
const MAYBE: &[&str] = &["/hosts", "/digests", "/digests/rss"];

/// Every public address: the fixed pages, then what the sitemap lists (episodes, hosts, events,
/// talks) with the feeds each of those has, then the sent digests, then the addresses that
/// lead to an episode's page: its number alone and the slugs it had before.
pub(super) async fn public_paths(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Wanted>> {
    let mut wanted: Vec<Wanted> = FIXED.iter().map(|p| Wanted::required(*p)).collect();
    wanted.extend(MAYBE.iter().map(|p| Wanted::optional(*p)));
    // Asking every episode for transcript files it does not have was a third of the requests.
    let transcribed = crate::transcripts::store::published_numbers_with_cues(&mut *conn).await?;
    let mut episode_pages = BTreeMap::new();
    for row in crate::feeds::public_pages(&mut *conn, i64::MAX).await? {
        let segments: Vec<&str> = row.path.trim_start_matches('/').split('/').collect();
        let mut page = Wanted::required(row.path.clone());
        match segments.as_slice() {
            ["episodes", number, _] => {
                // Always a number: the sitemap writes it from the episode's own.
                let Ok(number) = number.parse::<i64>() else {
                    wanted.push(page);
                    continue;
                };
                wanted.push(
                    Wanted::optional(format!("/episodes/{number}/chapters.json"))
                        .of_episode(number),
                );
                // The feed names an attached transcript's files.
                let extensions = if transcribed.contains(&number) {
                    ["vtt", "srt"].as_slice()
                } else {
                    &[]
                };
                for extension in extensions {
                    wanted.push(
                        Wanted::optional(format!("/episodes/{number}/transcript.{extension}"))
                            .of_episode(number),
                    );
                }
                page = page.of_episode(number);
                episode_pages.insert(number, row.path.clone());
            }
            ["hosts", slug] => {
                wanted.push(Wanted::optional(format!("/hosts/{slug}/rss")).large());
                page = page.paged();
            }
            ["talks", event] => wanted.push(Wanted::optional(format!("/talks/{event}/rss"))),
            // A tag no file can be named after (`..`) stays a page of the live site.
            ["talks", "tags", _] if file_for(&row.path, true).is_none() => continue,
            ["talks", "tags", _] => page = page.paged(),
            _ => {}
        }
        wanted.push(page);
    }
    for digest in crate::digest::store::sent(conn).await? {
        let number = digest.episode_number;
        wanted.push(Wanted::required(format!("/digests/{number}")).of_episode(number));
    }
    wanted.extend(leading_to_episodes(conn, &episode_pages).await?);
    Ok(wanted)
}

/// The addresses the live site redirects to an episode's page (`episode_pages`, by number):
/// `/episodes/{number}` and `/episodes/{number}/{old slug}` for each slug it had before.
async fn leading_to_episodes(
    conn: &mut SqliteConnection,
    episode_pages: &BTreeMap<i64, String>,
) -> sqlx::Result<Vec<Wanted>> {
    let mut wanted: Vec<Wanted> = episode_pages
        .iter()
        .map(|(number, page)| {
            Wanted::moved(format!("/episodes/{number}"), page).of_episode(*number)
        })
        .collect();
    for (number, slug) in crate::episodes::store::old_slugs(conn).await? {
        if let Some(page) = episode_pages.get(&number) {
            wanted
                .push(Wanted::moved(format!("/episodes/{number}/{slug}"), page).of_episode(number));
        }
    }
    Ok(wanted)
}

/// The archive: the published episodes, newest first, a page at a time.
pub(super) const ARCHIVE: &str = "/episodes";

/// The lists paged with `?page=N`, written page by page (see [`page_of`]).
pub(super) const PAGED: &[&str] = &[ARCHIVE, "/links"];

/// Page `N` of the paged `list`'s address on the static copy (`?page=N` needs a server).
pub(super) fn page_of(list: &str, page: u32) -> String {
    if page <= 1 {
        list.to_string()
    } else {
        format!("{list}/page/{page}")
    }
}

/// The file (relative to the export's root) a static server answers `path` from, with
/// `try_files $uri $uri/index.html $uri/index.xml`: a named file (`sitemap.xml`, `404.html`)
/// is written as is, any other page as `PATH/index.html` (a tag's page, `/talks/tags/node.js`,
/// too), an extensionless feed as `PATH/index.xml`. Static servers look files up by the
/// decoded path, so `%20` is a space in the file's name. `None` for a path that would leave
/// the folder or that no file can be named after.
pub(super) fn file_for(path: &str, is_html: bool) -> Option<PathBuf> {
    if path.contains('?') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(['\\', '\0']))
    {
        return None;
    }
    let mut file: PathBuf = segments.iter().collect();
    let last = segments.last().copied().unwrap_or_default();
    let named = if is_html {
        last.ends_with(".html")
    } else {
        last.contains('.')
    };
    if !named {
        file.push(if is_html { "index.html" } else { "index.xml" });
    }
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls_become_index_files_and_named_files_stay() {
        assert_eq!(file_for("/", true), Some("index.html".into()));
        assert_eq!(
            file_for("/episodes/434/slug", true),
            Some("episodes/434/slug/index.html".into())
        );
        assert_eq!(
            file_for("/episodes/rss", false),
            Some("episodes/rss/index.xml".into())
        );
        assert_eq!(
            file_for("/episodes/feed.json", false),
            Some("episodes/feed.json".into())
        );
        assert_eq!(file_for("/a/../etc", true), None);
    }

    #[test]
    fn a_page_is_named_by_its_decoded_address_whatever_dots_it_has() {
        assert_eq!(
            file_for("/talks/tags/node.js", true),
            Some("talks/tags/node.js/index.html".into())
        );
        assert_eq!(
            file_for("/talks/tags/machine%20learning", true),
            Some("talks/tags/machine learning/index.html".into())
        );
        assert_eq!(
            file_for("/talks/tags/%E6%A9%9F%E6%A2%B0", true),
            Some("talks/tags/機械/index.html".into())
        );
        assert_eq!(file_for("/404.html", true), Some("404.html".into()));
        assert_eq!(file_for("/talks/tags/%2E%2E", true), None);
        assert_eq!(file_for("/talks/tags/%FF", true), None);
        assert!(Wanted::required("/episodes/434/slug").is_page());
        assert!(!Wanted::required("/episodes/434/chapters.json").is_page());
    }

    #[test]
    fn the_feeds_of_every_episode_are_the_large_addresses() {
        assert!(Wanted::required("/episodes/rss").large);
        assert!(Wanted::required("/episodes/feed.json").large);
        assert!(Wanted::optional("/hosts/brian/rss").large().large);
        assert!(!Wanted::required("/").large);
        assert!(!Wanted::required("/talks/rss").large);
    }

    #[test]
    fn the_first_page_of_a_list_is_the_list_itself() {
        assert_eq!(page_of("/episodes", 1), "/episodes");
        assert_eq!(page_of("/episodes", 3), "/episodes/page/3");
        assert_eq!(page_of("/links", 2), "/links/page/2");
    }
}
