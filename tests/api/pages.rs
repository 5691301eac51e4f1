//! Listener pages: what a person browsing the site sees.

use scraper::Html;

use crate::helpers::{attrs, episode, seed_doc, spawn_app, texts};

#[tokio::test]
async fn home_presents_the_show_its_newest_episode_with_player_and_topics_and_the_ones_before() {
    let app = spawn_app().await;
    sqlx::query(
        "update settings set title = 'Python Bytes', description = 'Python headlines delivered directly to your earbuds',
         artwork_url = 'https://example.com/art.png'",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    app.state.reload_settings().await.unwrap();
    app.import_seed().await;
    app.import(
        episode(433, "An older one")
            .topic("Brian", 1, "Old topic", "https://old.example", "- x")
            .build(),
    )
    .await;

    let home = app.page("/").await;

    assert_eq!(texts(&home, "h1"), ["Python Bytes"]);
    assert_eq!(
        texts(&home, ".show-intro .description"),
        ["Python headlines delivered directly to your earbuds"]
    );
    assert_eq!(
        attrs(&home, ".show-intro img.artwork", "src"),
        ["https://example.com/art.png"]
    );
    assert_eq!(
        attrs(&home, ".subscribe a", "href"),
        ["/episodes/rss", "/friends-of-the-show"]
    );
    assert_eq!(
        texts(&home, ".show-intro .meta"),
        ["Hosted by Brian Okken and Michael Kennedy"]
    );
    assert_eq!(
        texts(&home, ".latest h2"),
        ["#434 Most of OpenAI’s tech stack runs on Python"]
    );
    assert!(
        texts(&home, ".latest .meta")
            .join(" ")
            .contains("May 27, 2025")
    );
    assert_eq!(attrs(&home, ".latest audio.player", "preload"), ["none"]);
    let topics = texts(&home, ".latest .topics li");
    assert_eq!(topics[0], "Brian #1: Making PyPI’s test suite 81% faster");
    assert_eq!(topics.len(), 4);
    assert_eq!(
        attrs(&home, ".latest .topics a", "href")[0],
        "/episodes/434/most-of-openai-s-tech-stack-runs-on-python#segment-2"
    );
    assert_eq!(texts(&home, ".episode-card h3"), ["#433 An older one"]);
}

#[tokio::test]
async fn an_empty_site_says_so_without_a_pager() {
    let app = spawn_app().await;

    let home = app.page("/").await;
    let list = app.page("/episodes").await;

    assert_eq!(texts(&home, ".empty"), ["No episodes published yet."]);
    assert_eq!(texts(&list, ".empty"), ["No episodes published yet."]);
    assert!(texts(&list, ".pager").is_empty(), "no 'Page 1 of 1'");
}

#[tokio::test]
async fn episode_list_is_paginated_twenty_a_page() {
    let app = spawn_app().await;
    for number in 1..=25 {
        app.import(episode(number, &format!("Episode {number}")).build())
            .await;
    }

    let first = app.page("/episodes").await;
    let second = app.page("/episodes?page=2").await;

    assert_eq!(texts(&first, ".episode-card").len(), 20);
    assert_eq!(
        texts(&second, ".episode-card h2"),
        [
            "#5 Episode 5",
            "#4 Episode 4",
            "#3 Episode 3",
            "#2 Episode 2",
            "#1 Episode 1"
        ]
    );
    assert_eq!(attrs(&first, "a[rel=next]", "href"), ["/episodes?page=2"]);
    assert_eq!(app.get("/episodes?page=zero").await.status(), 400);
}

#[tokio::test]
async fn episode_page_shows_segments_in_order_with_host_number_title_and_notes() {
    let app = spawn_app().await;
    app.import_seed().await;

    let page = app.page("/episodes/434").await;

    assert_eq!(
        texts(&page, "h1"),
        ["Most of OpenAI’s tech stack runs on Python"]
    );
    let headings = texts(&page, ".segment-topic h2");
    assert_eq!(headings[0], "Brian #1: Making PyPI’s test suite 81% faster");
    assert_eq!(headings[2], "Michael #3: PyCon Talks on YouTube");
    assert_eq!(headings.len(), 4);
    let title_links = attrs(&page, ".segment-topic h2 a.title", "href");
    assert_eq!(
        title_links[0],
        "https://blog.trailofbits.com/2025/05/01/making-pypis-test-suite-81-faster/"
    );
    let brian_notes = texts(&page, "#segment-2 .notes li");
    assert_eq!(brian_notes[0], "Alexis Challande");
    assert_eq!(
        texts(&page, ".segment-extra h2"),
        ["Extras from Brian Okken", "Extras from Michael Kennedy"]
    );
    assert_eq!(texts(&page, ".segment-joke h2"), ["Joke: There is hope"]);
    assert_eq!(attrs(&page, "audio.player", "src").len(), 1);
}

#[tokio::test]
async fn the_sponsor_line_and_the_hosts_socials_show_with_their_links_before_the_topics() {
    let app = spawn_app().await;
    app.import_seed().await;

    let page = app.page("/episodes/434").await;

    let intro = texts(&page, "section.intro").join(" ");
    assert!(intro.starts_with("Sponsored by Digital Ocean"), "{intro}");
    let intro_links = attrs(&page, "section.intro a", "href");
    assert!(
        intro_links.contains(&"https://pythonbytes.fm/digitalocean-gen-ai".to_string()),
        "{intro_links:?}"
    );
    assert!(
        intro_links.contains(&"https://fosstodon.org/@mkennedy".to_string()),
        "{intro_links:?}"
    );
    assert!(
        page.select(&scraper::Selector::parse("details.intro").unwrap())
            .next()
            .is_none(),
        "not folded away"
    );
    assert!(
        texts(&page, ".sponsor").is_empty(),
        "said once, by the intro with its links"
    );
    let first_section = page
        .select(&scraper::Selector::parse("article section").unwrap())
        .next()
        .unwrap();
    assert_eq!(first_section.value().attr("class"), Some("intro"));
}

#[tokio::test]
async fn segments_with_start_times_become_chapters_of_the_player() {
    let app = spawn_app().await;
    let mut doc = seed_doc();
    doc.segments[1].start_secs = Some(95);
    doc.segments[2].start_secs = Some(3723);
    app.import(doc).await;

    let page = app.page("/episodes/434").await;

    assert_eq!(
        texts(&page, ".chapters a.chapter"),
        [
            "1:35 Brian #1: Making PyPI’s test suite 81% faster",
            "1:02:03 Michael #2: People aren’t talking enough about how most of OpenAI’s tech stack runs on Python"
        ]
    );
    assert_eq!(
        attrs(&page, ".chapters a.chapter", "data-seek"),
        ["95", "3723"]
    );
    let audio = attrs(&page, "audio.player", "src").remove(0);
    assert_eq!(
        attrs(&page, ".chapters a.chapter", "href")[0],
        format!("{audio}#t=95")
    );
    assert_eq!(attrs(&page, "audio.player", "preload"), ["none"]);
}

#[tokio::test]
async fn episode_pages_link_to_previous_and_next_and_fix_stale_slugs() {
    let app = spawn_app().await;
    for number in [10, 11, 12] {
        app.import(episode(number, &format!("Show {number}")).build())
            .await;
    }

    let middle = app.page("/episodes/11/show-11").await;
    let stale = app.get("/episodes/11/old-title").await;

    assert_eq!(
        attrs(&middle, "a[rel=prev]", "href"),
        ["/episodes/10/show-10"]
    );
    assert_eq!(
        attrs(&middle, "a[rel=next]", "href"),
        ["/episodes/12/show-12"]
    );
    assert_eq!(stale.status(), 308);
    assert_eq!(stale.headers()["location"], "/episodes/11/show-11");
}

/// Numbers and dates disagree in real archives (a re-released episode, a bonus numbered later):
/// the archive, the feed and previous/next all follow the publication date.
#[tokio::test]
async fn pages_and_the_feed_list_episodes_by_publication_date_not_number() {
    let app = spawn_app().await;
    for (number, day) in [(10, "2020-03-01"), (11, "2020-01-01"), (12, "2020-02-01")] {
        let mut doc = episode(number, &format!("Show {number}")).build();
        doc.published_at = shownotes::clock::Timestamp::parse(&format!("{day}T08:00:00Z"));
        app.import(doc).await;
    }

    let archive = app.page("/episodes").await;
    let feed = feed_rs::parser::parse(
        app.get("/episodes/rss")
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
    )
    .expect("the feed parses");
    let middle = app.page("/episodes/12/show-12").await;

    assert_eq!(
        texts(&archive, "main h2 a"),
        ["#10 Show 10", "#12 Show 12", "#11 Show 11"],
        "archive order"
    );
    let feed_titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        feed_titles[0].contains("Show 10")
            && feed_titles[1].contains("Show 12")
            && feed_titles[2].contains("Show 11"),
        "feed order: {feed_titles:?}"
    );
    assert_eq!(
        attrs(&middle, "a[rel=prev]", "href"),
        ["/episodes/11/show-11"]
    );
    assert_eq!(
        attrs(&middle, "a[rel=next]", "href"),
        ["/episodes/10/show-10"]
    );
}

