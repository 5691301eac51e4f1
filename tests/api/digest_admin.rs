//! The admin pages of the friends of the show: the subscriber list and the digests.

use scraper::Html;

use crate::helpers::{TestApp, assert_is_redirect_to, attrs, spawn_app, texts};

async fn subscriber_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("select id from subscribers where email = ?")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("subscriber")
}

/// Runs an action as its button does: `send` and `cancel` through their confirmation page's form.
async fn digest_action(app: &TestApp, action: &str) {
    let response = app
        .admin_post(
            "/admin/digests/434",
            &[("action", action), ("confirm", "yes")],
        )
        .await;
    assert_is_redirect_to(&response, "/admin/digests/434?saved=1");
}

/// The seed episode, three confirmed subscribers and a pending one; an admin signed in.
async fn seed_with_three_confirmed_and_one_pending() -> TestApp {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "b@example.com", "c@example.com"])
        .await;
    app.subscribe("Pending", "pending@example.com").await;
    app.login_as_admin().await;
    app
}

async fn digest_status(app: &TestApp) -> String {
    let page = app.page("/admin/digests/434").await;
    texts(&page, ".digest-status").concat()
}

#[tokio::test]
async fn a_host_sees_the_counts_but_cannot_export_or_erase() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["ada@example.com"]).await;
    app.login_as_host().await;
    let id = subscriber_id(&app, "ada@example.com").await;

    let page = app.page("/admin/subscribers").await;
    let export = app.get("/admin/subscribers/export.csv").await;
    let ask = app.get(&format!("/admin/subscribers/{id}/erase")).await;
    let erase = app
        .admin_post(
            &format!("/admin/subscribers/{id}/erase"),
            &[("confirm", "yes")],
        )
        .await;

    assert_eq!(texts(&page, "td[data-status=confirmed]"), ["1"]);
    assert!(
        texts(&page, "td.email").is_empty(),
        "hosts see no addresses"
    );
    assert_eq!(export.status(), 403);
    assert_eq!(ask.status(), 403);
    assert_eq!(erase.status(), 403);
    assert_eq!(
        subscriber_id(&app, "ada@example.com").await,
        id,
        "still there"
    );
}

#[tokio::test]
async fn an_admin_exports_the_list_as_a_csv_attachment() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["ada@example.com"]).await;
    app.login_as_admin().await;

    let response = app.get("/admin/subscribers/export.csv").await;

    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let body = response.text().await.unwrap();
    let ada = body.lines().find(|l| l.starts_with("ada@example.com,"));
    assert!(ada.is_some_and(|l| l.contains(",confirmed,")), "{body}");
}

#[tokio::test]
async fn an_import_through_the_page_reports_the_line_of_a_bad_row() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let csv = "email,name\nok@example.com,Ok\nnot an address,Bad\n";

    let response = app
        .admin_post("/admin/subscribers/import", &[("csv", csv)])
        .await;

    assert_eq!(response.status(), 200);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert!(
        texts(&page, ".import-summary")
            .concat()
            .starts_with("1 imported")
    );
    let skipped = texts(&page, ".skipped li");
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].starts_with("Line 3:"), "{skipped:?}");
    let list = app.page("/admin/subscribers").await;
    assert_eq!(texts(&list, "td.email"), ["ok@example.com"]);
}

#[tokio::test]
async fn a_created_digest_previews_the_episodes_topics_in_a_sandbox() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_admin().await;

    digest_action(&app, "create").await;
    let response = app.get("/admin/digests/434/preview").await;

    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("sandbox") && csp.contains("style-src 'unsafe-inline'"),
        "{csp}"
    );
    let preview = Html::parse_document(&response.text().await.unwrap());
    let text = texts(&preview, "body").concat();
    for title in [
        "PyCon Talks on YouTube",
        "Optimizing Python Import Performance",
    ] {
        assert!(text.contains(title), "{title} missing from the preview");
    }
    assert_eq!(digest_status(&app).await, "draft");
}

#[tokio::test]
async fn a_test_mail_goes_to_the_signed_in_admin() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_admin().await;

    digest_action(&app, "create").await;
    digest_action(&app, "test").await;

    let mails = app.smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["admin@example.com"]);
}

