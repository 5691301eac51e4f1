//! Large cached bodies sent the way a static server sends a file: by `sendfile`, from pages
//! the kernel hands to the socket as they are, instead of copying them from the process's
//! memory on every request (issue 17: copying was 43 % of the server's time on a 430 KB
//! compressed feed; nginx sends the same bytes with `sendfile`).
//!
//! A body put in [`sendable`] memory lives in an unnamed file mapped read-only: the process
//! reads it as ordinary bytes, and [`Listener`]'s connections find the file behind any slice
//! of it they are asked to write and let the kernel send from there. Everything else is
//! written as before. The server keeps those files beside its database, in the page cache of
//! a disk's file system: `sendfile` from there ran at 1.2-1.3x the rate of the same bytes in
//! an in-memory file (`memfd`, tmpfs pages), which is what is left where no folder is given.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll, ready};

use axum::body::Bytes;
use axum::serve::{ListenerExt, TapIo};
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Bodies this large or larger are worth a file of their own: below it the copy costs less
/// than the extra system calls.
pub const SENDABLE_FROM: usize = 64 * 1024;

/// At most this many bodies hold a file open at once: a process may open about a thousand
/// descriptors, and its connections need them more (the large bodies are a show's few feeds).
const MOST_FILES: usize = 256;

fn files_open() -> usize {
    REGIONS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .len()
}

/// The mapped bodies by the address they start at, each with its file.
static REGIONS: RwLock<BTreeMap<usize, Region>> = RwLock::new(BTreeMap::new());

struct Region {
    len: usize,
    file: Arc<OwnedFd>,
}

/// `body` as bytes a [`Listener`]'s connection sends with `sendfile` when it is at least
/// [`SENDABLE_FROM`] long: in an unnamed file in `spool` (a folder on a disk), else in an
/// in-memory file, else, where the system gives neither, as it is.
pub fn sendable(body: Vec<u8>, spool: Option<&Path>) -> Bytes {
    if body.len() < SENDABLE_FROM || files_open() >= MOST_FILES {
        return Bytes::from(body);
    }
    match Mapped::of(&body, spool) {
        Ok(mapped) => Bytes::from_owner(mapped),
        Err(error) => {
            tracing::debug!(%error, "body kept in memory: no in-memory file");
            Bytes::from(body)
        }
    }
}

/// A sealed in-memory file holding a body, mapped read-only; unmapped and closed on drop
/// (pages a socket still sends stay alive in the kernel until sent).
struct Mapped {
    start: *const u8,
    len: usize,
}

// SAFETY: the mapping is read-only and its file sealed against writes, so sharing the
// pointer between threads shares immutable bytes.
unsafe impl Send for Mapped {}
// SAFETY: as above: nothing can change the bytes behind the pointer.
unsafe impl Sync for Mapped {}

impl Mapped {
    #[cfg(target_os = "linux")]
    fn of(body: &[u8], spool: Option<&Path>) -> io::Result<Self> {
        use rustix::mm::{MapFlags, ProtFlags};
        use std::io::Write;

        let (mut file, sealable) = match spool.map(unnamed_file_in) {
            Some(Ok(file)) => (file, false),
            Some(Err(error)) => {
                tracing::debug!(%error, "no unnamed file in the spool folder: an in-memory one");
                (in_memory_file()?, true)
            }
            None => (in_memory_file()?, true),
        };
        file.write_all(body)?;
        if sealable {
            // Sealed, the bytes a socket is sending can never change under it.
            use rustix::fs::SealFlags;
            rustix::fs::fcntl_add_seals(
                &file,
                SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK,
            )?;
        }
        // SAFETY: a fresh read-only shared mapping of a file of exactly `body.len()` bytes
        // that nothing writes or shrinks any more: sealed, or without a name in any folder,
        // so that only this process holds it, and written only above; it aliases no Rust
        // object.
        let start = unsafe {
            rustix::mm::mmap(
                std::ptr::null_mut(),
                body.len(),
                ProtFlags::READ,
                MapFlags::SHARED,
                &file,
                0,
            )?
        }
        .cast::<u8>()
        .cast_const();
        let mapped = Self {
            start,
            len: body.len(),
        };
        let region = Region {
            len: body.len(),
            file: Arc::new(OwnedFd::from(file)),
        };
        REGIONS
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(start as usize, region);
        Ok(mapped)
    }

