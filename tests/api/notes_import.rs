//! Importing real show notes: the seed and the archive's dialects.

use serde_json::Value;

use shownotes::episodes::notes_import::Change;

use crate::helpers::{fixture, spawn_app};

fn topics(episode: &Value) -> Vec<String> {
    segments_of_kind(episode, "topic")
        .iter()
        .map(|s| {
            format!(
                "{} #{}: {}",
                s["person"]["name"].as_str().unwrap_or("-"),
                s["number"],
                s["title"].as_str().unwrap()
            )
        })
        .collect()
}

fn segments_of_kind<'a>(episode: &'a Value, kind: &str) -> Vec<&'a Value> {
    episode["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .collect()
}

#[tokio::test]
async fn the_seed_imports_as_topics_extras_joke_sponsor_and_talks() {
    let app = spawn_app().await;

    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let (status, episode) = app.json("/api/v1/episodes/434").await;

    assert_eq!(status, 200);
    let topics = topics(&episode);
    assert_eq!(topics.len(), 4, "{topics:?}");
    assert_eq!(topics[0], "Brian #1: Making PyPI’s test suite 81% faster");
    assert!(
        topics[1].starts_with("Michael #2: People aren’t talking enough"),
        "{topics:?}"
    );
    assert_eq!(topics[2], "Michael #3: PyCon Talks on YouTube");
    assert_eq!(topics[3], "Brian #4: Optimizing Python Import Performance");
    let extras: Vec<_> = segments_of_kind(&episode, "extra")
        .iter()
        .map(|s| s["person"]["name"].clone())
        .collect();
    assert_eq!(extras, ["Brian", "Michael"]);
    assert_eq!(
        segments_of_kind(&episode, "joke")[0]["title"],
        "There is hope"
    );
    assert_eq!(
        segments_of_kind(&episode, "sponsor")[0]["title"],
        "Digital Ocean"
    );
}

#[tokio::test]
async fn the_seed_talks_enter_the_catalog_linked_to_michael_3_with_related_links() {
    let app = spawn_app().await;

    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let (_, episode) = app.json("/api/v1/episodes/434").await;
    let talks_segment = segments_of_kind(&episode, "topic")[2];
    let talks = talks_segment["talks"].as_array().unwrap();

    assert_eq!(talks.len(), 11);
    let mut with_related = 0;
    for talk in talks {
        let (status, page) = app
            .json(&format!(
                "/api/v1/talks/{}/{}",
                talk["event"].as_str().unwrap(),
                talk["slug"].as_str().unwrap()
            ))
            .await;
        assert_eq!(status, 200);
        assert_eq!(page["discussed_in"][0]["episode_number"], 434);
        let related = page["related"].as_array().unwrap();
        if related
            .iter()
            .any(|l| l["text"].as_str().unwrap().contains("Talk Python"))
        {
            with_related += 1;
        }
    }
    assert_eq!(with_related, 5);
    let marimo = talks
        .iter()
        .find(|t| t["title"].as_str().unwrap().starts_with("Marimo"))
        .unwrap();
    assert_eq!(
        marimo["title"],
        "Marimo: A Notebook that \"Compiles\" Python for Reproducibility and Reusability"
    );
}

#[tokio::test]
async fn connect_with_the_hosts_fills_the_hosts_socials() {
    let app = spawn_app().await;

    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let (_, brian) = app.json("/api/v1/people/brian").await;

    assert_eq!(brian["mastodon"], "https://fosstodon.org/@brianokken");
    assert_eq!(
        brian["bluesky"],
        "https://bsky.app/profile/brianokken.bsky.social"
    );
    assert_eq!(brian["is_guest"], false);
}

