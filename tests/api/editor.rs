//! The episode editor: create, validate, reorder, preview, publish, schedule, conflicts.

use reqwest::Response;
use scraper::Html;

use crate::helpers::{TestApp, attrs, spawn_app, spawn_client, texts};

/// The fields of a new episode with two topics, in form order.
fn two_topics(number: &str, title: &str) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("number", number.into()),
        ("title", title.into()),
        ("version", "0".into()),
    ];
    for (position, host, n, topic, url, notes) in [
        (
            "1",
            "Brian",
            "1",
            "First topic",
            "https://first.example/",
            "- first notes",
        ),
        (
            "2",
            "Michael",
            "2",
            "Second topic",
            "https://second.example/",
            "- second notes",
        ),
    ] {
        fields.extend([
            ("seg_position", position.into()),
            ("seg_kind", "topic".into()),
            ("seg_person", host.into()),
            ("seg_number", n.into()),
            ("seg_title", topic.into()),
            ("seg_url", url.into()),
            ("seg_notes", notes.into()),
            ("seg_start", String::new()),
        ]);
    }
    fields
}

async fn post(app: &TestApp, path: &str, fields: &[(&'static str, String)]) -> Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.admin_post(path, &borrowed).await
}

async fn create_episode(app: &TestApp) -> String {
    let response = post(app, "/admin/episodes/new", &two_topics("12", "Twelve")).await;
    assert_eq!(response.status(), 303, "created");
    response.headers()["location"]
        .to_str()
        .unwrap()
        .trim_end_matches("?saved=1")
        .to_string()
}

/// The editor's fields as the browser would send them back unchanged.
pub fn form_fields(page: &Html) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    for name in [
        "version",
        "number",
        "title",
        "slug",
        "audio_url",
        "audio_bytes",
        "audio_type",
        "duration",
        "video_url",
        "publish_at",
        "time_zone",
    ] {
        fields.push((
            name,
            attrs(page, &format!("form.editor input[name={name}]"), "value").remove(0),
        ));
    }
    for (name, values) in [
        (
            "seg_position",
            attrs(page, "input[name=seg_position]", "value"),
        ),
        ("seg_person", attrs(page, "input[name=seg_person]", "value")),
        ("seg_number", attrs(page, "input[name=seg_number]", "value")),
        ("seg_title", attrs(page, "input[name=seg_title]", "value")),
        ("seg_url", attrs(page, "input[name=seg_url]", "value")),
        ("seg_start", attrs(page, "input[name=seg_start]", "value")),
        (
            "seg_credited_as",
            attrs(page, "input[name=seg_credited_as]", "value"),
        ),
        (
            "seg_person_was",
            attrs(page, "input[name=seg_person_was]", "value"),
        ),
        ("seg_notes", texts(page, "textarea[name=seg_notes]")),
        (
            "seg_kind",
            attrs(page, "select[name=seg_kind] option[selected]", "value"),
        ),
    ] {
        fields.extend(values.into_iter().map(|v| (name, v)));
    }
    fields
}

#[tokio::test]
async fn a_host_creates_a_draft_that_listeners_cannot_see_until_published() {
    let app = spawn_app().await;
    app.login_as_host().await;

    let editor = create_episode(&app).await;
    let id = editor.rsplit('/').next().unwrap().to_string();
    let hidden = app.get("/episodes/12").await.status();
    let preview = app.page(&format!("/admin/episodes/{id}/preview")).await;
    let published = app
        .admin_post(
            &format!("/admin/episodes/{id}/status"),
            &[("action", "publish")],
        )
        .await;
    let public = spawn_client(&app)
        .get(format!("{}/episodes/12", app.address))
        .send()
        .await
        .unwrap();

    assert_eq!(hidden, 404);
    assert_eq!(
        texts(&preview, ".segment-topic h2"),
        ["Brian #1: First topic", "Michael #2: Second topic"]
    );
    assert_eq!(published.status(), 303);
    assert_eq!(public.status(), 200);
    let page = Html::parse_document(&public.text().await.unwrap());
    assert_eq!(
        texts(&page, ".segment-topic h2"),
        ["Brian #1: First topic", "Michael #2: Second topic"]
    );
}

#[tokio::test]
async fn invalid_input_rerenders_with_errors_next_to_fields_and_everything_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let mut fields = two_topics("twelve", "Kept title");
    let url = fields.iter_mut().find(|(k, _)| *k == "seg_url").unwrap();
    url.1 = "javascript:alert(1)".into();

    let response = post(&app, "/admin/episodes/new", &fields).await;
    let status = response.status();
    let page = Html::parse_document(&response.text().await.unwrap());

    assert_eq!(status, 422);
    assert_eq!(
        texts(&page, "#number-error"),
        ["must be a whole number like 434"]
    );
    assert_eq!(
        attrs(&page, "#number", "aria-describedby"),
        ["number-error"]
    );
    assert_eq!(
        texts(&page, "#seg-0-url-error"),
        ["must start with https:// or http://"]
    );
    assert_eq!(attrs(&page, "#title", "value"), ["Kept title"]);
    assert_eq!(attrs(&page, "#number", "value"), ["twelve"]);
    assert_eq!(texts(&page, "#seg-1-notes"), ["- second notes"]);
    assert_eq!(
        texts(&page, "#error-summary li"),
        [
            "Number: must be a whole number like 434",
            "Segment 1 (Brian #1: First topic): Link: must start with https:// or http://"
        ],
        "the summary names fields as the host sees them"
    );
    assert_eq!(
        attrs(&page, "#error-summary a", "href"),
        ["#number", "#seg-0-url"]
    );
    assert!(
        !page.root_element().html().contains("segments["),
        "no internal field names"
    );
}

