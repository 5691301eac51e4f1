//! A podcast feed's address opened in a browser is a page on how to follow the show; podcast
//! apps and feed readers get the feed itself at the same address.

use reqwest::Response;
use scraper::Html;

use crate::helpers::{TestApp, attrs, episode, spawn_app_with, texts};

/// What Chromium sends when a feed's address is typed in.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

const APPS: &str = "update settings set apple_podcasts_url = 'https://podcasts.apple.com/us/podcast/python-bytes/id1173690032', \
                    overcast_url = 'https://overcast.fm/itunes1173690032';";

async fn get_with(app: &TestApp, path: &str, accept: Option<&str>) -> Response {
    let client = crate::helpers::spawn_client(app);
    let mut request = client.get(format!("{}{path}", app.address));
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.expect("request")
}

/// An app's request without any Accept header (reqwest adds `*/*` unless told otherwise).
async fn get_without_accept(app: &TestApp, path: &str) -> Response {
    let client = crate::helpers::spawn_client(app);
    let mut request = client
        .get(format!("{}{path}", app.address))
        .build()
        .expect("request");
    request.headers_mut().remove("accept");
    client.execute(request).await.expect("response")
}

async fn show_with_two_episodes() -> TestApp {
    let app = spawn_app_with(APPS).await;
    app.import(
        episode(433, "Python 3.14 is out")
            .topic("Brian Okken", 1, "pytest 9", "https://pytest.org", "- fast")
            .build(),
    )
    .await;
    app.import(episode(434, "Marimo notebooks").build()).await;
    app
}

#[tokio::test]
async fn a_browser_opening_the_feed_gets_a_page_on_how_to_follow_the_show() {
    // Arrange
    let app = show_with_two_episodes().await;

    // Act
    let response = get_with(&app, "/episodes/rss", Some(BROWSER)).await;

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert_eq!(response.headers()["vary"], "Accept, Accept-Encoding");
    let page = Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(
        texts(&page, "h2#feed-how"),
        ["This is a feed: copy its address into your podcast app"]
    );
    assert_eq!(
        attrs(&page, "input#feed-url", "value"),
        [format!("{}/episodes/rss", app.address)]
    );
    assert_eq!(texts(&page, "label[for=feed-url]"), ["Feed address"]);
    assert_eq!(
        texts(&page, "ul.subscribe a.button"),
        ["Apple Podcasts", "Overcast"]
    );
    assert_eq!(
        texts(&page, ".episode-list h3"),
        ["#434 Marimo notebooks", "#433 Python 3.14 is out"]
    );
}

#[tokio::test]
async fn podcast_apps_and_feed_readers_get_the_feed_at_the_same_address() {
    // Arrange
    let app = show_with_two_episodes().await;
    let asks = [
        Some("*/*"),
        Some("application/rss+xml, application/xml;q=0.9, text/html;q=0.1"),
        Some("application/rss+xml"),
    ];

    for accept in asks {
        // Act
        let response = get_with(&app, "/episodes/rss", accept).await;

        // Assert
        assert_eq!(response.status(), 200, "{accept:?}");
        assert_eq!(
            response.headers()["content-type"],
            "application/xml; charset=utf-8",
            "{accept:?}"
        );
        assert_eq!(response.headers()["vary"], "Accept, Accept-Encoding");
        let body = response.text().await.expect("feed");
        let feed = feed_rs::parser::parse(body.as_bytes()).expect("feed-rs reads it");
        assert_eq!(feed.entries.len(), 2, "{accept:?}");
    }
    let bare = get_without_accept(&app, "/episodes/rss").await;
    assert_eq!(
        bare.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    assert!(
        bare.text()
            .await
            .expect("feed")
            .contains("<?xml-stylesheet type=\"text/xsl\"")
    );
}

#[tokio::test]
async fn the_page_and_the_feed_are_kept_apart_by_the_page_cache() {
    // Arrange
    let app = show_with_two_episodes().await;
    let page = get_with(&app, "/episodes/rss", Some(BROWSER)).await;
    let page_etag = page.headers()["etag"].to_str().expect("etag").to_string();

    // Act: the app asks after the browser, then the browser again with what it holds.
    let feed = get_with(&app, "/episodes/rss", Some("*/*")).await;
    let again = app
        .client
        .get(format!("{}/episodes/rss", app.address))
        .header("accept", BROWSER)
        .header("if-none-match", &page_etag)
        .send()
        .await
        .expect("request");
    let app_with_pages_etag = app
        .client
        .get(format!("{}/episodes/rss", app.address))
        .header("if-none-match", &page_etag)
        .send()
        .await
        .expect("request");

    // Assert
    assert_eq!(
        feed.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    assert_ne!(feed.headers()["etag"].to_str().expect("etag"), page_etag);
    assert_eq!(again.status(), 304);
    assert_eq!(app_with_pages_etag.status(), 200);
    assert_eq!(
        app_with_pages_etag.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
}

#[tokio::test]
async fn a_hosts_feed_opened_in_a_browser_names_the_host_and_the_shows_feed() {
    // Arrange
    let app = show_with_two_episodes().await;

    // Act
    let response = get_with(&app, "/hosts/brian-okken/rss", Some(BROWSER)).await;

    // Assert
    assert_eq!(response.status(), 200);
    let page = Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(texts(&page, "h1"), ["Follow Brian Okken on My Show"]);
    assert_eq!(
        attrs(&page, "input#feed-url", "value"),
        [format!("{}/hosts/brian-okken/rss", app.address)]
    );
    assert_eq!(
        texts(&page, ".episode-list h3"),
        ["#433 Python 3.14 is out"]
    );
    let feed = get_with(&app, "/hosts/brian-okken/rss", Some("application/rss+xml")).await;
    assert_eq!(
        feed.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
}
