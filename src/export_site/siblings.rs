//! The `.gz` and `.br` siblings of the copy's text files, compressed on every core while the
//! pages go on rendering: compression is most of an export's time (issue 17).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use sha2::Digest;

use super::body::Parts;
use super::disk::{hex, io, sibling, write_file};
use super::error::ExportError;
use super::pieces::{CUT_ABOVE, PieceStore};
use crate::compress::{self, Effort};

/// Files waiting for their siblings, per compressing thread: enough to keep every core busy
/// while a slow page renders, few enough that the waiting bodies stay a few megabytes.
const QUEUED_PER_THREAD: usize = 8;

/// Bytes of bodies queued or being compressed at once, besides a single body larger than this:
/// a show's feeds are megabytes each, and the five queued together were a fifth of an export's
/// peak memory (heaptrack, 1,000 episodes).
const IN_FLIGHT_BYTES: usize = 16 * 1024 * 1024;

/// The bytes of the bodies queued or being compressed, and a signal when some are done.
#[derive(Default)]
struct InFlight {
    bytes: Mutex<usize>,
    done: Condvar,
}

impl InFlight {
    /// Waits until `len` more bytes fit (at once when nothing is in flight) and counts them;
    /// false when `stopped` says no thread is left to make room.
    fn reserve(&self, len: usize, stopped: impl Fn() -> bool) -> bool {
        let fits = |bytes: usize| bytes == 0 || bytes + len <= IN_FLIGHT_BYTES;
        let Some(mut bytes) = self.wait_until(fits, stopped) else {
            return false;
        };
        *bytes += len;
        true
    }

    /// Waits until at most `limit` bytes are in flight; false when `stopped` says no thread is
    /// left to make room.
    fn settle(&self, limit: usize, stopped: impl Fn() -> bool) -> bool {
        self.wait_until(|bytes| bytes <= limit, stopped).is_some()
    }

    /// The count of bytes in flight once `ready` holds of it; `None` when `stopped` first.
    fn wait_until(
        &self,
        ready: impl Fn(usize) -> bool,
        stopped: impl Fn() -> bool,
    ) -> Option<MutexGuard<'_, usize>> {
        let mut bytes = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        while !ready(*bytes) {
            if stopped() {
                return None;
            }
            // A thread that fails stops without a signal: look again now and then.
            bytes = self
                .done
                .wait_timeout(bytes, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Some(bytes)
    }

    fn release(&self, len: usize) {
        let mut bytes = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        *bytes = bytes.saturating_sub(len);
        self.done.notify_all();
    }
}

/// A sibling as written: its file (relative), its SHA-256 in hex and its length.
pub(super) struct Written {
    pub file: PathBuf,
    pub sha256: String,
    pub len: u64,
}

/// A text file whose siblings are still to be written.
struct Job {
    file: PathBuf,
    body: Parts,
}

/// Where the siblings go and how they are written.
#[derive(Clone)]
pub(super) struct Target {
    /// The folder the files are written under.
    pub root: PathBuf,
    /// Each file goes to a temporary name first, then is renamed into place.
    pub in_place: bool,
    pub effort: Effort,
    /// Where large files find the compressed pieces earlier runs made.
    pub pieces: Arc<PieceStore>,
}

/// One compressing thread per core, fed through a bounded queue.
pub(super) struct Siblings {
    queue: Option<SyncSender<Job>>,
    threads: Vec<JoinHandle<Result<Vec<Written>, ExportError>>>,
    in_flight: Arc<InFlight>,
}

impl Siblings {
    /// Starts one thread per core writing siblings under `target`.
    pub fn start(target: Target) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let (queue, jobs) = sync_channel(cores * QUEUED_PER_THREAD);
        let jobs = Arc::new(Mutex::new(jobs));
        let in_flight = Arc::new(InFlight::default());
        let threads = (0..cores)
            .map(|_| {
                let (jobs, target, in_flight) = (jobs.clone(), target.clone(), in_flight.clone());
                std::thread::spawn(move || compress_queued(&jobs, &target, &in_flight))
            })
            .collect();
        Self {
            queue: Some(queue),
            threads,
            in_flight,
        }
    }

    /// Waits until no large body (one cut in pieces) is being compressed: the next one is
    /// rendered only then, so that the two and all they are made of are never in memory at
    /// once. An error a thread met stops the export here.
    pub fn wait_for_large(&mut self) -> Result<(), ExportError> {
        let threads = &self.threads;
        let stopped = || threads.iter().all(JoinHandle::is_finished);
        if !self.in_flight.settle(CUT_ABOVE, stopped) {
            return self.finish().map(|_| ());
        }
        Ok(())
    }

