//! import → export → import gives identical segments, links and talks, for every fixture.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, spawn_app};

const FIXTURES: &[&str] = &[
    "python-bytes-434-seed.md",
    "001.md",
    "050.md",
    "150.md",
    "250.md",
    "350.md",
    "434.md",
    "470-a-jolting-episode.md",
    "PB-485.md",
];

/// What must survive a round trip: every segment's fields, links and talks.
async fn snapshot(app: &TestApp, number: i64) -> Value {
    let (status, episode) = app.json(&format!("/api/v1/episodes/{number}")).await;
    assert_eq!(status, 200, "episode {number}");
    let segments: Vec<Value> = episode["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            json!({
                "kind": s["kind"], "number": s["number"], "person": s["person"], "title": s["title"], "url": s["url"],
                "notes_md": s["notes_md"], "links": s["links"], "talks": s["talks"],
            })
        })
        .collect();
    json!({"title": episode["title"], "intro_md": episode["intro_md"], "segments": segments})
}

#[tokio::test]
async fn every_fixture_survives_import_export_import() {
    for name in FIXTURES {
        let first = spawn_app().await;
        let imported = first.import_notes(&fixture(&format!("notes/{name}"))).await;
        let before = snapshot(&first, imported.number).await;
        let out = tempfile::tempdir().unwrap();

        shownotes::episodes::notes_export::export_notes(&first.state.db, out.path(), &[])
            .await
            .unwrap();
        let second = spawn_app().await;
        let exported = out.path().join(format!("{}.md", imported.number));
        let again = second.import_notes(&exported).await;
        let after = snapshot(&second, again.number).await;

        assert_eq!(again.number, imported.number, "{name}");
        assert_eq!(after, before, "{name} changed in the round trip");
    }
}

#[tokio::test]
async fn exported_notes_read_like_the_seed() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let out = tempfile::tempdir().unwrap();

    shownotes::episodes::notes_export::export_notes(&app.state.db, out.path(), &[434])
        .await
        .unwrap();
    let text = std::fs::read_to_string(out.path().join("434.md")).unwrap();

    assert!(
        text.starts_with("# Episode 434: Python Bytes 434\n"),
        "{}",
        &text[..80]
    );
    assert!(text.contains("**Brian #1:** [Making PyPI’s test suite 81% faster](https://blog.trailofbits.com/2025/05/01/making-pypis-test-suite-81-faster/)"));
    assert!(text.contains("**Extras**"));
    assert!(text.contains("**Joke:** [There is hope]"));
}
