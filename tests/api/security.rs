//! What protects listeners: headers, sanitized notes, pages that leak nothing.

use crate::helpers::{episode, spawn_app, spawn_app_with};

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    app.let_content_settle().await;

    // Twice each: the second answer to a public page comes from memory, before routing.
    let paths = ["/", "/nope", "/api/v1/episodes", "/healthz"];
    for path in paths.into_iter().chain(paths) {
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

/// Why saving `doc` the way `import episode` does was refused.
async fn save_refusal(
    app: &crate::helpers::TestApp,
    doc: shownotes::episodes::model::EpisodeDoc,
) -> String {
    shownotes::episodes::save_episode(&app.state.db, doc)
        .await
        .unwrap_err()
        .to_string()
}

#[tokio::test]
async fn a_script_url_as_a_segment_link_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let doc = episode(1, "One")
        .topic("Mallory", 1, "Click", " JavaScript:alert(1)", "")
        .build();

    assert_eq!(
        save_refusal(&app, doc).await,
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

    plain.let_content_settle().await;
    secure.let_content_settle().await;
    // The second answers come from the page cache.
    let over_http = plain.get("/").await;
    let over_https = secure.get("/").await;
    assert_eq!(
        over_https.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let over_http_again = plain.get("/").await;
    let over_https = secure.get("/").await;
    assert!(
        !over_http_again
            .headers()
            .contains_key("strict-transport-security")
    );

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

/// Inputs that took seconds to minutes to sanitize: thousands of nested lists, quotes and divs.
fn pathological_markdown() -> Vec<String> {
    vec![
        format!("{}word", "- ".repeat(12_000)),
        format!("{}word", ">".repeat(16_000)),
        format!("{}word", "<div>".repeat(8_000)),
    ]
}

#[tokio::test]
async fn deeply_nested_markdown_is_refused_with_a_message_while_the_site_keeps_answering() {
    let app = spawn_app().await;
    app.login_as_host().await;

    for input in pathological_markdown() {
        let fields = [("markdown", input.as_str())];
        let (preview, health) = tokio::join!(
            app.admin_post("/admin/preview", &fields),
            app.get("/healthz"),
        );

        assert_eq!(health.status(), 200);
        assert_refused(
            &preview.text().await.unwrap(),
            "nested deeper than 32 levels",
        );
    }
}

/// Asserts the preview shows the refusal, not (a screenful of) the text.
fn assert_refused(html: &str, reason: &str) {
    assert!(
        html.contains(reason) && html.len() < 500,
        "{}…",
        &html[..html.len().min(200)]
    );
}

#[tokio::test]
async fn markdown_larger_than_the_cap_is_refused_with_its_size() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let input = "word ".repeat(60_000);

    let preview = app
        .admin_post("/admin/preview", &[("markdown", &input)])
        .await;

    assert_refused(
        &preview.text().await.unwrap(),
        "300000 bytes, more than the 262144 allowed",
    );
}

#[tokio::test]
async fn an_episode_with_notes_nested_too_deep_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let notes = format!("{}word", "> ".repeat(40));
    let doc = episode(1, "One")
        .topic("Brian", 1, "Deep", "https://example.com", &notes)
        .build();

    assert_eq!(
        save_refusal(&app, doc).await,
        "segments[0].notes_md: is nested deeper than 32 levels (lists, quotes or HTML); flatten it"
    );
}

/// Every `href` on `path` that is not a web or mail URL.
async fn script_hrefs(app: &crate::helpers::TestApp, path: &str) -> Vec<String> {
    let page = app.page(path).await;
    crate::helpers::attrs(&page, "[href]", "href")
        .into_iter()
        .filter(|href| {
            // A scheme is what comes before the first ':' when no '/', '?' or '#' comes earlier.
            let lower = href.trim().to_ascii_lowercase();
            let scheme = lower.split_once(':').map(|(s, _)| s).unwrap_or_default();
            let has_scheme = !scheme.is_empty() && !scheme.contains(['/', '?', '#']);
            has_scheme && !["http", "https", "mailto"].contains(&scheme)
        })
        .collect()
}

#[tokio::test]
async fn script_links_in_imported_notes_stay_text_with_a_warning_and_never_become_hrefs() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("7.md");
    let notes = "# #7: Sneaky\n\n**Brian #1:** [**Sneaky title**](javascript:alert(1))\n\n\
                 - read [sneaky note](javascript:alert(2)) and [fine](https://example.com/fine)\n";
    std::fs::write(&path, notes).unwrap();

    let imported = app.import_notes(&path).await;

    let warnings = imported.warnings.join("\n");
    assert!(
        warnings.contains("javascript:alert(1)") && warnings.contains("javascript:alert(2)"),
        "{warnings}"
    );
    for page in ["/episodes/7", "/search?q=sneaky", "/links"] {
        assert_eq!(
            script_hrefs(&app, page).await,
            Vec::<String>::new(),
            "{page}"
        );
    }
    let episode = app.page("/episodes/7").await.html();
    assert!(episode.contains("Sneaky title") && episode.contains("sneaky note"));
    let links = app.page("/links").await.html();
    assert!(links.contains("example.com/fine") && !links.contains("javascript"));
}

#[tokio::test]
async fn a_talk_record_with_a_script_video_url_keeps_it_but_never_links_it() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let videos = dir.path().join("evil-con/videos");
    std::fs::create_dir_all(&videos).unwrap();
    std::fs::write(
        dir.path().join("evil-con/category.json"),
        r#"{"title": "Evil Con"}"#,
    )
    .unwrap();
    let record = r#"{"title": "Sneaky talk", "speakers": ["Mallory"], "recorded": "2025-01-01",
        "related_urls": [{"label": "sneaky", "url": "javascript:alert(2)"}],
        "videos": [{"type": "youtube", "url": "javascript:alert(1)"}]}"#;
    std::fs::write(videos.join("sneaky-talk.json"), record).unwrap();

    app.import_talks(dir.path()).await;

    assert_eq!(
        script_hrefs(&app, "/talks/evil-con/sneaky-talk").await,
        Vec::<String>::new()
    );
    let (_, talk) = app.json("/api/v1/talks/evil-con/sneaky-talk").await;
    assert!(
        talk.to_string().contains("javascript:alert(1)"),
        "the record keeps its field: {talk}"
    );
}

#[tokio::test]
async fn a_script_url_as_a_hosts_social_is_refused_beside_the_field() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_host().await;
    let brian: i64 = sqlx::query_scalar("select id from people where slug = 'brian'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();

    let refused = app
        .admin_post(
            &format!("/admin/people/{brian}"),
            &[
                ("name", "Brian"),
                ("slug", "brian"),
                ("mastodon", "javascript:alert(1)"),
            ],
        )
        .await;

    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    let errors = crate::helpers::texts(&page, ".field-error").join(" ");
    assert!(
        errors.contains("must start with https:// or http://"),
        "{errors}"
    );
    assert!(script_hrefs(&app, "/hosts/brian").await.is_empty());
}
