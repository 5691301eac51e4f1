//! Keeps a long-running server's resident memory near the memory it actually uses.
//!
//! glibc's allocator keeps what a thread frees inside that thread's arena for reuse, and it
//! raises its mmap threshold to the largest block freed so far: after one sign-in (argon2
//! takes 19 MB) every large buffer (page renders, brotli windows) lands in the arenas too.
//! Under a steady mix of renders, compressions and queries on many threads the arenas then
//! grew for twenty minutes with a flat live heap (soak: +11 % resident). So the server uses
//! two arenas (one per core; glibc would make up to sixteen here), keeps the threshold fixed
//! so large buffers get their own mappings, returned when freed, and trims periodically to
//! hand back the free pages the arenas hold.

use std::time::Duration;

/// Blocks this large or larger are mapped on their own and returned to the system on free
/// (glibc's starting value, kept fixed instead of rising).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 128 * 1024;

/// Arenas the threads share: one per core of the machines this runs on; more arenas only
/// help when many threads allocate at the same instant, which two cores never do.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// How often free arena pages are handed back: often enough to hold memory flat, rare enough
/// that the walk over the arenas costs nothing measurable.
pub const TRIM_EVERY: Duration = Duration::from_secs(30);

/// Limits the arenas and fixes the mmap threshold; called once when the server starts,
/// before its threads exist.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator parameters; any value it refuses leaves
    // the default in place.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}

/// Hands free arena pages back to the system every [`TRIM_EVERY`], forever.
pub async fn return_free_memory() {
    let mut interval = tokio::time::interval(TRIM_EVERY);
    interval.tick().await;
    loop {
        interval.tick().await;
        // The walk over the arenas takes locks: off the async threads.
        let _ = tokio::task::spawn_blocking(trim).await;
    }
}

/// Returns the free pages of every arena to the system.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds as free; it is safe to
    // call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