    /// Queues `file`'s siblings; waits while every thread is busy and the queue full. An
    /// error a thread met stops the export here.
    pub fn add(&mut self, file: &Path, body: Parts) -> Result<(), ExportError> {
        let threads = &self.threads;
        let stopped = || threads.iter().all(JoinHandle::is_finished);
        if !self.in_flight.reserve(body.len(), stopped) {
            return self.finish().map(|_| ());
        }
        let job = Job {
            file: file.to_path_buf(),
            body,
        };
        let sent = self.queue.as_ref().map(|queue| queue.send(job));
        match sent {
            Some(Ok(())) => Ok(()),
            // Every thread stopped, so one of them failed: that error is the export's.
            _ => self.finish().map(|_| ()),
        }
    }

    /// Waits until every queued sibling is written; returns them all, or the first error.
    pub fn finish(&mut self) -> Result<Vec<Written>, ExportError> {
        self.queue = None;
        let mut written = Vec::new();
        let mut failure = None;
        for thread in self.threads.drain(..) {
            match thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            {
                Ok(files) => written.extend(files),
                Err(error) => failure = failure.or(Some(error)),
            }
        }
        match failure {
            Some(error) => Err(error),
            None => Ok(written),
        }
    }
}

/// One thread's work: takes files from the queue until it closes.
fn compress_queued(
    jobs: &Mutex<Receiver<Job>>,
    target: &Target,
    in_flight: &InFlight,
) -> Result<Vec<Written>, ExportError> {
    let mut written = Vec::new();
    loop {
        // The lock is held only while waiting for the next file, not while compressing it.
        let next = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return Ok(written),
        };
        let Ok(job) = next else {
            return Ok(written);
        };
        let done = write_siblings(&job, target);
        let len = job.body.len();
        drop(job);
        if len > CUT_ABOVE {
            // A feed's items and pieces were freed into the arenas of the threads that made
            // them, which kept those pages: handing them back took the peak resident memory
            // of a 1,000-episode export from 128 to 99-110 MB, for no measurable time.
            crate::memory::trim();
        }
        in_flight.release(len);
        written.extend(done?);
    }
}

/// Compresses one file and writes its siblings, each only when smaller than the file: an
/// episode's empty chapters list (33 bytes) gzips to 53, which a server would send instead.
fn write_siblings(job: &Job, target: &Target) -> Result<Vec<Written>, ExportError> {
    let (gz, br) = compressed(job, target)?;
    let mut written = Vec::with_capacity(2);
    for (suffix, compressed) in [(".gz", gz), (".br", br)] {
        if compressed.len() >= job.body.len() {
            continue;
        }
        let file = sibling(&job.file, suffix);
        write_file(&target.root.join(&file), &compressed, target.in_place)?;
        written.push(Written {
            file,
            sha256: hex(&sha2::Sha256::digest(&compressed)),
            len: compressed.len() as u64,
        });
    }
    Ok(written)
}

/// The gzip and brotli of a file: a large one from its pieces, which earlier runs may have made.
fn compressed(job: &Job, target: &Target) -> Result<(Vec<u8>, Vec<u8>), ExportError> {
    let body = &job.body;
    if body.len() > CUT_ABOVE {
        return target.pieces.compress(body);
    }
    let failed = |e| io(&job.file, e);
    let slices = body.slices();
    Ok((
        compress::gzip(slices.iter().copied(), body.len(), target.effort).map_err(failed)?,
        compress::brotli(slices.iter().copied(), body.len(), target.effort).map_err(failed)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_larger_than_the_budget_goes_alone_and_the_next_waits_for_it() {
        let in_flight = InFlight::default();
        let feed = IN_FLIGHT_BYTES + 1;
        assert!(
            in_flight.reserve(feed, || false),
            "nothing in flight: it goes"
        );
        // While it is in flight and no thread is left to finish it, a page is refused, not
        // kept waiting forever.
        assert!(!in_flight.reserve(1_000, || true));
        in_flight.release(feed);
        assert!(
            in_flight.reserve(1_000, || true),
            "room again once it is done"
        );
    }

    #[test]
    fn the_next_feed_waits_until_no_large_body_is_in_flight() {
        let in_flight = InFlight::default();
        assert!(in_flight.reserve(30_000, || false), "a page");
        assert!(in_flight.settle(CUT_ABOVE, || true), "pages do not hold it");
        assert!(in_flight.reserve(12 * 1024 * 1024, || false), "a feed");
        assert!(
            !in_flight.settle(CUT_ABOVE, || true),
            "held while the feed is"
        );
        in_flight.release(12 * 1024 * 1024);
        assert!(in_flight.settle(CUT_ABOVE, || true));
    }
}
