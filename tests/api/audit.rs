//! The audit log as a person reads it: who (a name, "scheduler", "import"), what, a link to
//! the thing, and the minute it happened.

use std::process::Output;

use crate::cli::{SEED_JSON, run};
use crate::helpers::{TestApp, attrs, fixture, spawn_app};

/// Runs `shownotes ARGS… --db DB` on the app's database.
fn run_on(app: &TestApp, args: &[&str]) -> Output {
    let db = app.db_path();
    let mut all = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    run(&all)
}

/// The audit page's rows as (when, who, what, link, detail).
async fn audit_rows(app: &TestApp) -> Vec<[String; 5]> {
    let page = app.page("/admin/audit").await;
    let cells = |selector: &str| crate::helpers::texts(&page, selector);
    let (when, who, what, detail) = (
        cells("td.when"),
        cells("td.who"),
        cells("td.what"),
        cells("td.detail"),
    );
    let links: Vec<String> = page
        .select(&scraper::Selector::parse("td.what").unwrap())
        .map(|cell| {
            cell.select(&scraper::Selector::parse("a").unwrap())
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    (0..who.len())
        .map(|i| {
            [
                when[i].clone(),
                who[i].clone(),
                what[i].clone(),
                links[i].clone(),
                detail[i].clone(),
            ]
        })
        .collect()
}

async fn episode_id(app: &TestApp, number: i64) -> i64 {
    sqlx::query_scalar("select id from episodes where number = ?")
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

fn is_a_minute(when: &str) -> bool {
    let bytes = when.as_bytes();
    when.len() == "2025-05-19 17:04 UTC".len()
        && when.ends_with(" UTC")
        && bytes[4] == b'-'
        && bytes[10] == b' '
        && bytes[13] == b':'
}

#[tokio::test]
async fn every_command_line_import_is_credited_to_import_with_a_link_and_the_minute() {
    let app = spawn_app().await;
    let notes = fixture("notes/050.md");
    let talks = fixture("pyvideo");
    let feed = fixture("feeds/show.rss");

    for args in [
        ["import", "episode", SEED_JSON],
        ["import", "notes", notes.to_str().unwrap()],
        ["import", "talks", talks.to_str().unwrap()],
    ] {
        let output = run_on(&app, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
    }
    // The fixture feed holds an item apps cannot identify: refused, the rest imported.
    let feed = run_on(&app, &["import", "feed", feed.to_str().unwrap()]);
    let feed_errors = String::from_utf8_lossy(&feed.stderr);
    assert!(
        feed_errors.contains("1 of 8 items not imported"),
        "{feed_errors}"
    );
    app.login_as_admin().await;
    let rows = audit_rows(&app).await;

    let imports: Vec<_> = rows
        .iter()
        .filter(|[_, _, what, _, _]| what.starts_with("imported"))
        .collect();
    assert!(imports.len() >= 4, "{rows:#?}");
    for [when, who, _, _, detail] in imports {
        assert!(is_a_minute(when), "{when:?} is not a minute in words");
        assert_eq!(who, "import", "{detail}");
    }
    let seed = format!("/admin/episodes/{}", episode_id(&app, 434).await);
    let fifty = format!("/admin/episodes/{}", episode_id(&app, 50).await);
    let has = |link: &str, words: &str| {
        rows.iter().any(|[_, _, what, href, detail]| {
            what == "imported episode" && href == link && detail.contains(words)
        })
    };
    assert!(has(&seed, "#434 from episode file"), "{rows:#?}");
    assert!(has(&fifty, "#50 from notes file 050.md"), "{rows:#?}");
    assert!(
        rows.iter()
            .any(|[_, _, what, href, detail]| what == "imported event"
                && href == "/admin/talks"
                && detail.contains("talks of pycon-us-2025")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|[_, _, _, _, detail]| detail.contains("from the feed")),
        "{rows:#?}"
    );
}

#[tokio::test]
async fn the_schedulers_publish_is_credited_to_the_scheduler_with_a_link() {
    let app = spawn_app().await;
    app.import_seed().await;
    sqlx::query(
        "update episodes set status = 'scheduled', publish_at = '2020-01-01T00:00:00Z' where number = 434",
    )
    .execute(&app.state.db)
    .await
    .unwrap();

    let published = shownotes::episodes::manage::publish_due(&app.state.db)
        .await
        .unwrap();
    app.login_as_admin().await;
    let rows = audit_rows(&app).await;

    assert_eq!(published, [434]);
    let link = format!("/admin/episodes/{}", episode_id(&app, 434).await);
    let [when, who, what, href, detail] = rows
        .iter()
        .find(|row| row[4].contains("on schedule"))
        .expect("the scheduler's entry");
    assert_eq!(who, "scheduler");
    assert_eq!(what, "changed the status of episode");
    assert_eq!(href, &link);
    assert_eq!(detail, "#434 published on schedule");
    assert!(is_a_minute(when), "{when}");
    let page = app.page("/admin/audit").await;
    assert_eq!(
        attrs(&page, "td.when time", "datetime").len(),
        rows.len(),
        "each time keeps its exact UTC value for the script and screen readers"
    );
}
