//! Drafts never appear to listeners: not in lists, pages, the API, hosts or links.

use crate::helpers::{episode, spawn_app, texts};

#[tokio::test]
async fn drafts_are_hidden_from_every_public_page_and_the_api() {
    let app = spawn_app().await;
    app.import(
        episode(1, "Public")
            .topic("Brian", 1, "Visible", "https://visible.example", "")
            .build(),
    )
    .await;
    app.import(
        episode(2, "Secret draft")
            .topic("Brian", 1, "Hidden", "https://hidden.example", "")
            .draft()
            .build(),
    )
    .await;

    let home = app.page("/").await;
    let (_, list) = app.json("/api/v1/episodes").await;
    let host = app.page("/hosts/brian").await;
    let links = app.page("/links").await;

    assert_eq!(texts(&home, ".episode-card h2"), ["#1 Public"]);
    assert_eq!(list["total"], 1);
    assert_eq!(app.get("/episodes/2").await.status(), 404);
    assert_eq!(app.json("/api/v1/episodes/2").await.0, 404);
    assert!(!texts(&host, ".presented li").join(" ").contains("Hidden"));
    assert!(!texts(&links, ".links").join(" ").contains("hidden.example"));
    assert_eq!(
        app.json("/api/v1/links?url=https://hidden.example").await.0,
        404
    );
    let first = app.page("/episodes/1").await;
    assert!(
        texts(&first, "a[rel=next]").is_empty(),
        "a draft is nobody's next episode"
    );
}
