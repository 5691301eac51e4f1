//! Whole-episode actions in the editor: delete (after a confirmation page), duplicate,
//! revisions, and what the editor says about links other episodes already covered.

use crate::helpers::{TestApp, attrs, episode, spawn_app, texts};

/// Episode 434 (the seed, three topics and more) and 435 published; a host signed in.
async fn two_published_episodes() -> TestApp {
    let app = spawn_app().await;
    app.import_seed().await;
    app.import(
        episode(435, "Another week")
            .topic("Brian", 1, "A topic", "https://topic.example/", "- notes")
            .build(),
    )
    .await;
    app.login_as_host().await;
    app
}

async fn id_of(app: &TestApp, number: i64) -> i64 {
    sqlx::query_scalar("select id from episodes where number = ?")
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn deleting_an_episode_asks_first_then_its_page_and_feed_entry_are_gone() {
    let app = two_published_episodes().await;
    let id = id_of(&app, 434).await;
    let segments: i64 = sqlx::query_scalar("select count(*) from segments where episode_id = ?")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    // Listeners' pages are cached before the deletion.
    assert_eq!(app.get("/episodes/434").await.status(), 200);
    assert!(
        app.get("/episodes/rss")
            .await
            .text()
            .await
            .unwrap()
            .contains("<itunes:episode>434<")
    );

    let editor = app.page(&format!("/admin/episodes/{id}")).await;
    let link = attrs(&editor, ".episode-actions a.danger", "href");
    let confirm = app.page(&format!("/admin/episodes/{id}/delete")).await;
    let unconfirmed = app
        .admin_post(&format!("/admin/episodes/{id}/delete"), &[])
        .await;
    let still_there = app.get("/episodes/434").await.status();
    let deleted = app
        .admin_post(
            &format!("/admin/episodes/{id}/delete"),
            &[("confirm", "yes")],
        )
        .await;

    assert_eq!(link, [format!("/admin/episodes/{id}/delete")]);
    let question = texts(&confirm, "h1").join(" ");
    assert!(question.starts_with("Delete episode 434 “"), "{question}");
    let consequences = texts(&confirm, ".consequences li").join(" ");
    assert!(
        consequences.contains("Its page, its entry in every feed and its")
            && consequences.contains(&format!("{segments} segments go away")),
        "{consequences}"
    );
    assert_eq!(
        attrs(&confirm, ".confirm-actions a", "href"),
        [format!("/admin/episodes/{id}")],
        "a way back"
    );
    assert_eq!(
        unconfirmed.status(),
        303,
        "without the confirmation, nothing"
    );
    assert_eq!(still_there, 200);
    assert_eq!(deleted.headers()["location"], "/admin/episodes?deleted=434");
    assert_eq!(app.get("/episodes/434").await.status(), 404);
    let feed = app.get("/episodes/rss").await.text().await.unwrap();
    assert!(!feed.contains("<itunes:episode>434<") && feed.contains("<itunes:episode>435<"));
    let list = app.page("/admin/episodes?deleted=434").await;
    assert_eq!(texts(&list, ".notice"), ["Episode 434 was deleted."]);
    let audit = app.page("/admin/audit").await;
    let newest = texts(&audit, "table.audit tbody tr").remove(0);
    assert!(
        newest.contains("deleted") && newest.contains("#434"),
        "{newest}"
    );
}

#[tokio::test]
async fn duplicating_an_episode_opens_a_draft_copy_with_the_next_number() {
    let app = two_published_episodes().await;
    let id = id_of(&app, 434).await;
    let original = app.page(&format!("/admin/episodes/{id}")).await;

    let response = app
        .admin_post(&format!("/admin/episodes/{id}/duplicate"), &[])
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let copy = app.page(&location).await;

    assert_eq!(response.status(), 303);
    assert_eq!(attrs(&copy, "#number", "value"), ["436"]);
    let title = attrs(&original, "#title", "value").remove(0);
    assert_eq!(
        attrs(&copy, "#title", "value"),
        [format!("Copy of {title}")]
    );
    assert_eq!(
        texts(&copy, "[data-segment-heading]"),
        texts(&original, "[data-segment-heading]")
    );
    assert_eq!(
        texts(&copy, "#intro_md"),
        texts(&original, "#intro_md"),
        "the intro comes along"
    );
    assert!(texts(&copy, ".status-line").join("").contains("Draft"));
    assert!(texts(&copy, ".notice").join(" ").contains("This is a copy"));
    assert_eq!(app.get("/episodes/436").await.status(), 404, "a draft");
}
