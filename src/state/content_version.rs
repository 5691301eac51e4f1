//! The content version: a number in the database that every public change moves, in the
//! writer's own transaction (triggers, `migrations/0100_content_version.sql`), whichever
//! process wrote. The page cache serves a page only under the version it was rendered with.
//!
//! Reading the number costs a query, so it is read again only after the database's write-ahead
//! log changed (one `stat` a millisecond at most): in WAL mode every commit, from any process, appends to
//! the log before the writer hears it committed, and a checkpoint that restarts the log changes
//! its modification time.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use sqlx::SqlitePool;

/// How long after the log last changed a version read is re-checked (far longer than the
/// instant between a commit's frames reaching the log and readers seeing it).
const SETTLING: Duration = Duration::from_secs(1);

/// How long a version found settled is taken as current without looking at the log again:
/// under load the look was a system call a request; a commit from another process is then
/// seen a millisecond later at most (this process's own writes clear the page cache at once).
const RECHECK_AFTER: Duration = Duration::from_millis(1);

/// What the log looked like when the version was last read.
#[derive(Clone, Copy, PartialEq, Eq)]
struct LogMark {
    len: u64,
    modified: Option<SystemTime>,
}

/// The current content version, read from the database only when something was committed.
pub struct ContentVersion {
    log: Option<PathBuf>,
    seen: Mutex<Option<Seen>>,
    settled: Settled,
}

/// The version last found settled, which requests take for a moment without a lock or a look
/// at the log: the lock, taken by every request, was contended under load.
struct Settled {
    since: Instant,
    /// Until when (nanoseconds after `since`) `version` may be taken; 0 when it may not.
    until: AtomicU64,
    version: AtomicI64,
}

impl Settled {
    fn new() -> Self {
        Self {
            since: Instant::now(),
            until: AtomicU64::new(0),
            version: AtomicI64::new(0),
        }
    }

    fn nanos(&self) -> u64 {
        u64::try_from(self.since.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn get(&self) -> Option<i64> {
        (self.nanos() < self.until.load(Ordering::Acquire))
            .then(|| self.version.load(Ordering::Acquire))
    }

    /// `version` was found settled now: it may be taken for [`RECHECK_AFTER`].
    fn set(&self, version: i64) {
        self.version.store(version, Ordering::Release);
        let until = self.nanos() + RECHECK_AFTER.as_nanos() as u64;
        self.until.store(until, Ordering::Release);
    }

    fn clear(&self) {
        self.until.store(0, Ordering::Release);
    }
}

/// A version as read, with the log's look just before and when it was read.
#[derive(Clone, Copy)]
struct Seen {
    mark: LogMark,
    version: i64,
    read_at: SystemTime,
}

impl Seen {
    /// Whether `mark` says nothing was committed since, and the read came after the log settled.
    fn still_current(&self, mark: LogMark) -> bool {
        let settled = match mark.modified {
            Some(modified) => self.read_at > modified + SETTLING,
            None => false,
        };
        self.mark == mark && settled
    }
}

impl ContentVersion {
    /// Watches the write-ahead log beside the pool's database file (an in-memory database has
    /// none: its version is read every time).
    pub fn of(db: &SqlitePool) -> Self {
        let file = db.connect_options().get_filename().to_path_buf();
        let log = (!file.as_os_str().is_empty() && file != std::path::Path::new(":memory:"))
            .then(|| PathBuf::from(format!("{}-wal", file.display())));
        Self {
            log,
            seen: Mutex::new(None),
            settled: Settled::new(),
        }
    }

    /// The version now.
    pub async fn current(&self, db: &SqlitePool) -> sqlx::Result<i64> {
        if let Some(version) = self.known() {
            return Ok(version);
        }
        let mark = self.log_mark();
        // The mark is taken before the version is read: a commit landing in between changes
        // the log, so the next request reads again.
        let read_at = SystemTime::now();
        let version = crate::db::content_version(db).await?;
        if let (Some(mark), Ok(mut seen)) = (mark, self.seen.lock()) {
            // While writes are recent every request looks at the log.
            self.settled.clear();
            *seen = Some(Seen {
                mark,
                version,
                read_at,
            });
        }
        Ok(version)
    }

    /// The version when it is known without asking the database: it was read after the log
    /// settled, and the log has not changed since (looked at once a millisecond at most).
    pub fn known(&self) -> Option<i64> {
        if let Some(version) = self.settled.get() {
            return Some(version);
        }
        // The look is a system call: made outside the lock, as other requests may be looking.
        let mark = self.log_mark()?;
        let seen = self.seen.lock().ok()?;
        let seen = seen.as_ref()?;
        seen.still_current(mark).then(|| {
            self.settled.set(seen.version);
            seen.version
        })
    }

    fn log_mark(&self) -> Option<LogMark> {
        let meta = std::fs::metadata(self.log.as_ref()?).ok()?;
        Some(LogMark {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}