    #[cfg(not(target_os = "linux"))]
    fn of(_body: &[u8], _spool: Option<&Path>) -> io::Result<Self> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// A file without a name in `folder` (`O_TMPFILE`): its pages are the file system's, and it is
/// gone when closed, crash or not.
#[cfg(target_os = "linux")]
fn unnamed_file_in(folder: &Path) -> io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        folder,
        OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
        Mode::RUSR | Mode::WUSR,
    )?;
    Ok(std::fs::File::from(fd))
}

#[cfg(target_os = "linux")]
fn in_memory_file() -> io::Result<std::fs::File> {
    use rustix::fs::MemfdFlags;
    let flags = MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING;
    Ok(std::fs::File::from(rustix::fs::memfd_create(
        "shownotes-body",
        flags,
    )?))
}

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: `start` maps `len` readable bytes until `self` is dropped.
        unsafe { std::slice::from_raw_parts(self.start, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        REGIONS
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&(self.start as usize));
        #[cfg(target_os = "linux")]
        // SAFETY: the mapping made in `of`, unmapped once; no slice of it outlives `self`
        // (every `Bytes` over it holds `self`).
        unsafe {
            let _ = rustix::mm::munmap(self.start.cast_mut().cast(), self.len);
        }
    }
}

/// Slices shorter than this are copied even from a sendable body (the tail of one a socket
/// took in part): the copy costs less than finding the file, and every page's headers and
/// body passed through the lookup's shared lock.
const SENT_FROM_FILE_FROM: usize = 16 * 1024;

/// The file and offset behind `slice`, when it lies within one sendable body.
fn file_behind(slice: &[u8]) -> Option<(Arc<OwnedFd>, u64)> {
    if slice.len() < SENT_FROM_FILE_FROM {
        return None;
    }
    let start = slice.as_ptr() as usize;
    let regions = REGIONS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (region_start, region) = regions.range(..=start).next_back()?;
    let offset = start - region_start;
    (offset + slice.len() <= region.len).then(|| (region.file.clone(), offset as u64))
}

/// The server's listener: connections without Nagle's delay that send [`sendable`] bytes
/// with `sendfile`. (Tapped, so that axum hands handlers the client's address.)
pub fn listener(tcp: TcpListener) -> TapIo<Listener, fn(&mut Connection)> {
    Listener(tcp).tap_io(without_delay as fn(&mut Connection))
}

/// Without TCP_NODELAY the last partial segment of every response waits for the client's
/// delayed ACK (tens of milliseconds): a large feed then runs at half a static server's rate.
/// nginx sets it on keep-alive connections too.
fn without_delay(connection: &mut Connection) {
    if let Err(error) = connection.stream.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY not set");
    }
}

/// A TCP listener whose connections send [`sendable`] bytes with `sendfile`.
pub struct Listener(TcpListener);

