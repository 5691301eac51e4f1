//! Curators edit the whole catalog in the admin: add events and talks, move a talk to another
//! event, delete one after a confirmation page.

use reqwest::Response;
use scraper::{Html, Selector};
use serde_json::Value;

use crate::helpers::{TestApp, assert_is_redirect_to, attrs, fixture, spawn_app, texts};

const UNLEARNING: &str = "/admin/talks/pycon-us-2025/unlearning-sql";

/// Adds an event through the new-event form.
async fn add_event(app: &TestApp, title: &str, slug: &str) -> Response {
    app.admin_post(
        "/admin/events/new",
        &[
            ("title", title),
            ("slug", slug),
            ("year", "2026"),
            ("url", "https://example.com/conf"),
            ("description", "A test conference."),
        ],
    )
    .await
}

/// Adds a talk to `event` through the new-talk form.
async fn add_talk(app: &TestApp, event: &str, fields: &[(&str, &str)]) -> Response {
    app.admin_post(&format!("/admin/events/{event}/new-talk"), fields)
        .await
}

/// The talk form as it would be sent back unchanged, with `event` chosen.
async fn talk_form_moved_to(app: &TestApp, path: &str, event: &str) -> Vec<(String, String)> {
    let page = app.page(path).await;
    let mut fields = Vec::new();
    for name in [
        "title",
        "speakers",
        "recorded",
        "duration",
        "language",
        "video_url",
    ] {
        let value = attrs(&page, &format!("input[name={name}]"), "value").remove(0);
        fields.push((name.to_string(), value));
    }
    for name in ["related", "description"] {
        let selector = Selector::parse(&format!("textarea[name={name}]")).unwrap();
        let text: String = page.select(&selector).flat_map(|t| t.text()).collect();
        fields.push((name.to_string(), text));
    }
    fields.push(("event".to_string(), event.to_string()));
    fields
}

async fn post_owned(app: &TestApp, path: &str, fields: &[(String, String)]) -> Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.admin_post(path, &borrowed).await
}

async fn html(response: Response) -> Html {
    Html::parse_document(&response.text().await.unwrap())
}

/// The error shown beside field `id`, if any.
fn error_beside(page: &Html, id: &str) -> Option<String> {
    texts(page, &format!("#{id}-error")).into_iter().next()
}

