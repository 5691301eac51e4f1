//! Each recipient's digest differs from the others only where it must: To, Message-ID, the
//! unsubscribe link in both bodies and in List-Unsubscribe.

use mail_parser::{Address, HeaderValue, MessageParser};
use shownotes::digest::{manage, store};
use shownotes::subscribers::subscribe::unsubscribe_url;

use crate::helpers::{TestApp, spawn_app};
use crate::smtp_sink::Received;

/// What a recipient can read in a received digest.
struct Read {
    to: (Option<String>, String),
    message_id: String,
    list_unsubscribe: String,
    text: String,
    html: String,
}

fn read(mail: &Received) -> Read {
    let message = MessageParser::default().parse(&mail.data).expect("mail");
    let to = match message.to() {
        Some(Address::List(list)) => (
            list[0].name().map(str::to_string),
            list[0].address().unwrap_or_default().to_string(),
        ),
        other => panic!("one To mailbox, got {other:?}"),
    };
    let list_unsubscribe = match message.header("List-Unsubscribe") {
        Some(HeaderValue::Address(Address::List(list))) => list
            .iter()
            .map(|a| format!("<{}>", a.address().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", "),
        Some(HeaderValue::Text(text)) => text.to_string(),
        other => panic!("a List-Unsubscribe header, got {other:?}"),
    };
    Read {
        to,
        message_id: message.message_id().unwrap_or_default().to_string(),
        list_unsubscribe,
        text: message.body_text(0).expect("text part").into_owned(),
        html: message.body_html(0).expect("html part").into_owned(),
    }
}

/// Gives a subscriber the id `id` before anything is queued (ids of different lengths make
/// unsubscribe links of different lengths).
async fn renumber(app: &TestApp, email: &str, id: i64) {
    sqlx::query("update subscribers set id = ? where email = ?")
        .bind(id)
        .bind(email)
        .execute(&app.state.db)
        .await
        .expect("renumber");
}

#[tokio::test]
async fn two_recipients_each_get_their_own_address_link_and_message_id_and_nothing_else_differs() {
    let app = spawn_app().await;
    app.import_seed().await;
    let long = "zo\u{eb}.the.friend.with.a.rather.long.address.for.folding@example.com";
    let csv =
        format!("email,name\nada@example.com,\n{long},\"Zo\u{eb} Fr\u{ed}end, of the Show\"\n");
    shownotes::subscribers::manage::import_csv(&app.state.db, csv.as_bytes(), "test")
        .await
        .unwrap();
    renumber(&app, "ada@example.com", 7).await;
    renumber(&app, long, 123_456_789).await;

    manage::send_to_all(&app.state.db, &app.state.settings(), 434)
        .await
        .unwrap();
    app.dispatch_all_pending_emails().await;
    let mails = app.smtp.wait_for(2).await;

    let base = app.state.settings().base_url.clone();
    let mut seen = Vec::new();
    for (id, name, address) in [
        (7, None, "ada@example.com"),
        (123_456_789, Some("Zo\u{eb} Fr\u{ed}end, of the Show"), long),
    ] {
        let mail = mails
            .iter()
            .find(|m| m.to == [address])
            .unwrap_or_else(|| panic!("a digest for {address}"));
        let read = read(mail);
        let link = unsubscribe_url(&base, &app.state.key, id);
        assert_eq!(read.to, (name.map(str::to_string), address.to_string()));
        assert_eq!(read.list_unsubscribe, format!("<{link}>"));
        assert_eq!(read.text.matches(&link).count(), 1, "{}", read.text);
        assert_eq!(
            read.html.matches(&format!("href=\"{link}\"")).count(),
            1,
            "{}",
            read.html
        );
        let stored: String =
            sqlx::query_scalar("select message_id from deliveries where subscriber_id = ?")
                .bind(id)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert_eq!(format!("<{}>", read.message_id), stored);
        seen.push((
            read.message_id,
            read.text.replace(&link, "LINK"),
            read.html.replace(&link, "LINK"),
        ));
    }

    assert_ne!(seen[0].0, seen[1].0, "each mail has its own Message-ID");
    assert_eq!(
        seen[0].1, seen[1].1,
        "the text parts differ only in the link"
    );
    assert_eq!(
        seen[0].2, seen[1].2,
        "the HTML parts differ only in the link"
    );
    for (id, address) in [(7, "ada@example.com"), (123_456_789, long)] {
        let link = unsubscribe_url(&base, &app.state.key, id);
        let response = reqwest::Client::new()
            .post(&link)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{address}");
        let status: String = sqlx::query_scalar("select status from subscribers where id = ?")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(status, "unsubscribed", "{address} left with their own link");
    }
}

#[tokio::test]
async fn a_batch_claims_each_row_once_with_its_own_message_id_and_gives_back_what_it_never_tried() {
    let app = spawn_app().await;
    app.seed_digest_queued_for(&["a@example.com", "b@example.com"])
        .await;
    let mut conn = app.state.db.acquire().await.unwrap();
    let now = shownotes::clock::now();
    let ids: Vec<String> = (0..3).map(|n| format!("<{n}@example.com>")).collect();

    let claims = store::claim_pending(&mut conn, None, &now, &ids)
        .await
        .unwrap();
    let again = store::claim_pending(&mut conn, None, &now, &ids)
        .await
        .unwrap();
    store::release(&mut conn, &claims[..1]).await.unwrap();
    let released = manage::progress(&app.state.db, 434).await.unwrap();
    manage::cancel(&app.state.db, 434).await.unwrap();
    store::release(&mut conn, &claims[1..]).await.unwrap();
    drop(conn);
    app.dispatch_all_pending_emails().await;

    assert_eq!(claims.len(), 2, "both rows in one claim");
    assert!(again.is_empty(), "a claimed row is not claimed twice");
    assert_ne!(claims[0].message_id, claims[1].message_id);
    assert_eq!((released.queued, released.sending), (1, 1));
    let progress = manage::progress(&app.state.db, 434).await.unwrap();
    assert_eq!(
        (progress.status.as_str(), progress.skipped, progress.sent),
        ("cancelled", 2, 0),
        "rows given back after the cancel are skipped, not left queued"
    );
    assert_eq!(app.smtp.count(), 0);
}
