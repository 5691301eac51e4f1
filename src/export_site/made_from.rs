//! What an export was made from, kept beside its manifest: `--changed-since` renders nothing
//! when the content, the build and the options are those of the export it updates, and renders
//! only the changed episodes' own pages (with the site-wide ones) when just episodes changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasher;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::names::MADE_FROM;
use super::store;

/// This build: a hash of its code, templates, assets, migrations and locked crates (build.rs).
pub(super) const BUILD: &str = env!("SHOWNOTES_BUILD_ID");

/// The inputs of an export besides the files themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MadeFrom {
    /// The database's content version, which every public change moves
    /// (`migrations/0100_content_version.sql`), read before the first page is rendered.
    content_version: i64,
    /// The build that rendered the pages.
    build: String,
    /// The base URL of their links.
    base_url: String,
    /// How hard the `.gz`/`.br` siblings were compressed.
    effort: String,
    /// What the pages showed, read once the export knows it renders ([`Self::read_prints`]).
    #[serde(default)]
    prints: Option<Prints>,
}

/// Fingerprints of what the pages were rendered from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Prints {
    /// What every episode's pages show (settings, people): [`store::site_fingerprint`].
    site: u64,
    /// The published episodes, newest first: (number, fingerprint of the rows its own
    /// pages show).
    episodes: Vec<(i64, u64)>,
    /// Each page of `/links`, in order: [`store::link_page_prints`].
    #[serde(default)]
    link_pages: Vec<u64>,
    /// Each page of each host's list (`/hosts/{slug}`), in order: its episodes' fingerprints.
    #[serde(default)]
    host_pages: BTreeMap<String, Vec<u64>>,
}

impl MadeFrom {
    pub fn new(content_version: i64, base_url: &str, effort: crate::compress::Effort) -> Self {
        Self {
            content_version,
            build: BUILD.to_string(),
            base_url: base_url.to_string(),
            effort: format!("{effort:?}"),
            prints: None,
        }
    }

