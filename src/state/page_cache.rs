//! The memory behind the page cache: rendered public pages, valid for one content generation,
//! within a byte budget. The middleware that fills and serves it is `web::cache`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::HeaderValue;

/// How many bytes of pages the cache holds unless configured (`SHOWNOTES_CACHE_BYTES`).
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;
/// One rendered page.
pub struct CachedPage {
    /// The body as the handler gave it, in chunks (a feed's items are shared, not copied).
    pub body: Vec<Bytes>,
    pub content_type: HeaderValue,
    pub etag: HeaderValue,
    /// When this exact body was first served (whole seconds, as HTTP dates have).
    pub last_modified: SystemTime,
    /// The same as a `Last-Modified` header, formatted once.
    pub last_modified_header: Option<HeaderValue>,
    pub stored: Instant,
    /// The content version it was rendered under ([`super::content_version`]): served only
    /// while that is still the version, whichever process changed the content since.
    pub version: i64,
    /// The compressed copies, each made once, when the first visitor who accepts it asks;
    /// `None` where it would not make the body smaller.
    pub gzip: tokio::sync::OnceCell<Option<Variant>>,
    pub br: tokio::sync::OnceCell<Option<Variant>>,
    /// Whether a task is making the brotli copy of a large page in the background.
    pub br_in_background: AtomicBool,
}

/// A compressed copy of a page's body: another representation, so it has its own ETag.
pub struct Variant {
    pub body: Bytes,
    pub etag: HeaderValue,
}

impl CachedPage {
    /// What the page counts against the budget: its key, its body and its compressed copies.
    fn cost(&self, key: &str) -> usize {
        let copies: usize = [&self.gzip, &self.br]
            .into_iter()
            .filter_map(|copy| copy.get()?.as_ref())
            .map(|variant| variant.body.len())
            .sum();
        key.len() + self.body_len() + copies
    }

    /// The body's length in bytes.
    pub fn body_len(&self) -> usize {
        self.body.iter().map(Bytes::len).sum()
    }
}

/// A page with the bytes it was counted at.
struct Entry {
    page: Arc<CachedPage>,
    cost: usize,
}

/// The pages and the bytes they hold.
#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Entry>,
    bytes: usize,
}

impl Pages {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.by_key.remove(key) {
            self.bytes -= entry.cost;
        }
    }

    /// Drops the oldest pages until `needed` more bytes fit in `budget`.
    fn make_room(&mut self, needed: usize, budget: usize) {
        if self.bytes + needed <= budget {
            return;
        }
        let mut oldest: Vec<(Instant, String)> = self
            .by_key
            .iter()
            .map(|(key, entry)| (entry.page.stored, key.clone()))
            .collect();
        oldest.sort_unstable();
        for (_, key) in oldest {
            if self.bytes + needed <= budget {
                break;
            }
            self.remove(&key);
        }
    }
}

/// Rendered pages by path and known query parameters, valid for one content generation,
/// holding at most a budget of bytes.
pub struct PageCache {
    budget: AtomicUsize,
    generation: AtomicU64,
    /// No page rendered from now on may claim an older Last-Modified (seconds since the epoch).
    earliest_last_modified: AtomicU64,
    /// The latest Last-Modified handed out (seconds since the epoch).
    latest_last_modified: AtomicU64,
    pages: RwLock<Pages>,
    /// The folder whose file system holds the large compressed copies sent with `sendfile`
    /// ([`crate::web::zero_copy::sendable`]); in memory until set.
    spool: std::sync::OnceLock<std::path::PathBuf>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            budget: AtomicUsize::new(DEFAULT_BUDGET),
            generation: AtomicU64::default(),
            earliest_last_modified: AtomicU64::default(),
            latest_last_modified: AtomicU64::default(),
            pages: RwLock::default(),
            spool: std::sync::OnceLock::new(),
        }
    }
}

impl PageCache {
    /// Sets how many bytes of pages (bodies and keys) the cache may hold; the oldest go first.
    pub fn set_budget(&self, bytes: usize) {
        self.budget.store(bytes, Ordering::SeqCst);
    }

    /// Keeps the large compressed copies in unnamed files in `folder` (the database's, for the
    /// server): set once, before the first page.
    pub fn keep_large_copies_in(&self, folder: std::path::PathBuf) {
        let _ = self.spool.set(folder);
    }

    /// Where the large compressed copies are kept, if not in memory.
    pub fn spool(&self) -> Option<&std::path::Path> {
        self.spool.get().map(std::path::PathBuf::as_path)
    }

