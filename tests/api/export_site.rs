//! `export site`: the public site as static files holding the bytes the server sends.

use std::io::Read;
use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use scraper::{Html, Selector};
use shownotes::export_site::{
    Effort, ExportError, Exported, LIVE_ONLY, MADE_FROM, MANIFEST, NOT_FOUND_PAGE, Rewrite,
    export_site,
};

use crate::cli::{run, run_ok};
use crate::helpers::{TestApp, episode, files_under, spawn_app};

pub(crate) async fn seeded_app() -> TestApp {
    let app = spawn_app().await;
    app.import_seed_notes_and_catalog().await;
    app
}

/// The seed episode and catalog, exported into `DIR/site`; the folder lives as long as `TempDir`.
async fn exported_seed_site() -> (TestApp, tempfile::TempDir, PathBuf) {
    let app = seeded_app().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");
    (app, dir, out)
}

pub(crate) async fn export(app: &TestApp, out: &Path) -> Result<Exported, ExportError> {
    export_site(
        &app.state.db,
        out,
        Some(app.address.clone()),
        Rewrite::All,
        Effort::Export,
    )
    .await
}

/// The file a static server answers `path` from, configured as the README says:
/// `try_files $uri $uri/index.html $uri/index.xml`.
fn served(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = path
        .trim_start_matches('/')
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    // Static servers look the file up by the decoded address.
    let relative = percent_encoding::percent_decode_str(relative).decode_utf8_lossy();
    let base = root.join(relative.as_ref());
    [
        base.clone(),
        base.join("index.html"),
        base.join("index.xml"),
    ]
    .into_iter()
    .find(|candidate| candidate.is_file())
}

/// The seed episode's slug, as the export wrote it.
fn seed_slug(root: &Path) -> String {
    std::fs::read_dir(root.join("episodes/434"))
        .expect("episode folder")
        .filter_map(|entry| entry.ok())
        .find(|entry| entry.path().is_dir())
        .expect("the episode's page folder")
        .file_name()
        .to_string_lossy()
        .into_owned()
}

fn gunzip(path: &Path) -> Vec<u8> {
    let compressed = std::fs::read(path).expect("gz file");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut bytes)
        .expect("gzip");
    bytes
}

fn unbrotli(path: &Path) -> Vec<u8> {
    let compressed = std::fs::read(path).expect("br file");
    let mut bytes = Vec::new();
    brotli::Decompressor::new(&compressed[..], 4096)
        .read_to_end(&mut bytes)
        .expect("brotli");
    bytes
}