#[tokio::test]
async fn reimporting_a_changed_file_updates_its_episode_in_place_and_an_unchanged_one_not_at_all() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("434.md");
    let seed = std::fs::read_to_string(fixture("notes/python-bytes-434-seed.md")).unwrap();
    std::fs::write(&path, &seed).unwrap();
    app.import_notes(&path).await;
    let read = || async {
        sqlx::query_as::<_, (String, i64, i64)>(
            "select guid, version, (select count(*) from episodes) from episodes",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap()
    };
    let before = read().await;

    std::fs::write(&path, seed.replace("Making PyPI", "Making the PyPI")).unwrap();
    let again = app.import_notes(&path).await;
    let after = read().await;
    let unchanged = app.import_notes(&path).await;

    assert_eq!(again.change, Change::Updated);
    assert_eq!(after.0, before.0, "same guid");
    assert_eq!(after.1, before.1 + 1, "version bumped");
    assert_eq!(after.2, 1, "no duplicate");
    assert_eq!(unchanged.change, Change::Unchanged);
    assert_eq!(
        read().await.1,
        after.1,
        "nothing written for an unchanged file"
    );
    let (_, episode) = app.json("/api/v1/episodes/434").await;
    assert!(episode.to_string().contains("Making the PyPI"));
    let talks: i64 = sqlx::query_scalar("select count(*) from talks")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(talks, 11, "talks are not duplicated either");
}

#[tokio::test]
async fn typos_resolve_to_the_host_and_unknown_names_become_guests() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("500.md");
    std::fs::write(&path, "**Brain #1:** [Typo](https://a.example)\n\n- a\n\n**Prayson #2:** [Guest topic](https://b.example)\n\n- b\n").unwrap();

    app.import_notes(&path).await;
    let (_, episode) = app.json("/api/v1/episodes/500").await;
    let (_, guest) = app.json("/api/v1/people/prayson").await;

    assert_eq!(episode["segments"][0]["person"]["slug"], "brian");
    assert_eq!(episode["segments"][1]["person"]["slug"], "prayson");
    assert_eq!(guest["is_guest"], true);
}

