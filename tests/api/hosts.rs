//! `/hosts`: who presents the show, most episodes first, and its guests.

use crate::helpers::{attrs, episode, spawn_app, texts};

#[tokio::test]
async fn the_hosts_page_lists_hosts_by_episodes_then_guests_and_never_a_drafts_guest() {
    let app = spawn_app().await;
    app.import(
        episode(1, "One")
            .topic("Michael", 1, "Alpha", "https://a.example", "")
            .topic("Brian", 2, "Beta", "https://b.example", "")
            .build(),
    )
    .await;
    app.import(
        episode(2, "Two")
            .topic("Brian", 1, "Gamma", "https://c.example", "")
            .topic("Prayson", 2, "Delta", "https://d.example", "")
            .build(),
    )
    .await;
    app.import(
        episode(3, "Draft")
            .topic("Secret Guest", 1, "Hidden", "https://e.example", "")
            .draft()
            .build(),
    )
    .await;
    sqlx::query("update people set is_guest = 0 where name in ('Brian', 'Michael')")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();

    let page = app.page("/hosts").await;

    assert_eq!(texts(&page, ".hosts li a"), ["Brian", "Michael"]);
    assert_eq!(
        attrs(&page, ".hosts li a", "href"),
        ["/hosts/brian", "/hosts/michael"]
    );
    assert_eq!(texts(&page, ".guests li a"), ["Prayson"]);
    assert!(
        !page.html().contains("Secret Guest"),
        "a guest of a draft stays hidden"
    );
    let counts = texts(&page, ".hosts li .count");
    assert_eq!(counts, ["2 episodes", "1 episode"]);
}
