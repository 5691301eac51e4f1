//! `export talks` writes pyvideo/data's own format: what comes in goes out.

use std::path::{Path, PathBuf};

use scraper::Selector;

use crate::cli::run;
use crate::helpers::{TestApp, files_under, fixture, spawn_app};

/// Runs `shownotes ARGS… --db DB` and fails the test with its output unless it succeeds.
fn shownotes(args: &[&str], db: &Path) -> String {
    let mut all = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    let output = run(&all);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Imports the pyvideo fixtures and exports them again through the CLI; returns the export folder.
fn import_then_export(dir: &Path) -> PathBuf {
    let db = dir.join("catalog.db");
    let out = dir.join("out");
    shownotes(
        &["import", "talks", fixture("pyvideo").to_str().unwrap()],
        &db,
    );
    shownotes(&["export", "talks", "--out", out.to_str().unwrap()], &db);
    out
}

#[test]
fn an_unchanged_catalog_exports_byte_for_byte_as_pyvideo_reserializes_it() {
    let dir = tempfile::tempdir().unwrap();

    let out = import_then_export(dir.path());

    // The expected files are the fixtures as pyvideo/data's tools/reserialize.py writes them
    // (nulls, empty lists, absent keys, Japanese text escaped as \uXXXX).
    let expected_dir = fixture("pyvideo-reserialized");
    let expected = files_under(&expected_dir);
    assert!(expected.len() >= 10, "{expected:?}");
    for file in &expected {
        let want = std::fs::read_to_string(expected_dir.join(file)).unwrap();
        let got = std::fs::read_to_string(out.join(file))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(got, want, "{} differs from its source", file.display());
    }
    for event in ["pycon-jp-2019", "scipy-2019"] {
        let exported = files_under(&out.join(event));
        let wanted = files_under(&expected_dir.join(event));
        assert_eq!(exported, wanted, "{event}: every record, and only those");
    }
}

/// The edit form of a talk as the admin shows it, field by field.
async fn talk_form(app: &TestApp, path: &str) -> Vec<(String, String)> {
    let page = app.page(path).await;
    let field = |selector: &str| {
        let selector = Selector::parse(selector).unwrap();
        page.select(&selector)
            .next()
            .map(|element| match element.value().attr("value") {
                Some(value) => value.to_string(),
                None => element.text().collect(),
            })
    };
    [
        "title",
        "speakers",
        "recorded",
        "duration",
        "language",
        "description",
    ]
    .into_iter()
    .map(|name| {
        let value = field(&format!("[name={name}]")).unwrap_or_default();
        (name.to_string(), value)
    })
    .collect()
}

/// Saves the talk's edit form with `title` changed and every other field sent back as shown.
async fn retitle(app: &TestApp, event: &str, slug: &str, title: &str) {
    let path = format!("/admin/talks/{event}/{slug}");
    let mut form = talk_form(app, &path).await;
    form[0].1 = title.to_string();
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app.admin_post(&path, &fields).await;
    assert_eq!(response.status(), 303, "{path}");
}

#[tokio::test]
async fn a_curators_edit_changes_only_that_field_of_the_exported_record() {
    let app = spawn_app().await;
    app.import_talks(&fixture("pyvideo")).await;
    app.login_as_host().await;
    let scipy = "a-geographers-journey-into-ai-mapping-urban-trees-from-scratch-scipy-2019";
    let jp = "02-100_ji-diao-jiang-yan-_pythondeqie-rikai-kuxin-shiinong-ye-xiao-chi-cheng";

    retitle(&app, "scipy-2019", scipy, "Mapping Urban Trees").await;
    retitle(&app, "pycon-jp-2019", jp, "Agriculture with Python").await;
    let out = app.export_talks().await;

    let read = |dir: &Path, event: &str, slug: &str| {
        std::fs::read_to_string(dir.join(event).join("videos").join(format!("{slug}.json")))
            .unwrap()
    };
    let expected = fixture("pyvideo-reserialized");
    assert_eq!(
        read(out.path(), "scipy-2019", scipy),
        read(&expected, "scipy-2019", scipy).replace(
            "\"A Geographers Journey into AI: Mapping Urban Trees from Scratch\"",
            "\"Mapping Urban Trees\""
        ),
        "the null copyright_text, empty tags and everything else stay as they were"
    );
    let japanese = read(&expected, "pycon-jp-2019", jp);
    let old_title = japanese
        .lines()
        .find(|line| line.starts_with("  \"title\""))
        .unwrap();
    assert_eq!(
        read(out.path(), "pycon-jp-2019", jp),
        japanese.replace(old_title, "  \"title\": \"Agriculture with Python\","),
        "a record without a language key still has none; its speaker is still written in kanji"
    );
}