#[tokio::test]
async fn a_new_episode_starts_from_the_last_ones_intro_and_the_next_number() {
    let app = spawn_app().await;
    app.login_as_host().await;
    app.import_seed().await;

    let page = app.page("/admin/episodes/new").await;

    assert_eq!(attrs(&page, "#number", "value"), ["435"]);
    let intro = texts(&page, "#intro_md").join("\n");
    assert!(intro.contains("Connect with the hosts"), "{intro}");
}

#[tokio::test]
async fn every_input_has_a_label() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;

    let page = app.page(&editor).await;

    let labelled: Vec<String> = attrs(&page, "label[for]", "for");
    for selector in [
        "form.editor input:not([type=hidden]):not([type=checkbox])",
        "form.editor textarea",
        "form.editor select",
    ] {
        for id in attrs(&page, selector, "id") {
            assert!(labelled.contains(&id), "#{id} has no label");
        }
    }
}

#[tokio::test]
async fn segment_cards_are_titled_from_their_content_and_suggest_hosts() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;

    let page = app.page(&editor).await;

    assert_eq!(
        texts(&page, "ol.segments .segment-heading"),
        [
            "Brian #1: First topic",
            "Michael #2: Second topic",
            "New segment"
        ],
        "two saved topics and the blank slot a host fills without scripts"
    );
    assert_eq!(
        texts(&page, "label[for=seg-0-number] .visually-hidden"),
        ["Number"],
        "the # field is read as Number"
    );
    assert_eq!(attrs(&page, "#seg-0-person", "list"), ["people-list"]);
    let suggested = attrs(&page, "datalist#people-list option", "value");
    assert!(
        suggested.contains(&"Brian".to_string()) && suggested.contains(&"Michael".to_string()),
        "{suggested:?}"
    );
}

