//! Times: whatever form a time arrives in (an import's offset, a host's whole minute, an older
//! database's whole seconds), it is stored as one moment and pages sort by it.

use serde_json::json;
use shownotes::episodes::model::EpisodeDoc;

use crate::helpers::{spawn_app, texts};

/// The migration that brought every stored time to one form, run again over rows written the
/// way older versions wrote them.
const ONE_TIME_FORMAT: &str = include_str!("../../migrations/0140_one_time_format.sql");

fn published(number: i64, title: &str, at: &str) -> EpisodeDoc {
    serde_json::from_value(json!({
        "number": number, "title": title, "status": "published", "published_at": at, "segments": []
    }))
    .expect("an episode document")
}

#[tokio::test]
async fn an_imported_time_with_another_zones_offset_is_the_same_moment_in_utc() {
    let app = spawn_app().await;
    // 09:30 in Berlin is 07:30 UTC: earlier than 08:00 UTC, though it reads as later.
    app.import(published(
        1,
        "Recorded in Berlin",
        "2025-05-27T09:30:00+02:00",
    ))
    .await;
    app.import(published(2, "Recorded in London", "2025-05-27T08:00:00Z"))
        .await;

    let (_, berlin) = app.json("/api/v1/episodes/1").await;
    assert_eq!(berlin["published_at"], "2025-05-27T07:30:00Z");
    let archive = app.page("/episodes").await;
    assert_eq!(
        texts(&archive, ".episode-card h2"),
        ["#2 Recorded in London", "#1 Recorded in Berlin"],
        "newest first, by the moment, not by how it was written"
    );
}

#[test]
fn a_time_that_is_not_rfc3339_is_refused_with_what_was_wrong() {
    let refused = serde_json::from_value::<EpisodeDoc>(json!({
        "number": 1, "title": "When?", "published_at": "27 May 2025"
    }))
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("\"27 May 2025\" is not an RFC 3339 time like 2025-05-19T17:00:00Z"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_database_from_before_one_time_form_sorts_and_publishes_on_time() {
    let app = spawn_app().await;
    app.import(published(1, "Berlin", "2025-05-27T07:30:00Z"))
        .await;
    app.import(published(2, "London", "2025-05-27T08:00:00Z"))
        .await;
    app.import(published(3, "Due now", "2025-05-27T09:00:00Z"))
        .await;
    // As older versions stored them: an import's time as written, a chosen time to the
    // second, here the second the scheduler now runs in.
    let this_second = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    for (number, column, value) in [
        (1, "published_at", "2025-05-27T09:30:00+02:00"),
        (2, "published_at", "2025-05-27T08:00:00Z"),
        (3, "publish_at", this_second.as_str()),
    ] {
        sqlx::query(&format!(
            "update episodes set {column} = ? where number = ?"
        ))
        .bind(value)
        .bind(number)
        .execute(&app.state.db)
        .await
        .unwrap();
    }
    sqlx::query("update episodes set status = 'scheduled', published_at = null where number = 3")
        .execute(&app.state.db)
        .await
        .unwrap();

    sqlx::raw_sql(ONE_TIME_FORMAT)
        .execute(&app.state.db)
        .await
        .unwrap();

    let stored: Vec<String> = sqlx::query_scalar(
        "select coalesce(published_at, publish_at) from episodes order by number",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(stored[0], "2025-05-27T07:30:00.000000Z");
    assert_eq!(stored[1], "2025-05-27T08:00:00.000000Z");
    assert!(stored[2].ends_with(".000000Z"), "{}", stored[2]);
    let published = shownotes::episodes::manage::publish_due(&app.state.db)
        .await
        .unwrap();
    assert_eq!(published.len(), 1, "due in the second it was chosen for");
    app.state.content_changed();
    let archive = app.page("/episodes").await;
    assert_eq!(
        texts(&archive, ".episode-card h2"),
        ["#3 Due now", "#2 London", "#1 Berlin"]
    );
}