#[tokio::test]
async fn after_sending_to_all_the_progress_shows_every_confirmed_subscriber_sent() {
    let app = seed_with_three_confirmed_and_one_pending().await;

    digest_action(&app, "create").await;
    digest_action(&app, "send").await;
    app.dispatch_all_pending_emails().await;

    let page = app.page("/admin/digests/434").await;
    assert_eq!(texts(&page, "td.sent"), ["3"]);
    assert_eq!(texts(&page, "td.queued"), ["0"]);
    let list = app.page("/admin/digests").await;
    assert_eq!(texts(&list, "td.status"), ["sent"]);
}

#[tokio::test]
async fn a_digest_sent_from_the_admin_ends_sent_and_reaches_the_archive() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "gone@example.com"])
        .await;
    app.smtp
        .answer("gone@example.com", "550 5.1.1 mailbox unavailable", None);
    app.login_as_admin().await;
    let _worker = app.start_serve_worker();

    digest_action(&app, "send").await;

    let archive = app
        .page_once("/digests", |page| {
            !texts(page, ".digest-archive a").is_empty()
        })
        .await;
    assert!(texts(&archive, ".digest-archive a")[0].contains("OpenAI"));
    assert_eq!(app.smtp.received()[0].to, ["a@example.com"]);
    let detail = app.page("/admin/digests/434").await;
    assert_eq!(texts(&detail, ".digest-status"), ["sent, 1 failed"]);
    let buttons = texts(&detail, ".actions button");
    assert!(!buttons.iter().any(|b| b.contains("Pause")), "{buttons:?}");
    let list = app.page("/admin/digests").await;
    assert_eq!(texts(&list, "td.status"), ["sent, 1 failed"]);
}

#[tokio::test]
async fn pause_resume_and_cancel_change_the_status_shown() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com"]).await;
    app.login_as_admin().await;
    digest_action(&app, "send").await;
    assert_eq!(digest_status(&app).await, "sending");

    digest_action(&app, "pause").await;
    assert_eq!(digest_status(&app).await, "paused");
    digest_action(&app, "resume").await;
    assert_eq!(digest_status(&app).await, "sending");
    digest_action(&app, "cancel").await;
    assert_eq!(digest_status(&app).await, "cancelled");

    let refused = app
        .admin_post("/admin/digests/434", &[("action", "resume")])
        .await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn a_digest_post_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_admin().await;

    let response = app
        .post_form("/admin/digests/434", &[("action", "create")])
        .await;

    assert_eq!(response.status(), 403);
    let list = app.page("/admin/digests").await;
    assert_eq!(texts(&list, "td.status"), ["none yet"]);
}

#[tokio::test]
async fn the_audit_log_lists_the_digest_send() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.confirmed_subscribers(&["a@example.com", "b@example.com"])
        .await;
    app.login_as_admin().await;

    digest_action(&app, "send").await;

    let audit = app.page("/admin/audit").await;
    let rows = texts(&audit, "tbody tr");
    assert!(
        rows.iter()
            .any(|r| r.contains("sent digest") && r.contains("episode 434: 2 queued")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn the_list_pages_by_fifty_and_filters_by_status() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..51)
        .map(|i| format!("friend{i:02}@example.com"))
        .collect();
    app.confirmed_subscribers(&emails.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    app.subscribe("Pending", "pending@example.com").await;
    app.login_as_admin().await;

    let first = app.page("/admin/subscribers?status=confirmed").await;
    let second = app.page("/admin/subscribers?status=confirmed&page=2").await;
    let pending = app
        .page("/admin/subscribers?status=pending&search=pend")
        .await;

    assert_eq!(texts(&first, "td.email").len(), 50);
    assert_eq!(texts(&first, "nav.pagination button"), ["Next page"]);
    assert_eq!(texts(&second, "td.email").len(), 1);
    assert_eq!(texts(&second, "nav.pagination button"), ["Previous page"]);
    assert_eq!(texts(&pending, "td.email"), ["pending@example.com"]);
}

#[tokio::test]
async fn previewing_before_creating_the_digest_creates_nothing() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.login_as_admin().await;

    let response = app.get("/admin/digests/434/preview").await;

    assert_eq!(response.status(), 400);
    let list = app.page("/admin/digests").await;
    assert_eq!(texts(&list, "td.status"), ["none yet"]);
}

