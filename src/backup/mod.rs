//! `shownotes backup FILE` and `shownotes restore FILE`: a consistent copy taken while the
//! site runs, and putting one back while no server holds the database.

pub mod lock;
mod store;

use std::path::Path;

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

pub use lock::serving;

/// Writes a copy of the database at `db` to `target`, which must not exist.
pub async fn backup(db: &Path, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        bail!(
            "{}: already exists; a backup never overwrites a file",
            target.display()
        );
    }
    let pool = crate::db::open(db).await?;
    let mut conn = pool.acquire().await?;
    let target_text = target
        .to_str()
        .with_context(|| format!("{}: not a UTF-8 path", target.display()))?;
    store::vacuum_into(&mut conn, target_text)
        .await
        .with_context(|| format!("{}: cannot write the backup", target.display()))?;
    drop(conn);
    pool.close().await;
    Ok(())
}

/// Replaces the database at `db` with the backup at `source`, after checking it is a sound
/// shownotes database; refuses while a server runs on `db`.
pub async fn restore(db: &Path, source: &Path) -> anyhow::Result<()> {
    check_backup(source).await?;
    let _lock = lock::restoring(db)?;
    let staged = staged_path(db);
    std::fs::copy(source, &staged)
        .with_context(|| format!("{}: cannot copy to {}", source.display(), staged.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    std::fs::rename(&staged, db)
        .with_context(|| format!("{}: cannot replace the database", db.display()))?;
    // The old file's write-ahead log and index belong to the old file: left beside the
    // restored one, SQLite would replay them into it.
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {side:?}"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The file a restore is copied to before it replaces the database (same folder, so the
/// rename is atomic).
fn staged_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".restoring");
    name.into()
}

/// Fails unless `source` opens read-only, passes `PRAGMA integrity_check` and is a shownotes database.
async fn check_backup(source: &Path) -> anyhow::Result<()> {
    let shown = source.display();
    if !source.is_file() {
        bail!("{shown}: no such file");
    }
    let mut conn: SqliteConnection = SqliteConnectOptions::new()
        .filename(source)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("{shown}: cannot open as a database"))?;
    let integrity = store::integrity(&mut conn)
        .await
        .with_context(|| format!("{shown}: not a database"))?;
    if integrity != "ok" {
        bail!("{shown}: fails the integrity check: {integrity}");
    }
    if !store::is_shownotes(&mut conn).await? {
        bail!("{shown}: not a shownotes database (no episodes, settings or migrations tables)");
    }
    Ok(())
}
