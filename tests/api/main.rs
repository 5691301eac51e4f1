//! Black-box tests through HTTP and the CLI: one binary, one `spawn_app()`.

mod accounts;
mod api;
mod archive_import;
mod backup;
mod browser;
mod cache;
mod check_feed;
mod cli;
mod digest_admin;
mod digest_crash;
mod digests;
mod drafts;
mod editor;
mod feed_import;
mod feeds;
mod helpers;
mod notes_import;
mod notes_roundtrip;
mod pages;
mod pyvideo_export;
mod search;
mod security;
mod smtp_sink;
mod speakers;
mod subscriptions;
mod talks_catalog;
