//! Cached pages sent compressed, as the visitor's Accept-Encoding asks (issue 17).

use std::io::Read;

use reqwest::Response;

use crate::helpers::{TestApp, episode, spawn_app};

async fn get_accepting(app: &TestApp, path: &str, accept: &str) -> Response {
    get_with(app, path, &[("accept-encoding", accept)]).await
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// The body as sent, decoded by its Content-Encoding.
async fn decoded(response: Response) -> Vec<u8> {
    let coding = header(&response, "content-encoding").map(str::to_string);
    let sent = response.bytes().await.unwrap();
    let mut body = Vec::new();
    match coding.as_deref() {
        None => body.extend_from_slice(&sent),
        Some("gzip") => {
            flate2::read::GzDecoder::new(&sent[..])
                .read_to_end(&mut body)
                .unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(&sent[..], 4096)
                .read_to_end(&mut body)
                .unwrap();
        }
        Some(other) => panic!("unexpected coding {other}"),
    }
    body
}

#[tokio::test]
async fn a_compressed_page_decodes_to_the_same_bytes_as_the_plain_one() {
    let app = spawn_app().await;
    app.import_seed().await;

    for path in [
        "/",
        "/episodes/434",
        "/episodes/rss",
        "/api/v1/episodes/434",
    ] {
        // The first request makes the entry; the plain copy is asked for last, from the cache.
        let br = get_accepting(&app, path, "gzip, deflate, br").await;
        let gzip = get_accepting(&app, path, "gzip").await;
        let plain = get_accepting(&app, path, "identity").await;

        assert_eq!(header(&br, "content-encoding"), Some("br"), "{path}");
        assert_eq!(header(&gzip, "content-encoding"), Some("gzip"), "{path}");
        assert_eq!(header(&plain, "content-encoding"), None, "{path}");
        // The show's feed is also a page for browsers at the same address.
        let vary = match path {
            "/episodes/rss" => "Accept, Accept-Encoding",
            _ => "Accept-Encoding",
        };
        for response in [&br, &gzip, &plain] {
            assert_eq!(header(response, "vary"), Some(vary), "{path}");
        }
        let tags = [&br, &gzip, &plain].map(|r| header(r, "etag").unwrap().to_string());
        assert!(
            tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2],
            "each representation has its own ETag: {tags:?}"
        );
        let plain_len: usize = header(&plain, "content-length").unwrap().parse().unwrap();
        let br_len: usize = header(&br, "content-length").unwrap().parse().unwrap();
        assert!(br_len < plain_len, "{path}: {br_len} < {plain_len}");
        let plain = decoded(plain).await;
        assert!(decoded(br).await == plain, "{path}: brotli");
        assert!(decoded(gzip).await == plain, "{path}: gzip");
    }
}

#[tokio::test]
async fn q_values_choose_the_coding() {
    let app = spawn_app().await;
    app.import_seed().await;

    let cases = [
        ("br;q=0.5, gzip;q=0.8", Some("gzip")),
        ("gzip;q=0, br", Some("br")),
        ("gzip;q=0, br;q=0", None),
        ("*", Some("br")),
    ];
    for (accept, coding) in cases {
        let response = get_accepting(&app, "/episodes/434", accept).await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-encoding"), coding, "{accept}");
    }
}

#[tokio::test]
async fn a_compressed_copy_answers_304_to_its_own_etag_only() {
    let app = spawn_app().await;
    app.import_seed().await;
    let first = get_accepting(&app, "/episodes/434", "gzip").await;
    let etag = header(&first, "etag").unwrap().to_string();

    let conditional = [
        ("accept-encoding", "gzip"),
        ("if-none-match", etag.as_str()),
    ];
    let again = get_with(&app, "/episodes/434", &conditional).await;
    let plain = get_with(&app, "/episodes/434", &conditional[1..]).await;

    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    assert_eq!(header(&again, "vary"), Some("Accept-Encoding"));
    assert!(again.bytes().await.unwrap().is_empty());
    assert_eq!(
        plain.status(),
        200,
        "the plain page is another representation"
    );
}

#[tokio::test]
async fn a_write_changes_the_compressed_pages_etag_and_content() {
    let app = spawn_app().await;
    app.import(episode(1, "Before").build()).await;
    let before = get_accepting(&app, "/episodes/1", "br").await;
    let before_tag = header(&before, "etag").unwrap().to_string();

    app.import(episode(1, "After").build()).await;
    let conditional = [
        ("accept-encoding", "br"),
        ("if-none-match", before_tag.as_str()),
    ];
    let after = get_with(&app, "/episodes/1", &conditional).await;

    assert_eq!(after.status(), 200);
    assert_ne!(header(&after, "etag").unwrap(), before_tag);
    let page = String::from_utf8(decoded(after).await).unwrap();
    assert!(page.contains("After") && !page.contains("Before"));
}

#[tokio::test]
async fn a_large_feeds_first_visitor_gets_gzip_without_waiting_for_brotli() {
    let app = spawn_app().await;
    app.import_archive().await;

    let first = get_accepting(&app, "/episodes/rss", "gzip, deflate, br").await;
    let only_br = get_accepting(&app, "/episodes/rss", "br").await;
    let plain = get_accepting(&app, "/episodes/rss", "identity").await;

    let plain_len: usize = header(&plain, "content-length").unwrap().parse().unwrap();
    assert!(plain_len > 256 * 1024, "a large feed: {plain_len} bytes");
    // Made first and sent at once; brotli is made meanwhile for the visitors who want it.
    assert_eq!(header(&first, "content-encoding"), Some("gzip"));
    assert_eq!(header(&only_br, "content-encoding"), Some("br"));
    let plain = decoded(plain).await;
    assert!(decoded(first).await == plain, "gzip decodes to the feed");
    assert!(
        decoded(only_br).await == plain,
        "brotli decodes to the feed"
    );
}

/// A large compressed feed leaves from its unnamed file beside the database (`web/zero_copy.rs`); sent to many
/// visitors at once, each socket filling and draining at its own pace, every copy arrives
/// whole and the same.
#[tokio::test]
async fn a_large_compressed_feed_sent_to_many_visitors_at_once_arrives_whole_for_each() {
    let app = spawn_app().await;
    app.import_archive().await;
    let plain = decoded(get_accepting(&app, "/episodes/rss", "identity").await).await;
    let first = get_accepting(&app, "/episodes/rss", "gzip").await;
    let sent_len: usize = header(&first, "content-length").unwrap().parse().unwrap();
    assert!(
        sent_len > 64 * 1024,
        "large enough to leave by sendfile: {sent_len}"
    );

    let visitors = (0..16).map(|_| {
        let app = &app;
        async move {
            let response = get_accepting(app, "/episodes/rss", "gzip").await;
            assert_eq!(header(&response, "content-encoding"), Some("gzip"));
            let received = response.bytes().await.unwrap();
            assert_eq!(received.len(), sent_len);
            let mut body = Vec::new();
            flate2::read::GzDecoder::new(&received[..])
                .read_to_end(&mut body)
                .unwrap();
            body
        }
    });
    for body in futures_util::future::join_all(visitors).await {
        assert!(body == plain, "every visitor's copy decodes to the feed");
    }
    #[cfg(target_os = "linux")]
    {
        let folder = app.db_path().parent().unwrap().to_path_buf();
        let unnamed_beside_db = std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
            .filter(|target| {
                target.starts_with(&folder) && target.to_string_lossy().ends_with("(deleted)")
            })
            .count();
        assert!(
            unnamed_beside_db >= 1,
            "the compressed copy lives in an unnamed file beside the database"
        );
    }
}
