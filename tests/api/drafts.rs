//! Drafts never appear to listeners: not in lists, pages, the API, hosts or links.

use shownotes::episodes::model::Status;

use crate::helpers::{TestApp, episode, fixture, spawn_app, texts};

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

    assert_eq!(texts(&home, ".latest h2"), ["#1 Public"]);
    assert!(texts(&home, ".episode-card").is_empty());
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

/// Notes of episode 7 with a talk list (three single video links make one) and a guest's topic.
const NOTES_WITH_TALKS: &str = "# #7: Talks from Zanzibar\n\n\
    **Brian #1:** [**Talks from Zanzibar**](https://zanzibar.example/talks)\n\n\
    - [Zanzibar packaging](https://www.youtube.com/watch?v=zzzzzzzzzz1)\n\
    - [Zanzibar typing](https://www.youtube.com/watch?v=zzzzzzzzzz2)\n\
    - [Zanzibar testing](https://www.youtube.com/watch?v=zzzzzzzzzz3)\n\n\
    **Quillon #2:** [**A guest's pick**](https://quillon.example)\n";

/// Every public address that could name the notes' talks or the guest, with what it says.
async fn public_surfaces(app: &TestApp) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for path in [
        "/talks",
        "/api/v1/talks",
        "/talks/from-the-show",
        "/api/v1/talks/from-the-show",
        "/talks/from-the-show/zanzibar-packaging",
        "/api/v1/talks/from-the-show/zanzibar-packaging",
        "/talks/rss",
        "/talks/from-the-show/rss",
        "/sitemap.xml",
        "/search?q=zanzibar",
        "/api/v1/search?q=zanzibar",
        "/hosts/quillon",
        "/api/v1/people/quillon",
        "/hosts/quillon/rss",
        "/links",
        "/api/v1/links?url=https://quillon.example",
    ] {
        let response = app.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("body");
        seen.push((path.to_string(), format!("{status} {body}")));
    }
    seen
}

/// The addresses that name a talk from the notes or the guest.
fn leaks(seen: &[(String, String)]) -> Vec<&str> {
    seen.iter()
        .filter(|(_, said)| {
            let said = said.to_lowercase();
            said.contains("zanzibar packaging")
                || said.contains("quillon")
                || said.contains("from-the-show/zanzibar")
                || said.contains("talks discussed on the show")
        })
        .map(|(path, _)| path.as_str())
        .collect()
}

/// Sends the admin's status form for episode `id`.
async fn set_status(app: &TestApp, id: i64, fields: &[(&str, &str)]) {
    let response = app
        .admin_post(&format!("/admin/episodes/{id}/status"), fields)
        .await;
    assert_eq!(response.status(), 303, "status change {fields:?}");
}

#[tokio::test]
async fn talks_and_guests_of_draft_and_scheduled_episodes_appear_nowhere_until_published() {
    let app = spawn_app().await;
    app.login_as_host().await;
    app.import_talks(&fixture("pyvideo")).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("7.md");
    std::fs::write(&notes, NOTES_WITH_TALKS).expect("notes");
    let id = app.import_notes_as(&notes, Status::Draft).await;

    let draft = public_surfaces(&app).await;
    set_status(
        &app,
        id,
        &[("action", "schedule"), ("publish_at", "2999-01-01T10:00")],
    )
    .await;
    if shownotes::episodes::scheduler::publish_now(&app.state.db).await {
        app.state.content_changed();
    }
    let scheduled = public_surfaces(&app).await;
    set_status(&app, id, &[("action", "publish")]).await;
    let published = public_surfaces(&app).await;

    assert_eq!(
        leaks(&draft),
        Vec::<&str>::new(),
        "a draft's talks and guest leak"
    );
    assert_eq!(
        leaks(&scheduled),
        Vec::<&str>::new(),
        "a scheduled episode's leak"
    );
    assert_eq!(
        leaks(&published).len(),
        published.len(),
        "published, every surface names them"
    );
    let (status, catalog) = app.json("/api/v1/talks").await;
    assert_eq!(status, 200);
    assert!(
        catalog.to_string().contains("pycon-jp-2019"),
        "catalog talks stay public"
    );
}