#[tokio::test]
async fn a_formula_in_a_subscriber_name_is_exported_as_text() {
    let app = spawn_app().await;
    app.subscribe(
        "=HYPERLINK(\"https://evil.example\",\"x\")",
        "eve@example.com",
    )
    .await;
    app.subscribe("@SUM(1+1)", "sam@example.com").await;
    app.subscribe("-2+3", "neg@example.com").await;
    app.subscribe("Ada", "ada@example.com").await;
    app.login_as_admin().await;

    let csv = app
        .get("/admin/subscribers/export.csv")
        .await
        .text()
        .await
        .unwrap();

    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "'-2+3",
            "'=HYPERLINK(\"https://evil.example\",\"x\")",
            "'@SUM(1+1)",
            "Ada"
        ]
    );
}

async fn deliveries(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from deliveries")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn erasing_asks_first_and_only_the_confirmation_erases() {
    let app = spawn_app().await;
    app.confirmed_subscribers(&["ada@example.com", "bob@example.com"])
        .await;
    app.login_as_admin().await;
    let id = subscriber_id(&app, "ada@example.com").await;
    let list = app.page("/admin/subscribers").await;
    assert!(
        attrs(&list, "a.danger", "href").contains(&format!("/admin/subscribers/{id}/erase")),
        "the list's erase is a link to the question, not a form that acts"
    );

    let question = app.page(&format!("/admin/subscribers/{id}/erase")).await;
    let first_post = app
        .admin_post(&format!("/admin/subscribers/{id}/erase"), &[])
        .await;
    let still_listed = app.page("/admin/subscribers").await;

    assert_eq!(texts(&question, "h1"), ["Erase ada@example.com for good?"]);
    assert_eq!(
        texts(&question, ".confirm button.danger"),
        ["Erase for good"]
    );
    assert_is_redirect_to(&first_post, &format!("/admin/subscribers/{id}/erase"));
    assert_eq!(
        texts(&still_listed, "td.email"),
        ["ada@example.com", "bob@example.com"]
    );

    let confirmed = app
        .admin_post(
            &format!("/admin/subscribers/{id}/erase"),
            &[("confirm", "yes")],
        )
        .await;

    assert_is_redirect_to(&confirmed, "/admin/subscribers?saved=1");
    let list = app.page("/admin/subscribers?saved=1").await;
    assert_eq!(texts(&list, "td.email"), ["bob@example.com"]);
    assert_eq!(texts(&list, "td[data-status=erased]"), ["1"]);
}

#[tokio::test]
async fn sending_to_all_names_the_real_count_and_the_first_click_sends_nothing() {
    let app = seed_with_three_confirmed_and_one_pending().await;
    digest_action(&app, "create").await;
    let detail = app.page("/admin/digests/434").await;
    assert!(
        attrs(&detail, "a.danger", "href").contains(&"/admin/digests/434/send".to_string()),
        "send is a link to the question"
    );

    let first_post = app
        .admin_post("/admin/digests/434", &[("action", "send")])
        .await;
    let question = app.page("/admin/digests/434/send").await;

    assert_is_redirect_to(&first_post, "/admin/digests/434/send");
    assert_eq!(texts(&question, "h1"), ["Send to 3 confirmed subscribers?"]);
    assert_eq!(digest_status(&app).await, "draft");
    assert_eq!(deliveries(&app).await, 0);

    digest_action(&app, "send").await;

    assert_eq!(digest_status(&app).await, "sending");
    assert_eq!(deliveries(&app).await, 3);
}

#[tokio::test]
async fn cancelling_for_good_says_what_stays_unsent_and_asks_first() {
    let app = seed_with_three_confirmed_and_one_pending().await;
    digest_action(&app, "send").await;

    let first_post = app
        .admin_post("/admin/digests/434", &[("action", "cancel")])
        .await;
    let question = app.page("/admin/digests/434/cancel").await;

    assert_is_redirect_to(&first_post, "/admin/digests/434/cancel");
    assert_eq!(
        texts(&question, "h1"),
        ["Cancel the digest of episode 434 for good?"]
    );
    assert!(
        texts(&question, ".consequences li")[0].starts_with("3 mails not sent yet"),
        "{:?}",
        texts(&question, ".consequences li")
    );
    assert_eq!(digest_status(&app).await, "sending");

    digest_action(&app, "cancel").await;

    assert_eq!(digest_status(&app).await, "cancelled");
}
