//! The digest: composed from the notes, delivered over real SMTP, unsubscribed in one click.

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use reqwest::StatusCode;
use shownotes::digest::manage;
use shownotes::mail::Mailer;

use crate::helpers::{TestApp, episode, fast_delivery, spawn_app, spawn_app_with, texts};
use crate::smtp_sink::Received;
use crate::subscriptions::link_in;

const SUBJECT: &str = "My Show #434: Most of OpenAI\u{2019}s tech stack runs on Python";

fn header_text(mail: &Received, name: &str) -> String {
    let message = MessageParser::default().parse(&mail.data).expect("mail");
    match message.header(name) {
        Some(HeaderValue::Text(text)) => text.to_string(),
        _ => raw_header(mail, name),
    }
}

/// A header as sent, unfolded.
fn raw_header(mail: &Received, name: &str) -> String {
    let text = String::from_utf8_lossy(&mail.data).replace("\r\n ", " ");
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string))
        .unwrap_or_else(|| panic!("no {name} header"))
}

async fn subscriber_status(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select status from subscribers where email = ?")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("subscriber")
}

#[tokio::test]
async fn a_confirmed_friend_gets_the_digest_and_leaves_with_one_click() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.subscribe("Ada", "ada@example.com").await;
    let confirm = link_in(&app.smtp.wait_for(1).await[0], &app.address);
    app.get(confirm.trim_start_matches(&app.address)).await;
    app.subscribe("Bob", "bob@example.com").await; // never confirms

    let queued = manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;
    let mails = app.smtp.wait_for(3).await;

    assert_eq!(queued, 1, "only confirmed subscribers are queued");
    let digest = mails
        .iter()
        .find(|m| header_text(m, "Subject") == SUBJECT)
        .expect("the digest");
    assert_eq!(digest.to, ["ada@example.com"]);
    let message = MessageParser::default().parse(&digest.data).unwrap();
    assert!(message.message_id().is_some_and(|id| id.contains('@')));
    assert!(message.date().is_some());
    assert_eq!(
        message.content_type().map(|c| (c.ctype(), c.subtype())),
        Some(("multipart", Some("alternative")))
    );
    let html = message.body_html(0).unwrap();
    let text = message.body_text(0).unwrap();
    assert!(
        html.contains("Making PyPI\u{2019}s test suite 81% faster</a>"),
        "{html}"
    );
    assert!(html.contains("style=\""), "inline styles for mail clients");
    assert!(
        text.contains("- Parallelizing test execution with pytest-xdist"),
        "{text}"
    );
    assert!(!text.contains("<li>"), "the text part is not HTML");
    assert_eq!(
        header_text(digest, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let list_unsubscribe = header_text(digest, "List-Unsubscribe");
    let one_click = list_unsubscribe
        .split(['<', '>'])
        .find(|p| p.starts_with("http"))
        .unwrap()
        .to_string();
    assert!(
        !list_unsubscribe.contains("mailto:"),
        "no reply address is configured, so no mailto: {list_unsubscribe}"
    );
    assert!(
        html.contains(&one_click),
        "the visible link is the header's link"
    );

    let path = one_click.trim_start_matches(&app.address);
    let page = app.page(path).await;
    assert_eq!(
        subscriber_status(&app, "ada@example.com").await,
        "confirmed",
        "a GET never unsubscribes"
    );
    assert_eq!(texts(&page, "main form button"), ["Unsubscribe"]);
    let mail_client = reqwest::Client::new();
    let response = mail_client
        .post(&one_click)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        subscriber_status(&app, "ada@example.com").await,
        "unsubscribed"
    );
}

#[tokio::test]
async fn temporary_failures_are_retried_and_permanent_ones_kept_with_their_error() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&[
        "ok1@example.com",
        "busy@example.com",
        "gone@example.com",
        "down@example.com",
        "ok2@example.com",
    ])
    .await;
    app.smtp
        .answer("busy@example.com", "451 4.3.0 try again later", Some(2));
    app.smtp
        .answer("gone@example.com", "550 5.1.1 mailbox unavailable", None);
    app.smtp
        .answer("down@example.com", "452 4.2.2 mailbox full", None);

    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;

    let progress = manage::progress(&app.state.db, 434).await.unwrap();
    assert_eq!((progress.sent, progress.failed, progress.queued), (3, 2, 0));
    assert_eq!(progress.status.as_str(), "sent");
    let mut to: Vec<String> = app.smtp.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(
        to,
        ["busy@example.com", "ok1@example.com", "ok2@example.com"],
        "each delivered once"
    );
    let failures = manage::failures(&app.state.db, 434).await.unwrap();
    let attempts: Vec<(i64, bool)> = failures
        .iter()
        .map(|f| {
            (
                f.attempts,
                f.error.contains("550") || f.error.contains("452"),
            )
        })
        .collect();
    assert_eq!(attempts.len(), 2);
    assert!(
        attempts.contains(&(1, true)),
        "5xx fails at once: {failures:?}"
    );
    assert!(
        attempts.contains(&(fast_delivery().max_attempts, true)),
        "4xx gives up after N: {failures:?}"
    );
}

