//! The talk catalog: pyvideo in and out, and talks from notes merged by video.

use crate::helpers::{fixture, spawn_app, texts};

#[tokio::test]
async fn pyvideo_folders_import_with_bad_records_reported_by_path() {
    let app = spawn_app().await;

    let report = app.import_talks(&fixture("pyvideo")).await;

    assert_eq!(report.events, 3);
    assert_eq!(report.talks, 12);
    let mut rejected: Vec<String> = report
        .rejected
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    rejected.sort();
    assert_eq!(
        rejected,
        ["bad-date.json", "missing-title.json", "not-json.json"]
    );
    let reasons: Vec<&str> = report.rejected.iter().map(|(_, r)| r.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains("not a date like")),
        "{reasons:?}"
    );
    let (status, talk) = app.json("/api/v1/talks/scipy-2019/a-geographers-journey-into-ai-mapping-urban-trees-from-scratch-scipy-2019").await;
    assert_eq!(status, 200);
    assert_eq!(talk["speakers"].as_array().unwrap().len(), 3);
    assert_eq!(talk["duration_secs"], 1426);
    assert_eq!(talk["related"][0]["text"], "Conference schedule");
}

#[tokio::test]
async fn talk_page_shows_speakers_event_date_duration_video_and_related_links() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    let page = app.page("/talks/pycon-us-2025/unlearning-sql").await;

    assert_eq!(texts(&page, "h1"), ["Unlearning SQL"]);
    let meta = texts(&page, ".meta").join(" ");
    assert!(
        meta.contains("Ryan Curtin") && meta.contains("2025-05-16") && meta.contains("30m"),
        "{meta}"
    );
    assert_eq!(
        crate::helpers::attrs(&page, ".video iframe", "src"),
        ["https://www.youtube-nocookie.com/embed/sFAxHLaVKxk"]
    );
    assert!(
        texts(&page, "article li")
            .iter()
            .any(|t| t == "Conference schedule")
    );
}

#[tokio::test]
async fn export_then_import_is_lossless() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();

    shownotes::talks::transfer::export_dir(&app.state.db, first.path())
        .await
        .unwrap();
    let other = spawn_app().await;
    other.import_talks(first.path()).await;
    shownotes::talks::transfer::export_dir(&other.state.db, second.path())
        .await
        .unwrap();

    let original: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("pyvideo/pycon-us-2025/videos/unlearning-sql.json"))
            .unwrap(),
    )
    .unwrap();
    let exported: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            first
                .path()
                .join("pycon-us-2025/videos/unlearning-sql.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        exported, original,
        "a record comes back field for field, unknown fields included"
    );
    assert_eq!(
        tree(first.path()),
        tree(second.path()),
        "a second round trip changes nothing"
    );
}

/// Every file under `dir` with its content, sorted.
fn tree(dir: &std::path::Path) -> Vec<(String, String)> {
    crate::helpers::files_under(dir)
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            (name.display().to_string(), text)
        })
        .collect()
}

async fn assert_merged_talk(app: &crate::helpers::TestApp) {
    let talks: i64 =
        sqlx::query_scalar("select count(*) from talks where video_id = 'sFAxHLaVKxk'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(talks, 1, "one talk, not two");
    let (status, talk) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;
    assert_eq!(status, 200, "the catalog's event and slug win");
    assert_eq!(talk["speakers"][0]["name"], "Ryan Curtin");
    assert_eq!(
        talk["discussed_in"][0]["episode_number"], 434,
        "the notes' link to the segment stays"
    );
    let (_, episode) = app.json("/api/v1/episodes/434").await;
    let talk_refs = episode["segments"][3]["talks"].as_array().unwrap();
    assert!(
        talk_refs
            .iter()
            .any(|t| t["event"] == "pycon-us-2025" && t["slug"] == "unlearning-sql")
    );
}

#[tokio::test]
async fn a_talk_from_notes_and_its_catalog_record_are_one_talk_notes_first() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    app.import_talks(&fixture("pyvideo")).await;
    assert_merged_talk(&app).await;
}

#[tokio::test]
async fn a_talk_from_notes_and_its_catalog_record_are_one_talk_catalog_first() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    assert_merged_talk(&app).await;
    let (_, keynote) = app
        .json("/api/v1/talks/pycon-us-2025/keynote-cory-doctorow")
        .await;
    assert_eq!(
        keynote["title"], "Keynote - Cory Doctorow",
        "a youtu.be record matches a watch?v= note"
    );
    assert_eq!(keynote["discussed_in"][0]["episode_number"], 434);
}

