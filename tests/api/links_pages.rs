//! `/links`: every link, a page at a time, most-covered first and newest first among ties.

use crate::helpers::{attrs, episode, spawn_app, texts};

#[tokio::test]
async fn the_links_page_pages_through_every_link_newest_episode_first_among_ties() {
    let app = spawn_app().await;
    let notes: String = (1..=60)
        .map(|n| format!("- [Link {n}](https://old{n}.example/)\n"))
        .collect();
    app.import(
        episode(1, "Old")
            .topic("Brian", 1, "Many links", "https://shared.example/", &notes)
            .build(),
    )
    .await;
    app.import(
        episode(2, "New")
            .topic(
                "Brian",
                1,
                "Again",
                "https://shared.example/",
                "- [Fresh](https://fresh.example/)",
            )
            .build(),
    )
    .await;

    let first = app.page("/links").await;
    let second = app.page("/links?page=2").await;

    let titles = texts(&first, ".links > li > a");
    assert_eq!(titles.len(), 50, "fifty links a page");
    assert_eq!(titles[0], "Many links", "the most-covered link first");
    assert_eq!(titles[1], "Fresh", "then, among ties, the newest episode's");
    assert_eq!(titles[2], "Link 1");
    assert_eq!(texts(&first, ".pager span"), ["Page 1 of 2"]);
    assert_eq!(
        attrs(&first, ".pager a[rel=next]", "href"),
        ["/links?page=2"]
    );
    assert!(attrs(&first, ".pager a[rel=prev]", "href").is_empty());
    let rest = texts(&second, ".links > li > a");
    assert_eq!(rest.len(), 12);
    assert_eq!(rest.last().map(String::as_str), Some("Link 60"));
    assert_eq!(
        attrs(&second, ".pager a[rel=prev]", "href"),
        ["/links?page=1"]
    );
    assert_eq!(app.get("/links?page=0").await.status(), 400);
}

#[tokio::test]
async fn long_urls_in_the_link_list_wrap_instead_of_scrolling_sideways() {
    let app = spawn_app().await;

    let home = app.page("/links").await;
    let css_url = attrs(&home, "link[rel=stylesheet]", "href").remove(0);
    let css = app.get(&css_url).await.text().await.unwrap();

    assert!(
        css.contains(".links a { overflow-wrap: anywhere; }"),
        "the link list wraps long URLs"
    );
}

#[tokio::test]
async fn a_link_in_every_episode_names_its_five_newest_and_counts_the_rest() {
    let app = spawn_app().await;
    for n in 1..=8 {
        app.import(
            episode(n, &format!("Show {n}"))
                .topic(
                    "Brian",
                    1,
                    "Sponsor",
                    "https://sponsor.example/",
                    "- thanks",
                )
                .build(),
        )
        .await;
    }

    let page = app.page("/links").await;
    let (_, api) = app.json("/api/v1/links?url=https://sponsor.example/").await;

    assert_eq!(
        texts(&page, ".links > li:first-child .count"),
        ["8 episodes"]
    );
    assert_eq!(
        texts(&page, ".links > li:first-child .covered-in li"),
        [
            "#8 Show 8 (Sponsor)",
            "#7 Show 7 (Sponsor)",
            "#6 Show 6 (Sponsor)",
            "#5 Show 5 (Sponsor)",
            "#4 Show 4 (Sponsor)"
        ]
    );
    assert_eq!(
        texts(&page, ".links > li:first-child .more"),
        ["and 3 earlier episodes"]
    );
    assert_eq!(
        api["episodes"].as_array().map(Vec::len),
        Some(8),
        "the link's own answer names every episode"
    );
}
