//! Signing in: sessions, the first admin's link, roles, CSRF and rate limits.

mod admin_users;
mod audit_log;
mod password_reset;

use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, attrs, spawn_app, spawn_app_behind_proxy, texts,
};

#[tokio::test]
async fn the_admin_sends_anonymous_visitors_to_the_login_page() {
    let app = spawn_app().await;

    let response = app.get("/admin/episodes?status=draft").await;

    assert_is_redirect_to(
        &response,
        "/admin/login?next=%2Fadmin%2Fepisodes%3Fstatus%3Ddraft",
    );
}

#[tokio::test]
async fn signing_in_sets_a_fresh_httponly_lax_session_cookie() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;

    let first = app.login("Host@Example.com", PASSWORD).await;
    let first_cookie = first.headers()["set-cookie"].to_str().unwrap().to_string();
    let second = app.login("host@example.com", PASSWORD).await;
    let second_cookie = second.headers()["set-cookie"].to_str().unwrap().to_string();

    assert_is_redirect_to(&first, "/admin");
    assert!(
        first_cookie.contains("HttpOnly") && first_cookie.contains("SameSite=Lax"),
        "{first_cookie}"
    );
    assert!(
        !first_cookie.contains("Secure"),
        "plain http base URL: no Secure flag"
    );
    assert_ne!(
        first_cookie.split(';').next(),
        second_cookie.split(';').next(),
        "a new session at every login"
    );
    assert_eq!(app.get("/admin/episodes").await.status(), 200);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer_and_keep_the_email() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;

    let wrong = app.login("host@example.com", "not the password").await;
    let wrong_status = wrong.status();
    let wrong_page = scraper::Html::parse_document(&wrong.text().await.unwrap());
    let unknown = app.login("nobody@example.com", PASSWORD).await;
    let unknown_status = unknown.status();
    let unknown_page = scraper::Html::parse_document(&unknown.text().await.unwrap());

    assert_eq!(wrong_status, 422);
    assert_eq!(unknown_status, 422);
    assert_eq!(
        texts(&wrong_page, ".form-error"),
        texts(&unknown_page, ".form-error")
    );
    assert!(texts(&wrong_page, ".form-error")[0].starts_with("Email or password is wrong."));
    assert_eq!(
        attrs(&unknown_page, "input[name=email]", "value"),
        ["nobody@example.com"]
    );
}

#[tokio::test]
async fn repeated_failures_are_refused_with_429_and_a_clear_message() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;

    for _ in 0..5 {
        assert_eq!(
            app.login("host@example.com", "wrong password!")
                .await
                .status(),
            422
        );
    }
    let refused = app.login("host@example.com", PASSWORD).await;

    assert_eq!(refused.status(), 429);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins. Try again in 15 minutes.")
    );
}