#[tokio::test]
async fn host_page_shows_every_segment_they_presented() {
    let app = spawn_app().await;
    app.import_seed().await;

    let page = app.page("/hosts/brian").await;

    assert_eq!(texts(&page, "h1"), ["Brian Okken"]);
    let presented = texts(&page, ".presented li li");
    assert_eq!(presented.len(), 3, "{presented:?}");
    assert_eq!(
        texts(&page, ".presented > li > a"),
        ["#434 Most of OpenAI’s tech stack runs on Python"],
        "each episode once, its segments under it"
    );
    assert!(
        presented[0].ends_with("#1 Making PyPI’s test suite 81% faster"),
        "{presented:?}"
    );
    assert_eq!(app.get("/hosts/nobody").await.status(), 404);
}

#[tokio::test]
async fn a_long_serving_hosts_page_lists_their_topics_a_page_of_episodes_at_a_time() {
    let app = spawn_app().await;
    for number in 1..=30 {
        let url = format!("https://example.com/{number}");
        let doc = episode(number, &format!("Show {number}"))
            .topic(
                "Brian Okken",
                1,
                &format!("Topic of show {number}"),
                &url,
                "- a note",
            )
            .topic(
                "Brian Okken",
                2,
                &format!("More in show {number}"),
                &url,
                "- a note",
            );
        app.import(doc.build()).await;
    }

    let first = app.page("/hosts/brian-okken").await;
    let second = app.page("/hosts/brian-okken?page=2").await;
    let (_, api_second) = app.json("/api/v1/people/brian-okken?page=2").await;

    let listed = texts(&first, ".presented > li > a");
    assert_eq!(listed.len(), 25, "{listed:?}");
    assert_eq!(
        (&*listed[0], &*listed[24]),
        ("#30 Show 30", "#6 Show 6"),
        "newest first"
    );
    let topics = texts(&first, ".presented li li");
    assert_eq!(topics.len(), 50, "two topics each");
    assert_eq!(
        (&*topics[0], &*topics[1]),
        ("#1 Topic of show 30", "#2 More in show 30")
    );
    assert_eq!(
        attrs(&first, ".pager a", "href"),
        ["/hosts/brian-okken?page=2"]
    );
    assert!(texts(&first, ".pager span")[0].contains("Page 1 of 2"));
    let older = texts(&second, ".presented > li > a");
    assert_eq!(
        older,
        [
            "#5 Show 5",
            "#4 Show 4",
            "#3 Show 3",
            "#2 Show 2",
            "#1 Show 1"
        ]
    );
    assert_eq!(texts(&second, ".presented li li").len(), 10);
    assert_eq!(attrs(&second, ".pager a", "href"), ["/hosts/brian-okken"]);
    assert!(texts(&second, "h1")[0].starts_with("Brian Okken"));
    assert_eq!(api_second["paging"]["pages"], 2);
    assert_eq!(api_second["segments"].as_array().unwrap().len(), 10);
    assert_eq!(app.get("/hosts/brian-okken?page=3").await.status(), 404);
    assert_eq!(app.get("/hosts/brian-okken?page=two").await.status(), 400);
}

