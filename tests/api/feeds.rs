//! Feeds as podcast apps and feed readers read them: parsed by feed-rs and checked field by field.

use feed_rs::parser;
use roxmltree::{Document, Node};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

use crate::helpers::{TestApp, add_talk_discussed_in_segment, episode, spawn_app, spawn_app_with};

const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// A show with every setting a directory asks for.
const SHOW_SETTINGS: &str = "update settings set title = 'Python Bytes', description = 'Python news & headlines',
    base_url = 'https://pythonbytes.example', owner_name = 'Michael Kennedy', owner_email = 'owner@pythonbytes.example',
    artwork_url = 'https://pythonbytes.example/art.png', categories = 'Technology > Tech News, Education',
    funding_url = 'https://pythonbytes.example/support', podcast_guid = 'b6a7e1c2-6f35-4e0d-a8a2-6c8d1a0f7a11'";

async fn body(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.expect("body")
}

async fn guid_of(app: &TestApp, number: i64) -> String {
    sqlx::query_scalar("select guid from episodes where number = ?")
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .expect("guid")
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Node<'a, 'i> {
    children(node, ns, name)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("<{name}> missing in <{}>", node.tag_name().name()))
}

fn children<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == ns)
        .collect()
}

fn text<'a>(node: Node<'a, '_>, ns: Option<&str>, name: &str) -> &'a str {
    child(node, ns, name).text().unwrap_or_default()
}

#[tokio::test]
async fn the_podcast_feed_lists_published_episodes_newest_first_with_stable_guids() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.import(episode(1, "First").build()).await;
    app.import(episode(2, "Secret").draft().build()).await;

    let feed =
        parser::parse(body(&app, "/episodes/rss").await.as_bytes()).expect("feed-rs parses it");

    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        ["Most of OpenAI’s tech stack runs on Python", "First"]
    );
    let seed = &feed.entries[0];
    assert_eq!(seed.id, guid_of(&app, 434).await);
    let media = &seed.media[0].content[0];
    assert_eq!(
        media.url.as_ref().unwrap().as_str(),
        "https://pythonbytes.fm/episodes/download/434/most-of-openai-s-tech-stack-runs-on-python.mp3"
    );
    assert_eq!(media.size, Some(33_472_184));
    assert_eq!(
        media.content_type.as_ref().unwrap().to_string(),
        "audio/mpeg"
    );
    let content = seed
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap();
    assert!(
        content.contains("Making PyPI’s test suite 81% faster"),
        "{content}"
    );

    // Editing an episode keeps its guid: apps must not see a new episode.
    let guid = guid_of(&app, 1).await;
    app.import(episode(1, "First, retitled").build()).await;
    let feed = parser::parse(body(&app, "/episodes/rss").await.as_bytes()).unwrap();
    assert_eq!(feed.entries[1].id, guid);
    assert_eq!(
        feed.entries[1].title.as_ref().unwrap().content,
        "First, retitled"
    );
}

