//! A host who forgot their password gets a single-use link by mail.

use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, attrs, form_csrf_with, spawn_app, spawn_client, texts,
};
use crate::subscriptions::link_in;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Sends the "forgot your password" form for `email`; returns the status and the page's message.
async fn ask_for_reset(app: &TestApp, email: &str) -> (StatusCode, Vec<String>) {
    let csrf = app.csrf_token("/admin/forgot").await;
    let response = app
        .post_form("/admin/forgot", &[("csrf", &csrf), ("email", email)])
        .await;
    let status = response.status();
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    (status, texts(&page, "main p"))
}

/// The path of the reset link in the `n`th mail the sink received.
async fn reset_path(app: &TestApp, n: usize) -> String {
    let mails = app.smtp.wait_for(n).await;
    let link = link_in(&mails[n - 1], &format!("{}/admin/reset/", app.address));
    link.trim_start_matches(&app.address).to_string()
}

/// Sends the new-password form at `path` from a fresh browser; returns it with the answer.
async fn choose_password(
    app: &TestApp,
    path: &str,
    password: &str,
) -> (reqwest::Client, reqwest::Response) {
    let browser = spawn_client(app);
    // The sign-in form's token: a spent link's page has no form.
    let csrf = form_csrf_with(&browser, app, "/admin/login").await;
    let response = browser
        .post(format!("{}{path}", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", password),
            ("confirm", password),
        ])
        .send()
        .await
        .unwrap();
    (browser, response)
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link_once() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    let login = app.page("/admin/login").await;
    assert!(attrs(&login, "main a", "href").contains(&"/admin/forgot".to_string()));

    let (status, message) = ask_for_reset(&app, "Host@Example.com").await;
    let path = reset_path(&app, 1).await;
    let form = app.page(&path).await;
    let (browser, done) = choose_password(&app, &path, NEW_PASSWORD).await;

    assert_eq!(status, 200);
    assert!(message[0].starts_with("If an account exists for that address, we sent a link"));
    assert_eq!(app.smtp.received()[0].to, ["host@example.com"]);
    assert_eq!(
        attrs(&form, "input[type=password]", "name"),
        ["password", "confirm"]
    );
    assert_is_redirect_to(&done, "/admin");
    let signed_in = browser
        .get(format!("{}/admin/episodes", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200, "the reset signs the browser in");
    assert_eq!(app.login("host@example.com", PASSWORD).await.status(), 422);
    assert_eq!(
        app.login("host@example.com", NEW_PASSWORD).await.status(),
        303
    );
    assert_eq!(app.get(&path).await.status(), StatusCode::GONE);
    let (_, again) = choose_password(&app, &path, "yet another passphrase").await;
    assert_eq!(again.status(), StatusCode::GONE, "the link works once");
}

#[tokio::test]
async fn a_reset_signs_out_every_other_browser_of_the_account() {
    let app = spawn_app().await;
    app.login_as_host().await;

    ask_for_reset(&app, "host@example.com").await;
    let path = reset_path(&app, 1).await;
    choose_password(&app, &path, NEW_PASSWORD).await;

    assert_eq!(app.get("/admin/episodes").await.status(), 303);
}

#[tokio::test]
async fn a_reset_link_older_than_an_hour_no_longer_works() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    ask_for_reset(&app, "host@example.com").await;
    let path = reset_path(&app, 1).await;
    sqlx::query("update password_resets set expires_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&app.state.db)
        .await
        .unwrap();

    let shown = app.get(&path).await;
    let (_, sent) = choose_password(&app, &path, NEW_PASSWORD).await;

    assert_eq!(shown.status(), StatusCode::GONE);
    let page = scraper::Html::parse_document(&shown.text().await.unwrap());
    assert!(texts(&page, ".form-error")[0].contains("has expired or was already used"));
    assert_eq!(sent.status(), StatusCode::GONE);
    assert_eq!(app.login("host@example.com", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;

    let unknown = ask_for_reset(&app, "nobody@example.com").await;
    let known = ask_for_reset(&app, "host@example.com").await;
    app.smtp.wait_for(1).await;

    assert_eq!(unknown, known);
    let rows: i64 = sqlx::query_scalar("select count(*) from password_resets")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows, 1, "a link only for the account");
    assert!(
        app.smtp
            .received()
            .iter()
            .all(|mail| mail.to == ["host@example.com"])
    );
}

#[tokio::test]
async fn an_address_gets_at_most_three_reset_mails_a_day() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    app.add_user("other@example.com", "host").await;

    for _ in 0..4 {
        assert_eq!(ask_for_reset(&app, "host@example.com").await.0, 200);
    }
    ask_for_reset(&app, "other@example.com").await;
    let mails = app.smtp.wait_for(4).await;

    let to_host = mails
        .iter()
        .filter(|m| m.to == ["host@example.com"])
        .count();
    assert_eq!(to_host, 3);
    assert_eq!(app.smtp.count(), 4);
}

#[tokio::test]
async fn a_weak_new_password_is_refused_and_the_link_still_works() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    ask_for_reset(&app, "host@example.com").await;
    let path = reset_path(&app, 1).await;

    let (_, weak) = choose_password(&app, &path, "short").await;
    let weak_status = weak.status();
    let page = scraper::Html::parse_document(&weak.text().await.unwrap());
    let (_, strong) = choose_password(&app, &path, NEW_PASSWORD).await;

    assert_eq!(weak_status, 422);
    assert_eq!(
        texts(&page, "#password-error"),
        ["must be at least 10 characters"]
    );
    assert_is_redirect_to(&strong, "/admin");
}

#[tokio::test]
async fn one_client_asking_for_many_addresses_is_refused_after_ten_a_day() {
    let app = spawn_app().await;

    for n in 0..10 {
        let email = format!("someone{n}@example.com");
        assert_eq!(ask_for_reset(&app, &email).await.0, 200);
    }
    let (status, _) = ask_for_reset(&app, "someone10@example.com").await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
