//! An admin removes accounts, changes roles and ends sessions, each after a confirmation.

use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, form_csrf_with, spawn_app, spawn_client, texts,
};

/// Adds Brian's host account, linked to the person Brian; returns the account's id.
async fn add_brian(app: &TestApp) -> i64 {
    app.add_user("brian@example.com", "host").await;
    sqlx::query("insert into people (slug, name) values ('brian', 'Brian')")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query_scalar(
        "update users set person_id = (select id from people where slug = 'brian')
         where email = 'brian@example.com' returning id",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// The id of the account with this email.
async fn id_of(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("select id from users where email = ?")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// A second browser signed in as `email`.
async fn browser_signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = spawn_client(app);
    let csrf = form_csrf_with(&browser, app, "/admin/login").await;
    let response = browser
        .post(format!("{}/admin/login", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{email} signs in");
    browser
}

async fn status_in(browser: &reqwest::Client, app: &TestApp, path: &str) -> StatusCode {
    let url = format!("{}{path}", app.address);
    browser.get(url).send().await.unwrap().status()
}

#[tokio::test]
async fn an_admin_removes_a_host_after_a_confirmation_that_says_what_happens() {
    let app = spawn_app().await;
    let brian = add_brian(&app).await;
    let mut conn = app.state.db.acquire().await.unwrap();
    shownotes::admin::audit(
        &mut conn,
        Some(brian),
        "update",
        "person",
        None,
        "bio",
        &shownotes::clock::Timestamp::parse("2025-01-01T08:00:00.000000Z").unwrap(),
    )
    .await
    .unwrap();
    drop(conn);
    let brians_browser = browser_signed_in(&app, "brian@example.com").await;
    app.login_as_admin().await;

    let confirm = app.page(&format!("/admin/users/{brian}/remove")).await;
    let removed = app
        .admin_post(&format!("/admin/users/{brian}/remove"), &[])
        .await;

    assert_eq!(
        texts(&confirm, "form.confirm p")[0],
        "Remove Brian (brian@example.com)? Their episodes stay. They are signed out at once and can no longer sign in."
    );
    assert_is_redirect_to(&removed, "/admin/users?done=remove");
    let users = app.page("/admin/users?done=remove").await;
    assert_eq!(
        texts(&users, "p.notice"),
        ["Done: the account was removed."]
    );
    assert!(!texts(&users, "table.users td").contains(&"brian@example.com".to_string()));
    assert_eq!(
        status_in(&brians_browser, &app, "/admin/episodes").await,
        303
    );
    assert_eq!(app.login("brian@example.com", PASSWORD).await.status(), 422);
    app.login("admin@example.com", PASSWORD).await;
    let audit = app.page("/admin/audit").await;
    let rows = texts(&audit, "table.audit tbody tr");
    assert!(
        rows[0].contains("removed user") && rows[0].contains("Removed Brian"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|row| row.starts_with("2025-01-01 08:00 UTCBrian updated person")),
        "their entries stay theirs: {rows:?}"
    );
}

#[tokio::test]
async fn an_admin_can_remove_neither_themselves_nor_the_last_admin() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let me: i64 = id_of(&app, "admin@example.com").await;

    let remove_me = app
        .admin_post(&format!("/admin/users/{me}/remove"), &[])
        .await;
    let demote_me = app
        .admin_post(&format!("/admin/users/{me}/make-host"), &[])
        .await;

    assert_eq!(remove_me.status(), StatusCode::CONFLICT);
    assert!(
        remove_me
            .text()
            .await
            .unwrap()
            .contains("You cannot remove your own account.")
    );
    assert_eq!(demote_me.status(), StatusCode::CONFLICT);
    assert!(
        demote_me
            .text()
            .await
            .unwrap()
            .contains("at least one admin")
    );
    assert_eq!(
        app.get("/admin/users").await.status(),
        200,
        "still an admin"
    );
}

#[tokio::test]
async fn an_admin_changes_roles_both_ways() {
    let app = spawn_app().await;
    let brian = add_brian(&app).await;
    app.login_as_admin().await;

    let confirm = app.page(&format!("/admin/users/{brian}/make-admin")).await;
    let promoted = app
        .admin_post(&format!("/admin/users/{brian}/make-admin"), &[])
        .await;
    let brians_browser = browser_signed_in(&app, "brian@example.com").await;
    let as_admin = status_in(&brians_browser, &app, "/admin/users").await;
    let me: i64 = id_of(&app, "admin@example.com").await;
    let demoted = app
        .admin_post(&format!("/admin/users/{me}/make-host"), &[])
        .await;

    assert!(
        texts(&confirm, "form.confirm p")[0]
            .starts_with("Make Brian (brian@example.com) an admin?")
    );
    assert_is_redirect_to(&promoted, "/admin/users?done=make-admin");
    assert_eq!(as_admin, 200);
    assert_is_redirect_to(&demoted, "/admin/users?done=make-host");
    assert_eq!(app.get("/admin/users").await.status(), 403, "now a host");
}

#[tokio::test]
async fn ending_someones_sessions_signs_out_their_open_browsers() {
    let app = spawn_app().await;
    let brian = add_brian(&app).await;
    let first = browser_signed_in(&app, "brian@example.com").await;
    let second = browser_signed_in(&app, "brian@example.com").await;
    app.login_as_admin().await;

    let ended = app
        .admin_post(&format!("/admin/users/{brian}/end-sessions"), &[])
        .await;

    assert_is_redirect_to(&ended, "/admin/users?done=end-sessions");
    assert_eq!(status_in(&first, &app, "/admin/episodes").await, 303);
    assert_eq!(status_in(&second, &app, "/admin/episodes").await, 303);
    assert_eq!(
        app.get("/admin/users").await.status(),
        200,
        "the admin stays"
    );
    let again = browser_signed_in(&app, "brian@example.com").await;
    assert_eq!(status_in(&again, &app, "/admin/episodes").await, 200);
}

#[tokio::test]
async fn hosts_cannot_act_on_accounts_and_forms_need_their_token() {
    let app = spawn_app().await;
    app.add_user("admin@example.com", "admin").await;
    let brian = add_brian(&app).await;
    app.login_as_host().await;

    let confirm = app.get(&format!("/admin/users/{brian}/remove")).await;
    let remove = app
        .admin_post(&format!("/admin/users/{brian}/remove"), &[])
        .await;
    app.login("admin@example.com", PASSWORD).await;
    let forged = app
        .post_form(&format!("/admin/users/{brian}/remove"), &[])
        .await;

    assert_eq!(confirm.status(), 403);
    assert_eq!(remove.status(), 403);
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.login("brian@example.com", PASSWORD).await.status(),
        303,
        "still there"
    );
}
