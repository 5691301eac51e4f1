//! The `.gz` and `.br` siblings of the copy's text files, compressed on every core while the
//! pages go on rendering: compression is most of an export's time (issue 17).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use axum::body::Bytes;
use sha2::Digest;

use super::disk::{hex, io, sibling, write_file};
use super::error::ExportError;
use super::pieces::{CUT_ABOVE, PieceStore};
use crate::compress::{self, Effort};

/// Files waiting for their siblings, per compressing thread: enough to keep every core busy
/// while a slow page renders, few enough that the waiting bodies stay a few megabytes.
const QUEUED_PER_THREAD: usize = 8;

/// A sibling as written: its file (relative), its SHA-256 in hex and its length.
pub(super) struct Written {
    pub file: PathBuf,
    pub sha256: String,
    pub len: u64,
}

/// A text file whose siblings are still to be written.
struct Job {
    file: PathBuf,
    body: Bytes,
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
}

impl Siblings {
    /// Starts one thread per core writing siblings under `target`.
    pub fn start(target: Target) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let (queue, jobs) = sync_channel(cores * QUEUED_PER_THREAD);
        let jobs = Arc::new(Mutex::new(jobs));
        let threads = (0..cores)
            .map(|_| {
                let (jobs, target) = (jobs.clone(), target.clone());
                std::thread::spawn(move || compress_queued(&jobs, &target))
            })
            .collect();
        Self {
            queue: Some(queue),
            threads,
        }
    }

    /// Queues `file`'s siblings; waits while every thread is busy and the queue full. An
    /// error a thread met stops the export here.
    pub fn add(&mut self, file: &Path, body: Bytes) -> Result<(), ExportError> {
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
        let (gz, br) = compressed(&job, target)?;
        for (suffix, compressed) in [(".gz", gz), (".br", br)] {
            let file = sibling(&job.file, suffix);
            write_file(&target.root.join(&file), &compressed, target.in_place)?;
            written.push(Written {
                file,
                sha256: hex(&sha2::Sha256::digest(&compressed)),
                len: compressed.len() as u64,
            });
        }
    }
}

/// The gzip and brotli of a file: a large one from its pieces, which earlier runs may have made.
fn compressed(job: &Job, target: &Target) -> Result<(Vec<u8>, Vec<u8>), ExportError> {
    let body = &job.body[..];
    if body.len() > CUT_ABOVE {
        return target.pieces.compress(body);
    }
    let failed = |e| io(&job.file, e);
    Ok((
        compress::gzip([body], body.len(), target.effort).map_err(failed)?,
        compress::brotli([body], body.len(), target.effort).map_err(failed)?,
    ))
}
