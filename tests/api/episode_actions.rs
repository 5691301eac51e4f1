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

#[tokio::test]
async fn deleting_an_episode_asks_first_then_its_page_and_feed_entry_are_gone() {
    let app = two_published_episodes().await;
    let id = app.episode_id(434).await;
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
    let id = app.episode_id(434).await;
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

/// The editor's fields of episode `id` as the browser would send them back, with `changes`.
async fn save_with(app: &TestApp, id: i64, changes: &[(&str, &str)]) -> reqwest::Response {
    let page = app.page(&format!("/admin/episodes/{id}")).await;
    let mut fields = crate::editor::form_fields(&page);
    fields.push(("summary", texts(&page, "#summary").concat()));
    fields.push(("intro_md", texts(&page, "#intro_md").concat()));
    for (name, value) in changes {
        // The first field of that name: a segment field is its first segment's.
        let name = name.trim_start_matches("first ");
        let at = fields.iter().position(|(n, _)| *n == name).expect("field");
        fields[at].1 = value.to_string();
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.admin_post(&format!("/admin/episodes/{id}"), &borrowed)
        .await
}

async fn revision_ids(app: &TestApp, id: i64) -> Vec<i64> {
    sqlx::query_scalar("select id from episode_revisions where episode_id = ? order by id")
        .bind(id)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_save_keeps_a_revision_that_a_host_compares_and_restores() {
    let app = two_published_episodes().await;
    let id = app.episode_id(435).await;

    let first = save_with(&app, id, &[("title", "Another week, edited")]).await;
    let second = save_with(
        &app,
        id,
        &[
            ("title", "Another week, edited twice"),
            ("first seg_notes", "- better notes"),
        ],
    )
    .await;
    let ids = revision_ids(&app, id).await;
    let list = app.page(&format!("/admin/episodes/{id}/revisions")).await;
    let compare = app
        .page(&format!(
            "/admin/episodes/{id}/revisions/compare?from={}&to={}",
            ids[2], ids[0]
        ))
        .await;

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (303, 303)
    );
    // The imported version (kept at the first save), then one per save.
    assert_eq!(ids.len(), 3, "{ids:?}");
    let listed = texts(&list, "li.revision .revision-what");
    assert_eq!(listed.len(), 3);
    assert!(
        listed[0].contains("by a host") && listed[0].contains("#435 Another week, edited twice"),
        "{listed:?}"
    );
    assert!(listed[2].contains("saved outside the editor"), "{listed:?}");
    assert!(
        texts(&list, "p")
            .join(" ")
            .contains("The newest 200 are kept")
    );
    let fields = texts(&compare, ".difference h3");
    assert_eq!(fields, ["Title changed"]);
    assert_eq!(
        texts(&compare, ".difference .text"),
        ["Another week", "Another week, edited twice"]
    );
    let changed: Vec<String> = texts(
        &compare,
        ".line-diff li.line-removed, .line-diff li.line-added",
    );
    assert_eq!(
        changed,
        [
            "removed # Episode 435: Another week",
            "added # Episode 435: Another week, edited twice",
            "removed - notes",
            "added - better notes"
        ],
        "marked in words"
    );

    let confirm = app
        .page(&format!(
            "/admin/episodes/{id}/revisions/{}/restore",
            ids[0]
        ))
        .await;
    let version = attrs(&confirm, "input[name=version]", "value").remove(0);
    let restored = app
        .admin_post(
            &format!("/admin/episodes/{id}/revisions/{}/restore", ids[0]),
            &[("confirm", "yes"), ("version", &version)],
        )
        .await;
    let stale = app
        .admin_post(
            &format!("/admin/episodes/{id}/revisions/{}/restore", ids[1]),
            &[("confirm", "yes"), ("version", &version)],
        )
        .await;

    assert!(
        texts(&confirm, "h1")
            .join("")
            .starts_with("Restore the version of")
    );
    assert_eq!(
        restored.headers()["location"],
        format!("/admin/episodes/{id}?restored=1")
    );
    let (_, public) = app.json("/api/v1/episodes/435").await;
    assert_eq!(public["title"], "Another week");
    assert_eq!(public["segments"][0]["notes_md"], "- notes");
    assert_eq!(
        stale.status(),
        409,
        "a restore over a newer save is refused"
    );
    assert_eq!(revision_ids(&app, id).await.len(), 4, "restoring is a save");
    let audit = app.page("/admin/audit").await;
    let newest = texts(&audit, "table.audit tbody tr").remove(0);
    assert!(
        newest.contains("restored a revision of episode"),
        "{newest}"
    );
}

#[tokio::test]
async fn an_episode_keeps_its_newest_two_hundred_revisions() {
    let app = two_published_episodes().await;
    let id = app.episode_id(435).await;
    sqlx::query(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 250)
         insert into episode_revisions (episode_id, actor, number, title, doc_json, notes_md, created_at)
         select ?, 'earlier', 435, 'old ' || i, '{}', '', '2025-01-01T00:00:00Z' from n",
    )
    .bind(id)
    .execute(&app.state.db)
    .await
    .unwrap();

    save_with(&app, id, &[("title", "Saved once more")]).await;

    let titles: Vec<String> =
        sqlx::query_scalar("select title from episode_revisions where episode_id = ? order by id")
            .bind(id)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(titles.len(), 200);
    assert_eq!(titles.last().unwrap(), "Saved once more");
    assert_eq!(titles[0], "old 53", "the oldest went first");
}

#[tokio::test]
async fn opening_an_episode_shows_which_of_its_links_other_episodes_covered() {
    let app = two_published_episodes().await;
    // The seed (434) links https://www.pytutorial.com/optimize-python-import-performance.
    app.import(
        episode(500, "Imports again")
            .topic(
                "Michael",
                1,
                "Import speed",
                "http://pytutorial.com/optimize-python-import-performance?utm_source=feed",
                "- see also [the topic](https://topic.example/#notes)",
            )
            .topic("Brian", 2, "Fresh", "https://fresh.example/", "- new")
            .draft()
            .build(),
    )
    .await;
    let (id_434, id_435, id_500) = (
        app.episode_id(434).await,
        app.episode_id(435).await,
        app.episode_id(500).await,
    );

    let editor = app.page(&format!("/admin/episodes/{id_500}")).await;
    let own = app.page(&format!("/admin/episodes/{id_434}")).await;

    let cards = texts(&editor, "li.segment-card");
    assert!(
        cards[0].contains("Already covered in episode 434")
            && cards[0].contains("Already covered in episode 435"),
        "{}",
        cards[0]
    );
    assert!(!cards[1].contains("Already covered"), "{}", cards[1]);
    assert_eq!(
        attrs(&editor, "li.segment-card:first-child .covered a", "href"),
        [
            format!("/admin/episodes/{id_434}"),
            format!("/admin/episodes/{id_435}")
        ]
    );
    let (_, typed) = app
        .json(&format!(
            "/admin/links/check?url=http://pytutorial.com/optimize-python-import-performance&except={id_500}"
        ))
        .await;
    assert_eq!(
        typed[0]["number"], 434,
        "the http twin while typing: {typed}"
    );
    assert_eq!(
        typed.as_array().unwrap().len(),
        1,
        "not the episode being edited"
    );
    let covered_in_434 = texts(&own, ".covered li").join(" ");
    assert!(
        covered_in_434.contains("Already covered in episode 500")
            && !covered_in_434.contains("episode 434"),
        "{covered_in_434}"
    );
}

#[tokio::test]
async fn the_episode_list_says_when_to_the_minute_and_notes_errors_stand_beside_the_notes() {
    let app = two_published_episodes().await;
    let id = app.episode_id(435).await;
    let too_deep = "> ".repeat(40) + "deep";

    let refused = save_with(&app, id, &[("first seg_notes", too_deep.as_str())]).await;
    let status = refused.status();
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    let list = app.page("/admin/episodes").await;

    assert_eq!(status, 422);
    assert_eq!(
        texts(&page, "#seg-0-notes-error").len(),
        1,
        "beside the Notes box"
    );
    assert_eq!(
        attrs(&page, "#seg-0-notes", "aria-describedby"),
        ["seg-0-notes-error"]
    );
    let updated = texts(&list, "table.list tbody td time");
    assert!(!updated.is_empty());
    for when in &updated {
        // "2025-05-19 17:04 UTC": no seconds, no microseconds.
        assert_eq!(when.len(), "2025-05-19 17:04 UTC".len(), "{when}");
        assert!(when.ends_with(" UTC") && !when.contains('.'), "{when}");
    }
}

#[tokio::test]
async fn the_episode_list_filters_by_status_and_ignores_an_unknown_one() {
    let app = two_published_episodes().await;
    app.import(episode(436, "Still writing").draft().build())
        .await;
    let numbers = |query: &'static str| {
        let app = &app;
        async move {
            let page = app.page(&format!("/admin/episodes{query}")).await;
            texts(&page, "table.list tbody tr td:first-child")
        }
    };

    let drafts = numbers("?status=draft").await;
    let published = numbers("?status=published").await;
    let scheduled = numbers("?status=scheduled").await;
    let unknown = numbers("?status=archived").await;

    assert_eq!(drafts, ["436"]);
    assert_eq!(published, ["435", "434"]);
    assert!(scheduled.is_empty(), "{scheduled:?}");
    assert_eq!(
        unknown,
        ["436", "435", "434"],
        "an unknown filter lists all"
    );
}