#[tokio::test]
async fn a_forged_post_gets_403() {
    let app = spawn_app().await;
    app.login_as_host().await;

    let no_token = app
        .post_form(
            "/admin/episodes/new",
            &[("number", "1"), ("title", "Forged")],
        )
        .await;
    let wrong_token = app
        .post_form(
            "/admin/episodes/new",
            &[("csrf", "0000"), ("number", "1"), ("title", "Forged")],
        )
        .await;
    let anonymous_login = reqwest::Client::new()
        .post(format!("{}/admin/login", app.address))
        .form(&[("email", "host@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();

    assert_eq!(no_token.status(), 403);
    assert_eq!(wrong_token.status(), 403);
    assert_eq!(
        anonymous_login.status(),
        403,
        "the login form has its own token"
    );
}

#[tokio::test]
async fn hosts_cannot_manage_users_or_settings() {
    let app = spawn_app().await;
    app.login_as_host().await;

    assert_eq!(app.get("/admin/users").await.status(), 403);
    assert_eq!(app.get("/admin/settings").await.status(), 403);
    assert_eq!(
        app.admin_post("/admin/settings", &[("title", "Hijacked")])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.admin_post(
            "/admin/users",
            &[("email", "x@example.com"), ("role", "admin")]
        )
        .await
        .status(),
        403
    );
    assert_eq!(app.get("/admin/episodes").await.status(), 200);
}

#[tokio::test]
async fn the_first_run_link_creates_the_first_admin_once() {
    let app = spawn_app().await;
    let link = shownotes::accounts::setup::first_run_link(&app.state.db, "http://127.0.0.1:8000")
        .await
        .unwrap()
        .expect("no users yet");
    let path = link
        .strip_prefix(&app.address)
        .or_else(|| link.split_once("8000").map(|(_, p)| p))
        .unwrap()
        .to_string();

    let csrf = app.csrf_token(&path).await;
    let short = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("email", "me@example.com"),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    let short_status = short.status();
    let short_page = scraper::Html::parse_document(&short.text().await.unwrap());
    let done = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("email", "me@example.com"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    let reused = app.get(&path).await;

    assert_eq!(short_status, 422);
    assert_eq!(
        texts(&short_page, "#password-error"),
        ["must be at least 10 characters"]
    );
    assert_eq!(
        attrs(&short_page, "#password", "aria-describedby"),
        ["password-error"]
    );
    assert_eq!(attrs(&short_page, "#email", "value"), ["me@example.com"]);
    assert_is_redirect_to(&done, "/admin");
    assert_eq!(
        app.get("/admin/users").await.status(),
        200,
        "signed in as admin"
    );
    assert_eq!(reused.status(), 403);
    assert!(
        shownotes::accounts::setup::first_run_link(&app.state.db, "http://127.0.0.1:8000")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_first_run_link_creates_no_admin_once_an_admin_exists() {
    let app = spawn_app().await;
    let link = shownotes::accounts::setup::first_run_link(&app.state.db, &app.address)
        .await
        .unwrap()
        .expect("no users yet");
    let path = link.strip_prefix(&app.address).unwrap().to_string();
    let csrf = app.csrf_token("/admin/login").await;
    app.add_user("admin@example.com", "admin").await;

    let page = app.get(&path).await;
    let taken = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("email", "mallory@example.com"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;

    assert_eq!(page.status(), 403);
    assert_eq!(taken.status(), 403);
    assert_eq!(
        app.login("mallory@example.com", PASSWORD).await.status(),
        422,
        "no account was made"
    );
}

#[tokio::test]
async fn an_admin_invites_a_host_who_sets_a_password() {
    let app = spawn_app().await;
    app.login_as_admin().await;

    let page = app
        .admin_post(
            "/admin/users",
            &[
                ("email", "guest-host@example.com"),
                ("role", "host"),
                ("person_id", ""),
            ],
        )
        .await;
    let page = scraper::Html::parse_document(&page.text().await.unwrap());
    let link = texts(&page, ".invite-link").remove(0);
    let path = link
        .strip_prefix(&app.address)
        .or_else(|| link.split_once("8000").map(|(_, p)| p))
        .unwrap()
        .to_string();
    let host = crate::helpers::spawn_client(&app);
    let csrf = crate::helpers::form_csrf_with(&host, &app, &path).await;
    let done = host
        .post(format!("{}{path}", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_is_redirect_to(&done, "/admin");
    let users = app.page("/admin/users").await;
    assert!(texts(&users, "table.list td").contains(&"guest-host@example.com".to_string()));
    let audit = app.page("/admin/audit").await;
    assert!(
        texts(&audit, "table.audit td")
            .iter()
            .any(|t| t.contains("host invitation"))
    );
}

#[test]
fn user_add_reads_the_password_from_stdin_never_argv() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shownotes"))
        .args([
            "user",
            "add",
            "--email",
            "New@Example.com",
            "--role",
            "admin",
            "--db",
            db.to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "added admin new@example.com"
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_site_is_served_over_https() {
    let app = spawn_app().await;
    sqlx::query("update settings set base_url = 'https://pythonbytes.example'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.reload_settings().await.unwrap();
    app.add_user("host@example.com", "host").await;

    let response = app.login("host@example.com", PASSWORD).await;

    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

/// Signs in through the form as a client behind a proxy (`X-Forwarded-For: client`).
async fn login_from(app: &TestApp, client: &str, email: &str, password: &str) -> StatusCode {
    let csrf = app.csrf_token("/admin/login").await;
    app.client
        .post(format!("{}/admin/login", app.address))
        .header("x-forwarded-for", client)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn failures_on_one_account_never_block_another_accounts_correct_password() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    app.add_user("other@example.com", "host").await;

    for _ in 0..5 {
        app.login("host@example.com", "wrong password!").await;
    }
    let blocked = app.login("host@example.com", PASSWORD).await;
    let other = app.login("other@example.com", PASSWORD).await;

    assert_eq!(blocked.status(), 429);
    assert_is_redirect_to(&other, "/admin");
}

#[tokio::test]
async fn sixteen_parallel_wrong_guesses_get_five_answers_and_eleven_refusals() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    let csrf = app.csrf_token("/admin/login").await;

    let guesses = (0..16).map(|n| {
        let password = format!("wrong password {n}");
        let form = [
            ("csrf", csrf.clone()),
            ("email", "host@example.com".to_string()),
            ("password", password),
        ];
        app.client
            .post(format!("{}/admin/login", app.address))
            .form(&form)
            .send()
    });
    let answers = futures_util::future::join_all(guesses).await;

    let mut statuses: Vec<u16> = answers
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    statuses.sort();
    assert_eq!(statuses, [[422; 5].as_slice(), &[429; 11]].concat());
}

#[tokio::test]
async fn the_sign_in_form_says_how_many_tries_are_left() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;

    let first = app.login("host@example.com", "wrong password!").await;
    let page = scraper::Html::parse_document(&first.text().await.unwrap());
    let second = app.login("host@example.com", "wrong password!").await;
    let again = scraper::Html::parse_document(&second.text().await.unwrap());

    assert_eq!(
        texts(&page, ".form-error"),
        ["Email or password is wrong. 4 tries left, then sign-in pauses for 15 minutes."]
    );
    assert!(texts(&again, ".form-error")[0].contains("3 tries left"));
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_tries() {
    let proxied = spawn_app_behind_proxy().await;
    let direct = spawn_app().await;
    for app in [&proxied, &direct] {
        app.add_user("host@example.com", "host").await;
        for _ in 0..5 {
            login_from(app, "203.0.113.5", "host@example.com", "wrong password!").await;
        }
    }

    let guesser = login_from(&proxied, "203.0.113.5", "host@example.com", PASSWORD).await;
    let host = login_from(&proxied, "198.51.100.7", "host@example.com", PASSWORD).await;
    let spoofed = login_from(&direct, "198.51.100.7", "host@example.com", PASSWORD).await;

    assert_eq!(guesser, 429);
    assert_eq!(host, 303, "another client signs in");
    assert_eq!(
        spoofed, 429,
        "without trusted proxies the header is ignored"
    );
}

#[tokio::test]
async fn an_ipv6_client_is_limited_by_its_64() {
    let app = spawn_app_behind_proxy().await;
    app.add_user("host@example.com", "host").await;

    for n in 1..=5 {
        let client = format!("2001:db8:0:1::{n}");
        login_from(&app, &client, "host@example.com", "wrong password!").await;
    }
    let same_64 = login_from(&app, "2001:db8:0:1::99", "host@example.com", PASSWORD).await;
    let other_64 = login_from(&app, "2001:db8:0:2::1", "host@example.com", PASSWORD).await;

    assert_eq!(same_64, 429);
    assert_eq!(other_64, 303);
}

#[tokio::test]
async fn a_session_unused_for_two_days_ends_and_one_in_use_stays() {
    let app = spawn_app().await;
    app.login_as_host().await;
    let set_last_seen = |days_ago: i64| {
        let db = app.state.db.clone();
        async move {
            sqlx::query("update sessions set last_seen_at = ?")
                .bind(shownotes::clock::after(time::Duration::days(-days_ago)))
                .execute(&db)
                .await
                .unwrap();
        }
    };

    set_last_seen(1).await;
    let in_use = app.get("/admin/episodes").await;
    let touched: String = sqlx::query_scalar("select last_seen_at from sessions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    set_last_seen(3).await;
    let idle = app.get("/admin/episodes").await;

    assert_eq!(in_use.status(), 200, "used yesterday: still signed in");
    assert!(
        touched > shownotes::clock::after(time::Duration::minutes(-1)).stored(),
        "using it moves the idle clock: {touched}"
    );
    assert_is_redirect_to(&idle, "/admin/login?next=%2Fadmin%2Fepisodes");
}
