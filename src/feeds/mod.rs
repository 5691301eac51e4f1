//! Feeds for listeners and machines: podcast RSS with chapters, Atom, JSON Feed, talk feeds,
//! the sitemap and robots.txt; and `check feed`, which reads the feed as a directory would.

mod atom;
mod channel;
mod chapters;
pub mod check;
mod content;
mod http;
pub mod items;
mod json;
mod page;
mod rss;
mod sitemap;
pub mod store;
mod talks;
pub mod warm;
pub mod xml_text;

pub use items::ItemCache;
pub use sitemap::public_pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// Every feed route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/episodes/rss", get(rss::show_podcast))
        .route("/episodes/atom", get(atom::show))
        .route("/episodes/feed.json", get(json::show))
        .route("/episodes/{number}/chapters.json", get(chapters::show))
        .route("/hosts/{slug}/rss", get(rss::show_person))
        .route("/talks/rss", get(talks::show_recent))
        .route("/talks/{event}/rss", get(talks::show_event))
        .route("/sitemap.xml", get(sitemap::show))
        .route("/robots.txt", get(sitemap::robots))
}
