//! ETags and conditional GETs, and pages that change when content does.

use crate::helpers::{episode, spawn_app, texts};

#[tokio::test]
async fn public_pages_carry_an_etag_and_a_conditional_get_answers_304() {
    let app = spawn_app().await;
    app.import_seed().await;

    for path in ["/", "/episodes/434", "/api/v1/episodes/434", "/links"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200);
        assert!(
            first.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("max-age"),
            "{path}"
        );
        let etag = first.headers()["etag"].clone();
        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("if-none-match", etag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag);
        assert!(again.bytes().await.unwrap().is_empty());
    }
}

/// The headers of a response but the ones that differ between any two (the date, the id).
fn lasting_headers(response: &reqwest::Response) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !["date", "x-request-id"].contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
        .collect();
    headers.sort();
    headers
}

#[tokio::test]
async fn a_page_served_from_memory_is_the_rendered_one_with_the_same_headers() {
    let app = spawn_app().await;
    app.import_seed().await;

    for (path, coding) in [
        ("/episodes/434", "gzip"),
        ("/episodes/434", "br"),
        ("/episodes/rss", "identity"),
        ("/api/v1/episodes/434", "gzip, br"),
    ] {
        let get = |request_id: &'static str| {
            app.client
                .get(format!("{}{path}", app.address))
                .header("accept-encoding", coding)
                .header("x-request-id", request_id)
                .send()
        };
        let rendered = get("first-look").await.unwrap();
        // Content unchanged for a while: the second look is answered from memory.
        app.let_content_settle().await;
        let from_memory = get("second-look").await.unwrap();

        assert_eq!(from_memory.status(), 200, "{path} {coding}");
        assert_eq!(
            lasting_headers(&from_memory),
            lasting_headers(&rendered),
            "{path} {coding}"
        );
        assert_eq!(from_memory.headers()["x-request-id"], "second-look");
        assert_eq!(rendered.headers()["x-request-id"], "first-look");
        let revalidated = app
            .client
            .get(format!("{}{path}", app.address))
            .header("accept-encoding", coding)
            .header("if-none-match", from_memory.headers()["etag"].clone())
            .send()
            .await
            .unwrap();
        assert_eq!(revalidated.status(), 304, "{path} {coding}");
        assert_eq!(
            revalidated.headers()["x-frame-options"],
            "DENY",
            "{path} {coding}"
        );
        assert_eq!(
            from_memory.bytes().await.unwrap(),
            rendered.bytes().await.unwrap(),
            "{path} {coding}"
        );
    }
}

#[tokio::test]
async fn a_changed_episode_gets_a_new_etag_and_new_content() {
    let app = spawn_app().await;
    app.import(episode(1, "Before").build()).await;
    let before = app.get("/episodes/1").await.headers()["etag"].clone();

    app.import(episode(1, "After").build()).await;
    let response = app
        .client
        .get(format!("{}/episodes/1", app.address))
        .header("if-none-match", before.clone())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_ne!(response.headers()["etag"], before);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(texts(&page, "h1"), ["After"]);
}

#[tokio::test]
async fn a_form_cookie_still_gets_cached_pages_but_a_signed_in_visitor_does_not() {
    let app = spawn_app().await;
    app.import(episode(1, "One").build()).await;
    let plain = reqwest::Client::new();

    let with_form_cookie = plain
        .get(format!("{}/episodes/1", app.address))
        .header("cookie", "shownotes_form=abc")
        .send()
        .await
        .unwrap();
    let signed_in = plain
        .get(format!("{}/episodes/1", app.address))
        .header("cookie", "a=b; shownotes_session=xyz")
        .send()
        .await
        .unwrap();

    assert!(with_form_cookie.headers().contains_key("etag"));
    assert!(
        !signed_in.headers().contains_key("etag"),
        "never a shared copy for a session"
    );
    assert_eq!(signed_in.status(), 200);
}

/// Changes every link's title without moving the content version (its trigger dropped), so a
/// page served from the cache still shows the old titles: what tells a cached page from a
/// fresh render.
async fn retitle_links_behind_the_cache(app: &crate::helpers::TestApp) {
    sqlx::query("drop trigger content_version_links_update")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("update links set title = 'Retitled behind the cache'")
        .execute(&app.state.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_change_written_by_another_process_shows_on_the_next_request() {
    let app = spawn_app().await;
    app.import_seed().await;
    let before = app.page("/episodes/434").await;
    let file = app.state.db.connect_options().get_filename().to_path_buf();
    // Another process, as `shownotes import` is: its own connection, no word to this server.
    let other = shownotes::db::open(&file).await.unwrap();

    sqlx::query("update episodes set title = 'Retitled from the command line' where number = 434")
        .execute(&other)
        .await
        .unwrap();
    let after = app.page("/episodes/434").await;

    assert_eq!(
        texts(&before, "h1"),
        ["Most of OpenAI’s tech stack runs on Python"]
    );
    assert_eq!(texts(&after, "h1"), ["Retitled from the command line"]);
}

#[tokio::test]
async fn rendering_what_an_import_left_unrendered_keeps_the_cached_pages() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.page("/episodes").await;
    let version = shownotes::db::content_version(&app.state.db).await.unwrap();

    sqlx::query("update segments set notes_html = null")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.page("/episodes/434").await;

    assert_eq!(
        shownotes::db::content_version(&app.state.db).await.unwrap(),
        version,
        "derived HTML is not a change listeners see"
    );
}

#[tokio::test]
async fn a_junk_query_parameter_gets_the_cached_page_not_a_new_entry() {
    let app = spawn_app().await;
    app.import_seed().await;
    let cached = app.get("/links").await.text().await.unwrap();

    retitle_links_behind_the_cache(&app).await;
    let busted = app.get("/links?cb=1").await.text().await.unwrap();
    let busted_again = app
        .get("/links?cb=2&utm_source=x")
        .await
        .text()
        .await
        .unwrap();

    assert!(!cached.contains("Retitled"));
    assert!(busted == cached, "?cb=1 is the cached /links");
    assert!(busted_again == cached, "so is ?cb=2&utm_source=x");
}

#[tokio::test]
async fn the_page_cache_keeps_no_more_bytes_than_its_budget() {
    let app = spawn_app().await;
    app.import_seed().await;
    let urls: Vec<String> = sqlx::query_scalar("select url from links order by id limit 2")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let paths: Vec<String> = urls
        .iter()
        .map(|u| format!("/api/v1/links?url={}", percent_encode(u)))
        .collect();
    let mut sizes = Vec::new();
    for path in &paths {
        sizes.push(app.get(path).await.bytes().await.unwrap().len());
    }
    // Room for either answer with its key, not for both.
    app.state
        .cache
        .set_budget(sizes.iter().max().unwrap() + 200);
    app.state.content_changed();

    app.get(&paths[0]).await;
    app.get(&paths[1]).await;
    retitle_links_behind_the_cache(&app).await;
    let second = app.get(&paths[1]).await.text().await.unwrap();
    let first = app.get(&paths[0]).await.text().await.unwrap();

    assert!(sizes.iter().min().unwrap() > &200, "{sizes:?}");
    assert!(!second.contains("Retitled"), "the newest entry is kept");
    assert!(first.contains("Retitled"), "the older one made room");
}

fn percent_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