#[tokio::test]
async fn links_page_ranks_links_by_episodes_that_covered_them() {
    let app = spawn_app().await;
    let shared = "https://pytest.org/";
    app.import(
        episode(1, "One")
            .topic(
                "Brian",
                1,
                "pytest",
                shared,
                "- [pytest docs](https://docs.pytest.org)",
            )
            .build(),
    )
    .await;
    app.import(
        episode(2, "Two")
            .topic(
                "Brian",
                1,
                "pytest again",
                "https://www.pytest.org?utm_source=x",
                "- y",
            )
            .build(),
    )
    .await;

    let page = app.page("/links").await;

    let first = texts(&page, ".links > li:first-child .count");
    assert_eq!(first, ["2 episodes"]);
    assert_eq!(
        texts(&page, ".links > li:first-child .covered-in li"),
        ["#2 Two (pytest again)", "#1 One (pytest)"]
    );
}

#[tokio::test]
async fn talk_pages_show_catalog_and_the_episodes_that_discussed_a_talk() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;

    let index = app.page("/talks").await;
    let event = app.page("/talks/pycon-us-2025").await;
    let talk = app.page("/talks/pycon-us-2025/unlearning-sql").await;

    assert_eq!(
        texts(&index, ".events li a"),
        [
            "PyCon US 2025",
            "PyCon JP 2019",
            "SciPy 2019",
            "Talks discussed on the show"
        ]
    );
    assert_eq!(
        texts(&event, ".talks li"),
        ["Keynote - Cory Doctorow", "Unlearning SQL"]
    );
    assert_eq!(texts(&talk, "h1"), ["Unlearning SQL"]);
    assert_eq!(
        attrs(&talk, ".video iframe", "src"),
        ["https://www.youtube-nocookie.com/embed/sFAxHLaVKxk"]
    );
    let discussed = texts(&talk, "article li").join("|");
    assert!(
        discussed.contains("Discussed in episode 434 (PyCon Talks on YouTube)"),
        "{discussed}"
    );
    assert_eq!(app.get("/talks/pycon-us-2025/nope").await.status(), 404);
}