#[tokio::test]
async fn an_exported_episode_page_holds_the_bytes_the_server_sends() {
    let (app, _dir, out) = exported_seed_site().await;

    let slug = seed_slug(&out);
    let file = out.join(format!("episodes/434/{slug}/index.html"));
    let response = app.get(&format!("/episodes/434/{slug}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let served_bytes = response.bytes().await.unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), served_bytes.to_vec());
    assert_eq!(
        gunzip(&file.with_extension("html.gz")),
        served_bytes.to_vec()
    );
}

/// Only an episode with a transcript has transcript files, in both formats, as the server
/// sends them.
#[tokio::test]
async fn transcripts_are_exported_for_the_episodes_that_have_one() {
    let app = seeded_app().await;
    app.import(episode(7, "Untranscribed").build()).await;
    let id = app.episode_id(434).await;
    shownotes::transcripts::manage::attach(
        &app.state.db,
        id,
        "434.vtt",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Michael>Hello and welcome.\n",
        shownotes::transcripts::manage::By::CommandLine,
    )
    .await
    .expect("attach");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");

    for extension in ["vtt", "srt"] {
        let path = format!("/episodes/434/transcript.{extension}");
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let sent = response.bytes().await.unwrap().to_vec();
        assert!(String::from_utf8_lossy(&sent).contains("Hello and welcome."));
        let file = served(&out, &path).unwrap_or_else(|| panic!("{path} exported"));
        assert_eq!(std::fs::read(file).unwrap(), sent, "{path}");
        assert_eq!(
            served(&out, &format!("/episodes/7/transcript.{extension}")),
            None
        );
    }
}

#[tokio::test]
async fn the_exported_feeds_parse_and_every_text_file_has_gzip_and_brotli_twins() {
    let (_app, _dir, out) = exported_seed_site().await;

    for path in [
        "/episodes/rss",
        "/episodes/atom",
        "/episodes/feed.json",
        "/talks/rss",
    ] {
        let file = served(&out, path).unwrap_or_else(|| panic!("{path} is exported"));
        let feed = feed_rs::parser::parse(&std::fs::read(&file).unwrap()[..])
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        if path.starts_with("/episodes") {
            assert_eq!(feed.entries.len(), 1, "{path}");
        }
        // A browser opening the feed on the static copy finds the stylesheet it names.
        let text = std::fs::read_to_string(&file).unwrap();
        if let Some(at) = text.find("<?xml-stylesheet") {
            let href = text[at..]
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert!(
                served(&out, href).is_some(),
                "{path} names {href}, not exported"
            );
        }
    }
    for file in files_under(&out).into_iter().map(|f| out.join(f)) {
        let name = file.to_string_lossy().into_owned();
        if [".html", ".xml", ".json", ".css", ".js", ".svg", ".txt"]
            .iter()
            .any(|ext| name.ends_with(ext))
            && !name.ends_with(MANIFEST)
            && !name.ends_with(MADE_FROM)
        {
            let original = std::fs::read(&file).unwrap();
            let twins = [("gz", gunzip as fn(&Path) -> Vec<u8>), ("br", unbrotli)];
            for (coding, decode) in twins {
                let twin = PathBuf::from(format!("{name}.{coding}"));
                if !twin.exists() {
                    // Only a file of a few bytes, which no coding makes smaller, or a page
                    // that sends the browser on to another address goes without.
                    assert!(
                        original.len() < 100 || leads_on(&original).is_some(),
                        "{name} has no .{coding}"
                    );
                    continue;
                }
                assert_eq!(decode(&twin), original, "{name}");
                let twin_len = std::fs::metadata(&twin).unwrap().len();
                assert!(
                    twin_len < original.len() as u64,
                    "{name}.{coding} is not smaller"
                );
            }
        }
    }
}

/// A pyvideo catalog of one event with one talk by `speaker`, tagged `tags`.
pub(crate) fn catalog_of_one_talk(speaker: &str, tags: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let videos = dir.path().join("pydata-2026/videos");
    std::fs::create_dir_all(&videos).unwrap();
    std::fs::write(
        dir.path().join("pydata-2026/category.json"),
        r#"{"title": "PyData 2026"}"#,
    )
    .unwrap();
    let talk = serde_json::json!({
        "title": "Tags with dots, spaces and slashes",
        "recorded": "2026-05-02",
        "speakers": [speaker],
        "tags": tags,
        "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}],
    });
    std::fs::write(videos.join("odd-tags.json"), talk.to_string()).unwrap();
    dir
}

/// A pyvideo catalog of one event whose `talks` talks ("Talk 0" recorded in 1900, "Talk 1" in
/// 1901, …) are all tagged `tag`.
pub(crate) fn catalog_tagged(tag: &str, talks: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let videos = dir.path().join("tagged/videos");
    std::fs::create_dir_all(&videos).unwrap();
    std::fs::write(
        dir.path().join("tagged/category.json"),
        r#"{"title": "Tagged Conf"}"#,
    )
    .unwrap();
    for n in 0..talks {
        let talk = serde_json::json!({
            "title": format!("Talk {n}"),
            "recorded": format!("{}-01-01", 1900 + n),
            "speakers": ["Tess Tagger"],
            "tags": [tag],
            "videos": [{"type": "youtube", "url": format!("https://www.youtube.com/watch?v=t{n}")}],
        });
        std::fs::write(videos.join(format!("talk-{n}.json")), talk.to_string()).unwrap();
    }
    dir
}

/// Every `href` and `src` on the site's own pages (not the live-only forms) of the HTML files
/// of `root`, with the file that links it.
fn local_links(root: &Path) -> Vec<(PathBuf, String)> {
    let links = Selector::parse("[href], [src]").unwrap();
    let mut found = Vec::new();
    for file in files_under(root) {
        if file.extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        let page = Html::parse_document(&std::fs::read_to_string(root.join(&file)).unwrap());
        for element in page.select(&links) {
            let value = element.value();
            let target = value.attr("href").or(value.attr("src")).unwrap();
            let live_only = LIVE_ONLY
                .iter()
                .any(|page| target == *page || target.starts_with(&format!("{page}/")));
            if target.starts_with('/') && !target.starts_with("//") && !live_only {
                found.push((file.clone(), target.to_string()));
            }
        }
    }
    found
}

#[tokio::test]
async fn every_local_link_of_every_exported_page_resolves_to_an_exported_file() {
    let app = seeded_app().await;
    let tags = ["machine learning", "node.js", "機械学習", "CI/CD"];
    let catalog = catalog_of_one_talk("Ada Tagwright", &tags);
    app.import_talks(catalog.path()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");

    let links = local_links(&out);
    let broken: Vec<_> = links
        .iter()
        .filter(|(_, target)| served(&out, target).is_none())
        .collect();
    assert!(broken.is_empty(), "links with no file: {broken:?}");
    let targets: std::collections::BTreeSet<&str> =
        links.iter().map(|(_, target)| target.as_str()).collect();
    // What the pages link to, and so what the copy must hold: every tag's page and the page of
    // a speaker who never presented an episode.
    for tag in tags {
        let page = shownotes::talks::service::tag_url(tag);
        assert!(targets.contains(page.as_str()), "no page links {page}");
        let html = std::fs::read_to_string(served(&out, &page).unwrap()).unwrap();
        assert!(
            html.contains("Tags with dots, spaces and slashes"),
            "{page} lists the talk"
        );
    }
    assert!(targets.contains("/hosts/ada-tagwright"));
    assert!(
        !targets.contains("/hosts/ada-tagwright/rss"),
        "a speaker with no episode offers no feed of their episodes"
    );
    assert!(targets.contains("/hosts/ryan-curtin"), "a pyvideo speaker");
    assert!(
        served(&out, "/talks/tags/node.js")
            .unwrap()
            .ends_with("node.js/index.html"),
        "a tag with a dot is a page, not a file named after it"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/talks/tags/machine%20learning</loc>"));
    assert!(sitemap.contains("/hosts/ada-tagwright</loc>"));
    for named in ["/favicon.ico", "/robots.txt", "/sitemap.xml"] {
        assert!(served(&out, named).is_some(), "{named}");
    }
}

#[tokio::test]
async fn the_footers_search_link_opens_a_search_page_on_the_static_copy() {
    let (_app, _dir, out) = exported_seed_site().await;

    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let footer_links = Selector::parse("footer a").unwrap();
    let search_link = home
        .select(&footer_links)
        .find(|a| a.text().collect::<String>() == "Search")
        .and_then(|a| a.value().attr("href"))
        .expect("the footer links to search");
    let file = served(&out, search_link)
        .unwrap_or_else(|| panic!("{search_link} has a page in the static copy"));

    let page = Html::parse_document(&std::fs::read_to_string(file).unwrap());
    let heading = Selector::parse("main h1").unwrap();
    let search_box = Selector::parse("form.site-search input[name=q]").unwrap();
    let script = Selector::parse("script[src]").unwrap();
    let heading: String = page.select(&heading).next().expect("h1").text().collect();
    assert_eq!(heading, "Search");
    assert!(page.select(&search_box).next().is_some(), "its search box");
    // The box searches search-index.json in the page: the script it runs is in the copy too.
    for src in page.select(&script).filter_map(|s| s.value().attr("src")) {
        assert!(served(&out, src).is_some(), "{src} is in the copy");
    }
    assert!(out.join("search-index.json").is_file());
}

#[tokio::test]
async fn a_second_export_into_the_same_folder_replaces_the_first() {
    let app = seeded_app().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("first export");
    std::fs::write(out.join("stale.html"), "left over").unwrap();

    let done = export(&app, &out).await.expect("second export");

    assert!(out.join("index.html").is_file());
    assert!(!out.join("stale.html").exists(), "the old copy is replaced");
    let manifest: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.len(), done.files);
    assert!(manifest.contains_key("index.html"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
}

#[tokio::test]
async fn a_folder_that_is_not_an_export_is_refused_and_left_untouched() {
    let app = seeded_app().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("photos");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("holiday.jpg"), "mine").unwrap();

    let error = export(&app, &out).await.expect_err("refused");

    let message = error.to_string();
    assert!(message.contains(&out.display().to_string()), "{message}");
    assert!(message.contains("not empty"), "{message}");
    assert_eq!(files_under(&out), vec![PathBuf::from("holiday.jpg")]);
    assert_eq!(std::fs::read(out.join("holiday.jpg")).unwrap(), b"mine");
}

#[test]
fn the_cli_exports_a_site_and_refuses_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let out = dir.path().join("public");
    let db_arg = db.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let args = [
        "export",
        "site",
        "--out",
        out_arg,
        "--base-url",
        "https://example.org",
        "--db",
        db_arg,
    ];

    let first = run(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.join("index.html").is_file());
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        said.contains("wrote ") && !said.contains("path=/robots.txt"),
        "a summary, not a log line a page: {said}"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("https://example.org/sitemap.xml"),
        "{robots}"
    );

    // The smallest twins on request: still the same bytes once decoded.
    let smallest = dir.path().join("smallest");
    run_ok(&[
        "export",
        "site",
        "--out",
        smallest.to_str().unwrap(),
        "--best-compression",
        "--db",
        db_arg,
    ]);
    assert_eq!(
        unbrotli(&smallest.join("index.html.br")),
        std::fs::read(smallest.join("index.html")).unwrap()
    );

    let foreign = dir.path().join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("a.md"), "x").unwrap();
    let refused = run(&[
        "export",
        "site",
        "--out",
        foreign.to_str().unwrap(),
        "--db",
        db_arg,
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("not empty"), "{stderr}");

    // A project site under a path would be a copy whose every link is one folder off.
    let under_a_path = dir.path().join("project-site");
    let refused = run(&[
        "export",
        "site",
        "--out",
        under_a_path.to_str().unwrap(),
        "--base-url",
        "https://user.github.io/show",
        "--db",
        db_arg,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("must be the root of a host"), "{stderr}");
    assert!(!under_a_path.exists(), "nothing is written");
}

#[tokio::test]
async fn paged_lists_are_written_as_folders_and_their_pager_links_follow() {
    let app = spawn_app().await;
    for number in 1..=45 {
        let mut doc = episode(number, &format!("Episode {number}"));
        for topic in 1..=3 {
            let url = format!("https://example.com/{number}/{topic}");
            doc = doc.topic(
                "Brian Okken",
                topic,
                &format!("Topic {topic}"),
                &url,
                "- a note",
            );
        }
        app.import(doc.build()).await;
    }
    let catalog = catalog_tagged("busy", 105);
    app.import_talks(catalog.path()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");

    export(&app, &out).await.expect("export");

    let pager = Selector::parse(".pager a").unwrap();
    let pager_links = |path: &str| -> Vec<String> {
        let file = served(&out, path).unwrap_or_else(|| panic!("{path} is exported"));
        let page = Html::parse_document(&std::fs::read_to_string(file).unwrap());
        page.select(&pager)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(pager_links("/episodes"), ["/episodes/page/2"]);
    assert_eq!(
        pager_links("/episodes/page/2"),
        ["/episodes", "/episodes/page/3"]
    );
    assert_eq!(pager_links("/episodes/page/3"), ["/episodes/page/2"]);
    assert!(served(&out, "/episodes/page/4").is_none());
    // A host's topics, 25 episodes a page.
    assert_eq!(
        pager_links("/hosts/brian-okken"),
        ["/hosts/brian-okken/page/2"]
    );
    assert_eq!(
        pager_links("/hosts/brian-okken/page/2"),
        ["/hosts/brian-okken"]
    );
    assert!(served(&out, "/hosts/brian-okken/page/3").is_none());
    // A tag's talks, 100 a page.
    assert_eq!(pager_links("/talks/tags/busy"), ["/talks/tags/busy/page/2"]);
    assert_eq!(pager_links("/talks/tags/busy/page/2"), ["/talks/tags/busy"]);
    assert!(served(&out, "/talks/tags/busy/page/3").is_none());

    // 135 links, 50 a page.
    assert_eq!(pager_links("/links"), ["/links/page/2"]);
    assert_eq!(pager_links("/links/page/2"), ["/links", "/links/page/3"]);
    assert_eq!(pager_links("/links/page/3"), ["/links/page/2"]);
    let titles_of = |path: &str| {
        let html = std::fs::read_to_string(served(&out, path).unwrap()).unwrap();
        (
            html.contains("<h1>Most-covered links, page 3</h1>"),
            html.matches("https://example.com/").count(),
        )
    };
    let (third_heading, third_links) = titles_of("/links/page/3");
    assert!(
        third_heading,
        "page 3 holds page 3, not the first page again"
    );
    assert!(third_links > 0);
}

/// A weekly publish with nothing new (or run twice) renders nothing; a missing file, another
/// base URL or any public change renders again.
#[tokio::test]
async fn changed_since_renders_nothing_when_nothing_it_depends_on_changed() {
    let app = seeded_app().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let first = export(&app, &out).await.expect("first export");
    let incremental = |base_url: Option<&str>| {
        let base_url = base_url.map(str::to_string);
        export_site(
            &app.state.db,
            &out,
            base_url,
            Rewrite::Changed,
            Effort::Export,
        )
    };

    let nothing = incremental(None).await.expect("nothing changed");
    let home = served(&out, "/").unwrap();
    std::fs::remove_file(&home).unwrap();
    let restored = incremental(None).await.expect("a file was deleted");
    let elsewhere = incremental(Some("https://mirror.example"))
        .await
        .expect("new base URL");
    let again = incremental(Some("https://mirror.example"))
        .await
        .expect("same again");
    app.import(episode(1, "Fresh off the press").build()).await;
    let changed = incremental(Some("https://mirror.example"))
        .await
        .expect("an episode more");

    assert_eq!(
        (nothing.addresses, nothing.files, nothing.unchanged),
        (0, 0, first.files),
        "nothing rendered, nothing written"
    );
    assert!(restored.addresses > 0 && home.is_file(), "{restored:?}");
    assert!(
        elsewhere.files > 0,
        "links name the new base URL: {elsewhere:?}"
    );
    assert!(
        std::fs::read_to_string(out.join("sitemap.xml"))
            .unwrap()
            .contains("https://mirror.example/")
    );
    assert_eq!((again.addresses, again.files), (0, 0));
    assert!(
        changed.addresses > 0 && out.join("episodes/1").is_dir(),
        "{changed:?}"
    );
}

#[tokio::test]
async fn changed_since_rewrites_only_the_files_whose_bytes_changed_and_removes_the_dropped() {
    use std::os::unix::fs::MetadataExt;
    let app = seeded_app().await;
    app.import(episode(1, "Fresh off the press").build()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let first = export(&app, &out).await.expect("first export");
    // A page episode 1 does not touch (the seed's page links to it as its neighbour).
    let talk_page = served(&out, "/talks").unwrap();
    let talk_inode = std::fs::metadata(&talk_page).unwrap().ino();
    let incremental = || export_site(&app.state.db, &out, None, Rewrite::Changed, Effort::Export);

    let nothing = incremental().await.expect("nothing changed");
    app.import(episode(1, "Fresh off the press").draft().build())
        .await;
    let unpublished = incremental().await.expect("episode 1 unpublished");

    assert_eq!((nothing.files, nothing.removed), (0, 0));
    assert_eq!(nothing.unchanged, first.files);
    assert!(
        unpublished.removed >= 3,
        "its page and twins: {unpublished:?}"
    );
    assert!(unpublished.files > 0 && unpublished.files < unpublished.unchanged);
    assert!(served(&out, "/episodes/1").is_none());
    assert!(
        !out.join("episodes/1").exists(),
        "the unpublished episode's folders are gone, not left empty"
    );
    assert!(out.join("episodes/434").is_dir(), "other episodes stay");
    assert!(
        !std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Fresh off the press")
    );
    assert_eq!(
        std::fs::metadata(&talk_page).unwrap().ino(),
        talk_inode,
        "the talks page was left alone"
    );
    let manifest: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.len(), unpublished.files + unpublished.unchanged);
    assert!(manifest.keys().all(|file| out.join(file).is_file()));
}

/// Every file under `dir` with its bytes.
/// Where a page that sends the browser on (`<meta http-equiv="refresh">`) leads, if it is one.
fn leads_on(page: &[u8]) -> Option<String> {
    let html = Html::parse_document(std::str::from_utf8(page).ok()?);
    let refresh = Selector::parse(r#"meta[http-equiv="refresh"]"#).unwrap();
    let content = html.select(&refresh).next()?.value().attr("content")?;
    Some(content.split_once("url=")?.1.to_string())
}

/// Where the static copy's `path` sends a browser: the address its page leads to, or `None`
/// for a page of its own (`Some("")` when nothing is served there).
fn where_copy_leads(root: &Path, path: &str) -> Option<String> {
    match served(root, path) {
        Some(file) => leads_on(&std::fs::read(file).unwrap()),
        None => Some(String::new()),
    }
}

#[tokio::test]
async fn an_episodes_old_address_and_its_number_lead_to_its_page_on_the_static_copy() {
    let app = spawn_app().await;
    app.import(episode(3, "Episode 3").build()).await;
    app.import(episode(8, "Draft title").draft().build()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("first export");
    assert_eq!(where_copy_leads(&out, "/episodes/3/episode-3"), None);

    // A typo fixed after publishing; a draft renamed before it ever went out, then published.
    app.import(episode(3, "Episode 3, retitled").build()).await;
    app.import(episode(8, "Final title").draft().build()).await;
    app.import(episode(8, "Final title").build()).await;
    let changed = |out: PathBuf| {
        let db = app.state.db.clone();
        let address = app.address.clone();
        async move {
            export_site(&db, &out, Some(address), Rewrite::Changed, Effort::Export)
                .await
                .expect("export --changed-since");
            out
        }
    };
    let out = changed(out).await;

    let current = "/episodes/3/episode-3-retitled".to_string();
    assert_eq!(
        where_copy_leads(&out, "/episodes/3/episode-3-retitled"),
        None
    );
    assert_eq!(
        where_copy_leads(&out, "/episodes/3/episode-3").as_deref(),
        Some(current.as_str()),
        "the address shared before the edit leads to the page"
    );
    assert_eq!(
        where_copy_leads(&out, "/episodes/3").as_deref(),
        Some(current.as_str())
    );
    assert_eq!(
        where_copy_leads(&out, "/episodes/8").as_deref(),
        Some("/episodes/8/final-title")
    );
    assert_eq!(
        where_copy_leads(&out, "/episodes/8/draft-title").as_deref(),
        Some(""),
        "a draft's address was never public"
    );
    // The live site sends the old address to the same place.
    let live = app.get("/episodes/3/episode-3").await;
    assert_eq!(live.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        live.headers()["location"].to_str().unwrap(),
        "/episodes/3/episode-3-retitled"
    );

    // Back to the first title: its address is the page again, the second one leads there.
    app.import(episode(3, "Episode 3").build()).await;
    let out = changed(out).await;
    assert_eq!(where_copy_leads(&out, "/episodes/3/episode-3"), None);
    assert_eq!(
        where_copy_leads(&out, "/episodes/3/episode-3-retitled").as_deref(),
        Some("/episodes/3/episode-3")
    );
    // A whole export writes the same.
    let whole = dir.path().join("whole");
    export(&app, &whole).await.expect("whole export");
    assert_eq!(tree(&out), tree(&whole));
}

#[tokio::test]
async fn a_browser_opening_an_old_episode_address_on_the_static_copy_lands_on_its_page() {
    use crate::browser::{SCREENS, browser, open_and_wait, sideways_overflow, start_driver};
    use fantoccini::Locator;
    let Some(mut driver) = start_driver() else {
        return;
    };
    let app = spawn_app().await;
    app.import(episode(3, "Episode 3").build()).await;
    app.import(episode(3, "Episode 3, retitled").build()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");
    let address = serve_static(&out).await;
    let client = browser(&mut driver).await;

    let mut landed = Vec::new();
    for (screen, width, height) in SCREENS {
        client.set_window_size(width, height).await.unwrap();
        for (name, old) in [
            ("old-slug", "/episodes/3/episode-3"),
            ("number", "/episodes/3"),
        ] {
            let found = open_and_wait(
                &client,
                &format!("{address}{old}"),
                Locator::XPath("//h1[contains(., 'retitled')]"),
                &format!("static-moved-{name}-{screen}"),
            )
            .await;
            let url = client.current_url().await.unwrap();
            landed.push((
                old,
                found,
                url.path().trim_end_matches('/').to_string(),
                sideways_overflow(&client).await,
            ));
        }
    }
    let missing = open_and_wait(
        &client,
        &format!("{address}/episodes/3/never-an-address"),
        Locator::XPath("//h1[contains(., 'Not Found')]"),
        "static-not-found-phone",
    )
    .await;
    client.close().await.unwrap();

    assert!(
        missing,
        "the static copy shows the site's own page for a missing address"
    );
    for (old, found, path, overflow) in landed {
        assert!(
            found,
            "{old} on the static copy did not lead to the episode"
        );
        assert_eq!(path, "/episodes/3/episode-3-retitled", "{old}");
        assert!(
            overflow <= 0,
            "{old}: the page scrolls sideways by {overflow}px"
        );
    }
}

#[tokio::test]
async fn the_copy_holds_the_servers_not_found_page_for_static_hosts() {
    let (app, _dir, out) = exported_seed_site().await;

    let missing = app.get("/episodes/434/no/such/page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let body = missing.bytes().await.unwrap().to_vec();
    let file = out.join(NOT_FOUND_PAGE);
    assert_eq!(std::fs::read(&file).unwrap(), body);
    assert_eq!(gunzip(&file.with_extension("html.gz")), body);
    assert_eq!(unbrotli(&file.with_extension("html.br")), body);
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(dir.join(&file)).unwrap();
            (file, bytes)
        })
        .collect()
}

/// The numbers of the episodes exported in `root`.
fn exported_numbers(root: &Path) -> std::collections::BTreeSet<i64> {
    std::fs::read_dir(root.join("episodes"))
        .unwrap()
        .filter_map(|entry| entry.unwrap().file_name().to_str()?.parse().ok())
        .collect()
}

/// After each kind of edit a host makes to episodes, `--changed-since` leaves the folder
/// holding exactly what a whole new export writes, having rendered only the pages the edit
/// touched.
#[tokio::test]
async fn changed_since_after_episode_edits_leaves_what_a_whole_export_writes() {
    let app = seeded_app().await;
    let numbered = |n: i64| {
        episode(n, &format!("Episode {n}")).topic(
            "Brian Okken",
            1,
            &format!("Topic of {n}"),
            &format!("https://example.com/{n}"),
            "- a note",
        )
    };
    // Newest first: the seed's 434, then 119 to 100, then 6 to 1; 20 to an archive page, so
    // page 1 holds 434 and 119 to 101.
    for n in (1..=6).chain(100..=119) {
        app.import(numbered(n).build()).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("first export");
    // Each edit, with the episodes whose own pages it renders again (itself and its
    // neighbours: an episode's page links them by title; `None` for every page) and how
    // many archive, /links and host pages it leaves as they were (the seed's links and those
    // of 119 to 100 fill the first /links page, the rest the second; the seed's hosts, Brian
    // and Michael, have a page each, Brian Okken one or two, Ada Guest one once she comes).
    let edits = [
        (
            "episode 3 retitled",
            episode(3, "Episode 3, retitled"),
            Some(vec![2, 3, 4]),
            (1, 1, 2),
        ),
        (
            "episode 5 gains a topic and its link",
            numbered(5).topic("Brian Okken", 2, "More", "https://example.org/more", "- b"),
            Some(vec![4, 5, 6]),
            (1, 1, 2),
        ),
        (
            "episode 6 gains a guest, new to the show: every page again",
            numbered(6).topic("Ada Guest", 2, "Hers", "https://example.org/hers", "- c"),
            None,
            (0, 0, 0),
        ),
        (
            "episode 7 published",
            numbered(7),
            Some(vec![100, 7, 6]),
            (1, 1, 3),
        ),
        (
            "episode 2 back to draft",
            numbered(2).draft(),
            Some(vec![1, 2, 3]),
            (1, 1, 3),
        ),
        (
            "episode 4 moved before episode 7 (the links pages show no dates)",
            numbered(4).published_at("2020-01-08T09:00:00Z"),
            Some(vec![100, 4, 7, 5, 3]),
            (1, 2, 3),
        ),
    ];

    for (step, (edit, doc, touched, (archive_kept, links_kept, hosts_kept))) in
        edits.into_iter().enumerate()
    {
        app.import(doc.build()).await;
        let changed = export_site(
            &app.state.db,
            &out,
            Some(app.address.clone()),
            Rewrite::Changed,
            Effort::Export,
        )
        .await
        .expect(edit);
        let whole_dir = dir.path().join(format!("whole-{step}"));
        let whole = export(&app, &whole_dir).await.expect(edit);

        let (got, want) = (tree(&out), tree(&whole_dir));
        let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&got), names(&want), "{edit}: the same files");
        for ((file, bytes), (_, wanted)) in got.iter().zip(&want) {
            assert!(bytes == wanted, "{edit}: {} differs", file.display());
        }
        // Their page (and chapters), not counting the compressed twins.
        let pages_of = |number: &i64| {
            files_under(&whole_dir.join(format!("episodes/{number}")))
                .iter()
                .filter(|file| !file.extension().is_some_and(|e| e == "gz" || e == "br"))
                .count()
        };
        let untouched: Vec<i64> = match &touched {
            Some(touched) => exported_numbers(&whole_dir)
                .into_iter()
                .filter(|number| !touched.contains(number))
                .collect(),
            None => Vec::new(),
        };
        assert_eq!(
            whole.addresses - changed.addresses,
            untouched.iter().map(pages_of).sum::<usize>() + archive_kept + links_kept + hosts_kept,
            "{edit}: the pages of {touched:?} rendered, {archive_kept} archive, {links_kept} \
             /links and {hosts_kept} host page(s) left alone"
        );
    }
}

#[tokio::test]
async fn the_static_copy_carries_a_search_index_of_what_listeners_can_open() {
    let app = seeded_app().await;
    app.import(episode(2, "A draft nobody may find").draft().build())
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("search-index.json")).unwrap()).unwrap();
    let entries = index["entries"].as_array().expect("entries");
    let field = |entry: &serde_json::Value, key: &str| entry[key].as_str().unwrap().to_string();
    let titles: Vec<String> = entries.iter().map(|e| field(e, "t")).collect();

    assert!(entries.iter().any(|e| field(e, "c") == "Episode 434"));
    for kind in ["episode", "segment", "talk"] {
        assert!(
            entries.iter().any(|e| field(e, "k") == kind),
            "{kind} in {titles:?}"
        );
    }
    assert!(!titles.iter().any(|t| t.contains("draft nobody")));
    for entry in entries {
        let href = field(entry, "u");
        assert!(served(&out, &href).is_some(), "{href} is in the copy");
    }
    assert_eq!(
        gunzip(&out.join("search-index.json.gz")),
        std::fs::read(out.join("search-index.json")).unwrap()
    );
}

/// Serves `root` as a plain static web server would (a folder's `index.html` for its address,
/// `404.html` for an address it does not have); returns its address.
async fn serve_static(root: &Path) -> String {
    use tower_http::services::{ServeDir, ServeFile};
    let not_found = ServeFile::new(root.join(NOT_FOUND_PAGE));
    let files =
        axum::Router::new().fallback_service(ServeDir::new(root).not_found_service(not_found));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, files).await });
    address
}

#[tokio::test]
async fn a_search_address_opened_on_the_static_copy_shows_the_copys_results() {
    use crate::browser::{SCREENS, browser, open_and_wait, sideways_overflow, start_driver, texts};
    use fantoccini::Locator;
    let Some(mut driver) = start_driver() else {
        return;
    };
    let (_app, _dir, out) = exported_seed_site().await;
    let address = serve_static(&out).await;
    let client = browser(&mut driver).await;

    let mut shown = Vec::new();
    for (screen, width, height) in SCREENS {
        client.set_window_size(width, height).await.unwrap();
        // A shared search link: no server answers it on the static copy.
        let appeared = open_and_wait(
            &client,
            &format!("{address}/search/?q=OpenAI"),
            Locator::Css("#main .hit-title"),
            &format!("static-search-{screen}"),
        )
        .await;
        let in_box = client
            .execute(
                "return document.getElementById('site-search-q').value;",
                vec![],
            )
            .await
            .unwrap();
        shown.push((
            appeared,
            texts(&client, "#main .hit-title").await,
            in_box,
            sideways_overflow(&client).await,
        ));
    }
    client.close().await.unwrap();

    for (appeared, titles, in_box, overflow) in shown {
        assert!(
            appeared,
            "the static copy showed no results for a search address"
        );
        assert!(titles.iter().any(|t| t.contains("OpenAI")), "{titles:?}");
        assert_eq!(
            in_box.as_str(),
            Some("OpenAI"),
            "the box shows what was searched"
        );
        assert!(overflow <= 0, "the results scroll sideways by {overflow}px");
    }
}

/// Notes of about `kb` kilobytes that differ from one episode to the next.
fn long_notes(episode: i64, kb: usize) -> String {
    let words = [
        "python",
        "release",
        "typing",
        "async",
        "packaging",
        "tests",
        "speed",
        "docs",
    ];
    let mut notes = String::new();
    let mut n = episode as usize;
    while notes.len() < kb * 1024 {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let word = words[(n >> 33) % words.len()];
        notes.push_str(&format!("- {word} note {} of episode {episode}\n", n >> 40));
    }
    notes
}

/// The pieces kept beside the export folder `out`.
fn pieces_beside(out: &Path) -> std::collections::BTreeSet<String> {
    let dir = out.with_file_name(format!(
        ".{}.pieces",
        out.file_name().unwrap().to_string_lossy()
    ));
    files_under(&dir)
        .into_iter()
        .map(|file| file.to_string_lossy().into_owned())
        .collect()
}

/// A feed of megabytes is compressed in pieces kept beside the folder: after one episode is
/// edited, `--changed-since` compresses again only the pieces around the edit and each feed's
/// head (fewer than half of them here, a sixth of a 12 MB feed), and its `.gz`
/// and `.br` still give the feed back whole.
#[tokio::test]
async fn large_feeds_are_compressed_again_only_in_the_pieces_an_edit_touched() {
    let app = spawn_app().await;
    let long = |n: i64, title: &str| {
        episode(n, title).topic(
            "Brian Okken",
            1,
            &format!("Topic of {n}"),
            &format!("https://example.com/{n}"),
            &long_notes(n, 24),
        )
    };
    for n in 1..=120 {
        app.import(long(n, &format!("Episode {n}")).build()).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let export = |rewrite| {
        export_site(
            &app.state.db,
            &out,
            Some(app.address.clone()),
            rewrite,
            Effort::Served,
        )
    };
    export(Rewrite::All).await.expect("first export");
    let first = pieces_beside(&out);
    app.import(long(60, "Episode 60, edited").build()).await;
    export(Rewrite::Changed).await.expect("after the edit");
    let second = pieces_beside(&out);

    let feed = std::fs::read(out.join("episodes/rss/index.xml")).unwrap();
    assert!(
        feed.len() > 2 * 1024 * 1024,
        "a feed of {} bytes",
        feed.len()
    );
    assert!(gunzip(&out.join("episodes/rss/index.xml.gz")) == feed);
    assert!(unbrotli(&out.join("episodes/rss/index.xml.br")) == feed);
    let made_again = second.difference(&first).count();
    assert!(
        made_again > 0 && made_again * 2 < second.len(),
        "{made_again} of {} pieces compressed again",
        second.len()
    );
    assert!(
        first.difference(&second).count() <= made_again,
        "the replaced pieces are gone"
    );
}
