//! How `restore` knows a server holds the database: every `serve` keeps a shared advisory
//! lock (flock) on `<db>.lock` while it runs, and `restore` needs that lock exclusively.
//! The operating system drops the lock when a server exits, even when it is killed, so a
//! crash never leaves a stale lock behind; two servers on one file share it.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Held by a running `serve`; dropping it releases the lock.
#[derive(Debug)]
pub struct ServingLock(#[allow(dead_code)] File);

/// Held by `restore` while it replaces the file: no server starts meanwhile.
#[derive(Debug)]
pub struct RestoreLock(#[allow(dead_code)] File);

/// The lock file beside the database.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn open(db: &Path) -> anyhow::Result<File> {
    let path = lock_path(db);
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open the lock file", path.display()))
}

/// Marks the database as served; fails while a restore is replacing it.
pub fn serving(db: &Path) -> anyhow::Result<ServingLock> {
    let file = open(db)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(ServingLock(file)),
        Err(TryLockError::WouldBlock) => {
            bail!(
                "{}: a restore is replacing this database; start again when it is done",
                db.display()
            )
        }
        Err(TryLockError::Error(e)) => Err(e).context("cannot lock the database"),
    }
}

/// Takes the database from every server; fails while one runs.
pub fn restoring(db: &Path) -> anyhow::Result<RestoreLock> {
    let file = open(db)?;
    match file.try_lock() {
        Ok(()) => Ok(RestoreLock(file)),
        Err(TryLockError::WouldBlock) => bail!(
            "{}: a server is running on this database (it holds {}); stop it, then restore",
            db.display(),
            lock_path(db).display()
        ),
        Err(TryLockError::Error(e)) => Err(e).context("cannot lock the database"),
    }
}