    /// What the export in `out` was made from; `None` when it does not say (an export by an
    /// older build, a damaged file): it is then rendered again.
    pub fn of_export(out: &Path) -> Option<Self> {
        let text = std::fs::read(out.join(MADE_FROM)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    pub fn content_version(&self) -> i64 {
        self.content_version
    }

    /// Drops the fingerprints: an export made from this renders every page again.
    pub fn forget_prints(&mut self) {
        self.prints = None;
    }

    /// True when `self` renders every byte `earlier` did: same content, build and options.
    pub fn renders_as(&self, earlier: &Self) -> bool {
        self.same_options(earlier) && self.content_version == earlier.content_version
    }

    fn same_options(&self, earlier: &Self) -> bool {
        (&self.build, &self.base_url, &self.effort)
            == (&earlier.build, &earlier.base_url, &earlier.effort)
    }

    /// The fingerprints of now and of `earlier`, when the pages may be compared piece by
    /// piece: both have them, the options are the same and nothing site-wide changed.
    fn comparable_prints<'a>(&'a self, earlier: &'a Self) -> Option<(&'a Prints, &'a Prints)> {
        let (now, then) = (self.prints.as_ref()?, earlier.prints.as_ref()?);
        (self.same_options(earlier) && now.site == then.site).then_some((now, then))
    }

    /// Reads the fingerprints of what the pages are about to be rendered from.
    pub async fn read_prints(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let site = store::site_fingerprint(conn).await?;
        let by_id = store::episode_fingerprints(conn).await?;
        let episodes = store::published_order(conn)
            .await?
            .into_iter()
            .map(|(number, id)| (number, by_id.get(&id).copied().unwrap_or_default()))
            .collect();
        let link_pages =
            store::link_page_prints(conn, crate::links::service::PER_PAGE as usize).await?;
        let per_page = crate::people::service::EPISODES_PER_PAGE as usize;
        let host_pages = store::presenters_episodes(conn)
            .await?
            .into_iter()
            .map(|(list, ids)| {
                let prints: Vec<(i64, u64)> = ids
                    .iter()
                    .map(|id| (*id, by_id.get(id).copied().unwrap_or_default()))
                    .collect();
                let pages = prints.chunks(per_page).map(page_print).collect();
                (list, pages)
            })
            .collect();
        self.prints = Some(Prints {
            site,
            episodes,
            link_pages,
            host_pages,
        });
        Ok(())
    }

    /// The numbers of the episodes whose own pages may differ from `earlier`'s: those whose
    /// rows changed, that came or went, and their neighbours before and after (an episode
    /// page links its neighbours by title). `None` when every page must be rendered: other
    /// options, a site-wide change, or an earlier export that does not say.
    pub fn touched_since(&self, earlier: &Self) -> Option<BTreeSet<i64>> {
        let (now, then) = self.comparable_prints(earlier)?;
        let (now_prints, then_prints): (HashMap<_, _>, HashMap<_, _>) = (
            now.episodes.iter().copied().collect(),
            then.episodes.iter().copied().collect(),
        );
        let changed: BTreeSet<i64> = now_prints
            .keys()
            .chain(then_prints.keys())
            .filter(|number| now_prints.get(number) != then_prints.get(number))
            .copied()
            .collect();
        let mut touched = changed.clone();
        for order in [&now.episodes, &then.episodes] {
            touched.extend(neighbours_of(order, &changed));
        }
        Some(touched)
    }

    /// The archive pages (`per_page` episodes each, newest first) that hold what they held
    /// in `earlier`: the same episodes, unchanged, with as many pages in all (each page says
    /// "page N of M"). `None` when every page must be rendered, as for [`Self::touched_since`].
    pub fn archive_kept_since(&self, earlier: &Self, per_page: usize) -> Option<KeptPages> {
        let (now, then) = self.comparable_prints(earlier)?;
        let (now_pages, then_pages): (Vec<_>, Vec<_>) = (
            now.episodes.chunks(per_page.max(1)).collect(),
            then.episodes.chunks(per_page.max(1)).collect(),
        );
        Some(KeptPages::of(&now_pages, &then_pages))
    }

    /// The pages of `/links` that show what they showed in `earlier`, while there are as
    /// many pages. `None` when every page must be rendered, as for [`Self::touched_since`].
    pub fn link_pages_kept_since(&self, earlier: &Self) -> Option<KeptPages> {
        let (now, then) = self.comparable_prints(earlier)?;
        Some(KeptPages::of(&now.link_pages, &then.link_pages))
    }

    /// The pages of the host's list at `list` (`/hosts/{slug}`) that show what they showed in
    /// `earlier`, while there are as many pages. `None` when every page must be rendered, as
    /// for [`Self::touched_since`].
    pub fn host_pages_kept_since(&self, earlier: &Self, list: &str) -> Option<KeptPages> {
        let (now, then) = self.comparable_prints(earlier)?;
        let pages_of = |prints: &Prints| prints.host_pages.get(list).cloned().unwrap_or_default();
        Some(KeptPages::of(&pages_of(now), &pages_of(then)))
    }

    pub fn to_json(&self) -> Vec<u8> {
        // Strings and integers always serialize.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

/// The pages of a paged list an in-place export may leave as the earlier one wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeptPages {
    /// How many pages the list has now.
    pub pages: u32,
    /// The pages (from 1) that show what they showed.
    pub kept: BTreeSet<u32>,
}

impl KeptPages {
    /// The pages whose items (anything comparable, one per page) are the same now as then,
    /// unless the number of pages changed (each page says "page N of M").
    fn of<T: PartialEq>(now: &[T], then: &[T]) -> Self {
        let pages = u32::try_from(now.len().max(1)).unwrap_or(u32::MAX);
        let kept = if now.len() == then.len() {
            (1..)
                .zip(now.iter().zip(then))
                .filter(|(_, (new, old))| new == old)
                .map(|(page, _)| page)
                .collect()
        } else {
            BTreeSet::new()
        };
        Self { pages, kept }
    }
}

/// One fingerprint for a page of episodes: which ones, in order, and what each shows.
fn page_print(episodes: &[(i64, u64)]) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(episodes)
}

/// The episodes next to any of `changed` in `order`.
fn neighbours_of<'a>(
    order: &'a [(i64, u64)],
    changed: &'a BTreeSet<i64>,
) -> impl Iterator<Item = i64> + 'a {
    order.iter().enumerate().flat_map(move |(at, (number, _))| {
        let near = [at.checked_sub(1), Some(at + 1)];
        near.into_iter()
            .flatten()
            .filter_map(move |other| order.get(other))
            .filter(move |_| changed.contains(number))
            .map(|(neighbour, _)| *neighbour)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compress::Effort;

    fn made(site: u64, episodes: &[(i64, u64)]) -> MadeFrom {
        let mut made = MadeFrom::new(1, "https://example.com", Effort::Export);
        made.prints = Some(Prints {
            site,
            episodes: episodes.to_vec(),
            link_pages: Vec::new(),
            host_pages: BTreeMap::new(),
        });
        made
    }

    fn touched(now: &MadeFrom, then: &MadeFrom) -> Option<Vec<i64>> {
        now.touched_since(then).map(|set| set.into_iter().collect())
    }

    #[test]
    fn an_edited_episode_touches_itself_and_its_neighbours() {
        let then = made(7, &[(5, 50), (4, 40), (3, 30), (2, 20), (1, 10)]);
        let now = made(7, &[(5, 50), (4, 40), (3, 31), (2, 20), (1, 10)]);
        assert_eq!(touched(&now, &then), Some(vec![2, 3, 4]));
        assert_eq!(touched(&then, &then), Some(vec![]));
    }

    #[test]
    fn a_new_episode_touches_the_one_before_and_a_removed_one_both_sides() {
        let then = made(7, &[(3, 30), (2, 20), (1, 10)]);
        let published = made(7, &[(4, 40), (3, 30), (2, 20), (1, 10)]);
        let unpublished = made(7, &[(3, 30), (1, 10)]);
        assert_eq!(touched(&published, &then), Some(vec![3, 4]));
        assert_eq!(touched(&unpublished, &then), Some(vec![1, 2, 3]));
    }

    fn kept(now: &MadeFrom, then: &MadeFrom) -> Option<(u32, Vec<u32>)> {
        now.archive_kept_since(then, 2)
            .map(|k| (k.pages, k.kept.into_iter().collect()))
    }

    #[test]
    fn an_archive_page_is_kept_while_its_episodes_and_the_page_count_are() {
        let then = made(7, &[(5, 50), (4, 40), (3, 30), (2, 20), (1, 10)]);
        let edited = made(7, &[(5, 50), (4, 40), (3, 31), (2, 20), (1, 10)]);
        let published = made(7, &[(6, 60), (5, 50), (4, 40), (3, 30), (2, 20), (1, 10)]);
        let removed = made(7, &[(5, 50), (4, 40), (3, 30), (2, 20)]);
        assert_eq!(kept(&edited, &then), Some((3, vec![1, 3])));
        assert_eq!(
            kept(&published, &then),
            Some((3, vec![])),
            "every page shifts"
        );
        assert_eq!(kept(&removed, &then), Some((2, vec![])), "one page fewer");
        assert_eq!(kept(&made(8, &[(1, 10)]), &made(7, &[(1, 10)])), None);
    }

    #[test]
    fn a_site_wide_change_or_other_options_touch_everything() {
        let then = made(7, &[(1, 10)]);
        assert_eq!(touched(&made(8, &[(1, 10)]), &then), None);
        let mut elsewhere = made(7, &[(1, 10)]);
        elsewhere.base_url = "https://mirror.example".into();
        assert_eq!(touched(&elsewhere, &then), None);
        let mut unread = then.clone();
        unread.prints = None;
        assert_eq!(touched(&then, &unread), None);
    }
}