#[tokio::test]
async fn reordering_by_position_and_deleting_a_segment_are_saved() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let id = editor.rsplit('/').next().unwrap().to_string();
    let page = app.page(&editor).await;
    let mut fields = form_fields(&page);
    let positions: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| *k == "seg_position")
        .map(|(i, _)| i)
        .collect();
    fields[positions[0]].1 = "2".into();
    fields[positions[1]].1 = "1".into();

    assert_eq!(post(&app, &editor, &fields).await.status(), 303);
    let preview = app.page(&format!("/admin/episodes/{id}/preview")).await;
    assert_eq!(
        texts(&preview, ".segment-topic h2"),
        ["Michael #2: Second topic", "Brian #1: First topic"]
    );

    let page = app.page(&editor).await;
    let mut fields = form_fields(&page);
    fields.push(("seg_delete", "0".into()));
    assert_eq!(post(&app, &editor, &fields).await.status(), 303);
    let preview = app.page(&format!("/admin/episodes/{id}/preview")).await;
    assert_eq!(
        texts(&preview, ".segment-topic h2"),
        ["Brian #1: First topic"]
    );
}

#[tokio::test]
async fn a_stale_save_shows_both_versions_and_keeps_what_the_second_host_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let loaded = app.page(&editor).await;
    let mut first = form_fields(&loaded);
    let mut second = form_fields(&loaded);
    first.iter_mut().find(|(k, _)| *k == "title").unwrap().1 = "Title from host one".into();
    second.iter_mut().find(|(k, _)| *k == "title").unwrap().1 = "Title from host two".into();

    assert_eq!(post(&app, &editor, &first).await.status(), 303);
    let stale = post(&app, &editor, &second).await;
    let status = stale.status();
    let page = Html::parse_document(&stale.text().await.unwrap());

    assert_eq!(status, 409);
    assert_eq!(
        texts(&page, ".conflict-title"),
        ["Title from host one", "Title from host two"]
    );
    assert_eq!(
        attrs(&page, "form.editor #title", "value"),
        ["Title from host two"],
        "what host two typed is kept"
    );
    let saved = app.page(&editor).await;
    assert_eq!(
        attrs(&saved, "form.editor #title", "value"),
        ["Title from host one"],
        "nothing was overwritten"
    );
    let resubmit = form_fields(&page);
    assert_eq!(
        post(&app, &editor, &resubmit).await.status(),
        303,
        "saving again on purpose goes through"
    );
}

#[tokio::test]
async fn publish_schedule_and_back_to_draft_save_what_was_typed_first() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let with_intent = |page: &Html, title: &str, intent: &str, publish_at: &str| {
        let mut fields = form_fields(page);
        fields.retain(|(name, _)| *name != "publish_at");
        fields.iter_mut().find(|(k, _)| *k == "title").unwrap().1 = title.into();
        fields.push(("intent", intent.into()));
        fields.push(("publish_at", publish_at.into()));
        fields
    };

    let page = app.page(&editor).await;
    let published = post(
        &app,
        &editor,
        &with_intent(&page, "Typed then published", "publish", ""),
    )
    .await;
    assert_eq!(published.status(), 303);
    let public = app.anonymous_page("/episodes/12").await;
    assert_eq!(texts(&public, "h1"), ["Typed then published"]);

    let page = app.page(&editor).await;
    let refused = post(
        &app,
        &editor,
        &with_intent(&page, "Not saved", "schedule", ""),
    )
    .await;
    assert_eq!(refused.status(), 422, "scheduling needs a time");
    let refused = Html::parse_document(&refused.text().await.unwrap());
    assert_eq!(
        texts(&refused, "#publish_at-error"),
        ["pick the date and time the episode goes public"]
    );
    assert_eq!(
        attrs(&refused, "#title", "value"),
        ["Not saved"],
        "kept as typed"
    );

    let scheduled = post(
        &app,
        &editor,
        &with_intent(
            &page,
            "Typed then scheduled",
            "schedule",
            "2999-01-01T10:00",
        ),
    )
    .await;
    assert_eq!(scheduled.status(), 303);
    let page = app.page(&editor).await;
    assert_eq!(attrs(&page, "#title", "value"), ["Typed then scheduled"]);
    assert_eq!(
        attrs(&page, "#publish_at", "value"),
        ["2999-01-01T10:00"],
        "the date stays"
    );
    assert_eq!(
        app.get("/episodes/12").await.status(),
        404,
        "scheduled is not public yet"
    );

    let drafted = post(
        &app,
        &editor,
        &with_intent(&page, "Typed then drafted", "unpublish", ""),
    )
    .await;
    assert_eq!(drafted.status(), 303);
    let page = app.page(&editor).await;
    assert_eq!(attrs(&page, "#title", "value"), ["Typed then drafted"]);
    assert_eq!(texts(&page, ".status-line strong"), ["Draft"]);
}

