//! Checked queries (`sqlx::query!`) are compiled against their cached descriptions in `.sqlx/`,
//! not against the database: this test holds those descriptions to the schema the migrations
//! make, so a migration that drops, renames or retypes a column a checked query reads fails
//! here rather than in a running server.

use serde_json::Value;
use sqlx::{Column, Executor, TypeInfo};

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_checked_query_still_fits_the_schema() {
    let app = spawn_app().await;
    let mut conn = app.state.db.acquire().await.unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/.sqlx");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("the .sqlx folder") {
        let text = std::fs::read(entry.unwrap().path()).unwrap();
        let cached: Value = serde_json::from_slice(&text).unwrap();
        let query = cached["query"].as_str().unwrap();
        let described = (&mut *conn)
            .describe(query)
            .await
            .unwrap_or_else(|e| panic!("{query}\n no longer runs: {e}"));
        let now: Vec<(String, String, Option<bool>)> = described
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let kind = c.type_info().name().to_ascii_lowercase();
                (c.name().to_string(), kind, described.nullable(i))
            })
            .collect();
        let columns = cached["describe"]["columns"].as_array().unwrap();
        let nullable = cached["describe"]["nullable"].as_array().unwrap();
        let then: Vec<(String, String, Option<bool>)> = columns
            .iter()
            .zip(nullable)
            .map(|(c, n)| {
                let kind = c["type_info"].as_str().unwrap().to_ascii_lowercase();
                (c["name"].as_str().unwrap().to_string(), kind, n.as_bool())
            })
            .collect();
        assert_eq!(
            now, then,
            "{query}\n reads other columns than its cached description: run `cargo sqlx prepare -- --all-targets`"
        );
        checked += 1;
    }
    assert!(checked > 0, "no checked query found in {dir}");
}