#[tokio::test]
async fn unknown_pages_get_a_real_404_page() {
    let app = spawn_app().await;

    for path in ["/nope", "/episodes/9999", "/episodes/abc", "/talks/none"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains("That page does not exist."), "{path}: {body}");
        let page = Html::parse_document(&body);
        let nav = attrs(&page, "header.site nav a", "href");
        assert!(
            nav.contains(&"/episodes".to_string()) && nav.contains(&"/hosts".to_string()),
            "{path}: the 404 page keeps the site's navigation: {nav:?}"
        );
        assert_eq!(
            attrs(&page, "main form[role=search]", "action"),
            ["/search"],
            "{path}: a search box to go on from"
        );
    }
}

#[tokio::test]
async fn every_page_leads_to_the_hosts_the_feed_and_the_friends_of_the_show() {
    let app = spawn_app().await;
    app.import(episode(7, "Seven").build()).await;

    for path in ["/", "/episodes", "/episodes/7", "/talks", "/search?q=seven"] {
        let page = app.page(path).await;
        let hrefs = attrs(&page, "a", "href");
        for target in [
            "/episodes",
            "/hosts",
            "/talks",
            "/links",
            "/friends-of-the-show",
            "/episodes/rss",
        ] {
            assert!(
                hrefs.iter().any(|h| h == target),
                "{path} links to {target}: {hrefs:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_browser_icon_is_the_shows_artwork_or_a_default_one() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let icon = client
        .get(format!("{}/favicon.ico", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), 307);
    let default = icon.headers()["location"].to_str().unwrap().to_string();
    let svg = app.get(&default).await;
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().starts_with("<svg"));

    sqlx::query("update settings set artwork_url = 'https://example.com/art.png'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.reload_settings().await.unwrap();
    let icon = client
        .get(format!("{}/favicon.ico", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.headers()["location"], "https://example.com/art.png");
    let home = app.page("/").await;
    assert_eq!(
        attrs(&home, "link[rel=icon]", "href"),
        ["https://example.com/art.png"]
    );
}

#[tokio::test]
async fn healthz_answers_200_while_the_database_is_reachable_and_503_after() {
    let app = spawn_app().await;

    assert_eq!(app.get("/healthz").await.status(), 200);
    app.state.db.close().await;
    assert_eq!(app.get("/healthz").await.status(), 503);
}

#[tokio::test]
async fn the_home_page_offers_the_podcast_apps_the_admin_listed() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let settings = |apple: &'static str| {
        vec![
            ("title", "Python Bytes"),
            ("base_url", "https://pythonbytes.fm"),
            ("language", "en"),
            ("apple_podcasts_url", apple),
            ("overcast_url", "https://overcast.fm/itunes1173690032"),
        ]
    };

    let refused = app
        .admin_post("/admin/settings", &settings("javascript:alert(1)"))
        .await;
    let saved = app
        .admin_post(
            "/admin/settings",
            &settings("https://podcasts.apple.com/podcast/id1173690032"),
        )
        .await;
    let home = app.anonymous_page("/").await;

    assert_eq!(refused.status(), 422);
    assert_eq!(saved.status(), 303);
    assert_eq!(
        texts(&home, ".subscribe a"),
        [
            "Apple Podcasts",
            "Overcast",
            "Podcast feed (RSS)",
            "Get the notes by email"
        ]
    );
    assert_eq!(
        attrs(&home, ".subscribe a", "href")[..2],
        [
            "https://podcasts.apple.com/podcast/id1173690032",
            "https://overcast.fm/itunes1173690032"
        ]
    );
}
