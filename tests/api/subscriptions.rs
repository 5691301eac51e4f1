//! Joining and leaving the friends of the show, through the form and the mailed links.

use mail_parser::MessageParser;
use reqwest::StatusCode;
use scraper::Html;

use crate::helpers::{attrs, spawn_app, texts};
use crate::smtp_sink::Received;

/// The first URL in a mail's text part starting with `prefix`.
pub fn link_in(mail: &Received, prefix: &str) -> String {
    let message = MessageParser::default()
        .parse(&mail.data)
        .expect("a parsable mail");
    let text = message.body_text(0).expect("a text part").into_owned();
    text.split_whitespace()
        .find(|word| word.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} link in {text}"))
        .trim_end_matches(['>', '.', ','])
        .to_string()
}

fn subject_of(mail: &Received) -> String {
    let message = MessageParser::default().parse(&mail.data).expect("mail");
    message.subject().unwrap_or_default().to_string()
}

pub(crate) async fn status_of(app: &crate::helpers::TestApp, email: &str) -> String {
    sqlx::query_scalar("select status from subscribers where email = ?")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("subscriber row")
}

#[tokio::test]
async fn signing_up_sends_a_link_that_confirms_once() {
    let app = spawn_app().await;

    let response = app.subscribe("Ada", "  Ada@Example.com ").await;
    let mails = app.smtp.wait_for(1).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/friends-of-the-show/check-your-inbox"
    );
    assert_eq!(mails[0].to, vec!["ada@example.com".to_string()]);
    assert_eq!(status_of(&app, "ada@example.com").await, "pending");
    let link = link_in(
        &mails[0],
        &format!("{}/friends-of-the-show/confirm/", app.address),
    );
    let path = link.trim_start_matches(&app.address);
    let first = app.get(path).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(status_of(&app, "ada@example.com").await, "confirmed");
    assert_eq!(
        app.get(path).await.status(),
        StatusCode::GONE,
        "a link works once"
    );
}

#[tokio::test]
async fn the_answer_never_reveals_whether_an_address_is_on_the_list() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["known@example.com"]).await;

    let known = app.subscribe("Known", "known@example.com").await;
    let unknown = app.subscribe("New", "new@example.com").await;
    let mails = app.smtp.wait_for(2).await;

    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.headers()["location"], unknown.headers()["location"]);
    let to_known = mails
        .iter()
        .find(|m| m.to == ["known@example.com"])
        .expect("mail to known");
    assert!(
        subject_of(to_known).contains("already"),
        "{}",
        subject_of(to_known)
    );
    assert_eq!(status_of(&app, "known@example.com").await, "confirmed");
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.csrf_token("/friends-of-the-show").await;

    let forged = app
        .post_form(
            "/friends-of-the-show",
            &[
                ("name", "Eve"),
                ("email", "eve@example.com"),
                ("csrf", "guess"),
            ],
        )
        .await;
    let missing = app
        .post_form(
            "/friends-of-the-show",
            &[("name", "Eve"), ("email", "eve@example.com")],
        )
        .await;

    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.smtp.count(), 0);
}

#[tokio::test]
async fn the_form_page_sets_an_httponly_samesite_cookie_and_is_not_cached() {
    let app = spawn_app().await;

    let response = app.get("/friends-of-the-show").await;

    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("csrf="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(texts(&page, "label[for=email]")[0], "Your email");
}

#[tokio::test]
async fn a_bad_address_re_renders_the_form_with_what_was_typed() {
    let app = spawn_app().await;

    let response = app.subscribe("Ada Lovelace", "ada@").await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(attrs(&page, "input[name=name]", "value"), ["Ada Lovelace"]);
    assert_eq!(attrs(&page, "input[name=email]", "value"), ["ada@"]);
    assert_eq!(
        texts(&page, "#email-error"),
        ["That does not look like an email address."]
    );
    assert_eq!(app.smtp.count(), 0);
}

#[tokio::test]
async fn a_filled_honeypot_looks_like_success_but_sends_nothing() {
    let app = spawn_app().await;
    let csrf = app.csrf_token("/friends-of-the-show").await;

    let response = app
        .post_form(
            "/friends-of-the-show",
            &[
                ("name", "Bot"),
                ("email", "bot@example.com"),
                ("website", "http://spam"),
                ("csrf", &csrf),
            ],
        )
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.smtp.count(),
        0,
        "mail is sent before the answer, so none will come"
    );
    let count: i64 = sqlx::query_scalar("select count(*) from subscribers")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn one_ip_cannot_send_the_form_over_and_over() {
    let app = spawn_app().await;

    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses.push(
            app.subscribe("Ada", &format!("ada{n}@example.com"))
                .await
                .status(),
        );
    }

    assert!(
        statuses[..5].iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.smtp.count(), 5);
}

#[tokio::test]
async fn a_forged_unsubscribe_link_is_not_found() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["ada@example.com"]).await;

    let response = app
        .client
        .post(format!(
            "{}/friends-of-the-show/unsubscribe/1.forged",
            app.address
        ))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, "ada@example.com").await, "confirmed");
}

#[tokio::test]
async fn an_address_gets_at_most_three_confirmation_mails_a_day() {
    let app = spawn_app().await;

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.subscribe("Ada", "ada@example.com").await.status());
    }
    app.subscribe("Bob", "bob@example.com").await;
    let mails = app.smtp.wait_for(4).await;

    assert_eq!(
        statuses,
        [StatusCode::SEE_OTHER; 4],
        "the same answer each time"
    );
    let to_ada = mails.iter().filter(|m| m.to == ["ada@example.com"]).count();
    assert_eq!(to_ada, 3);
    assert_eq!(mails.last().unwrap().to, ["bob@example.com"]);
}

#[tokio::test]
async fn sign_ups_from_one_ipv6_64_share_one_limit() {
    let app = crate::helpers::spawn_app_behind_proxy().await;

    let mut statuses = Vec::new();
    for n in 1..=6 {
        let csrf = app.csrf_token("/friends-of-the-show").await;
        let email = format!("ada{n}@example.com");
        let response = app
            .client
            .post(format!("{}/friends-of-the-show", app.address))
            .header("x-forwarded-for", format!("2001:db8:0:1::{n}"))
            .form(&[
                ("name", "Ada"),
                ("email", email.as_str()),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }

    assert_eq!(statuses[4], StatusCode::SEE_OTHER);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
}