#[tokio::test]
async fn the_podcast_feed_has_every_apple_and_podcasting_2_0_field() {
    let app = spawn_app_with(SHOW_SETTINGS).await;
    app.import_seed().await;
    sqlx::query("update people set is_guest = 1, avatar = 'https://img.example/m.png' where slug = 'michael'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();

    let xml = body(&app, "/episodes/rss").await;
    let doc = Document::parse(&xml).expect("well-formed XML");
    let rss = doc.root_element();
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, None, "channel");
    assert_eq!(text(channel, None, "title"), "Python Bytes");
    assert_eq!(text(channel, None, "link"), "https://pythonbytes.example/");
    assert_eq!(text(channel, None, "language"), "en");
    assert_eq!(
        text(channel, None, "description"),
        "Python news & headlines"
    );
    assert_eq!(text(channel, Some(ITUNES), "author"), "Michael Kennedy");
    let owner = child(channel, Some(ITUNES), "owner");
    assert_eq!(text(owner, Some(ITUNES), "name"), "Michael Kennedy");
    assert_eq!(
        text(owner, Some(ITUNES), "email"),
        "owner@pythonbytes.example"
    );
    assert_eq!(
        child(channel, Some(ITUNES), "image").attribute("href"),
        Some("https://pythonbytes.example/art.png")
    );
    let categories = children(channel, Some(ITUNES), "category");
    assert_eq!(categories[0].attribute("text"), Some("Technology"));
    assert_eq!(
        child(categories[0], Some(ITUNES), "category").attribute("text"),
        Some("Tech News")
    );
    assert_eq!(categories[1].attribute("text"), Some("Education"));
    assert_eq!(text(channel, Some(ITUNES), "explicit"), "false");
    assert_eq!(
        text(channel, Some(PODCAST), "guid"),
        "b6a7e1c2-6f35-4e0d-a8a2-6c8d1a0f7a11"
    );
    assert_eq!(
        child(channel, Some(PODCAST), "funding").attribute("url"),
        Some("https://pythonbytes.example/support")
    );
    let locked = child(channel, Some(PODCAST), "locked");
    assert_eq!(locked.text(), Some("yes"));
    assert_eq!(locked.attribute("owner"), Some("owner@pythonbytes.example"));

    let item = child(channel, None, "item");
    let guid = child(item, None, "guid");
    assert_eq!(guid.attribute("isPermaLink"), Some("false"));
    assert_eq!(guid.text(), Some(guid_of(&app, 434).await.as_str()));
    let published =
        OffsetDateTime::parse(text(item, None, "pubDate"), &Rfc2822).expect("RFC 2822 pubDate");
    assert_eq!(
        published,
        OffsetDateTime::parse("2025-05-27T08:00:00Z", &Rfc3339).unwrap()
    );
    let enclosure = child(item, None, "enclosure");
    assert!(
        enclosure
            .attribute("url")
            .unwrap()
            .starts_with("https://pythonbytes.fm/")
    );
    assert_eq!(enclosure.attribute("length"), Some("33472184"));
    assert_eq!(enclosure.attribute("type"), Some("audio/mpeg"));
    assert_eq!(text(item, Some(ITUNES), "duration"), "1915");
    assert_eq!(text(item, Some(ITUNES), "episode"), "434");
    let persons: Vec<_> = children(item, Some(PODCAST), "person")
        .into_iter()
        .map(|p| {
            (
                p.text().unwrap(),
                p.attribute("role").unwrap(),
                p.attribute("href").unwrap(),
                p.attribute("img"),
            )
        })
        .collect();
    assert_eq!(
        persons,
        [
            (
                "Brian Okken",
                "host",
                "https://pythonbytes.example/hosts/brian",
                None
            ),
            (
                "Michael Kennedy",
                "guest",
                "https://pythonbytes.example/hosts/michael",
                Some("https://img.example/m.png")
            ),
        ]
    );
    let chapters = child(item, Some(PODCAST), "chapters");
    assert_eq!(
        chapters.attribute("url"),
        Some("https://pythonbytes.example/episodes/434/chapters.json")
    );
    assert_eq!(
        chapters.attribute("type"),
        Some("application/json+chapters")
    );
    assert!(text(item, Some(CONTENT), "encoded").contains("<h2>"));
}