#[tokio::test]
async fn a_paused_digest_waits_and_a_cancelled_one_skips_the_rest() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "b@example.com"])
        .await;

    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    manage::pause(&app.state.db, 434).await.unwrap();
    app.dispatch_all_pending_emails().await;
    let paused = manage::progress(&app.state.db, 434).await.unwrap();
    manage::resume(&app.state.db, 434).await.unwrap();
    app.dispatch_all_pending_emails().await;
    let resumed = manage::progress(&app.state.db, 434).await.unwrap();

    assert_eq!(
        (paused.status.as_str(), paused.queued, paused.sent),
        ("paused", 2, 0)
    );
    assert_eq!((resumed.status.as_str(), resumed.sent), ("sent", 2));
    assert_eq!(app.smtp.count(), 2);
    let again = manage::send_to_all(&app.state.db, &app.state.settings(), 434).await;
    assert!(again.is_err(), "a sent digest is not sent twice");
    assert!(manage::cancel(&app.state.db, 434).await.is_err());
}

#[tokio::test]
async fn cancelling_skips_unsent_mail_and_a_double_send_queues_once() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "b@example.com"])
        .await;

    let first = manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    let second = manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    manage::cancel(&app.state.db, 434).await.unwrap();
    app.dispatch_all_pending_emails().await;

    let progress = manage::progress(&app.state.db, 434).await.unwrap();
    assert_eq!((first, second), (2, 0));
    assert_eq!(
        (progress.status.as_str(), progress.skipped, progress.sent),
        ("cancelled", 2, 0)
    );
    assert_eq!(app.smtp.count(), 0);
}

#[tokio::test]
async fn a_test_send_reaches_one_address_and_queues_nothing() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com"]).await;

    let preview = manage::preview(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    let to = shownotes::subscribers::SubscriberEmail::parse("host@example.com").unwrap();
    manage::send_test(
        &app.state.db,
        &app.state.settings(),
        app.state.mailer.as_ref(),
        434,
        &to,
    )
    .await
    .unwrap();
    let mails = app.smtp.wait_for(1).await;

    assert!(preview.starts_with("<!doctype html>") && preview.contains("Making PyPI"));
    assert_eq!(mails[0].to, ["host@example.com"]);
    assert_eq!(
        header_text(&mails[0], "Subject"),
        format!("[Test] {SUBJECT}")
    );
    assert_eq!(manage::progress(&app.state.db, 434).await.unwrap().total, 0);
}

#[tokio::test]
async fn drafts_have_no_digest() {
    let app = spawn_app().await;
    app.import(crate::helpers::episode(7, "Secret").draft().build())
        .await;

    let error = manage::create_digest(&app.state.db, &app.state.settings(), 7)
        .await
        .unwrap_err();

    assert!(error.to_string().contains("not published"), "{error}");
}

#[tokio::test]
async fn sent_digests_are_in_the_archive_and_its_feed() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com"]).await;
    assert_eq!(
        app.get("/digests/434").await.status(),
        StatusCode::NOT_FOUND
    );

    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;
    app.state.content_changed();

    let archive = app.page("/digests").await;
    assert_eq!(texts(&archive, ".digest-archive a")[0], SUBJECT);
    let page = app.page("/digests/434").await;
    assert!(texts(&page, "article.digest h1")[0].contains("OpenAI"));
    let feed = app.get("/digests/rss").await;
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let xml = feed.text().await.unwrap();
    assert!(
        !xml.contains("<h1") && xml.contains("h1 style"),
        "HTML in the feed is escaped: {xml}"
    );
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads the digest feed");
    assert_eq!(parsed.entries.len(), 1);
    let entry = &parsed.entries[0];
    assert_eq!(entry.title.as_ref().unwrap().content, SUBJECT);
    assert_eq!(entry.links[0].href, format!("{}/digests/434", app.address));
    let summary = entry
        .summary
        .as_ref()
        .expect("the digest's HTML as description");
    assert!(summary.content.contains("OpenAI"), "{}", summary.content);
}

#[tokio::test]
async fn erasing_a_subscriber_removes_the_address_but_keeps_the_counts() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "b@example.com"])
        .await;
    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;

    let email = shownotes::subscribers::SubscriberEmail::parse("a@example.com").unwrap();
    shownotes::subscribers::manage::erase_by_email(&app.state.db, &email)
        .await
        .unwrap();

    let mut csv = Vec::new();
    shownotes::subscribers::manage::export_csv(&app.state.db, &mut csv)
        .await
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        !csv.contains("a@example.com") && csv.contains("b@example.com"),
        "{csv}"
    );
    let left: i64 = sqlx::query_scalar(
        "select count(*) from subscribers where email = 'a@example.com' or name like '%a@%'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(left, 0);
    assert_eq!(manage::progress(&app.state.db, 434).await.unwrap().sent, 2);
}