impl axum::serve::Listener for Listener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        let connection = Connection {
            stream,
            corked: Cell::new(false),
        };
        (connection, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// One accepted connection: reads as a TCP stream does; writes slices of sendable bodies
/// with `sendfile` and everything else with `writev`.
pub struct Connection {
    stream: TcpStream,
    /// Whether the socket holds partial packets back (`TCP_CORK`): from the headers of a body
    /// sent from its file until that body is sent, as nginx's `tcp_nopush` does. Without it
    /// the kernel pushed each piece `sendfile` handed it as it came, and a 430 KB feed served
    /// at 64 connections ran at two thirds of nginx's rate; corked, above it.
    corked: Cell<bool>,
}

impl Connection {
    fn cork(&self, on: bool) {
        if self.corked.get() == on {
            return;
        }
        #[cfg(target_os = "linux")]
        if let Err(error) = rustix::net::sockopt::set_tcp_cork(&self.stream, on) {
            tracing::debug!(%error, on, "TCP_CORK not set");
        }
        self.corked.set(on);
    }

    /// Lets out what the cork held once `written` says the socket took the last of a body.
    fn uncork_after<T>(&self, written: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if matches!(written, Poll::Ready(Ok(_))) {
            self.cork(false);
        }
        written
    }

    /// Runs `send` once the socket takes bytes, again each time it turns out full.
    fn when_writable(
        &self,
        cx: &mut Context<'_>,
        mut send: impl FnMut() -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_io(Interest::WRITABLE, &mut send) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                sent => return Poll::Ready(sent),
            }
        }
    }

    fn send_file(
        &self,
        cx: &mut Context<'_>,
        file: &OwnedFd,
        offset: u64,
        len: usize,
    ) -> Poll<io::Result<usize>> {
        let sent = self.when_writable(cx, || {
            let mut at = offset;
            #[cfg(target_os = "linux")]
            return rustix::fs::sendfile(&self.stream, file, Some(&mut at), len)
                .map_err(io::Error::from);
            // Elsewhere no body is sendable, so this is never asked.
            #[cfg(not(target_os = "linux"))]
            unreachable!("{file:?} {at} {len}: no sendable bodies without in-memory files")
        });
        // All of the slice is the rest of the body: the response is out.
        if matches!(sent, Poll::Ready(Ok(n)) if n == len) {
            self.cork(false);
        }
        sent
    }

    /// Writes `bufs` corked, and saying more follows at once (`MSG_MORE`), so the kernel
    /// waits for the body.
    fn send_before_file(
        &self,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.cork(true);
        self.when_writable(cx, || {
            #[cfg(target_os = "linux")]
            {
                use rustix::net::{SendAncillaryBuffer, SendFlags};
                let flags = SendFlags::MORE | SendFlags::NOSIGNAL;
                rustix::net::sendmsg(
                    &self.stream,
                    bufs,
                    &mut SendAncillaryBuffer::default(),
                    flags,
                )
                .map_err(io::Error::from)
            }
            #[cfg(not(target_os = "linux"))]
            unreachable!("{}: no sendable bodies without in-memory files", bufs.len())
        })
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match file_behind(buf) {
            Some((file, offset)) => self.send_file(cx, &file, offset, buf.len()),
            // A short tail of a body sent from its file comes this way too.
            None => {
                let written = Pin::new(&mut self.stream).poll_write(cx, buf);
                self.uncork_after(written)
            }
        }
    }

    /// Writes the leading slices up to the first one a file holds, or sends that one from its
    /// file; the caller comes back for the rest, as after any short write.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let bufs = match bufs.iter().position(|b| !b.is_empty()) {
            Some(first) => &bufs[first..],
            None => return Poll::Ready(Ok(0)),
        };
        if let Some((file, offset)) = file_behind(&bufs[0]) {
            return self.send_file(cx, &file, offset, bufs[0].len());
        }
        let plain = bufs.iter().take_while(|b| file_behind(b).is_none()).count();
        if plain < bufs.len() {
            // The headers before a body sent from its file: held back to leave in the body's
            // first packet, as nginx's `tcp_nopush` does.
            return self.send_before_file(cx, &bufs[..plain]);
        }
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.uncork_after(written)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    /// Nothing is held back past a flush.
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.cork(false);
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.cork(false);
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_body_reads_back_whole_and_its_slices_name_its_file_until_dropped() {
        let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let sendable = sendable(body.clone(), None);
        assert_eq!(&sendable[..], &body[..]);
        let slice = sendable.slice(1_000..150_000);
        let (_, offset) = file_behind(&slice).expect("a slice of a mapped body");
        assert_eq!(offset, 1_000);
        let address = sendable.as_ptr() as usize;
        drop((sendable, slice));
        assert!(!REGIONS.read().unwrap().contains_key(&address));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_body_given_a_folder_lives_in_an_unnamed_file_of_that_folders_file_system() {
        let folder = tempfile::tempdir().unwrap();
        let body: Vec<u8> = (0..100_000u32).map(|i| (i % 241) as u8).collect();
        let sendable = sendable(body.clone(), Some(folder.path()));
        assert_eq!(&sendable[..], &body[..]);
        let (file, offset) = file_behind(&sendable).expect("a mapped body");
        assert_eq!(offset, 0);
        let stat = rustix::fs::fstat(&*file).unwrap();
        let folders = rustix::fs::stat(folder.path()).unwrap();
        assert_eq!(stat.st_dev, folders.st_dev, "on the folder's file system");
        assert_eq!(stat.st_nlink, 0, "with no name");
        assert_eq!(stat.st_size as usize, body.len());
        assert_eq!(
            std::fs::read_dir(folder.path()).unwrap().count(),
            0,
            "nothing left in the folder"
        );
    }

    #[test]
    fn a_small_body_stays_in_ordinary_memory() {
        let small = sendable(b"<p>a page</p>".to_vec(), None);
        assert!(file_behind(&small).is_none());
    }
}
