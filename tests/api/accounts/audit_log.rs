//! The audit log as hosts and admins read it.

use crate::helpers::{PASSWORD, TestApp, spawn_app, texts};

/// An audited action by the signed-in admin.
async fn invite_a_host(app: &TestApp) {
    app.admin_post(
        "/admin/users",
        &[("email", "new-host@example.com"), ("role", "host")],
    )
    .await;
}

#[tokio::test]
async fn a_host_reading_the_audit_log_sees_no_email_addresses_and_an_admin_does() {
    let app = spawn_app().await;
    app.add_user("host@example.com", "host").await;
    app.login_as_admin().await;
    invite_a_host(&app).await;

    let as_admin = app.page("/admin/audit").await;
    assert_eq!(app.login("host@example.com", PASSWORD).await.status(), 303);
    let as_host = app.page("/admin/audit").await;

    assert!(texts(&as_admin, "table.audit td.who").contains(&"admin@example.com".to_string()));
    let host_cells = texts(&as_host, "table.audit td");
    assert!(
        host_cells.iter().all(|cell| !cell.contains('@')),
        "{host_cells:?}"
    );
    assert!(texts(&as_host, "table.audit td.who").contains(&"an admin".to_string()));
    assert!(texts(&as_host, "table.audit td.who").contains(&"command line".to_string()));
}

#[tokio::test]
async fn audit_entries_read_as_words_to_the_minute_with_a_link_to_the_thing() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    invite_a_host(&app).await;

    let page = app.page("/admin/audit").await;

    let when = texts(&page, "table.audit time").remove(0);
    assert_eq!(when.len(), "2025-05-19 17:04 UTC".len(), "{when}");
    let minute = when.trim_end_matches(" UTC");
    assert!(!minute.contains('.') && !minute.contains('T'), "{when}");
    assert_eq!(texts(&page, "table.audit td.what a")[0], "invited a user");
    assert_eq!(
        crate::helpers::attrs(&page, "table.audit td.what a", "href")[0],
        "/admin/users"
    );
}
