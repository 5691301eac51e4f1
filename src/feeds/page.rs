//! A podcast feed opened in a browser: a page that says how to follow the show, at the feed's
//! own address (the feed answers apps, this page answers browsers; `Vary: Accept`).

use askama::Template;
use askama_web::WebTemplate;
use axum::http::HeaderValue;
use axum::http::header::VARY;
use axum::response::{IntoResponse, Response};

use super::store::{self, FeedRow};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::state::AppState;
use crate::web::Layout;

/// How many of the newest episodes the page lists.
const LATEST: usize = 10;

/// One of the newest episodes in the feed.
pub struct FeedEpisodeLine {
    pub href: String,
    pub number: i64,
    pub title: String,
    pub published_at: String,
    pub date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "feeds/subscribe.html")]
pub struct SubscribePage {
    layout: Layout,
    /// "Python Bytes", or "Brian Okken on Python Bytes" for a host's feed.
    heading: String,
    /// The feed's absolute address, to paste into an app.
    feed_url: String,
    /// A host's feed: the show's own feed, for those who want every episode.
    show_feed_url: Option<String>,
    latest: Vec<FeedEpisodeLine>,
}

impl SubscribePage {
    fn artwork(&self) -> Option<&str> {
        let url = &self.layout.show.artwork_url;
        crate::links::web_url::is_web_url(url).then_some(url.as_str())
    }
}

fn line(row: FeedRow) -> FeedEpisodeLine {
    FeedEpisodeLine {
        href: format!("/episodes/{}/{}", row.number, row.slug),
        number: row.number,
        title: row.title,
        date: crate::episodes::format_date(row.published_at),
        published_at: row.published_at.map(Timestamp::rfc3339).unwrap_or_default(),
    }
}

/// The page for the feed at `path`: the show's (no `person`), or one host's (`(id, name)`).
pub async fn subscribe_page(
    state: &AppState,
    layout: Layout,
    path: &str,
    person: Option<(i64, String)>,
) -> Result<Response> {
    let rows = store::feed_rows(
        &mut *state.db.acquire().await?,
        "",
        person.as_ref().map(|p| p.0),
    )
    .await?;
    let base = layout.show.base_url.trim_end_matches('/').to_string();
    let heading = match &person {
        Some((_, name)) => format!("{name} on {}", layout.show.title),
        None => layout.show.title.clone(),
    };
    let page = SubscribePage {
        heading,
        feed_url: format!("{base}{path}"),
        show_feed_url: person.is_some().then(|| format!("{base}/episodes/rss")),
        latest: rows.into_iter().take(LATEST).map(line).collect(),
        layout,
    };
    let mut response = page.into_response();
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}