    /// The content generation a render starts in; [`Self::put`] drops it if a change came since.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Forgets every page: content changed.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        // Pages rendered after this change must look newer than any page served before it,
        // even within the same second.
        let next_second = epoch_seconds(SystemTime::now()) + 1;
        let after_latest = self.latest_last_modified.load(Ordering::SeqCst) + 1;
        self.earliest_last_modified
            .fetch_max(next_second.max(after_latest), Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.write() {
            *pages = Pages::default();
        }
    }

    pub fn get(&self, key: &str, version: i64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().ok()?;
        pages
            .by_key
            .get(key)
            .filter(|entry| entry.page.version == version)
            .map(|entry| entry.page.clone())
    }

    /// The Last-Modified of a fresh render: kept while the body is unchanged, and always later
    /// than the one of the body it replaces, so `If-Modified-Since` never hides a change.
    pub fn last_modified(&self, key: &str, etag: &HeaderValue) -> SystemTime {
        let earliest = self.earliest_last_modified.load(Ordering::SeqCst);
        let now = epoch_seconds(SystemTime::now()).max(earliest);
        let previous = self.pages.read().ok().and_then(|pages| {
            pages.by_key.get(key).map(|entry| {
                let page = &entry.page;
                (page.etag.clone(), epoch_seconds(page.last_modified))
            })
        });
        let seconds = match previous {
            Some((previous_etag, at)) if previous_etag == etag => at,
            Some((_, at)) if at >= now => at + 1,
            _ => now,
        };
        self.latest_last_modified
            .fetch_max(seconds, Ordering::SeqCst);
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// Keeps `page` under `key` unless content changed since `rendered_at` (a generation).
    pub fn put(&self, key: String, page: Arc<CachedPage>, rendered_at: u64) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        // A page rendered before a write finished must not outlive that write.
        if self.generation.load(Ordering::SeqCst) != rendered_at {
            return;
        }
        let budget = self.budget.load(Ordering::SeqCst);
        let cost = page.cost(&key);
        pages.remove(&key);
        if cost > budget {
            return;
        }
        pages.make_room(cost, budget);
        pages.bytes += cost;
        pages.by_key.insert(key, Entry { page, cost });
    }

    /// Counts `page` again after it gained compressed copies, making room for them; a page
    /// no longer kept under `key` (replaced, dropped) counts for nothing.
    pub fn recount(&self, key: &str, page: &Arc<CachedPage>) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        let budget = self.budget.load(Ordering::SeqCst);
        let pages = &mut *pages;
        let Some(entry) = pages.by_key.get_mut(key) else {
            return;
        };
        if !Arc::ptr_eq(&entry.page, page) {
            return;
        }
        let cost = page.cost(key);
        pages.bytes = pages.bytes - entry.cost + cost;
        entry.cost = cost;
        if pages.bytes > budget {
            pages.make_room(0, budget);
        }
    }

    /// The bytes the cache holds now.
    pub fn bytes(&self) -> usize {
        self.pages.read().map_or(0, |pages| pages.bytes)
    }
}

pub fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Arc<CachedPage> {
        Arc::new(CachedPage {
            body: vec![Bytes::from(body.to_string())],
            content_type: HeaderValue::from_static("text/html"),
            etag: HeaderValue::from_static("\"1\""),
            last_modified: SystemTime::now(),
            last_modified_header: None,
            stored: Instant::now(),
            version: 1,
            gzip: tokio::sync::OnceCell::new(),
            br: tokio::sync::OnceCell::new(),
            br_in_background: AtomicBool::new(false),
        })
    }

    fn gzip_of(len: usize) -> Option<Variant> {
        Some(Variant {
            body: Bytes::from(vec![0; len]),
            etag: HeaderValue::from_static("\"1-gzip\""),
        })
    }

    #[test]
    fn compressed_copies_count_against_the_budget_and_push_out_the_oldest_page() {
        let cache = PageCache::default();
        cache.set_budget(100);
        let (old, new) = (page(&"o".repeat(40)), page(&"n".repeat(40)));
        cache.put("/old".into(), old.clone(), cache.generation());
        cache.put("/new".into(), new.clone(), cache.generation());
        assert_eq!(cache.bytes(), 2 * 44);

        new.gzip.set(gzip_of(20)).ok().unwrap();
        cache.recount("/new", &new);

        assert_eq!(
            cache.bytes(),
            64,
            "the gzip copy counts, the oldest page went"
        );
        assert!(cache.get("/old", 1).is_none());
        assert!(cache.get("/new", 1).is_some());
        cache.recount("/new", &new);
        assert_eq!(
            cache.bytes(),
            64,
            "counted once however often it is recounted"
        );
    }
}