#[tokio::test]
async fn notes_that_try_to_break_out_of_the_feed_stay_inside_content_encoded() {
    let app = spawn_app().await;
    let notes = "- ends early? ]]> <![CDATA[ not really\n- `]]>` in code\n- [link](https://x.example/a]]>b)\n- <script>alert(1)</script>";
    app.import(
        episode(7, "Sneaky <b>& ]]> title")
            .topic("Brian", 1, "Tricks", "https://x.example", notes)
            .build(),
    )
    .await;

    let xml = body(&app, "/episodes/rss").await;
    let doc = Document::parse(&xml).expect("still well-formed");
    let item = child(child(doc.root_element(), None, "channel"), None, "item");
    let content = text(item, Some(CONTENT), "encoded");

    assert_eq!(text(item, None, "title"), "Sneaky <b>& ]]> title");
    assert!(
        content.contains("ends early? ]]&gt; &lt;![CDATA[ not really"),
        "{content}"
    );
    assert!(content.contains("<code>]]&gt;</code>"), "{content}");
    assert!(!content.contains("<script>"), "{content}");
    let feed = parser::parse(xml.as_bytes()).expect("feed-rs parses it");
    assert_eq!(feed.entries.len(), 1);
}

#[tokio::test]
async fn chapters_follow_the_podcasting_2_0_json_shape() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.import(episode(9, "Draft").draft().build()).await;

    let (status, chapters) = app.json("/episodes/434/chapters.json").await;

    assert_eq!(status, 200);
    assert_eq!(chapters["version"], "1.2.0");
    let list = chapters["chapters"].as_array().unwrap();
    let starts: Vec<_> = list
        .iter()
        .map(|c| c["startTime"].as_i64().unwrap())
        .collect();
    assert_eq!(starts, [0, 420]);
    assert_eq!(list[0]["title"], "Making PyPI’s test suite 81% faster");
    assert_eq!(
        list[0]["url"],
        "https://blog.trailofbits.com/2025/05/01/making-pypis-test-suite-81-faster/"
    );
    for chapter in list {
        let keys: Vec<_> = chapter
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(
            keys.iter()
                .all(|k| ["startTime", "title", "url"].contains(k)),
            "{keys:?}"
        );
        assert!(chapter["title"].is_string());
    }
    assert_eq!(app.get("/episodes/9/chapters.json").await.status(), 404);
    assert_eq!(app.get("/episodes/999/chapters.json").await.status(), 404);
}

#[tokio::test]
async fn atom_and_json_feed_carry_the_same_episodes() {
    let app = spawn_app_with(SHOW_SETTINGS).await;
    app.import_seed().await;
    app.import(episode(1, "First").build()).await;
    let guid = guid_of(&app, 434).await;

    let atom = parser::parse(body(&app, "/episodes/atom").await.as_bytes()).expect("Atom parses");
    assert_eq!(atom.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(atom.entries.len(), 2);
    assert_eq!(atom.entries[0].id, format!("urn:uuid:{guid}"));
    assert_eq!(
        atom.entries[0].links[0].href,
        "https://pythonbytes.example/episodes/434/most-of-openai-s-tech-stack-runs-on-python"
    );
    assert!(
        atom.entries[0]
            .links
            .iter()
            .any(|l| l.rel.as_deref() == Some("enclosure") && l.length == Some(33_472_184))
    );
    assert_eq!(
        atom.entries[0].authors[0].name.as_deref(),
        Some("Brian Okken")
    );

    let response = app.get("/episodes/feed.json").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/feed+json; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let parsed = parser::parse(text.as_bytes()).expect("JSON Feed parses");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(parsed.entries.len(), 2);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["title"], "Python Bytes");
    assert_eq!(json["home_page_url"], "https://pythonbytes.example/");
    assert_eq!(
        json["feed_url"],
        "https://pythonbytes.example/episodes/feed.json"
    );
    let item = &json["items"][0];
    assert_eq!(item["id"], guid.as_str());
    assert!(item["content_html"].as_str().unwrap().contains("<h2>"));
    assert!(OffsetDateTime::parse(item["date_published"].as_str().unwrap(), &Rfc3339).is_ok());
    assert_eq!(item["attachments"][0]["mime_type"], "audio/mpeg");
    assert_eq!(item["attachments"][0]["size_in_bytes"], 33_472_184);
    assert_eq!(item["attachments"][0]["duration_in_seconds"], 1915);
    assert_eq!(item["authors"][0]["name"], "Brian Okken");
}

