//! `shownotes settings show|set`: the show's settings for scripted setups, checked by the same
//! rules as the admin's settings form.

use std::path::Path;
use std::process::Output;

use crate::cli::run;

fn settings(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["settings"];
    all.extend_from_slice(args);
    all.extend(["--db", db.to_str().unwrap()]);
    run(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn a_setting_set_from_the_command_line_is_shown_with_every_other() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shownotes.db");

    let set = settings(&db, &["set", "base_url", "https://pythonbytes.fm/"]);
    let title = settings(&db, &["set", "title", "Python Bytes"]);
    let shown = settings(&db, &["show"]);

    assert!(set.status.success(), "{}", stderr(&set));
    assert!(title.status.success(), "{}", stderr(&title));
    let lines: Vec<String> = stdout(&shown).lines().map(str::to_string).collect();
    assert!(
        lines.contains(&"base_url = https://pythonbytes.fm".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"title = Python Bytes".to_string()),
        "{lines:#?}"
    );
    for key in [
        "owner_email",
        "artwork_url",
        "explicit",
        "digest_sender",
        "pocket_casts_url",
    ] {
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with(&format!("{key} = "))),
            "{key} missing: {lines:#?}"
        );
    }
}

#[test]
fn a_value_the_settings_form_refuses_is_refused_with_its_reason_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shownotes.db");

    let bad_url = settings(&db, &["set", "base_url", "pythonbytes"]);
    let under_a_path = settings(&db, &["set", "base_url", "https://user.github.io/show"]);
    let bad_flag = settings(&db, &["set", "explicit", "maybe"]);
    let shown = stdout(&settings(&db, &["show"]));

    assert_eq!(bad_url.status.code(), Some(2));
    assert!(
        stderr(&bad_url).contains("base_url: must be the site's address"),
        "{}",
        stderr(&bad_url)
    );
    assert_eq!(under_a_path.status.code(), Some(2));
    assert!(
        stderr(&under_a_path).contains("base_url: must be the root of a host"),
        "{}",
        stderr(&under_a_path)
    );
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(stderr(&bad_flag).contains("explicit: must be true or false"));
    assert!(
        !shown.contains("pythonbytes\n") && !shown.contains("/show"),
        "nothing was saved: {shown}"
    );
}

#[test]
fn an_unknown_setting_is_refused_naming_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shownotes.db");

    let output = settings(&db, &["set", "colour", "red"]);

    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("no setting \"colour\""), "{error}");
    assert!(error.contains("title, description, base_url"), "{error}");
}

#[test]
fn a_password_in_a_url_setting_is_masked_when_shown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shownotes.db");

    let set = settings(
        &db,
        &[
            "set",
            "live_url",
            "https://host:hunter2@live.example/stream",
        ],
    );
    let explicit = settings(&db, &["set", "explicit", "yes"]);
    let shown = stdout(&settings(&db, &["show"]));

    assert!(set.status.success() && explicit.status.success());
    assert!(
        shown.contains("live_url = https://host:****@live.example/stream"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("explicit = true"), "{shown}");
}