#[tokio::test]
async fn talk_related_links_from_notes_survive_a_catalog_reimport() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    app.import_talks(&fixture("pyvideo")).await;
    app.import_talks(&fixture("pyvideo")).await;

    let (_, talk) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;
    let related: Vec<&str> = talk["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        related,
        [
            "https://us.pycon.org/2025/schedule/",
            "https://github.com/example/unlearning-sql"
        ]
    );
}

const AUTOML: &str = "/api/v1/talks/pycon-jp-2019/01_401_pythontoautomlzhi-tian-jiang";
const AUTOML_COPY: &str = "/api/v1/talks/pycon-jp-2019/01_401_pythontoautomlzhi-tian-jiang_copy";

/// Imports an episode whose notes list talks (three make a list), one the video both AutoML records share.
async fn import_notes_discussing_automl(app: &crate::helpers::TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("900.md");
    std::fs::write(
        &notes,
        "# #900: Shared videos\n\n**Brian #1:** [**Talks from Tokyo**](https://pycon.jp/2019/)\n\n\
         - [Python and AutoML](https://www.youtube.com/watch?v=Whkwu46DgBs)\n\
         - [Unit tests](https://www.youtube.com/watch?v=8I9piVgcHoE)\n\
         - [Pandas styling](https://www.youtube.com/watch?v=T8lL9Nb3hMM)\n",
    )
    .unwrap();
    app.import_notes(&notes).await;
}

/// Which of the two AutoML records were discussed in episode 900.
async fn automl_discussed(app: &crate::helpers::TestApp) -> [bool; 2] {
    let mut discussed = [false; 2];
    for (index, path) in [AUTOML, AUTOML_COPY].into_iter().enumerate() {
        let (status, talk) = app.json(path).await;
        assert_eq!(status, 200, "{path}: both records are talks");
        assert_eq!(talk["title"], "Python\u{3068}AutoML");
        discussed[index] = talk["discussed_in"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["episode_number"] == 900);
    }
    discussed
}

#[tokio::test]
async fn two_records_sharing_a_video_stay_two_talks_and_notes_found_first_join_the_first() {
    let app = spawn_app().await;
    import_notes_discussing_automl(&app).await;

    app.import_talks(&fixture("pyvideo")).await;

    assert_eq!(automl_discussed(&app).await, [true, false]);
    let held: i64 = sqlx::query_scalar("select count(*) from talks where video_id = 'Whkwu46DgBs'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        held, 2,
        "the talk from the notes became the first record, not a third talk"
    );
}

#[tokio::test]
async fn two_records_sharing_a_video_stay_two_talks_and_later_notes_join_the_first() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    import_notes_discussing_automl(&app).await;

    assert_eq!(automl_discussed(&app).await, [true, false]);
}

#[tokio::test]
async fn a_talk_page_names_its_event_its_video_provider_and_links_its_speakers() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    let page = app.page("/talks/pycon-us-2025/unlearning-sql").await;
    let speaker = app.page("/hosts/ryan-curtin").await;

    assert_eq!(texts(&page, ".kicker a"), ["PyCon US 2025"]);
    assert!(
        texts(&page, "article a")
            .iter()
            .any(|t| t == "Watch on YouTube"),
        "{:?}",
        texts(&page, "article a")
    );
    assert_eq!(
        crate::helpers::attrs(&page, ".meta a", "href"),
        ["/hosts/ryan-curtin"]
    );
    assert!(
        texts(&speaker, ".talks li")
            .iter()
            .any(|t| t.starts_with("Unlearning SQL")),
        "the speaker's page lists the talk"
    );
}

#[tokio::test]
async fn each_tag_has_a_page_of_its_talks_linked_from_the_talk() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    let talk = app.page("/talks/pycon-us-2025/unlearning-sql").await;
    let tag = app.page("/talks/tags/sql").await;
    let (status, json) = app.json("/api/v1/talks/tags/sql").await;

    assert_eq!(
        crate::helpers::attrs(&talk, ".tags a", "href"),
        ["/talks/tags/sql", "/talks/tags/databases"]
    );
    assert_eq!(texts(&tag, "h1"), ["Talks tagged “sql”"]);
    assert_eq!(
        texts(&tag, ".talks li a"),
        ["Unlearning SQL", "PyCon US 2025"]
    );
    assert_eq!(status, 200);
    assert_eq!(json["talks"][0]["slug"], "unlearning-sql");
    assert_eq!(app.get("/talks/tags/no-such-tag").await.status(), 404);
}