#[tokio::test]
async fn scheduled_episodes_publish_when_due_and_not_before() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let id = editor.rsplit('/').next().unwrap().to_string();

    app.admin_post(
        &format!("/admin/episodes/{id}/status"),
        &[("action", "schedule"), ("publish_at", "2999-01-01T10:00")],
    )
    .await;
    if shownotes::episodes::scheduler::publish_now(&app.state.db).await {
        app.state.content_changed();
    }
    let before = app.get("/episodes/12").await.status();
    app.admin_post(
        &format!("/admin/episodes/{id}/status"),
        &[("action", "schedule"), ("publish_at", "2020-01-01T10:00")],
    )
    .await;
    if shownotes::episodes::scheduler::publish_now(&app.state.db).await {
        app.state.content_changed();
    }
    let after = spawn_client(&app)
        .get(format!("{}/api/v1/episodes/12", app.address))
        .send()
        .await
        .unwrap();

    assert_eq!(before, 404);
    assert_eq!(after.status(), 200);
    let body: serde_json::Value = after.json().await.unwrap();
    assert_eq!(body["published_at"], "2020-01-01T10:00:00Z");
}

#[tokio::test]
async fn pasted_notes_become_a_structured_draft() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let notes = include_str!("../fixtures/notes/python-bytes-434-seed.md");

    let response = app
        .admin_post(
            "/admin/episodes/import",
            &[("notes", notes), ("number", "")],
        )
        .await;
    let editor = response.headers()["location"].to_str().unwrap().to_string();
    let page = app.page(&editor).await;

    assert_eq!(response.status(), 303);
    let titles = attrs(&page, "input[name=seg_title]", "value");
    assert_eq!(titles[1], "Making PyPI’s test suite 81% faster");
    assert_eq!(texts(&page, ".status-line strong"), ["Draft"]);
    let bad = app
        .admin_post(
            "/admin/episodes/import",
            &[("notes", "  \n"), ("number", "9")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("nothing to import"));
}

#[tokio::test]
async fn markdown_preview_and_the_link_check_help_while_typing() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_host().await;

    let preview = app
        .admin_post(
            "/admin/preview",
            &[("markdown", "- **bold** <script>x()</script>")],
        )
        .await
        .text()
        .await
        .unwrap();
    let covered: serde_json::Value = app
        .get("/admin/links/check?url=https://www.pytutorial.com/optimize-python-import-performance")
        .await
        .json()
        .await
        .unwrap();

    assert!(
        preview.contains("<strong>bold</strong>") && !preview.contains("<script"),
        "{preview}"
    );
    assert_eq!(covered[0]["number"], 434);
}