/// Episode `number`, titled "{host}'s", with one topic that `host` presents.
fn presented_by(number: i64, host: &str) -> shownotes::episodes::model::EpisodeDoc {
    let initial = &host[..1];
    episode(number, &format!("{host}'s"))
        .topic(
            host,
            1,
            initial,
            &format!("https://{}.example", initial.to_lowercase()),
            "",
        )
        .build()
}

#[tokio::test]
async fn a_host_feed_lists_only_episodes_that_host_presented_in() {
    let app = spawn_app().await;
    app.import(presented_by(1, "Brian")).await;
    app.import(presented_by(2, "Calvin")).await;

    let feed = parser::parse(body(&app, "/hosts/calvin/rss").await.as_bytes()).expect("parses");

    assert_eq!(feed.entries.len(), 1);
    assert_eq!(feed.entries[0].title.as_ref().unwrap().content, "Calvin's");
    assert!(feed.title.unwrap().content.contains("Calvin"));
    assert_eq!(app.get("/hosts/nobody/rss").await.status(), 404);
}

#[tokio::test]
async fn talk_feeds_list_the_catalog_and_each_event() {
    let app = spawn_app().await;
    app.import_seed().await;
    add_talk_discussed_in_segment(
        &app,
        "pycon-us-2025",
        "reactive-notebooks",
        "Reactive notebooks",
        4,
    )
    .await;

    for path in ["/talks/rss", "/talks/pycon-us-2025/rss"] {
        let feed = parser::parse(body(&app, path).await.as_bytes()).expect("parses");
        assert_eq!(feed.entries.len(), 1, "{path}");
        assert_eq!(
            feed.entries[0].title.as_ref().unwrap().content,
            "Reactive notebooks"
        );
        assert_eq!(
            feed.entries[0].links[0].href,
            format!("{}/talks/pycon-us-2025/reactive-notebooks", app.address)
        );
    }
    assert_eq!(app.get("/talks/no-such-event/rss").await.status(), 404);
}

#[tokio::test]
async fn every_feed_answers_a_conditional_get_with_304() {
    let app = spawn_app().await;
    app.import_seed().await;
    let paths = [
        "/episodes/rss",
        "/episodes/atom",
        "/episodes/feed.json",
        "/episodes/434/chapters.json",
        "/hosts/brian/rss",
        "/talks/rss",
        "/sitemap.xml",
    ];

    for path in paths {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        let etag = first.headers()["etag"].clone();
        let modified = first.headers()["last-modified"].clone();
        let by_etag = app
            .client
            .get(format!("{}{path}", app.address))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        let by_date = app
            .client
            .get(format!("{}{path}", app.address))
            .header("if-modified-since", modified)
            .send()
            .await
            .unwrap();
        assert_eq!(by_etag.status(), 304, "{path}");
        assert_eq!(by_date.status(), 304, "{path}");
    }
}

#[tokio::test]
async fn a_change_makes_if_modified_since_answer_200_even_within_the_same_second() {
    let app = spawn_app().await;
    app.import(episode(1, "Before").build()).await;
    let modified = app.get("/episodes/rss").await.headers()["last-modified"].clone();

    app.import(episode(1, "After").build()).await;
    let response = app
        .client
        .get(format!("{}/episodes/rss", app.address))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("After"));
}