/// The latest audit entries as (action, entity, detail), newest first.
async fn audit_entries(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("select action, entity, detail from audit_log order by id desc")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// The number a `select count(*) …` query answers.
async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn search_talk_urls(app: &TestApp, query: &str) -> Vec<String> {
    let (status, json) = app
        .json(&format!("/api/v1/search?q={query}&kind=talks"))
        .await;
    assert_eq!(status, 200);
    json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "talks")
        .flat_map(|g| g["hits"].as_array().unwrap().clone())
        .map(|hit| hit["url"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_curator_adds_an_event_and_lands_on_its_admin_page() {
    let app = spawn_app().await;
    app.login_as_host().await;

    let form = app.page("/admin/events/new").await;
    let response = add_event(&app, "PyCon Testland 2026", "").await;

    assert_eq!(attrs(&form, "#slug", "data-slug-from"), ["title"]);
    assert_is_redirect_to(&response, "/admin/talks/pycon-testland-2026?created=1");
    let page = app.page("/admin/talks/pycon-testland-2026?created=1").await;
    assert_eq!(texts(&page, "h1"), ["PyCon Testland 2026"]);
    assert_eq!(
        attrs(&page, "a.button", "href"),
        ["/admin/events/pycon-testland-2026/new-talk"]
    );
    let list = app.page("/admin/talks").await;
    assert!(
        attrs(&list, "td a", "href").contains(&"/admin/talks/pycon-testland-2026".to_string()),
        "an event without talks is listed for curators"
    );
    let edit = app.page("/admin/events/pycon-testland-2026").await;
    assert_eq!(attrs(&edit, "#url", "value"), ["https://example.com/conf"]);
    assert_eq!(attrs(&edit, "#year", "value"), ["2026"]);
    let (action, entity, detail) = audit_entries(&app).await.remove(0);
    assert_eq!(
        (action.as_str(), entity.as_str(), detail.as_str()),
        ("create", "event", "PyCon Testland 2026")
    );
}

#[tokio::test]
async fn the_new_event_form_says_which_field_is_wrong_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    assert_eq!(
        add_event(&app, "PyCon Testland", "testland").await.status(),
        303
    );

    let taken = html(add_event(&app, "Another Testland", "testland").await).await;
    let forged = app
        .post_form("/admin/events/new", &[("title", "Forged Con")])
        .await;
    let untitled = app
        .admin_post(
            "/admin/events/new",
            &[("title", " "), ("slug", "Test Land"), ("url", "ftp://x")],
        )
        .await;
    assert_eq!(untitled.status(), 422);
    let untitled = html(untitled).await;

    assert_eq!(
        error_beside(&taken, "slug").as_deref(),
        Some("is taken by another event")
    );
    assert_eq!(attrs(&taken, "#title", "value"), ["Another Testland"]);
    assert_eq!(attrs(&taken, "#slug", "value"), ["testland"]);
    assert_eq!(attrs(&taken, "#slug", "aria-invalid"), ["true"]);
    assert_eq!(
        error_beside(&untitled, "title").as_deref(),
        Some("is required")
    );
    assert!(
        error_beside(&untitled, "slug")
            .unwrap()
            .contains("lowercase letters"),
        "a typed slug must already be one"
    );
    assert_eq!(
        error_beside(&untitled, "url").as_deref(),
        Some("must start with https:// or http://")
    );
    assert_eq!(attrs(&untitled, "#slug", "value"), ["Test Land"]);
    assert_eq!(
        forged.status(),
        403,
        "a form without the session's CSRF token"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from events where slug <> 'from-the-show'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_talk_added_with_two_speakers_is_public_and_searchable_at_once() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;
    add_event(&app, "PyCon Testland 2026", "testland").await;
    let fields = [
        ("title", "Zygomorphic Parsers"),
        ("speakers", "Ryan Curtin, Ada Quillfeather"),
        ("recorded", "2026-04-02"),
        ("duration", "0:31:05"),
        ("language", "eng"),
        ("video_url", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("related", "https://example.com/slides The slides"),
        ("description", "Parsing with flowers."),
    ];

    let first = add_talk(&app, "testland", &fields).await;
    let second = add_talk(&app, "testland", &fields).await;

    assert_is_redirect_to(&first, "/admin/talks/testland/zygomorphic-parsers?saved=1");
    assert_is_redirect_to(
        &second,
        "/admin/talks/testland/zygomorphic-parsers-2?saved=1",
    );
    let event = app.anonymous_page("/talks/testland").await;
    assert_eq!(
        attrs(&event, "main li a", "href"),
        [
            "/talks/testland/zygomorphic-parsers",
            "/talks/testland/zygomorphic-parsers-2"
        ]
    );
    let (status, talk) = app.json("/api/v1/talks/testland/zygomorphic-parsers").await;
    assert_eq!(status, 200);
    let speakers: Vec<(&str, &str)> = talk["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slug"].as_str().unwrap(), s["name"].as_str().unwrap()))
        .collect();
    let (_, imported) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;
    assert_eq!(
        speakers,
        [
            (
                imported["speakers"][0]["slug"].as_str().unwrap(),
                "Ryan Curtin"
            ),
            ("ada-quillfeather", "Ada Quillfeather")
        ],
        "a speaker already known is the same person"
    );
    assert_eq!(talk["duration_secs"], 1865);
    assert_eq!(talk["video_id"], "abcDEF12345");
    assert_eq!(talk["related"][0]["text"], "The slides");
    assert_eq!(
        search_talk_urls(&app, "zygomorphic").await,
        [
            "/talks/testland/zygomorphic-parsers",
            "/talks/testland/zygomorphic-parsers-2"
        ]
    );
    assert_eq!(
        search_talk_urls(&app, "quillfeather").await.len(),
        2,
        "found by speaker"
    );
    let (action, entity, detail) = audit_entries(&app).await.remove(0);
    assert_eq!((action.as_str(), entity.as_str()), ("create", "talk"));
    assert_eq!(detail, "Zygomorphic Parsers");
}

#[tokio::test]
async fn a_talk_made_on_the_site_exports_with_pyvideos_keys() {
    let app = spawn_app().await;
    app.login_as_host().await;
    add_event(&app, "PyCon Testland 2026", "testland").await;
    add_talk(
        &app,
        "testland",
        &[
            ("title", "Zygomorphic Parsers"),
            ("speakers", "Ada Quillfeather, Bo Lindqvist"),
            ("recorded", "2026-04-02"),
            ("duration", "31:05"),
            ("language", "eng"),
            ("video_url", "https://www.youtube.com/watch?v=abcDEF12345"),
            (
                "related",
                "https://example.com/slides The slides\nhttps://example.com/code",
            ),
            ("description", "Parsing with flowers."),
        ],
    )
    .await;

    let out = app.export_talks().await;

    let file = out.path().join("testland/videos/zygomorphic-parsers.json");
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        record,
        serde_json::json!({
            "copyright_text": null,
            "description": "Parsing with flowers.",
            "duration": 1865,
            "language": "eng",
            "recorded": "2026-04-02",
            "related_urls": [
                {"label": "The slides", "url": "https://example.com/slides"},
                "https://example.com/code"
            ],
            "speakers": ["Ada Quillfeather", "Bo Lindqvist"],
            "tags": [],
            "thumbnail_url": null,
            "title": "Zygomorphic Parsers",
            "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=abcDEF12345"}]
        })
    );
    let category: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("testland/category.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(category["title"], "PyCon Testland 2026");
}

