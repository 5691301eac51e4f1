//! Black-box tests through HTTP and the CLI: one binary, one `spawn_app()`.

mod api;
mod cache;
mod cli;
mod digest_crash;
mod digests;
mod drafts;
mod helpers;
mod pages;
mod security;
mod smtp_sink;
mod subscriptions;