#[tokio::test]
async fn the_sitemap_lists_public_pages_and_robots_txt_points_to_it() {
    let app = spawn_app().await;
    app.import_seed().await;
    app.import(
        episode(2, "Secret")
            .topic("Zed", 1, "Hidden", "https://hidden.example", "")
            .draft()
            .build(),
    )
    .await;
    add_talk_discussed_in_segment(
        &app,
        "pycon-us-2025",
        "reactive-notebooks",
        "Reactive notebooks",
        4,
    )
    .await;

    let xml = body(&app, "/sitemap.xml").await;
    let doc = Document::parse(&xml).expect("well-formed");
    let locs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();

    let base = app.address.as_str();
    for expected in [
        format!("{base}/episodes/434/most-of-openai-s-tech-stack-runs-on-python"),
        format!("{base}/hosts/brian"),
        format!("{base}/talks/pycon-us-2025"),
        format!("{base}/talks/pycon-us-2025/reactive-notebooks"),
    ] {
        assert!(
            locs.contains(&expected.as_str()),
            "{expected} not in {locs:?}"
        );
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("/episodes/2/") || l.contains("/hosts/zed")),
        "{locs:?}"
    );
    let robots = body(&app, "/robots.txt").await;
    assert!(
        robots.contains(&format!("Sitemap: {base}/sitemap.xml")),
        "{robots}"
    );
}