#[tokio::test]
async fn the_new_talk_form_says_which_field_is_wrong_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    app.login_as_host().await;
    add_event(&app, "PyCon Testland 2026", "testland").await;

    let response = add_talk(
        &app,
        "testland",
        &[
            ("title", ""),
            ("speakers", "Ada Quillfeather"),
            ("video_url", "youtube.com/watch?v=abc"),
            ("description", "Kept as typed."),
        ],
    )
    .await;

    assert_eq!(response.status(), 422);
    let page = html(response).await;
    assert_eq!(error_beside(&page, "title").as_deref(), Some("is required"));
    assert_eq!(
        error_beside(&page, "video_url").as_deref(),
        Some("must start with https:// or http://")
    );
    assert_eq!(attrs(&page, "#video_url", "aria-invalid"), ["true"]);
    assert_eq!(attrs(&page, "#speakers", "value"), ["Ada Quillfeather"]);
    assert_eq!(
        attrs(&page, "#video_url", "value"),
        ["youtube.com/watch?v=abc"]
    );
    assert_eq!(texts(&page, "#description"), ["Kept as typed."]);
    assert_eq!(count(&app, "select count(*) from talks").await, 0);
}

#[tokio::test]
async fn the_notes_holding_event_takes_no_new_talks() {
    let app = spawn_app().await;
    app.login_as_host().await;

    let response = app.get("/admin/events/from-the-show/new-talk").await;
    let posted = add_talk(&app, "from-the-show", &[("title", "Sneaky")]).await;

    assert_eq!(response.status(), 404);
    assert_eq!(posted.status(), 404);
}

#[tokio::test]
async fn a_moved_talk_answers_at_its_new_address_with_its_speakers_links_and_segments() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    app.login_as_host().await;
    add_event(&app, "SQL Summit 2026", "sql-summit").await;
    let options = attrs(&app.page(UNLEARNING).await, "#event option", "value");
    let form = talk_form_moved_to(&app, UNLEARNING, "sql-summit").await;

    let response = post_owned(&app, UNLEARNING, &form).await;

    assert!(options.contains(&"sql-summit".to_string()), "{options:?}");
    assert!(
        !options.contains(&"from-the-show".to_string()),
        "a catalog talk cannot go back to the notes' holding event"
    );
    assert_is_redirect_to(&response, "/admin/talks/sql-summit/unlearning-sql?saved=1");
    assert_eq!(
        app.get("/talks/pycon-us-2025/unlearning-sql")
            .await
            .status(),
        404
    );
    let (status, talk) = app.json("/api/v1/talks/sql-summit/unlearning-sql").await;
    assert_eq!(status, 200);
    assert_eq!(talk["event_title"], "SQL Summit 2026");
    assert_eq!(talk["speakers"][0]["name"], "Ryan Curtin");
    assert_eq!(talk["related"][0]["text"], "Conference schedule");
    assert_eq!(talk["discussed_in"][0]["episode_number"], 434);
    assert_eq!(
        search_talk_urls(&app, "unlearning").await,
        ["/talks/sql-summit/unlearning-sql"]
    );
    let out = app.export_talks().await;
    let moved = out.path().join("sql-summit/videos/unlearning-sql.json");
    let exported = std::fs::read_to_string(&moved).unwrap();
    let original =
        std::fs::read_to_string(fixture("pyvideo/pycon-us-2025/videos/unlearning-sql.json"))
            .unwrap();
    let as_json = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(
        as_json(&exported),
        as_json(&original),
        "the record moves whole"
    );
    assert!(
        !out.path()
            .join("pycon-us-2025/videos/unlearning-sql.json")
            .exists()
    );
    let (action, entity, detail) = audit_entries(&app).await.remove(1);
    assert_eq!((action.as_str(), entity.as_str()), ("move", "talk"));
    assert_eq!(
        detail,
        "Unlearning SQL: from pycon-us-2025/unlearning-sql to sql-summit/unlearning-sql"
    );
}

