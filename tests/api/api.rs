//! The JSON twins of the public pages.

use crate::helpers::{episode, spawn_app};

#[tokio::test]
async fn episode_json_has_the_documented_shape() {
    let app = spawn_app().await;
    app.import_seed().await;

    let (status, body) = app.json("/api/v1/episodes/434").await;

    assert_eq!(status, 200);
    for field in [
        "number",
        "slug",
        "title",
        "status",
        "published_at",
        "summary",
        "intro_md",
        "intro_html",
        "audio",
        "hosts",
        "segments",
    ] {
        assert!(body.get(field).is_some(), "missing {field}");
    }
    assert_eq!(
        body["hosts"][0],
        serde_json::json!({"slug": "brian", "name": "Brian Okken"})
    );
    let topic = &body["segments"][1];
    for field in [
        "position",
        "kind",
        "number",
        "person",
        "title",
        "url",
        "notes_md",
        "notes_html",
        "links",
        "talks",
    ] {
        assert!(topic.get(field).is_some(), "segment missing {field}");
    }
    assert_eq!(topic["kind"], "topic");
    assert_eq!(topic["number"], 1);
    assert_eq!(topic["person"]["slug"], "brian");
    assert_eq!(
        topic["links"][0]["url_key"],
        "https://blog.trailofbits.com/2025/05/01/making-pypis-test-suite-81-faster"
    );
    assert!(
        topic["notes_md"]
            .as_str()
            .unwrap()
            .starts_with("- Alexis Challande")
    );
}

#[tokio::test]
async fn adjacent_links_with_one_url_are_one_link_in_the_registry() {
    let app = spawn_app().await;
    app.import_seed().await;

    let (_, body) = app.json("/api/v1/episodes/434").await;

    let talks_segment = &body["segments"][3];
    let marimo: Vec<_> = talks_segment["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["url_key"] == "https://youtube.com/watch?v=3-3zy5W2SOw")
        .collect();
    assert_eq!(marimo.len(), 1);
    assert_eq!(
        marimo[0]["text"],
        "Marimo: A Notebook that \"Compiles\" Python for Reproducibility and Reusability"
    );
}

#[tokio::test]
async fn episode_list_json_pages_like_the_html() {
    let app = spawn_app().await;
    for number in 1..=21 {
        app.import(
            episode(number, &format!("E{number}"))
                .topic("Brian", 1, "T", "https://t.example", "")
                .build(),
        )
        .await;
    }

    let (status, page2) = app.json("/api/v1/episodes?page=2").await;

    assert_eq!(status, 200);
    assert_eq!(page2["total"], 21);
    assert_eq!(page2["pages"], 2);
    assert_eq!(page2["episodes"].as_array().unwrap().len(), 1);
    assert_eq!(page2["episodes"][0]["number"], 1);
    assert_eq!(page2["episodes"][0]["hosts"][0]["name"], "Brian");
    assert_eq!(page2["episodes"][0]["topics"][0], "T");
}

#[tokio::test]
async fn people_links_and_talks_have_json_twins() {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;

    let (_, person) = app.json("/api/v1/people/michael").await;
    let (_, link) = app
        .json("/api/v1/links?url=https://youtu.be/sFAxHLaVKxk")
        .await;
    let (_, talk) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;

    assert_eq!(person["name"], "Michael");
    assert_eq!(person["segments"].as_array().unwrap().len(), 3);
    assert_eq!(link["episode_count"], 1);
    assert_eq!(link["episodes"][0]["number"], 434);
    assert_eq!(talk["title"], "Unlearning SQL");
    assert_eq!(talk["discussed_in"][0]["episode_number"], 434);
}

#[tokio::test]
async fn api_errors_are_json_with_code_and_message() {
    let app = spawn_app().await;

    let (missing_status, missing) = app.json("/api/v1/episodes/1").await;
    let (bad_status, bad) = app.json("/api/v1/episodes?page=-3").await;
    let (no_url_status, no_url) = app.json("/api/v1/links").await;

    assert_eq!(missing_status, 404);
    assert_eq!(missing["error"]["code"], "not_found");
    assert_eq!(bad_status, 400);
    assert!(bad["error"]["message"].as_str().unwrap().contains("-3"));
    assert_eq!(no_url_status, 400);
    assert_eq!(no_url["error"]["code"], "bad_request");
}
