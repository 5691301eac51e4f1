//! Full-text search: ranking, safe snippets, hostile queries, drafts, groups and pages.

use scraper::{Html, Selector};
use serde_json::Value;

use crate::helpers::{TestApp, attrs, episode, spawn_app, texts};

async fn api(app: &TestApp, query: &str) -> Value {
    let (status, json) = app.json(&format!("/api/v1/search?{query}")).await;
    assert_eq!(status, 200, "{query}");
    json
}

fn group<'a>(json: &'a Value, kind: &str) -> &'a Value {
    json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group in {json}"))
}

/// Puts `count` talks in one event with plain SQL (the catalog importer is the real way in).
async fn add_talks(app: &TestApp, count: usize, title: &str, speaker: &str, description: &str) {
    let mut tx = app.state.db.begin().await.unwrap();
    let event: i64 = sqlx::query_scalar("insert into events (slug, title, year) values ('pycon-2025', 'PyCon 2025', 2025) returning id")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let person: i64 =
        sqlx::query_scalar("insert into people (slug, name) values ('ada', ?) returning id")
            .bind(speaker)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    for n in 0..count {
        let talk: i64 = sqlx::query_scalar("insert into talks (event_id, slug, title, description) values (?, ?, ?, ?) returning id")
            .bind(event)
            .bind(format!("talk-{n}"))
            .bind(format!("{title} {n}"))
            .bind(description)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query("insert into talk_speakers (talk_id, person_id, position) values (?, ?, 1)")
            .bind(talk)
            .bind(person)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_title_match_ranks_above_a_match_in_the_notes() {
    let app = spawn_app().await;
    let long_notes = "- A long list of tools for linting.\n- Among them ruff, which some people like.\n- Others prefer flake8.";
    app.import(
        episode(1, "Tools")
            .topic(
                "Brian",
                1,
                "Linters galore",
                "https://a.example",
                long_notes,
            )
            .build(),
    )
    .await;
    app.import(
        episode(2, "Speed")
            .topic(
                "Michael",
                1,
                "Ruff is fast",
                "https://b.example",
                "- Written in Rust.",
            )
            .build(),
    )
    .await;

    let json = api(&app, "q=ruff").await;

    let hits = group(&json, "episodes")["hits"].as_array().unwrap();
    let titles: Vec<_> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["<mark>Ruff</mark> is fast", "Linters galore"]);
    assert_eq!(hits[0]["url"], "/episodes/2/speed#segment-1");
}

#[tokio::test]
async fn snippets_show_matches_marked_and_never_inject_html() {
    let app = spawn_app().await;
    let notes = "- <script>alert(1)</script> pytest <img src=x onerror=alert(1)> tips\n- stray \u{E001} marker and `<b>pytest</b>`";
    app.import(
        episode(1, "Testing")
            .topic("Brian", 1, "Plugins", "https://a.example", notes)
            .build(),
    )
    .await;

    let page = app.page("/search?q=pytest").await;
    let json = api(&app, "q=pytest").await;

    let snippet = Selector::parse(".results .snippet").unwrap();
    let first = page.select(&snippet).next().expect("a snippet");
    assert!(
        first
            .select(&Selector::parse("script, img, b").unwrap())
            .next()
            .is_none(),
        "{}",
        first.html()
    );
    assert_eq!(texts(&page, ".results .snippet mark")[0], "pytest");
    assert!(texts(&page, ".results .snippet")[0].contains("<script>alert(1)</script>"));
    let html = group(&json, "episodes")["hits"][0]["snippet"]
        .as_str()
        .unwrap();
    assert!(html.contains("<mark>pytest</mark>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
        "{html}"
    );
}

#[tokio::test]
async fn queries_with_search_syntax_are_words_not_errors() {
    let app = spawn_app().await;
    app.import_seed().await;

    for q in [
        "%22",
        "foo*",
        "-x",
        "NEAR(a%20b)",
        "a%20AND",
        "%22unbalanced",
        ")(",
        "",
        "%E2%80%9Cpytest%E2%80%9D",
        "OR",
        "^x",
    ] {
        assert_eq!(
            app.get(&format!("/search?q={q}")).await.status(),
            200,
            "page q={q}"
        );
        assert_eq!(
            app.get(&format!("/api/v1/search?q={q}")).await.status(),
            200,
            "api q={q}"
        );
    }
    let json = api(&app, "q=pytest*").await;
    assert!(
        group(&json, "episodes")["total"].as_i64().unwrap() > 0,
        "{json}"
    );
}

#[tokio::test]
async fn drafts_never_match_until_published() {
    let app = spawn_app().await;
    let draft = episode(5, "Zanzibar secrets").topic(
        "Brian",
        1,
        "Zanzibar tooling",
        "https://zanzibar.example",
        "- zanzibar notes",
    );
    app.import(draft.draft().build()).await;

    let json = api(&app, "q=zanzibar").await;
    for group in json["groups"].as_array().unwrap() {
        assert_eq!(group["total"], 0, "{group}");
    }
    let page = app.page("/search?q=zanzibar").await;
    assert_eq!(texts(&page, ".empty"), ["Nothing matches “zanzibar”."]);

    let published = episode(5, "Zanzibar secrets").topic(
        "Brian",
        1,
        "Zanzibar tooling",
        "https://zanzibar.example",
        "- zanzibar notes",
    );
    app.import(published.build()).await;
    let json = api(&app, "q=zanzibar").await;
    assert_eq!(
        group(&json, "episodes")["total"],
        2,
        "the episode and its segment"
    );
    assert_eq!(group(&json, "links")["total"], 1);
}

#[tokio::test]
async fn results_are_grouped_by_kind_and_paged() {
    let app = spawn_app().await;
    app.import_seed().await;
    add_talks(
        &app,
        25,
        "Async Python in practice",
        "Ada Lovelace",
        "All about asyncio.",
    )
    .await;

    let overview = api(&app, "q=python").await;
    let kinds: Vec<_> = overview["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["episodes", "talks", "links"]);
    assert_eq!(group(&overview, "talks")["total"], 25);
    assert_eq!(
        group(&overview, "talks")["hits"].as_array().unwrap().len(),
        5
    );

    let second = api(&app, "q=python&kind=talks&page=2").await;
    assert_eq!(second["groups"].as_array().unwrap().len(), 1);
    assert_eq!(group(&second, "talks")["hits"].as_array().unwrap().len(), 5);
    assert_eq!(group(&second, "talks")["pages"], 2);

    let page = app.page("/search?q=python&kind=talks").await;
    assert_eq!(
        attrs(&page, "a[rel=next]", "href"),
        ["/search?q=python&kind=talks&page=2"]
    );
    assert_eq!(
        app.get("/search?q=python&kind=podcasts").await.status(),
        400
    );
}

#[tokio::test]
async fn talks_are_found_by_speaker_and_description() {
    let app = spawn_app().await;
    add_talks(
        &app,
        1,
        "Keynote",
        "Grace Hopper",
        "Compilers and nanoseconds.",
    )
    .await;

    let by_speaker = api(&app, "q=hopper").await;
    let by_description = api(&app, "q=nanosecond").await;

    let hit = &group(&by_speaker, "talks")["hits"][0];
    assert_eq!(hit["url"], "/talks/pycon-2025/talk-0");
    assert!(
        hit["context"].as_str().unwrap().contains("Grace Hopper"),
        "{hit}"
    );
    assert_eq!(
        group(&by_description, "talks")["total"],
        1,
        "porter stemming matches the plural"
    );
}

#[tokio::test]
async fn the_search_page_has_one_labelled_search_box_the_headers() {
    let app = spawn_app().await;

    let page = app.page("/search").await;
    let results = app.page("/search?q=anything").await;
    let home = app.page("/").await;

    for html in [&page, &results] {
        assert_eq!(attrs(html, "input[type=search]", "name"), ["q"], "one box");
        assert_eq!(attrs(html, "form[role=search]", "action"), ["/search"]);
    }
    assert!(texts(&page, ".results").is_empty());
    assert_eq!(attrs(&home, "header form[role=search]", "method"), ["get"]);
    assert_eq!(
        attrs(&home, "header label[for=site-search-q]", "for").len(),
        1
    );
    assert_eq!(attrs(&home, "header input#site-search-q", "name"), ["q"]);
}

#[tokio::test]
async fn pages_link_their_feeds_and_describe_themselves_for_sharing() {
    let app = spawn_app().await;
    app.import_seed().await;
    crate::helpers::add_talk_discussed_in_segment(
        &app,
        "pycon-us-2025",
        "reactive-notebooks",
        "Reactive notebooks",
        4,
    )
    .await;

    let home = app.page("/").await;
    let episode = app.page("/episodes/434").await;
    let talk = app.page("/talks/pycon-us-2025/reactive-notebooks").await;
    let host = app.page("/hosts/brian").await;

    assert_eq!(
        attrs(&home, "link[rel=alternate]", "href"),
        ["/episodes/rss", "/episodes/atom", "/episodes/feed.json"]
    );
    let meta = |html: &Html, property: &str| {
        attrs(
            html,
            &format!("meta[property='{property}'], meta[name='{property}']"),
            "content",
        )
    };
    assert_eq!(
        meta(&episode, "og:title"),
        ["#434 Most of OpenAI’s tech stack runs on Python"]
    );
    assert_eq!(
        meta(&episode, "og:url"),
        [format!(
            "{}/episodes/434/most-of-openai-s-tech-stack-runs-on-python",
            app.address
        )]
    );
    assert_eq!(meta(&episode, "twitter:card"), ["summary"]);
    assert_eq!(meta(&episode, "og:audio").len(), 1);
    assert_eq!(meta(&talk, "og:title"), ["Reactive notebooks"]);
    assert_eq!(meta(&talk, "twitter:title"), ["Reactive notebooks"]);
    assert!(
        attrs(&talk, "link[rel=alternate]", "href")
            .contains(&"/talks/pycon-us-2025/rss".to_string())
    );
    assert!(attrs(&host, "link[rel=alternate]", "href").contains(&"/hosts/brian/rss".to_string()));
}

#[tokio::test]
async fn a_word_in_more_talks_than_are_ranked_says_so_and_ranks_the_newest() {
    let app = spawn_app().await;
    add_talks(&app, 230, "Packaging Python", "Ada Lovelace", "Wheels.").await;

    let json = api(&app, "q=packaging&kind=talks").await;
    let talks = group(&json, "talks");
    assert_eq!(talks["total"], 200);
    assert_eq!(talks["capped"], true);
    let titles: Vec<&str> = talks["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().all(|title| !title.ends_with(" 0")),
        "the oldest talk is past the ranked ones: {titles:?}"
    );

    let page = app.page("/search?q=packaging&kind=talks").await;
    assert_eq!(texts(&page, "h2 .count"), ["200+"]);
    assert!(
        texts(&page, ".results .hint")[0].contains("Add a word to narrow"),
        "{:?}",
        texts(&page, ".results .hint")
    );
    let precise = app.page("/search?q=packaging%2017&kind=talks").await;
    assert_eq!(texts(&precise, "h2 .count"), ["1"]);
    assert!(texts(&precise, ".results .hint").is_empty());
}

#[tokio::test]
async fn merging_the_indexes_leaves_one_segment_each_and_finds_the_same() {
    let app = spawn_app().await;
    for number in 1..=6 {
        let notes = format!("- notes of week {number} about pytest");
        app.import(
            episode(number, "Weekly")
                .topic("Brian", 1, "Testing", "https://t.example", &notes)
                .build(),
        )
        .await;
    }
    let segment_count = || async {
        let count: i64 = sqlx::query_scalar("select count(distinct segid) from segments_fts_idx")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        count
    };
    let before = api(&app, "q=pytest&kind=episodes").await;
    assert!(segment_count().await > 1, "each save wrote a segment");

    shownotes::search::maintenance::merge_indexes(&app.state.db)
        .await
        .unwrap();

    assert_eq!(segment_count().await, 1);
    let after = api(&app, "q=pytest&kind=episodes").await;
    assert_eq!(group(&after, "episodes")["total"], 6);
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_apostrophe_finds_the_word_and_quotes_make_a_phrase() {
    let app = spawn_app().await;
    app.import(
        episode(1, "Notebooks")
            .topic(
                "Brian",
                1,
                "Marimo notebooks",
                "https://a.example",
                "- Reactive, and a test suite to go.",
            )
            .build(),
    )
    .await;
    app.import(
        episode(2, "Suites")
            .topic(
                "Michael",
                1,
                "Suite of tools",
                "https://b.example",
                "- A suite to test in.",
            )
            .build(),
    )
    .await;

    let titles = |json: &Value| -> Vec<String> {
        group(json, "episodes")["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                h["title"]
                    .as_str()
                    .unwrap()
                    .replace("<mark>", "")
                    .replace("</mark>", "")
            })
            .collect()
    };
    let marimos = api(&app, "q=marimo%27s").await;
    let curly = api(&app, "q=marimo%E2%80%99s").await;
    let phrase = api(&app, "q=%22test+suite%22").await;
    let words = api(&app, "q=test+suite").await;

    assert_eq!(titles(&marimos), ["Marimo notebooks"]);
    assert_eq!(titles(&curly), ["Marimo notebooks"]);
    assert_eq!(
        titles(&phrase),
        ["Marimo notebooks"],
        "only the phrase, in order"
    );
    assert_eq!(titles(&words).len(), 2, "both words anywhere");
}

/// Imports `files` together, as `import notes` does, published.
async fn import_published(app: &TestApp, files: &[std::path::PathBuf]) {
    let options = shownotes::episodes::notes_import::ImportOptions {
        status: shownotes::episodes::model::Status::Published,
        dry_run: false,
        number: None,
        replace: false,
    };
    shownotes::episodes::notes_import::import_notes_files(
        &app.state.db,
        files,
        options,
        |path, outcome| {
            assert!(outcome.is_ok(), "{}: {outcome:?}", path.display());
        },
    )
    .await
    .unwrap();
    app.state.content_changed();
}

#[tokio::test]
async fn notes_imported_together_are_found_and_a_changed_file_is_found_by_its_new_words() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<std::path::PathBuf> = [
        (501, "Zeppelin", "marmalade"),
        (502, "Quokka", "tangerine"),
    ]
    .into_iter()
    .map(|(number, title, word)| {
        let path = dir.path().join(format!("{number}.md"));
        let notes = format!(
            "# Python Bytes {number}: {title} week\n\n**Brian #1:** [{title} topic](https://{word}.example)\n\n- notes about {word}\n\n**Michael #2:** [**Conference talks**](https://www.youtube.com/playlist?list=PL{number})\n\n- Some talks:\n  - [Talk on {word} jam](https://www.youtube.com/watch?v={word}01)\n  - [Talk on {word} tarts](https://www.youtube.com/watch?v={word}02)\n  - [Talk on {word} pies](https://www.youtube.com/watch?v={word}03)\n"
        );
        std::fs::write(&path, notes).unwrap();
        path
    })
    .collect();
    import_published(&app, &files).await;
    std::fs::write(
        &files[1],
        "# Python Bytes 502: Quokka week\n\n**Brian #1:** [Quokka topic](https://tangerine.example)\n\n- notes about clementine\n",
    )
    .unwrap();

    import_published(&app, &files).await;

    for (query, kind) in [
        ("zeppelin", "episodes"),
        ("marmalade", "episodes"),
        ("marmalade", "talks"),
        ("quokka", "episodes"),
        ("clementine", "episodes"),
    ] {
        let found = api(&app, &format!("q={query}&kind={kind}")).await;
        assert!(
            group(&found, kind)["total"].as_i64().unwrap() > 0,
            "{query} in {kind}: {found}"
        );
    }
    let gone = api(&app, "q=tangerine&kind=episodes").await;
    assert_eq!(
        group(&gone, "episodes")["total"],
        0,
        "the old notes: {gone}"
    );
}

#[tokio::test]
async fn snippets_read_as_rendered_text_without_markdown_or_urls() {
    let app = spawn_app().await;
    let notes = "- **Fixtures** are great, [read the fixtures guide](https://docs.pytest.org/en/stable/how/to/use/fixtures/with/many/path/segments/that/go/on/and/on/for/ever/and/more/segments/here/too)\n- And <https://example.com/a/very/long/fixtures/address> too";
    app.import(
        episode(1, "Testing")
            .topic("Brian", 1, "Plugins", "https://a.example", notes)
            .build(),
    )
    .await;

    let page = app.page("/search?q=fixtures").await;

    let snippets = texts(&page, ".results .snippet");
    assert!(!snippets.is_empty());
    for snippet in &snippets {
        assert!(
            !snippet.contains("](") && !snippet.contains("**") && !snippet.contains("https://"),
            "{snippet}"
        );
        assert!(
            !snippet.contains('<') && !snippet.contains('>'),
            "{snippet}"
        );
    }
    assert!(snippets[0].contains("Fixtures are great"), "{snippets:?}");
}

#[tokio::test]
async fn a_talk_hit_shows_its_description_not_its_title_again() {
    let app = spawn_app().await;
    add_talks(
        &app,
        1,
        "Fixtures deep dive",
        "Ada Lovelace",
        "How to share setup between tests.",
    )
    .await;

    let json = api(&app, "q=fixtures").await;

    let hit = &group(&json, "talks")["hits"][0];
    assert_eq!(hit["title"], "<mark>Fixtures</mark> deep dive 0");
    assert_eq!(hit["snippet"], "How to share setup between tests.");
}

#[tokio::test]
async fn the_last_word_matches_as_a_prefix_while_typing() {
    let app = spawn_app().await;
    app.import(
        episode(1, "Testing")
            .topic(
                "Brian",
                1,
                "pytest tips",
                "https://a.example",
                "- Use pytest.",
            )
            .build(),
    )
    .await;

    let typing = api(&app, "q=tips+pyte").await;
    let quoted = api(&app, "q=%22pyte%22").await;

    assert_eq!(group(&typing, "episodes")["total"], 1);
    assert_eq!(
        group(&quoted, "episodes")["total"],
        0,
        "a quoted word is the whole word"
    );
}

/// A whole word still finds the longer words it starts while it matches fewer than are
/// ranked; past that (a common word) the ranked matches are the word's own.
#[tokio::test]
async fn a_word_typed_whole_finds_the_words_it_starts_too() {
    let app = spawn_app().await;
    for (number, word) in [(1, "sqlite"), (2, "sqlalchemy"), (3, "sql")] {
        let notes = format!("- all about {word}");
        app.import(
            episode(number, &format!("Week {number}"))
                .topic("Brian", 1, "Notes", "https://a.example", &notes)
                .build(),
        )
        .await;
    }

    let whole = api(&app, "q=sql").await;

    assert_eq!(group(&whole, "episodes")["total"], 3, "{whole}");
}

#[tokio::test]
async fn matches_are_highlighted_in_a_colour_that_stands_out() {
    let app = spawn_app().await;

    let page = app.page("/search").await;
    let css_url = attrs(&page, "link[rel=stylesheet]", "href").remove(0);
    let css = app.get(&css_url).await.text().await.unwrap();

    assert!(
        css.contains(".results mark {"),
        "a rule for highlighted matches"
    );
}

#[tokio::test]
async fn the_header_box_shows_what_was_searched_and_other_pages_leave_it_empty() {
    let app = spawn_app().await;
    app.import_seed().await;

    let results = app.page("/search?q=%22test+suite%22+marimo%27s").await;
    let home = app.page("/").await;

    assert_eq!(
        attrs(&results, "header input#site-search-q", "value"),
        ["\"test suite\" marimo's"]
    );
    assert_eq!(attrs(&home, "header input#site-search-q", "value"), [""]);
}