#[tokio::test]
async fn a_talk_found_in_notes_moves_into_a_catalog_event_it_was_missing_from() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    app.login_as_host().await;
    add_event(&app, "SQL Summit 2026", "sql-summit").await;
    let (_, held) = app.json("/api/v1/talks/from-the-show").await;
    let slug = held["talks"][0]["slug"].as_str().unwrap().to_string();
    let path = format!("/admin/talks/from-the-show/{slug}");
    let options = attrs(&app.page(&path).await, "#event option", "value");
    let form = talk_form_moved_to(&app, &path, "sql-summit").await;

    let response = post_owned(&app, &path, &form).await;

    assert!(
        options.contains(&"from-the-show".to_string()),
        "a talk found in notes may stay where it is: {options:?}"
    );
    assert_is_redirect_to(
        &response,
        &format!("/admin/talks/sql-summit/{slug}?saved=1"),
    );
    let (status, moved) = app.json(&format!("/api/v1/talks/sql-summit/{slug}")).await;
    assert_eq!(status, 200);
    assert_eq!(moved["discussed_in"][0]["episode_number"], 434);
    let (_, still_held) = app.json("/api/v1/talks/from-the-show").await;
    assert_eq!(
        still_held["talks"].as_array().unwrap().len() + 1,
        held["talks"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn a_talk_moved_where_its_slug_is_taken_gets_the_next_free_one() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;
    add_event(&app, "SQL Summit 2026", "sql-summit").await;
    add_talk(&app, "sql-summit", &[("title", "Unlearning SQL")]).await;
    let form = talk_form_moved_to(&app, UNLEARNING, "sql-summit").await;

    let response = post_owned(&app, UNLEARNING, &form).await;

    assert_is_redirect_to(
        &response,
        "/admin/talks/sql-summit/unlearning-sql-2?saved=1",
    );
    let (_, moved) = app.json("/api/v1/talks/sql-summit/unlearning-sql-2").await;
    assert_eq!(moved["speakers"][0]["name"], "Ryan Curtin");
}

#[tokio::test]
async fn a_talk_cannot_be_moved_into_the_notes_holding_event() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;
    let form = talk_form_moved_to(&app, UNLEARNING, "from-the-show").await;

    let response = post_owned(&app, UNLEARNING, &form).await;

    assert_eq!(response.status(), 422);
    let page = html(response).await;
    assert_eq!(
        error_beside(&page, "event").as_deref(),
        Some("must be one of the events listed")
    );
    assert_eq!(
        app.get("/talks/pycon-us-2025/unlearning-sql")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn deleting_a_talk_asks_first_and_says_which_segments_lose_it() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    app.login_as_host().await;
    let delete = format!("{UNLEARNING}/delete");
    let links_before = count(&app, "select count(*) from segment_talks").await;

    let edit = app.page(UNLEARNING).await;
    let confirm = app.page(&delete).await;
    let unconfirmed = app.admin_post(&delete, &[]).await;
    let still_there = app
        .get("/talks/pycon-us-2025/unlearning-sql")
        .await
        .status();
    let confirmed = app.admin_post(&delete, &[("confirm", "yes")]).await;

    assert_eq!(attrs(&edit, "a.danger", "href"), [delete.as_str()]);
    assert_eq!(texts(&confirm, "h1"), ["Delete the talk “Unlearning SQL”?"]);
    let consequences = texts(&confirm, ".consequences li");
    assert!(
        consequences.iter().any(|c| c.contains("public page")),
        "{consequences:?}"
    );
    assert!(
        consequences
            .iter()
            .any(|c| c == "1 episode segment will no longer link to it."),
        "{consequences:?}"
    );
    assert_is_redirect_to(&unconfirmed, &delete);
    assert_eq!(still_there, 200, "a POST without confirm deletes nothing");
    assert_is_redirect_to(&confirmed, "/admin/talks/pycon-us-2025?deleted=1");
    assert_eq!(
        app.get("/talks/pycon-us-2025/unlearning-sql")
            .await
            .status(),
        404
    );
    assert!(search_talk_urls(&app, "unlearning").await.is_empty());
    assert_eq!(
        count(&app, "select count(*) from segment_talks").await,
        links_before - 1
    );
    let (action, entity, detail) = audit_entries(&app).await.remove(0);
    assert_eq!((action.as_str(), entity.as_str()), ("delete", "talk"));
    assert_eq!(
        detail,
        "Unlearning SQL (PyCon US 2025; linked from 1 segment)"
    );
    let event = app.page("/admin/talks/pycon-us-2025?deleted=1").await;
    assert_eq!(texts(&event, ".notice"), ["Talk deleted."]);
}

/// In a real Chromium: a curator adds an event and a talk through the forms (the event's URL
/// name follows its title as typed), and the catalog's admin pages fit phones and desktops
/// with no serious axe-core violation.
#[tokio::test]
async fn a_curator_adds_an_event_and_a_talk_in_the_browser() {
    use crate::browser::{
        axe_source, browser, click_then_wait, fill, look_at, sign_in, start_driver,
    };
    use fantoccini::Locator;

    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    app.import_seed_notes_and_catalog().await;
    let client = browser(&mut driver).await;
    sign_in(&client, &app, "host@example.com").await;
    client
        .goto(&format!("{}/admin/talks", app.address))
        .await
        .unwrap();

    click_then_wait(&client, "a[href='/admin/events/new']", "#slug").await;
    fill(&client, "title", "PyCon Testland 2026").await;
    let suggested = client
        .find(Locator::Id("slug"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    fill(&client, "year", "2026").await;
    click_then_wait(
        &client,
        "form[action='/admin/events/new'] button[type=submit]",
        "a.button[href$='/new-talk']",
    )
    .await;
    click_then_wait(&client, "a.button[href$='/new-talk']", "#video_url").await;
    fill(&client, "title", "Zygomorphic Parsers").await;
    fill(&client, "speakers", "Ada Quillfeather, Bo Lindqvist").await;
    fill(&client, "recorded", "2026-04-02").await;
    fill(
        &client,
        "video_url",
        "https://www.youtube.com/watch?v=abcDEF12345",
    )
    .await;
    fill(&client, "description", "Parsing with flowers.").await;
    click_then_wait(
        &client,
        "form[action$='/new-talk'] button[type=submit]",
        ".notice",
    )
    .await;
    let landed = client.current_url().await.unwrap();

    assert_eq!(suggested.as_deref(), Some("pycon-testland-2026"));
    assert_eq!(
        landed.path(),
        "/admin/talks/pycon-testland-2026/zygomorphic-parsers"
    );
    let (_, talk) = app
        .json("/api/v1/talks/pycon-testland-2026/zygomorphic-parsers")
        .await;
    assert_eq!(talk["speakers"][1]["name"], "Bo Lindqvist");
    let pages = [
        ("admin-event-new", "/admin/events/new".to_string()),
        (
            "admin-talk-new",
            "/admin/events/pycon-testland-2026/new-talk".to_string(),
        ),
        (
            "admin-event-talks",
            "/admin/talks/pycon-testland-2026".to_string(),
        ),
        (
            "admin-talk-moveable",
            "/admin/talks/pycon-testland-2026/zygomorphic-parsers".to_string(),
        ),
        ("admin-talk-delete", format!("{UNLEARNING}/delete")),
    ];
    let problems = look_at(&client, &app, &pages, axe_source().as_deref()).await;
    // What the screens above leave below the fold on a phone: the talk's delete button, and
    // the new-talk form sent with mistakes.
    let talk_page = format!("{}{}", app.address, pages[3].1);
    client.goto(&talk_page).await.unwrap();
    shoot_at(&client, ".episode-actions", "admin-talk-actions-phone").await;
    let new_talk = format!("{}{}", app.address, pages[1].1);
    client.goto(&new_talk).await.unwrap();
    fill(&client, "video_url", "youtube.com/watch?v=abc").await;
    click_then_wait(
        &client,
        "form[action$='/new-talk'] button[type=submit]",
        "#video_url-error",
    )
    .await;
    shoot_at(&client, "#title", "admin-talk-new-errors-phone").await;
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Scrolls `selector` into view and saves a screenshot as `name`.png.
async fn shoot_at(client: &fantoccini::Client, selector: &str, name: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![selector.into()],
        )
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(
        crate::browser::screenshot_dir().join(format!("{name}.png")),
        png,
    )
    .unwrap();
}
