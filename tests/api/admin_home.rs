//! The admin's home: a checklist of what the show still lacks, each item linked to where it is
//! fixed, until nothing is missing.

use scraper::Html;

use crate::helpers::{PASSWORD, TestApp, assert_is_redirect_to, attrs, spawn_app, spawn_app_with};

/// A show with everything `check feed` asks for and an HTTPS base URL.
const COMPLETE_SHOW: &str = "update settings set base_url = 'https://pythonbytes.fm',
    artwork_url = 'https://pythonbytes.fm/artwork.jpg', owner_email = 'owner@example.com',
    description = 'Python headlines delivered directly to your earbuds', categories = 'Technology'";

/// `GET /admin` as a browser on `host` sends it.
async fn home_on(app: &TestApp, host: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/admin", app.address))
        .header("host", host)
        .send()
        .await
        .unwrap()
}

async fn checklist(app: &TestApp) -> Html {
    let response = app.get("/admin").await;
    assert_eq!(response.status(), 200);
    Html::parse_document(&response.text().await.unwrap())
}

fn items(page: &Html) -> Vec<String> {
    crate::helpers::texts(page, "ol.checklist li")
}

#[tokio::test]
async fn a_new_show_lists_what_directories_would_reject_each_with_where_to_fix_it() {
    let app = spawn_app().await;
    app.login_as_admin().await;

    let page = checklist(&app).await;

    let items = items(&page);
    let has = |words: &str| items.iter().any(|item| item.contains(words));
    assert!(has("no artwork"), "{items:#?}");
    assert!(has("no owner email"), "{items:#?}");
    assert!(has("no description"), "{items:#?}");
    assert!(
        has("is not HTTPS"),
        "the test's base URL is http: {items:#?}"
    );
    assert!(has("No episode is published yet"), "{items:#?}");
    let links = attrs(&page, "ol.checklist a", "href");
    for fix in [
        "/admin/settings#artwork_url",
        "/admin/settings#owner_email",
        "/admin/settings#description",
        "/admin/settings#base_url",
        "/admin/episodes",
    ] {
        assert!(links.contains(&fix.to_string()), "{fix} in {links:?}");
    }
}

#[tokio::test]
async fn an_episode_without_audio_links_to_its_editor() {
    let app = spawn_app_with(COMPLETE_SHOW).await;
    app.import_seed().await;
    sqlx::query("update episodes set audio_url = null where number = 434")
        .execute(&app.state.db)
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("select id from episodes where number = 434")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.login_as_admin().await;

    let page = checklist(&app).await;

    let items = items(&page);
    assert!(
        items
            .iter()
            .any(|item| item.contains("Episode 434") && item.contains("no enclosure")),
        "{items:#?}"
    );
    assert!(attrs(&page, "ol.checklist a", "href").contains(&format!("/admin/episodes/{id}")));
}

#[tokio::test]
async fn browsing_on_another_address_than_the_base_url_is_on_the_list() {
    let app = spawn_app_with(COMPLETE_SHOW).await;
    app.import_seed().await;
    app.login_as_admin().await;

    let page = checklist(&app).await;

    let items = items(&page);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(
        items[0].contains("browsing on 127.0.0.1") && items[0].contains("https://pythonbytes.fm"),
        "{items:#?}"
    );
}

#[tokio::test]
async fn a_complete_show_opens_the_admin_on_its_episodes() {
    let app = spawn_app_with(COMPLETE_SHOW).await;
    app.import_seed().await;
    app.login_as_admin().await;

    let home = home_on(&app, "pythonbytes.fm").await;

    assert_is_redirect_to(&home, "/admin/episodes");
}

#[tokio::test]
async fn a_host_sees_who_fixes_the_settings_without_a_link_they_cannot_open() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    assert_eq!(app.login("host@example.com", PASSWORD).await.status(), 303);

    let page = checklist(&app).await;

    let items = items(&page);
    assert!(
        items
            .iter()
            .any(|item| item.contains("no artwork") && item.contains("(an admin sets this)")),
        "{items:#?}"
    );
    let links = attrs(&page, "ol.checklist a", "href");
    assert!(
        !links.iter().any(|link| link.contains("#artwork_url")),
        "{links:?}"
    );
}