#[tokio::test]
async fn every_change_is_in_the_audit_log() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let id = editor.rsplit('/').next().unwrap().to_string();
    app.admin_post(
        &format!("/admin/episodes/{id}/status"),
        &[("action", "publish")],
    )
    .await;

    let audit = app.page("/admin/audit").await;

    let rows = texts(&audit, "table.audit tbody tr");
    assert!(
        rows[0].contains("a host")
            && rows[0].contains("changed the status of episode")
            && rows[0].contains("published"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("created episode") && rows[1].contains("#12 Twelve"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn an_admin_changes_the_show_title_everywhere() {
    let app = spawn_app().await;
    app.login_as_admin().await;

    let bad = app
        .admin_post(
            "/admin/settings",
            &[
                ("title", "Python Bytes"),
                ("base_url", "ftp://x"),
                ("language", "en"),
            ],
        )
        .await;
    let saved = app
        .admin_post(
            "/admin/settings",
            &[
                ("title", "Python Bytes"),
                ("base_url", "https://pythonbytes.fm"),
                ("language", "en"),
            ],
        )
        .await;
    let home = spawn_client(&app)
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert_eq!(bad.status(), 422);
    assert_eq!(saved.status(), 303);
    assert!(home.contains("<a class=\"brand\" href=\"/\">Python Bytes</a>"));
}

#[tokio::test]
async fn hosts_edit_people_talks_and_events_with_field_errors() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    app.login_as_host().await;
    let brian: i64 = sqlx::query_scalar("select id from people where slug = 'brian'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();

    let bad_person = app
        .admin_post(
            &format!("/admin/people/{brian}"),
            &[
                ("name", "Brian Okken"),
                ("slug", "brian"),
                ("website", "ftp://x"),
            ],
        )
        .await;
    let person = app
        .admin_post(
            &format!("/admin/people/{brian}"),
            &[
                ("name", "Brian Okken"),
                ("slug", "brian"),
                ("aliases", "Brain, Bryan"),
                ("bio_md", "Writes **pytest** books."),
            ],
        )
        .await;
    let talk = app
        .admin_post(
            "/admin/talks/pycon-us-2025/unlearning-sql",
            &[
                ("title", "Unlearning SQL"),
                ("speakers", "Ryan Curtin, Ada Lovelace"),
                ("recorded", "2025-05-16"),
                ("duration", "29:14"),
            ],
        )
        .await;
    let bad_event = app
        .admin_post(
            "/admin/events/pycon-us-2025",
            &[("title", "PyCon US 2025"), ("year", "next year")],
        )
        .await;
    let event = app
        .admin_post(
            "/admin/events/pycon-us-2025",
            &[("title", "PyCon US 2025 (Pittsburgh)"), ("year", "2025")],
        )
        .await;

    assert_eq!(bad_person.status(), 422);
    assert_eq!(person.status(), 303);
    assert_eq!(talk.status(), 303);
    assert_eq!(bad_event.status(), 422);
    assert_eq!(event.status(), 303);
    let edit_page = app.page(&format!("/admin/people/{brian}")).await;
    // The old name stays an alias: notes that say "Brian" still mean Brian Okken.
    assert_eq!(
        attrs(&edit_page, "#aliases", "value"),
        ["Brain, Brian, Bryan"]
    );
    let (_, host) = app.json("/api/v1/people/brian").await;

    assert_eq!(host["name"], "Brian Okken");
    assert!(
        host["bio_html"]
            .as_str()
            .unwrap()
            .contains("<strong>pytest</strong>")
    );
    let (_, edited) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;
    assert_eq!(edited["speakers"][1]["name"], "Ada Lovelace");
    assert_eq!(edited["duration_secs"], 1754);
    let public = spawn_client(&app)
        .get(format!("{}/talks", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("PyCon US 2025 (Pittsburgh)"));
}

/// Episode 3, whose one topic Mallory presents, with a link in its notes.
async fn import_episode_by_mallory(app: &crate::helpers::TestApp) {
    app.import(
        crate::helpers::episode(3, "Three")
            .topic(
                "Mallory",
                1,
                "Topic",
                "https://t.example/",
                "- [spam](https://spam.example)",
            )
            .build(),
    )
    .await;
}

#[tokio::test]
async fn a_guests_links_are_nofollow_until_an_admin_makes_them_a_host() {
    let app = spawn_app().await;
    import_episode_by_mallory(&app).await;
    sqlx::query("update people set is_guest = 1 where slug = 'mallory'")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("update segments set notes_html = null")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();
    let (_, before) = app.json("/api/v1/episodes/3").await;
    app.login_as_host().await;
    let id: i64 = sqlx::query_scalar("select id from people where slug = 'mallory'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();

    app.admin_post(
        &format!("/admin/people/{id}"),
        &[("name", "Mallory"), ("slug", "mallory")],
    )
    .await;
    let after: serde_json::Value = spawn_client(&app)
        .get(format!("{}/api/v1/episodes/3", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert!(
        before["segments"][0]["notes_html"]
            .as_str()
            .unwrap()
            .contains("rel=\"noopener nofollow ugc\"")
    );
    assert!(
        after["segments"][0]["notes_html"]
            .as_str()
            .unwrap()
            .contains("rel=\"noopener\"")
    );
}

/// Whoever changes a person's role (an import that learns a guest is a host, a script, the
/// editor), their notes are rendered again for it: the schema forgets the old rendering.
#[tokio::test]
async fn a_role_changed_outside_the_editor_renders_the_notes_for_the_new_role() {
    let app = spawn_app().await;
    import_episode_by_mallory(&app).await;
    let rel = || async {
        app.state.content_changed();
        let (_, doc) = app.json("/api/v1/episodes/3").await;
        let html = doc["segments"][0]["notes_html"]
            .as_str()
            .unwrap()
            .to_string();
        html.split("rel=\"")
            .nth(1)
            .unwrap_or_default()
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let imported = rel().await;
    let db = app.state.db.clone();
    let set_guest = |guest: bool| {
        let db = db.clone();
        async move {
            sqlx::query("update people set is_guest = ? where slug = 'mallory'")
                .bind(guest)
                .execute(&db)
                .await
                .unwrap();
        }
    };

    set_guest(false).await;
    let as_host = rel().await;
    set_guest(true).await;
    let as_guest = rel().await;
    set_guest(false).await;
    let as_host_again = rel().await;

    assert_eq!(imported, "noopener nofollow ugc", "someone new is a guest");
    assert_eq!(as_host, "noopener");
    assert_eq!(as_guest, "noopener nofollow ugc");
    assert_eq!(as_host_again, "noopener");
}

#[tokio::test]
async fn a_host_dates_an_old_episode_in_their_zone_and_every_page_and_feed_shows_that_time() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let editor = create_episode(&app).await;
    let id = editor.rsplit('/').next().unwrap().to_string();
    let mut fields = form_fields(&app.page(&editor).await);
    fields.retain(|(name, _)| !["publish_at", "time_zone"].contains(name));
    fields.push(("publish_at", "2017-01-30T09:30".into()));
    fields.push(("time_zone", "Europe/Berlin".into()));

    let saved = post(&app, &editor, &fields).await;
    app.admin_post(
        &format!("/admin/episodes/{id}/status"),
        &[("action", "publish")],
    )
    .await;

    assert_eq!(saved.status(), 303);
    let (_, doc) = app.json("/api/v1/episodes/12").await;
    assert_eq!(doc["published_at"], "2017-01-30T08:30:00Z", "stored in UTC");
    let page = app.page("/episodes/12").await;
    assert_eq!(texts(&page, ".meta time"), ["January 30, 2017"]);
    let archive = app.page("/episodes").await;
    assert_eq!(texts(&archive, ".meta time"), ["January 30, 2017"]);
    let rss = app.get("/episodes/rss").await.text().await.unwrap();
    assert!(
        rss.contains("<pubDate>Mon, 30 Jan 2017 08:30:00 +0000</pubDate>"),
        "{rss}"
    );
    let again = app.page(&editor).await;
    assert_eq!(
        attrs(&again, "#publish_at", "value"),
        ["2017-01-30T09:30"],
        "shown in the zone the host dated it in"
    );
    assert_eq!(
        texts(&again, ".status-line strong"),
        ["Published Mon 30 Jan 2017, 09:30 (Europe/Berlin)"]
    );
}

#[tokio::test]
async fn a_publication_date_that_is_no_date_is_shown_next_to_the_field_and_kept() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let mut fields = two_topics("12", "Twelve");
    fields.push(("publish_at", "30/01/2017".into()));

    let response = post(&app, "/admin/episodes/new", &fields).await;
    let status = response.status();
    let page = Html::parse_document(&response.text().await.unwrap());

    assert_eq!(status, 422);
    assert_eq!(
        texts(&page, "#publish_at-error"),
        ["must be a date and time like 2025-12-02 18:00"]
    );
    assert_eq!(attrs(&page, "#publish_at", "value"), ["30/01/2017"]);
    assert_eq!(attrs(&page, "#title", "value"), ["Twelve"]);
}

/// Imports notes crediting host Brian as "Brain" and returns the episode editor's path.
async fn import_typo_episode(app: &TestApp, dir: &std::path::Path) -> String {
    let path = dir.join("320.md");
    std::fs::write(
        &path,
        "# Python Bytes 320\n\n**Brain #1:** [Typo](https://a.example)\n\n- a\n\n**Brian #2:** [Right](https://b.example)\n\n- b\n",
    )
    .unwrap();
    let id = app
        .import_notes_as(&path, shownotes::episodes::model::Status::Published)
        .await;
    format!("/admin/episodes/{id}")
}

/// Episode 320 as `export notes` writes it.
async fn exported_320(app: &TestApp, dir: &std::path::Path) -> String {
    let out = dir.join("export");
    shownotes::episodes::notes_export::export_notes(&app.state.db, &out, &[320])
        .await
        .unwrap();
    std::fs::read_to_string(out.join("320.md")).unwrap()
}

#[tokio::test]
async fn saving_imported_notes_unchanged_keeps_the_presenter_name_the_notes_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let dir = tempfile::tempdir().unwrap();
    let editor = import_typo_episode(&app, dir.path()).await;
    let fields = form_fields(&app.page(&editor).await);

    let saved = post(&app, &editor, &fields).await;
    let notes = exported_320(&app, dir.path()).await;

    assert_eq!(saved.status(), 303);
    assert!(notes.contains("**Brain #1:** [Typo]"), "{notes}");
    assert!(notes.contains("**Brian #2:** [Right]"), "{notes}");
}

#[tokio::test]
async fn giving_a_segment_another_presenter_drops_the_name_the_notes_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let dir = tempfile::tempdir().unwrap();
    let editor = import_typo_episode(&app, dir.path()).await;
    let mut fields = form_fields(&app.page(&editor).await);
    let person = fields
        .iter_mut()
        .find(|(name, _)| *name == "seg_person")
        .unwrap();
    person.1 = "Michael".into();

    let saved = post(&app, &editor, &fields).await;
    let notes = exported_320(&app, dir.path()).await;

    assert_eq!(saved.status(), 303);
    assert!(notes.contains("**Michael #1:** [Typo]"), "{notes}");
    assert!(!notes.contains("Brain"), "{notes}");
}

#[tokio::test]
async fn editing_a_hosts_bio_keeps_their_rendered_notes() {
    let app = spawn_app().await;
    app.import(
        crate::helpers::episode(4, "Four")
            .topic(
                "Brian",
                1,
                "Topic",
                "https://t.example/",
                "- [a](https://a.example)",
            )
            .build(),
    )
    .await;
    app.login_as_admin().await;
    let (id, guest): (i64, bool) =
        sqlx::query_as("select id, is_guest from people where slug = 'brian'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let unrendered = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from segments where notes_html is null")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    // The episode's first read keeps its notes' rendering.
    app.page("/episodes/4").await;
    assert_eq!(unrendered().await, 0);

    let mut fields = vec![
        ("name", "Brian"),
        ("slug", "brian"),
        ("bio_md", "Tests things."),
    ];
    if guest {
        fields.push(("guest", "on"));
    }
    let saved = app
        .admin_post(&format!("/admin/people/{id}"), &fields)
        .await;

    assert_eq!(saved.status(), 303);
    // Nothing the notes show changed: no page renders them again.
    assert_eq!(unrendered().await, 0);
    let page = app.page("/hosts/brian").await;
    assert!(
        crate::helpers::texts(&page, "main")
            .concat()
            .contains("Tests things.")
    );
}