#[tokio::test]
async fn a_tags_page_follows_the_talks_tags_when_the_catalog_is_imported_again() {
    use crate::export_site::catalog_of_one_talk;
    let app = spawn_app().await;
    let title = "Tags with dots, spaces and slashes";
    let first = catalog_of_one_talk("Ada Tagwright", &["sql", "databases"]);
    app.import_talks(first.path()).await;
    assert_eq!(
        texts(&app.page("/talks/tags/sql").await, ".talks li a")[0],
        title
    );

    let retagged = catalog_of_one_talk("Ada Tagwright", &["postgres", "databases"]);
    app.import_talks(retagged.path()).await;

    assert_eq!(app.get("/talks/tags/sql").await.status(), 404);
    for tag in ["postgres", "databases"] {
        let page = app.page(&format!("/talks/tags/{tag}")).await;
        assert_eq!(texts(&page, ".talks li a"), [title, "PyData 2026"], "{tag}");
    }
}

#[tokio::test]
async fn a_tag_with_more_talks_than_a_page_holds_is_paged() {
    let app = spawn_app().await;
    let catalog = crate::export_site::catalog_tagged("busy", 105);
    app.import_talks(catalog.path()).await;

    let first = app.page("/talks/tags/busy").await;
    let second = app.page("/talks/tags/busy?page=2").await;
    let (status, json) = app.json("/api/v1/talks/tags/busy?page=2").await;

    let titles =
        |page: &scraper::Html| -> Vec<String> { texts(page, ".talks > li > a:first-child") };
    assert_eq!(titles(&first).len(), 100);
    assert_eq!(titles(&first)[0], "Talk 104", "newest first");
    assert_eq!(
        titles(&second),
        ["Talk 4", "Talk 3", "Talk 2", "Talk 1", "Talk 0"]
    );
    assert_eq!(texts(&first, "h1"), ["Talks tagged “busy” (105 talks)"]);
    assert_eq!(
        crate::helpers::attrs(&first, ".pager a", "href"),
        ["/talks/tags/busy?page=2"]
    );
    assert_eq!(
        crate::helpers::attrs(&second, ".pager a", "href"),
        ["/talks/tags/busy"]
    );
    assert_eq!(status, 200);
    assert_eq!(json["talks"].as_array().unwrap().len(), 5);
    assert_eq!(json["paging"]["total"], 105);
    assert_eq!(app.get("/talks/tags/busy?page=3").await.status(), 404);
}

#[tokio::test]
async fn the_events_list_counts_each_events_talks() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;

    let page = app.page("/talks").await;

    let rows = texts(&page, ".events li");
    assert!(
        rows.iter().any(|r| r == "PyCon US 2025 2 talks"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn a_curator_gives_a_talk_its_video_and_related_links_in_the_admin() {
    let app = spawn_app().await;
    app.import_talks(&crate::helpers::fixture("pyvideo")).await;
    app.login_as_host().await;
    let path = "/admin/talks/pycon-us-2025/unlearning-sql";
    let fields = |video: &'static str, related: &'static str| {
        vec![
            ("title", "Unlearning SQL"),
            ("speakers", "Ryan Curtin"),
            ("video_url", video),
            ("related", related),
        ]
    };

    let refused = app
        .admin_post(
            path,
            &fields("youtube.com/watch?v=x", "javascript:alert(1)"),
        )
        .await;
    let saved = app
        .admin_post(
            path,
            &fields(
                "https://www.youtube.com/watch?v=sFAxHLaVKxk",
                "https://example.com/slides.pdf The slides\nhttps://github.com/example/demo",
            ),
        )
        .await;

    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert_eq!(
        crate::helpers::texts(&page, ".field-error"),
        [
            "must start with https:// or http://",
            "line 1: must start with https:// or http://"
        ]
    );
    assert_eq!(saved.status(), 303);
    let (_, talk) = app.json("/api/v1/talks/pycon-us-2025/unlearning-sql").await;
    let text = talk.to_string();
    assert!(text.contains("sFAxHLaVKxk"), "{text}");
    assert!(text.contains("https://example.com/slides.pdf"), "{text}");
    assert!(text.contains("The slides"), "{text}");
    assert!(text.contains("https://github.com/example/demo"), "{text}");
    let form = app.page(path).await;
    assert_eq!(
        crate::helpers::attrs(&form, "#video_url", "value"),
        ["https://www.youtube.com/watch?v=sFAxHLaVKxk"]
    );
    let related = scraper::Selector::parse("#related").unwrap();
    let typed: String = form.select(&related).flat_map(|t| t.text()).collect();
    assert_eq!(
        typed,
        "https://example.com/slides.pdf The slides\nhttps://github.com/example/demo"
    );
}
