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
