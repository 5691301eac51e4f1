//! The episode editor in a real headless Chromium: segments written, added and reordered
//! without a save in between, the preview following, publishing, and two hosts colliding.

use fantoccini::{Client, Locator};

use crate::browser::{
    Driver, axe_source, browser, click, click_then_wait, fill, look_at, screenshot_dir,
    serious_violations, sideways_overflow, sign_in, start_driver, start_driver_in_time_zone, texts,
};
use crate::helpers::{TestApp, spawn_app};

const ALT: char = '\u{E00A}';
const ARROW_DOWN: char = '\u{E015}';

/// Waits until the element at `xpath` is on the page (the live preview caught up).
async fn wait_for(client: &Client, xpath: &str, what: &str) {
    let found = client.wait().for_element(Locator::XPath(xpath)).await;
    assert!(found.is_ok(), "{what} never showed");
}

/// The preview's segment at `position` has this title.
fn preview_title_at(position: usize, title: &str) -> String {
    format!(
        "//div[@id='episode-preview']//section[@id='segment-{position}']//h2[contains(., '{title}')]"
    )
}

/// Whether leaving the page now would ask first (the page cancels `beforeunload`).
async fn leaving_asks_first(client: &Client) -> bool {
    client
        .execute(
            "const leaving = new Event('beforeunload', {cancelable: true});
             window.dispatchEvent(leaving);
             return leaving.defaultPrevented;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

async fn focused_id(client: &Client) -> String {
    client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn value_of(client: &Client, selector: &str) -> String {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn rect(client: &Client, selector: &str) -> (f64, f64, f64, f64) {
    let found = client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.left, r.top, r.right, r.bottom];",
            vec![selector.into()],
        )
        .await
        .unwrap();
    let v: Vec<f64> = serde_json::from_value(found).unwrap();
    (v[0], v[1], v[2], v[3])
}

/// A fresh site with the seed episode 434, and a browser signed in as a host there (`None`
/// where Chromium is missing). The driver lives as long as the browser is used.
async fn host_in_browser() -> Option<(Driver, TestApp, Client)> {
    host_in_browser_in_time_zone(None).await
}

/// [`host_in_browser`] with the browser in time zone `zone`.
async fn host_in_browser_in_time_zone(zone: Option<&str>) -> Option<(Driver, TestApp, Client)> {
    let mut driver = start_driver_in_time_zone(zone)?;
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    app.import_seed_notes_and_catalog().await;
    let client = browser(&mut driver).await;
    sign_in(&client, &app, "host@example.com").await;
    Some((driver, app, client))
}

/// Opens the seed episode's editor; returns the episode's id.
async fn open_editor_of_434(app: &TestApp, client: &Client) -> i64 {
    let id = app.episode_id(434).await;
    client
        .goto(&format!("{}/admin/episodes/{id}", app.address))
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_host_writes_three_segments_reorders_by_keyboard_and_publishes_without_saving_between() {
    let Some((_driver, app, client)) = host_in_browser().await else {
        return;
    };
    client
        .goto(&format!("{}/admin/episodes/new", app.address))
        .await
        .unwrap();

    fill(&client, "number", "77").await;
    fill(&client, "title", "Browser made").await;
    fill(&client, "seg-0-person", "Brian").await;
    fill(&client, "seg-0-number", "1").await;
    fill(&client, "seg-0-title", "First written").await;
    fill(&client, "seg-0-notes", "- **bold** note").await;
    click(&client, "button[data-add-kind=topic]").await;
    fill(&client, "seg-new1-person", "Michael").await;
    fill(&client, "seg-new1-number", "2").await;
    fill(&client, "seg-new1-title", "Second written").await;
    click(&client, "button[data-add-kind=joke]").await;
    fill(&client, "seg-new2-title", "Third written").await;

    assert_eq!(
        texts(&client, ".segment-heading").await,
        [
            "Brian #1: First written",
            "Michael #2: Second written",
            "Joke: Third written"
        ],
        "each card is titled from what was typed in it"
    );
    wait_for(
        &client,
        &preview_title_at(3, "Third written"),
        "the joke in the preview",
    )
    .await;
    wait_for(
        &client,
        "//div[@id='episode-preview']//section[@id='segment-1']//strong[.='bold']",
        "the notes rendered in the preview",
    )
    .await;

    // A copy of the joke, then removed again: still no save.
    click(
        &client,
        "li[data-segment]:nth-child(3) button[data-duplicate]",
    )
    .await;
    assert_eq!(value_of(&client, "#seg-new3-title").await, "Third written");
    assert_eq!(texts(&client, ".segment-heading").await.len(), 4);
    click(&client, "li[data-segment]:nth-child(4) button[data-remove]").await;
    assert_eq!(texts(&client, ".segment-heading").await.len(), 3);

    client
        .find(Locator::Id("seg-0-title"))
        .await
        .unwrap()
        .send_keys(&format!("{ALT}{ARROW_DOWN}"))
        .await
        .unwrap();
    assert_eq!(
        texts(&client, ".segment-heading").await,
        [
            "Michael #2: Second written",
            "Brian #1: First written",
            "Joke: Third written"
        ],
        "Alt+Down moved the first card below the second"
    );
    wait_for(
        &client,
        "//*[@id='segment-announcer'][contains(., 'Moved Brian #1: First written to position 2 of 3')]",
        "the move announced",
    )
    .await;
    wait_for(
        &client,
        &preview_title_at(1, "Second written"),
        "the preview in the new order",
    )
    .await;
    assert_eq!(value_of(&client, "#seg-0-position").await, "2");

    assert!(
        leaving_asks_first(&client).await,
        "unsaved changes: leaving asks first"
    );
    // Publishing saves what is typed first: no Save in between.
    click_then_wait(
        &client,
        "form.editor button[value=publish]",
        ".status-published",
    )
    .await;
    assert!(
        !leaving_asks_first(&client).await,
        "nothing unsaved after publishing"
    );
    client
        .goto(&format!("{}/episodes/77", app.address))
        .await
        .unwrap();

    assert_eq!(
        texts(&client, ".segment h2").await,
        [
            "Michael #2: Second written",
            "Brian #1: First written",
            "Joke: Third written"
        ]
    );
    assert_eq!(
        texts(&client, ".segment-topic .notes strong").await,
        ["bold"]
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_editor_shows_form_and_preview_side_by_side_and_one_column_on_phones() {
    let Some((_driver, app, client)) = host_in_browser().await else {
        return;
    };
    // A draft not yet dated: the preview must say so, without a stray "· with".
    sqlx::query("update episodes set status = 'draft', published_at = null where number = 434")
        .execute(&app.state.db)
        .await
        .unwrap();
    let id = app.episode_id(434).await;
    let editor = format!("/admin/episodes/{id}");
    let axe = axe_source();
    let problems = look_at(
        &client,
        &app,
        &[
            ("editor", editor.clone()),
            ("editor-episodes", "/admin/episodes".to_string()),
        ],
        axe.as_deref(),
    )
    .await;
    assert!(problems.is_empty(), "{problems:#?}");

    client.set_window_size(1280, 900).await.unwrap();
    client
        .goto(&format!("{}{editor}", app.address))
        .await
        .unwrap();
    let form = rect(&client, "form.editor").await;
    let preview = rect(&client, ".workspace-preview").await;
    assert!(
        preview.0 >= form.2 && form.2 - form.0 > 500.0,
        "wide: the form ({form:?}) is roomy and the preview ({preview:?}) is beside it"
    );
    assert_eq!(
        texts(&client, "#episode-preview .draft-flag strong").await,
        ["Draft"]
    );
    assert!(
        !texts(&client, "#episode-preview .meta")
            .await
            .iter()
            .any(|meta| meta.starts_with('·')),
        "no stray separator when the draft has no date"
    );

    // A bad number: its error shows beside it, and the title stays where it was.
    let fieldset = rect(&client, "form.editor fieldset").await;
    let title = rect(&client, "#title").await;
    fill(&client, "number", "seventy").await;
    click_then_wait(&client, "form.editor button.primary", "#number-error").await;
    assert_eq!(
        focused_id(&client).await,
        "error-summary",
        "the error summary is read first"
    );
    click(&client, "#error-summary a[href='#number']").await;
    assert_eq!(
        focused_id(&client).await,
        "number",
        "its link leads to the field"
    );
    let fieldset_after = rect(&client, "form.editor fieldset").await;
    let title_after = rect(&client, "#title").await;
    assert_eq!(
        (
            title_after.0 - fieldset_after.0,
            title_after.1 - fieldset_after.1
        ),
        (title.0 - fieldset.0, title.1 - fieldset.1),
        "the error moved the title field"
    );

    client.set_window_size(390, 844).await.unwrap();
    let form = rect(&client, "form.editor").await;
    let preview = rect(&client, ".workspace-preview").await;
    assert!(
        preview.1 >= form.3,
        "on a phone the preview ({preview:?}) comes after the form ({form:?})"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_host_in_berlin_schedules_in_berlin_time_and_reads_when_in_berlin_time() {
    let Some((_driver, app, client)) = host_in_browser_in_time_zone(Some("Europe/Berlin")).await
    else {
        return;
    };
    open_editor_of_434(&app, &client).await;
    assert_eq!(
        texts(&client, "label[for=publish_at] [data-zone-name]").await,
        ["Europe/Berlin"],
        "the page says which zone its times are in"
    );

    client
        .execute(
            "document.getElementById('publish_at').value = '2999-12-02T18:00';",
            vec![],
        )
        .await
        .unwrap();
    click_then_wait(
        &client,
        "form.editor button[value=schedule]",
        ".status-scheduled",
    )
    .await;

    let stored: String = sqlx::query_scalar("select publish_at from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        stored, "2999-12-02T17:00:00.000000Z",
        "18:00 in Berlin is 17:00 UTC, in the one stored form"
    );
    assert_eq!(
        texts(&client, ".status-line strong").await,
        ["Scheduled for Mon 2 Dec 2999, 18:00 (Europe/Berlin)"]
    );
    assert_eq!(
        value_of(&client, "#publish_at").await,
        "2999-12-02T18:00",
        "the date field keeps the time"
    );
    client
        .goto(&format!("{}/admin/episodes", app.address))
        .await
        .unwrap();
    assert_eq!(
        texts(&client, "td.status-scheduled").await,
        ["scheduled for Mon 2 Dec 2999, 18:00 (Europe/Berlin)"]
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_draft_saves_itself_and_a_second_hosts_autosave_meets_a_conflict_not_a_lost_edit() {
    let Some((mut driver, app, one)) = host_in_browser().await else {
        return;
    };
    sqlx::query("update episodes set status = 'draft', published_at = null where number = 434")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.add_user("two@example.com", "host").await;
    let two = browser(&mut driver).await;
    sign_in(&two, &app, "two@example.com").await;
    let editor = format!(
        "{}/admin/episodes/{}",
        app.address,
        app.episode_id(434).await
    );
    one.goto(&editor).await.unwrap();
    two.goto(&editor).await.unwrap();

    fill(&one, "title", "Autosaved by one").await;
    wait_for(
        &one,
        "//*[@id='autosave-status'][contains(., 'Draft saved automatically')]",
        "the autosave",
    )
    .await;
    let saved: String = sqlx::query_scalar("select title from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(saved, "Autosaved by one");
    assert!(!leaving_asks_first(&one).await, "saved: nothing to lose");

    fill(&two, "title", "Typed by two").await;
    wait_for(
        &two,
        "//*[@id='autosave-conflict'][not(@hidden)]",
        "the conflict message",
    )
    .await;
    let kept: String = sqlx::query_scalar("select title from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        kept, "Autosaved by one",
        "the newer version was not overwritten"
    );

    click_then_wait(&two, "#autosave-conflict button", ".conflict").await;
    assert_eq!(
        texts(&two, ".conflict-title").await,
        ["Autosaved by one", "Typed by two"]
    );
    assert_eq!(
        texts(&two, ".difference h3").await,
        ["Title differs"],
        "only what differs"
    );
    for (name, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        two.set_window_size(width, height).await.unwrap();
        let png = two.screenshot().await.unwrap();
        std::fs::write(
            screenshot_dir().join(format!("editor-conflict-{name}.png")),
            png,
        )
        .unwrap();
        let overflow = sideways_overflow(&two).await;
        assert!(
            overflow <= 0,
            "the conflict page scrolls sideways by {overflow}px at {width}px"
        );
    }
    if let Some(axe) = axe_source() {
        assert_eq!(serious_violations(&two, &axe).await, Vec::<String>::new());
    }
    one.close().await.unwrap();
    two.close().await.unwrap();
}

#[tokio::test]
async fn two_hosts_saving_one_episode_see_a_conflict_not_a_lost_edit() {
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("one@example.com", "host").await;
    app.add_user("two@example.com", "host").await;
    app.import(
        crate::helpers::episode(5, "Shared")
            .topic("Brian", 1, "Topic", "https://t.example/", "- n")
            .draft()
            .build(),
    )
    .await;
    let id = app.episode_id(5).await;
    let (one, two) = (browser(&mut driver).await, browser(&mut driver).await);
    sign_in(&one, &app, "one@example.com").await;
    sign_in(&two, &app, "two@example.com").await;
    let editor = format!("{}/admin/episodes/{id}", app.address);
    one.goto(&editor).await.unwrap();
    two.goto(&editor).await.unwrap();

    fill(&one, "title", "Title by one").await;
    click_then_wait(&one, "form.editor button.primary", ".notice").await;
    fill(&two, "title", "Title by two").await;
    click_then_wait(&two, "form.editor button.primary", ".conflict").await;

    assert_eq!(
        texts(&two, ".conflict-title").await,
        ["Title by one", "Title by two"]
    );
    assert_eq!(value_of(&two, "form.editor #title").await, "Title by two");
    let saved: String = sqlx::query_scalar("select title from episodes where number = 5")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(saved, "Title by one");
    one.close().await.unwrap();
    two.close().await.unwrap();
}

#[tokio::test]
async fn the_revisions_and_confirmation_pages_read_well_on_wide_screens_and_phones() {
    let Some((_driver, app, client)) = host_in_browser().await else {
        return;
    };
    let id = open_editor_of_434(&app, &client).await;
    fill(&client, "title", "Marimo, retitled after the show").await;
    click_then_wait(&client, "form.editor button.primary", "p.notice").await;
    let revisions: Vec<i64> =
        sqlx::query_scalar("select id from episode_revisions where episode_id = ? order by id")
            .bind(id)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let (older, newer) = (revisions[0], revisions[revisions.len() - 1]);

    let axe = axe_source();
    let problems = look_at(
        &client,
        &app,
        &[
            ("revisions", format!("/admin/episodes/{id}/revisions")),
            (
                "revisions-compare",
                format!("/admin/episodes/{id}/revisions/compare?from={older}&to={newer}"),
            ),
            (
                "revisions-restore-confirm",
                format!("/admin/episodes/{id}/revisions/{older}/restore"),
            ),
            (
                "episode-delete-confirm",
                format!("/admin/episodes/{id}/delete"),
            ),
        ],
        axe.as_deref(),
    )
    .await;

    assert!(problems.is_empty(), "{problems:#?}");
    client
        .goto(&format!(
            "{}/admin/episodes/{id}/revisions/compare?from={older}&to={newer}",
            app.address
        ))
        .await
        .unwrap();
    assert_eq!(
        texts(&client, ".line-diff .line-removed, .line-diff .line-added").await,
        [
            "removed # Episode 434: Python Bytes 434",
            "added # Episode 434: Marimo, retitled after the show"
        ],
        "a save from the browser changes only what was typed (no line endings)"
    );
    client.close().await.unwrap();
}
