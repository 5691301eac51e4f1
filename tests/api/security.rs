//! What protects listeners: headers, sanitized notes, pages that leak nothing.

use crate::helpers::{episode, spawn_app, spawn_app_with};

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    for path in ["/", "/nope", "/api/v1/episodes", "/healthz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn hostile_notes_render_without_script_on_the_episode_page_and_api() {
    let app = spawn_app().await;
    let notes = "- <script>alert(1)</script>\n- [x](javascript:alert(2))\n- <img src=x onerror=alert(3)>\n- <iframe src=https://evil.example></iframe>";
    app.import(
        episode(1, "<b>Title</b>")
            .topic(
                "Mallory",
                1,
                "<script>t()</script>",
                "https://ok.example",
                notes,
            )
            .build(),
    )
    .await;

    let html = app
        .get("/episodes/1")
        .await
        .text()
        .await
        .unwrap()
        .to_lowercase();
    let (_, json) = app.json("/api/v1/episodes/1").await;

    let article = &html[html.find("<article").unwrap()..];
    for needle in [
        "<script",
        "onerror",
        "<iframe src=\"https://evil",
        "href=\"javascript:",
    ] {
        assert!(!article.contains(needle), "page contains {needle}");
    }
    assert!(
        article.contains("&#60;script&#62;t()&#60;/script&#62;"),
        "titles are escaped text: {article}"
    );
    let notes_html = json["segments"][0]["notes_html"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(!notes_html.contains("<script") && !notes_html.contains("javascript:"));
}

#[tokio::test]
async fn internal_errors_show_a_page_that_leaks_nothing() {
    let app = spawn_app().await;
    app.import(episode(1, "One").build()).await;
    sqlx::query("drop table segment_talks")
        .execute(&app.state.db)
        .await
        .unwrap();

    let response = app.get("/episodes/1").await;
    let status = response.status();
    let body = response.text().await.unwrap();
    let (api_status, api) = app.json("/api/v1/episodes/1").await;

    assert_eq!(status, 500);
    assert!(body.contains("Something went wrong"));
    assert!(
        !body.contains("segment_talks") && !body.contains("sqlx"),
        "{body}"
    );
    assert_eq!(api_status, 500);
    assert_eq!(api["error"]["message"], "Something went wrong on our side.");
}

#[tokio::test]
async fn a_script_url_as_a_segment_link_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let doc = episode(1, "One")
        .topic("Mallory", 1, "Click", " JavaScript:alert(1)", "")
        .build();

    let error = shownotes::episodes::save_episode(&app.state.db, doc)
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "segments[0].url: must start with https:// or http://"
    );
    assert_eq!(
        app.get("/episodes/1").await.status(),
        404,
        "nothing of the episode was written"
    );
}

#[tokio::test]
async fn admin_pages_and_exports_are_never_stored_by_a_cache() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_admin().await;

    for path in [
        "/admin/episodes",
        "/admin/digests",
        "/admin/subscribers",
        "/admin/subscribers/export.csv",
        "/admin/audit",
        "/admin/nope",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_https_site_asks_browsers_to_stay_on_https() {
    let plain = spawn_app().await;
    let secure = spawn_app_with("update settings set base_url = 'https://show.example'").await;

    let over_http = plain.get("/").await;
    let over_https = secure.get("/").await;

    assert!(
        !over_http
            .headers()
            .contains_key("strict-transport-security")
    );
    assert_eq!(
        over_https.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}
