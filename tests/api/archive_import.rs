//! The real archive through the binary, as a user imports it: every file in, nothing
//! silently replaced, numbers from the heading and the file name checked against each other.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_shownotes");

fn import(db: &Path, args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(BIN)
        .args(["import", "notes", "--db", db.to_str().unwrap()])
        .args(args)
        .args(files)
        .output()
        .expect("run shownotes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

/// `(number, title)` of every episode, read back through `export notes`.
fn exported_titles(db: &Path) -> Vec<(i64, String)> {
    let out = db.with_extension("export");
    let output = Command::new(BIN)
        .args(["export", "notes", "--db", db.to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let mut found: Vec<(i64, String)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let heading = source
                .lines()
                .next()
                .unwrap()
                .trim_start_matches("# Episode ");
            let (number, title) = heading.split_once(": ").unwrap();
            (number.parse().unwrap(), title.to_string())
        })
        .collect();
    found.sort();
    found
}

/// Episode `number` as `export notes` writes it now.
fn export_of(db: &Path, number: i64) -> PathBuf {
    exported_titles(db);
    db.with_extension("export").join(format!("{number}.md"))
}

#[test]
fn every_real_archive_file_imports_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let mut files = fixtures("notes-archive");
    files.extend(
        fixtures("notes")
            .into_iter()
            .filter(|f| !f.ends_with("python-bytes-434-seed.md")),
    );

    let first = import(&db, &[], &files);
    let again = import(&db, &[], &files);

    let stdout = text(&first.stdout);
    assert!(first.status.success(), "{}\n{stdout}", text(&first.stderr));
    assert!(
        stdout.contains(&format!("created:   {}", files.len())),
        "{stdout}"
    );
    assert!(stdout.contains("refused:   0"), "{stdout}");
    assert!(
        stdout.contains("110.md:2: no numbered host topics"),
        "{stdout}"
    );
    let again_out = text(&again.stdout);
    assert!(again.status.success());
    assert!(
        again_out.contains(&format!("unchanged: {}", files.len())),
        "{again_out}"
    );
    let titles = exported_titles(&db);
    assert_eq!(titles.len(), files.len());
    assert!(titles.contains(&(458, "I will install Linux on your computer".to_string())));
}

#[test]
fn the_heading_number_wins_over_digits_in_the_title_and_never_overwrites_another_episode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let thirty_one = dir.path().join("031.md");
    std::fs::write(
        &thirty_one,
        "# Python Bytes 31\n\n**Brian #1:** [Old](https://old.example)\n",
    )
    .unwrap();
    let lazy = dir.path().join("477-lazy-frozen-and-31-lighter.md");
    std::fs::write(
        &lazy,
        "# #477: Lazy, Frozen, and 31% Lighter\n\n**Michael #1:** [New](https://new.example)\n",
    )
    .unwrap();

    let output = import(&db, &[], &[thirty_one, lazy]);

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        exported_titles(&db),
        [
            (31, "Python Bytes 31".to_string()),
            (477, "Lazy, Frozen, and 31% Lighter".to_string())
        ]
    );
}

#[test]
fn a_heading_and_file_name_that_disagree_are_refused_until_number_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let file = dir.path().join("112.md");
    std::fs::write(
        &file,
        "# Python Bytes 121\n\n**Brian #1:** [A](https://a.example)\n",
    )
    .unwrap();

    let refused = import(&db, &[], std::slice::from_ref(&file));
    let settled = import(&db, &["--number", "121"], &[file]);

    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("112.md:1: heading says 121, file name says 112"),
        "{}",
        text(&refused.stderr)
    );
    assert!(settled.status.success(), "{}", text(&settled.stderr));
    assert_eq!(
        exported_titles(&db),
        [(121, "Python Bytes 121".to_string())]
    );
}

#[test]
fn another_file_for_an_existing_episode_is_refused_naming_both_unless_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let first = dir.path().join("200.md");
    std::fs::write(
        &first,
        "# Python Bytes 200\n\n**Brian #1:** [First](https://a.example)\n",
    )
    .unwrap();
    let other = dir.path().join("200-draft.md");
    std::fs::write(
        &other,
        "# Python Bytes 200\n\n**Brian #1:** [Other](https://b.example)\n",
    )
    .unwrap();
    assert!(
        import(&db, &[], std::slice::from_ref(&first))
            .status
            .success()
    );

    let refused = import(&db, &[], std::slice::from_ref(&other));
    let kept = std::fs::read_to_string(export_of(&db, 200)).unwrap();
    let replaced = import(&db, &["--replace"], &[other]);
    let taken = std::fs::read_to_string(export_of(&db, 200)).unwrap();

    let stderr = text(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("200-draft.md: episode 200 already exists and was imported from 200.md"),
        "{stderr}"
    );
    assert!(text(&refused.stdout).contains("refused:   1"));
    assert!(
        kept.contains("First"),
        "the refused file changed nothing: {kept}"
    );
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    assert!(
        taken.contains("Other"),
        "--replace took the other file: {taken}"
    );
}

#[test]
fn each_episode_exports_the_url_it_wrote_even_when_another_wrote_it_differently() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let first = dir.path().join("1.md");
    std::fs::write(&first, "# Python Bytes 1\n\n**Brian #1:** [Quarto](https://quarto.org/)\n\n- [docs](https://Quarto.org/docs#intro)\n").unwrap();
    let second = dir.path().join("2.md");
    std::fs::write(&second, "# Python Bytes 2\n\n**Brian #1:** [Quarto](https://quarto.org)\n\n- [docs](https://quarto.org/docs)\n").unwrap();
    assert!(import(&db, &[], &[first, second]).status.success());

    let one = std::fs::read_to_string(export_of(&db, 1)).unwrap();
    let two = std::fs::read_to_string(export_of(&db, 2)).unwrap();

    assert!(
        one.contains("(https://quarto.org/)") && one.contains("(https://Quarto.org/docs#intro)"),
        "{one}"
    );
    assert!(
        two.contains("(https://quarto.org)") && two.contains("(https://quarto.org/docs)"),
        "{two}"
    );
}

#[test]
fn the_exported_archive_imports_back_to_the_same_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("first.db");
    assert!(
        import(&db, &[], &fixtures("notes-archive"))
            .status
            .success()
    );
    exported_titles(&db);
    let exported = db.with_extension("export");
    let again = dir.path().join("second.db");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&exported)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();

    let output = import(&again, &[], &files);
    exported_titles(&again);

    assert!(output.status.success(), "{}", text(&output.stderr));
    let mut changed = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap();
        let before = std::fs::read_to_string(file).unwrap();
        let after = std::fs::read_to_string(again.with_extension("export").join(name)).unwrap();
        if before != after {
            changed.push(name.to_string_lossy().into_owned());
        }
    }
    assert!(
        changed.is_empty(),
        "changed by export → import → export: {changed:?}"
    );
}

#[test]
fn export_writes_presenters_as_the_notes_did() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes/250.md");
    assert!(import(&db, &[], &[fixture]).status.success());

    let notes = std::fs::read_to_string(export_of(&db, 250)).unwrap();

    assert!(
        notes.contains("**Brain #1:**"),
        "the typo as written: {notes}"
    );
    assert!(
        notes.contains("**Prayson #3:**"),
        "the first name as written: {notes}"
    );
}
