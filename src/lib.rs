//! shownotes: one binary that runs a podcast's website from one SQLite file.

pub mod accounts;
pub mod admin;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod compress;
pub mod config;
pub mod db;
pub mod digest;
pub mod episodes;
pub mod error;
pub mod export_site;
pub mod feeds;
#[cfg(test)]
mod fuzzing;
pub mod keys;
pub mod links;
pub mod mail;
pub mod markdown;
pub mod memory;
pub mod notes;
pub mod paging;
pub mod people;
pub mod podcast_feed;
pub mod rendered;
mod router;
pub mod search;
pub mod settings;
pub mod slug;
pub mod state;
pub mod subscribers;
pub mod talks;
pub mod telemetry;
pub mod transcripts;
pub mod validation;
pub mod web;

use std::path::Path;

use anyhow::Context;
use tokio::net::TcpListener;

pub use router::{app, served};
pub use state::AppState;

/// Opens the database, binds `args.addr` and serves until Ctrl-C or SIGTERM.
pub async fn serve(db_path: &Path, args: config::ServeArgs) -> anyhow::Result<()> {
    // Held until serve returns: `restore` refuses while any server holds it.
    let _serving = backup::serving(db_path)?;
    let pool = db::open(db_path).await?;
    let mailer = mail::mailer(&args.mail.mail_config())?;
    let proxies = state::TrustedProxies::parse(&args.trusted_proxies)
        .map_err(|e| anyhow::anyhow!("SHOWNOTES_TRUSTED_PROXIES: {e}"))?;
    let state = AppState::load(pool, args.base_url.clone())
        .await?
        .with_mailer(mailer)
        .with_trusted_proxies(proxies);
    state.cache.set_budget(args.cache_bytes);
    state.cache.keep_large_copies_in(folder_of(db_path));
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    let listener = web::zero_copy::listener(listener);
    let without_base_url = state.listen_at(addr);
    let base = state.settings().base_url.clone();
    if let Some(link) = accounts::setup::first_run_link(&state.db, &base).await? {
        // On stderr, not in the log: the token is a secret for whoever started the server.
        eprintln!("No accounts yet. Create the first admin within an hour at: {link}");
    }
    let on_publish = state.clone();
    tokio::spawn(episodes::scheduler::run(state.db.clone(), move || {
        on_publish.content_changed()
    }));
    tokio::spawn(search::maintenance::run(state.db.clone()));
    tokio::spawn(memory::return_free_memory());
    tracing::info!(%addr, db = %db_path.display(), "shownotes listening on http://{addr}");
    if without_base_url {
        tracing::warn!(
            "no public base URL is set: links in pages, mail and feeds use http://{addr}; set one with --base-url, SHOWNOTES_BASE_URL or the admin's settings"
        );
    }
    // Requests arriving meanwhile wait in the listener's queue, then find the feed built.
    let router = app(state.clone());
    feeds::warm::warm(&router).await;
    tokio::spawn(feeds::warm::keep_warm(state.clone(), router));
    // The digest worker stops with the server, after finishing the mail it is sending.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = digest::worker::spawn_serving(state.clone(), args.mail.delivery_config(), stop_rx);
    let service = router::served(state);
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        })
        .await
        .context("server stopped with an error");
    worker.await??;
    served
}

/// Resolves on Ctrl-C or SIGTERM so in-flight requests can finish.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The folder holding the database at `db_path` (`.` for a bare file name).
fn folder_of(db_path: &Path) -> std::path::PathBuf {
    match db_path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}