#[tokio::test]
async fn imported_notes_are_rendered_when_written_and_a_guests_links_are_marked_as_theirs() {
    // The first page or feed after an import reads stored HTML instead of rendering the
    // archive; a guest's links still get `nofollow ugc`, as when rendered on first read.
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("501.md");
    std::fs::write(&path, "# Episode 501: Guests\n\nIntro with [a link](https://intro.example).\n\n**Brian #1:** [Host topic](https://a.example)\n\n- see [host doc](https://host.example)\n\n**Prayson #2:** [Guest topic](https://b.example)\n\n- see [guest doc](https://guest.example)\n").unwrap();
    app.import_notes(&path).await;

    let stored: Vec<(String, Option<String>)> = sqlx::query_as(
        "select s.title, s.notes_html from segments s join episodes e on e.id = s.episode_id
         where e.number = 501 order by s.position",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let host_html = stored[0]
        .1
        .as_deref()
        .expect("the host's notes are rendered at import");
    assert!(
        host_html.contains(r#"<a href="https://host.example" rel="noopener">host doc</a>"#),
        "{host_html}"
    );
    assert_eq!(stored[1].1, None, "a guest's notes wait for the first read");
    let intro: Option<String> =
        sqlx::query_scalar("select intro_html from episodes where number = 501")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(intro.is_some_and(|html| html.contains("https://intro.example")));

    let feed = app.get("/episodes/rss").await.text().await.unwrap();
    assert!(
        feed.contains(r#"href="https://guest.example" rel="noopener nofollow ugc""#),
        "the feed marks the guest's link"
    );
    assert!(feed.contains(r#"href="https://host.example" rel="noopener">"#));

    // The file changed: imported again, it is rendered again (an unchanged one is not).
    let changed = std::fs::read_to_string(&path)
        .unwrap()
        .replace("host.example", "changed.example");
    std::fs::write(&path, changed).unwrap();
    app.import_notes(&path).await;
    let html: Option<String> = sqlx::query_scalar(
        "select s.notes_html from segments s join episodes e on e.id = s.episode_id
         where e.number = 501 and s.position = 1",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(html.is_some_and(|html| html.contains("https://changed.example")));
}

#[tokio::test]
async fn every_archive_dialect_yields_its_topics() {
    let app = spawn_app().await;
    let expected: &[(&str, i64, usize)] = &[
        ("001.md", 1, 6),
        ("050.md", 50, 6),
        ("150.md", 150, 6),
        ("250.md", 250, 6),
        ("350.md", 350, 4),
        ("434.md", 434, 4),
        ("470-a-jolting-episode.md", 470, 4),
        ("PB-485.md", 485, 4),
    ];
    for (file, number, topic_count) in expected {
        let imported = app.import_notes(&fixture(&format!("notes/{file}"))).await;
        assert_eq!(imported.number, *number, "{file}");
        let (_, episode) = app.json(&format!("/api/v1/episodes/{number}")).await;
        assert_eq!(
            topics(&episode).len(),
            *topic_count,
            "{file}: {:?}",
            topics(&episode)
        );
    }
    let (_, pb250) = app.json("/api/v1/episodes/250").await;
    assert_eq!(
        topics(&pb250)[0],
        "Brian #1: Exciting New Ways To Be Told That Your Python Code is Bad",
        "Brain is Brian"
    );
    // "Special guest: **Prayson Daniel**" names the "Prayson" of the head in full.
    assert_eq!(topics(&pb250)[2], "Prayson Daniel #3: Nox");
    let (_, pb485) = app.json("/api/v1/episodes/485").await;
    assert_eq!(
        topics(&pb485)[3],
        "Calvin #4: Hindsight Agent Memory That Learns"
    );
}

/// Imports `files` in one run, as published, as `import notes` does with several files.
async fn import_together(
    app: &crate::helpers::TestApp,
    files: &[&std::path::PathBuf],
    report: impl FnMut(
        &std::path::Path,
        Result<
            shownotes::episodes::notes_import::Imported,
            shownotes::episodes::notes_import::ImportError,
        >,
    ),
) {
    let options = shownotes::episodes::notes_import::ImportOptions {
        status: shownotes::episodes::model::Status::Published,
        dry_run: false,
        number: None,
        replace: false,
    };
    shownotes::episodes::notes_import::import_notes_files(&app.state.db, files, options, report)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_refused_file_takes_back_the_hosts_it_created_and_the_next_file_creates_them_anew() {
    // Files of one batch share what they looked up. The refused file creates a new host before
    // it is refused; the next file names that host again and must not reuse the id taken back.
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let notes = |number: i64| {
        format!(
            "# Episode {number}: Quinn's\n\n**Connect with the hosts**\n\n\
             - Quinn: [@quinn@fosstodon.org](https://fosstodon.org/@quinn)\n\n\
             **Quinn #1:** [Q](https://q.example/one)\n\n- q\n"
        )
    };
    let refused = dir.path().join("refused.md");
    let kept = dir.path().join("kept.md");
    std::fs::write(&refused, notes(-5)).unwrap();
    std::fs::write(&kept, notes(7)).unwrap();

    let mut outcomes = Vec::new();
    import_together(&app, &[&refused, &kept], |path, outcome| {
        outcomes.push((path.to_path_buf(), outcome.is_ok()))
    })
    .await;

    assert_eq!(outcomes, [(refused, false), (kept, true)]);
    let (_, quinn) = app.json("/api/v1/episodes/7").await;
    assert_eq!(quinn["segments"][0]["person"]["slug"], "quinn", "{quinn}");
    let mastodon: String = sqlx::query_scalar("select mastodon from people where slug = 'quinn'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mastodon, "https://fosstodon.org/@quinn");
}

#[tokio::test]
async fn a_file_imported_twice_in_one_run_ends_as_if_imported_once() {
    // Both copies land in one batch: the second replaces the segments the first just wrote,
    // and the links and talks must end up on the segments that stay.
    let seed = fixture("notes/python-bytes-434-seed.md");
    let other = fixture("notes/PB-485.md");
    let once = spawn_app().await;
    once.import_notes(&seed).await;
    let twice = spawn_app().await;
    let mut failed = Vec::new();
    import_together(&twice, &[&seed, &other, &seed], |path, outcome| {
        if let Err(error) = outcome {
            failed.push(format!("{}: {error}", path.display()));
        }
    })
    .await;
    assert!(failed.is_empty(), "{failed:?}");

    let attached = |episode: &Value| -> Vec<(Value, Value)> {
        episode["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["links"].clone(), s["talks"].clone()))
            .collect()
    };
    let (_, expected) = once.json("/api/v1/episodes/434").await;
    let (_, got) = twice.json("/api/v1/episodes/434").await;
    let expected = attached(&expected);
    assert!(
        expected
            .iter()
            .any(|(links, _)| !links.as_array().unwrap().is_empty())
    );
    assert_eq!(attached(&got), expected);
}

#[tokio::test]
async fn a_second_file_for_the_same_episode_in_one_run_is_refused_not_written_over_the_first() {
    // Both files land in one batch: the second must be checked against what the first just
    // wrote, not against the database as it was when the batch began.
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.md");
    let second = dir.path().join("second.md");
    std::fs::write(
        &first,
        "# Episode 9: First\n\n**Brian #1:** [A](https://a.example)\n",
    )
    .unwrap();
    std::fs::write(
        &second,
        "# Episode 9: Second\n\n**Brian #1:** [B](https://b.example)\n",
    )
    .unwrap();

    let mut refusals = Vec::new();
    import_together(&app, &[&first, &second], |path, outcome| {
        if let Err(error) = outcome {
            refusals.push((path.to_path_buf(), error.message));
        }
    })
    .await;

    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0].0, second);
    assert!(
        refusals[0].1.contains("was imported from first.md"),
        "{refusals:?}"
    );
    let (_, episode) = app.json("/api/v1/episodes/9").await;
    assert_eq!(episode["title"], "First", "{episode}");
}

#[tokio::test]
async fn notes_nested_too_deep_refuse_their_file_at_the_segments_line_and_the_rest_imports() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.md");
    let fine = dir.path().join("fine.md");
    let quotes = "> ".repeat(40);
    std::fs::write(&deep, format!("# Episode 3: Deep\n\n**Brian #1:** [A](https://a.example)\n\n- a\n\n**Michael #2:** [Deep](https://d.example)\n\n{quotes}word\n")).unwrap();
    std::fs::write(
        &fine,
        "# Episode 4: Fine\n\n**Brian #1:** [A](https://a.example)\n",
    )
    .unwrap();

    let mut outcomes = Vec::new();
    import_together(&app, &[&deep, &fine], |path, outcome| {
        outcomes.push((
            path.to_path_buf(),
            outcome.map(|_| ()).map_err(|e| e.to_string()),
        ))
    })
    .await;

    let expected = format!(
        "{}:7: notes of \"Deep\": is nested deeper than 32 levels (lists, quotes or HTML); flatten it",
        deep.display()
    );
    assert_eq!(outcomes, [(deep, Err(expected)), (fine, Ok(()))]);
    assert_eq!(app.get("/api/v1/episodes/3").await.status(), 404);
}

#[tokio::test]
async fn three_guests_called_chris_stay_three_people_named_in_full() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let episodes = [
        (
            301,
            "Special guest: [**Cristian Medina**](https://c.example)",
            "Cris",
        ),
        (302, "Special guest: **Chris Moffitt**", "Chris"),
        (
            303,
            "Special guests: [**Chris Patti**](https://p.example) and Ana Bell",
            "Chris",
        ),
    ];
    for (number, guest_line, head) in episodes {
        let path = dir.path().join(format!("{number}.md"));
        let notes = format!(
            "# Python Bytes {number}\n\n{guest_line}\n\n**Brian #1:** [A](https://a.example)\n\n- a\n\n**{head} #2:** [B](https://b.example)\n\n- b\n"
        );
        std::fs::write(&path, notes).unwrap();
        app.import_notes(&path).await;
    }

    let mut presenters = Vec::new();
    for (number, _, _) in episodes {
        let (_, episode) = app.json(&format!("/api/v1/episodes/{number}")).await;
        assert_eq!(episode["segments"][0]["person"]["slug"], "brian");
        presenters.push(episode["segments"][1]["person"].clone());
    }

    let names: Vec<&str> = presenters
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cristian Medina", "Chris Moffitt", "Chris Patti"]);
    let slugs: std::collections::HashSet<&str> = presenters
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 3, "three people: {presenters:?}");
}

#[tokio::test]
async fn names_that_only_look_alike_are_two_people_and_a_renamed_host_keeps_their_notes_name() {
    let app = spawn_app().await;
    app.import_notes(&fixture("notes/python-bytes-434-seed.md"))
        .await;
    app.login_as_host().await;
    let brian: i64 = sqlx::query_scalar("select id from people where slug = 'brian'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let renamed = app
        .admin_post(
            &format!("/admin/people/{brian}"),
            &[("name", "Brian Okken"), ("slug", "brian")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    let dir = tempfile::tempdir().unwrap();
    for (number, guest) in [(310, "Renée"), (311, "Renee")] {
        let path = dir.path().join(format!("{number}.md"));
        let notes = format!(
            "# Python Bytes {number}\n\n**Brian #1:** [A](https://a.example)\n\n- a\n\n**{guest} #2:** [B](https://b.example)\n\n- b\n"
        );
        std::fs::write(&path, notes).unwrap();
        app.import_notes(&path).await;
    }

    let (_, first) = app.json("/api/v1/episodes/310").await;
    let (_, second) = app.json("/api/v1/episodes/311").await;

    assert_eq!(first["segments"][0]["person"]["name"], "Brian Okken");
    assert_eq!(second["segments"][0]["person"]["slug"], "brian");
    assert_eq!(first["segments"][1]["person"]["name"], "Renée");
    assert_eq!(second["segments"][1]["person"]["name"], "Renee");
    assert_ne!(
        first["segments"][1]["person"]["slug"], second["segments"][1]["person"]["slug"],
        "one slug, two people"
    );
}

#[tokio::test]
async fn a_typo_finds_a_host_of_its_own_file_but_never_a_one_off_guest() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            320,
            "**Brain #1:** [A](https://a.example)\n\n**Chris #2:** [B](https://b.example)\n\n**Brian #3:** [C](https://c.example)\n\n**Extras**\n\nBrian:\n\n- [e](https://e.example)\n",
        ),
        (
            321,
            "**Michael #1:** [A](https://a.example)\n\n**Cris #2:** [B](https://b.example)\n",
        ),
    ];
    for (number, notes) in files {
        let path = dir.path().join(format!("{number}.md"));
        std::fs::write(&path, notes).unwrap();
        app.import_notes(&path).await;
    }

    let (_, first) = app.json("/api/v1/episodes/320").await;
    let (_, second) = app.json("/api/v1/episodes/321").await;

    assert_eq!(
        first["segments"][0]["person"]["name"], "Brian",
        "Brain is the host Brian"
    );
    assert_eq!(first["segments"][1]["person"]["name"], "Chris");
    assert_eq!(
        second["segments"][1]["person"]["name"], "Cris",
        "a guest is no typo's target"
    );
}

#[tokio::test]
async fn notes_typed_with_windows_line_endings_are_stored_with_unix_ones() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("330.md");
    std::fs::write(&path, "# Python Bytes 330\r\n\r\nIntro line one.\r\nline two.\r\n\r\n**Brian #1:** [A](https://a.example)\r\n\r\n- one\r\n- two\r\n").unwrap();

    app.import_notes(&path).await;
    let (_, episode) = app.json("/api/v1/episodes/330").await;

    assert_eq!(episode["intro_md"], "Intro line one.\nline two.");
    assert_eq!(episode["segments"][0]["notes_md"], "- one\n- two");
}