#[tokio::test]
async fn the_list_is_searchable_and_filtered_by_status() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["ada@example.com", "bob@example.org"])
        .await;
    app.subscribe("Carol", "carol@example.com").await;
    use shownotes::subscribers::manage::{SubscriberQuery, list};

    let by_text = list(
        &app.state.db,
        &SubscriberQuery {
            search: "example.com".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let pending = list(
        &app.state.db,
        &SubscriberQuery {
            status: Some("pending".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let wrong = list(
        &app.state.db,
        &SubscriberQuery {
            status: Some("vip".into()),
            ..Default::default()
        },
    )
    .await;

    assert_eq!(by_text.total, 2);
    assert_eq!(
        pending
            .rows
            .iter()
            .map(|r| r.email.clone().unwrap())
            .collect::<Vec<_>>(),
        ["carol@example.com"]
    );
    assert!(wrong.is_err());
}

/// Leaves the digest's rows as a worker killed mid-send leaves them: claimed long ago with a
/// fixed Message-ID, the first one also handed over (its end-of-data mark may have gone out).
async fn rows_left_by_a_killed_worker(app: &TestApp, handed_over: &str) {
    sqlx::query(
        "update deliveries set status = 'sending', attempts = 1, claimed_at = '2000-01-01T00:00:00Z',
             message_id = '<left-' || subscriber_id || '@example.com>',
             handed_at = case when subscriber_id = (select id from subscribers where email = ?)
                              then '2000-01-01T00:00:01Z' end",
    )
    .bind(handed_over)
    .execute(&app.state.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn after_a_crash_only_mail_that_never_reached_the_server_is_sent_again() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["handed@example.com", "cut-off@example.com"])
        .await;
    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    rows_left_by_a_killed_worker(&app, "handed@example.com").await;

    app.dispatch_all_pending_emails().await;

    let received = app.smtp.received();
    assert_eq!(received.len(), 1, "only the cut-off mail is sent again");
    assert_eq!(received[0].to, ["cut-off@example.com"]);
    assert!(
        received[0].message_id.starts_with("<left-"),
        "with the Message-ID it was first sent with: {}",
        received[0].message_id
    );
    let progress = manage::progress(&app.state.db, 434).await.unwrap();
    assert_eq!((progress.status.as_str(), progress.sent), ("sent", 2));
}

#[tokio::test]
async fn a_message_whose_handover_is_not_recorded_never_reaches_the_server() {
    let app = spawn_app().await;
    let mailer = shownotes::mail::SmtpMailer::from_url(&app.smtp.url(), 1).unwrap();
    let message = |subject: &str| {
        shownotes::mail::plain_message(
            &app.state.settings(),
            "friend@example.com".parse().unwrap(),
            subject,
            "Hello".to_string(),
        )
        .unwrap()
    };

    let refused = mailer
        .send_with_handover(message("abandoned"), &mut || false)
        .await;
    let mut handed = 0;
    let sent = mailer
        .send_with_handover(message("delivered"), &mut || {
            handed += 1;
            true
        })
        .await;

    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(sent, Ok(()));
    assert_eq!(handed, 1);
    let received = app.smtp.received();
    assert_eq!(received.len(), 1, "the abandoned message never arrived");
    assert!(
        String::from_utf8_lossy(&received[0].data).contains("Subject: delivered"),
        "{}",
        String::from_utf8_lossy(&received[0].data)
    );
}

#[tokio::test]
async fn the_unsubscribe_mailto_goes_to_the_configured_sender_never_to_noreply() {
    let app = spawn_app_with("update settings set digest_sender = 'Show <show@example.com>'").await;
    app.import_seed().await;
    app.confirmed_subscribers(&["ada@example.com"]).await;

    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;
    let mails = app.smtp.wait_for(1).await;

    let list_unsubscribe = header_text(&mails[0], "List-Unsubscribe");
    assert!(
        list_unsubscribe.contains("<mailto:show@example.com?subject=unsubscribe>"),
        "{list_unsubscribe}"
    );
    assert!(list_unsubscribe.starts_with("<http"), "{list_unsubscribe}");
    assert!(!list_unsubscribe.contains("noreply"), "{list_unsubscribe}");
}

#[tokio::test]
async fn the_text_part_has_unix_line_endings_even_for_notes_typed_with_crlf() {
    let app = spawn_app().await;
    let notes = "* First point\r\n* Second point\r\n\r\nA closing line\r\n";
    let doc = episode(12, "Line endings")
        .topic(
            "Brian",
            1,
            "Windows notes",
            "https://example.com/crlf",
            notes,
        )
        .build();
    app.import(doc).await;
    app.confirmed_subscribers(&["ada@example.com"]).await;

    manage::send_to_all(&app.state.db, &app.state.settings(), 12)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;
    let mails = app.smtp.wait_for(1).await;

    let message = MessageParser::default().parse(&mails[0].data).unwrap();
    let text = message.body_text(0).unwrap();
    assert!(text.contains("Second point"), "{text}");
    // On the wire MIME writes every line ending as CRLF: one kind, never doubled.
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "{text:?}"
    );
    assert!(!text.contains("\r\r"), "{text:?}");
    let digest = manage::digest_of(&app.state.db, 12).await.unwrap();
    assert!(!digest.text.contains('\r'), "{:?}", digest.text);
}
