//! Black-box tests through HTTP and the CLI: one binary, one `spawn_app()`.

mod api;
mod cache;
mod check_feed;
mod cli;
mod drafts;
mod feeds;
mod helpers;
mod pages;
mod search;
mod security;