#[tokio::test]
async fn renaming_a_host_renames_them_in_the_notes_every_feed_already_rendered() {
    let app = spawn_app().await;
    app.import(presented_by(1, "Brian")).await;
    let before = rendered_twice(&app, "/episodes/rss").await;
    assert!(before.contains("Brian #1:"), "{before}");

    sqlx::query("update people set name = 'Brianna' where slug = 'brian'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();

    let after = body(&app, "/episodes/rss").await;
    assert!(after.contains("Brianna #1:"), "{after}");
    assert!(!after.contains("Brian #1:"));
}

#[tokio::test]
async fn an_edited_episode_shows_its_new_notes_in_the_next_feed() {
    let app = spawn_app().await;
    let edition = |notes: &str| {
        episode(1, "Edited")
            .topic("Brian", 1, "B", "https://b.example", notes)
            .build()
    };
    app.import(edition("- the first words")).await;
    let before = rendered_twice(&app, "/episodes/rss").await;

    app.import(edition("- the corrected words")).await;
    app.state.content_changed();
    let after = body(&app, "/episodes/rss").await;

    assert!(before.contains("the first words"), "{before}");
    assert!(after.contains("the corrected words"), "{after}");
    assert!(
        !after.contains("the first words"),
        "no stale notes: {after}"
    );
}

/// A feed as the second render after a change gives it: the first keeps the notes' rendering,
/// the second keeps the items, so what comes next is served from what is kept.
async fn rendered_twice(app: &TestApp, path: &str) -> String {
    body(app, path).await;
    app.state.content_changed();
    body(app, path).await
}

#[tokio::test]
async fn items_kept_in_memory_show_a_new_title_and_avatar_in_every_feed() {
    let app = spawn_app().await;
    app.import(presented_by(1, "Brian")).await;
    let feeds = [
        "/episodes/rss",
        "/episodes/atom",
        "/episodes/feed.json",
        "/hosts/brian/rss",
    ];
    for path in feeds {
        rendered_twice(&app, path).await;
    }

    sqlx::query("update people set avatar = 'https://cdn.example/brian.png' where slug = 'brian'")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("update episodes set title = 'A better title' where number = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();

    for path in feeds {
        let after = body(&app, path).await;
        assert!(after.contains("A better title"), "{path}: {after}");
    }
    let rss = body(&app, "/episodes/rss").await;
    assert!(
        rss.contains(r#"img="https://cdn.example/brian.png""#),
        "{rss}"
    );
}

#[tokio::test]
async fn an_episode_back_to_draft_leaves_every_feed() {
    let app = spawn_app().await;
    app.import(presented_by(1, "Brian")).await;
    app.import(presented_by(2, "Brian")).await;
    let feeds = ["/episodes/rss", "/episodes/atom", "/episodes/feed.json"];
    for path in feeds {
        rendered_twice(&app, path).await;
    }

    sqlx::query("update episodes set status = 'draft' where number = 2")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();

    for path in feeds {
        let feed = body(&app, path).await;
        let parsed = parser::parse(feed.as_bytes()).expect("feed parses");
        assert_eq!(parsed.entries.len(), 1, "{path}: {feed}");
    }
}

#[tokio::test]
async fn the_podcast_feed_names_a_stylesheet_served_as_xsl_and_still_parses() {
    let app = spawn_app().await;
    app.import_seed().await;

    let feed = app.get("/episodes/rss").await.text().await.unwrap();
    let href = feed
        .lines()
        .find_map(|line| {
            line.strip_prefix("<?xml-stylesheet type=\"text/xsl\" href=\"")
                .and_then(|rest| rest.strip_suffix("\"?>"))
        })
        .expect("a stylesheet processing instruction")
        .to_string();
    let stylesheet = app.get(&href).await;

    assert_eq!(
        stylesheet.headers()["content-type"],
        "text/xsl; charset=utf-8"
    );
    let xsl = stylesheet.text().await.unwrap();
    assert!(xsl.contains("copy its address into your podcast app"));
    assert!(
        !xsl.contains("{{CSS_URL}}"),
        "the site's stylesheet is linked by its URL"
    );
    let parsed = feed_rs::parser::parse(feed.as_bytes()).expect("apps still read the feed");
    assert_eq!(parsed.entries.len(), 1);
}

/// The feed fragments stored for the site's address, one per episode.
async fn stored_fragments(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select count(*) from episode_html
         where renderer like '% ' || (select base_url from settings)",
    )
    .fetch_one(&app.state.db)
    .await
    .expect("count")
}

#[tokio::test]
async fn an_imported_archive_is_in_the_feed_as_a_fresh_render_would_show_it() {
    let app = spawn_app().await;
    let imported = app.import_archive().await;
    app.state.content_changed();

    // Written with the notes: the first feed request reads them instead of rendering them.
    assert_eq!(stored_fragments(&app).await, imported);
    let from_import = body(&app, "/episodes/rss").await;
    sqlx::query("delete from episode_html")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.content_changed();
    let rendered_on_read = body(&app, "/episodes/rss").await;

    assert_eq!(from_import.matches("<item>").count() as i64, imported);
    assert!(
        from_import == rendered_on_read,
        "the notes the import stored differ from a render of the same episodes"
    );
}

#[tokio::test]
async fn a_draft_has_no_feed_fragment_until_it_is_published_and_then_has_one() {
    let app = spawn_app().await;
    let id = app
        .import_notes_as(
            &crate::helpers::fixture("notes/python-bytes-434-seed.md"),
            shownotes::episodes::model::Status::Draft,
        )
        .await;
    assert_eq!(stored_fragments(&app).await, 0);
    app.add_user("host@example.com", "host").await;
    let host: i64 = sqlx::query_scalar("select id from users")
        .fetch_one(&app.state.db)
        .await
        .unwrap();

    shownotes::episodes::manage::change_status(
        &app.state.db,
        host,
        id,
        shownotes::episodes::manage::StatusChange::Publish,
    )
    .await
    .expect("publish");

    assert_eq!(stored_fragments(&app).await, 1);
    assert!(body(&app, "/episodes/rss").await.contains("<item>"));
}

#[tokio::test]
async fn reading_an_episode_page_keeps_its_feed_notes_and_a_new_intro_replaces_them() {
    let app = spawn_app().await;
    let mut doc = episode(7, "Seven")
        .topic("Brian", 1, "B", "https://b.example", "- notes")
        .build();
    doc.intro_md = "The first intro.".to_string();
    app.import(doc.clone()).await;
    assert_eq!(stored_fragments(&app).await, 1);

    // The page's first read stores the intro's rendering: the feed notes stay.
    app.page("/episodes/7").await;
    assert_eq!(stored_fragments(&app).await, 1);
    assert!(
        body(&app, "/episodes/rss")
            .await
            .contains("The first intro.")
    );

    doc.intro_md = "The second intro.".to_string();
    app.import(doc).await;
    app.state.content_changed();
    let feed = body(&app, "/episodes/rss").await;
    assert!(feed.contains("The second intro.") && !feed.contains("The first intro."));
}
