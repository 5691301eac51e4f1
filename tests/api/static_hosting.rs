//! The static copy under a real nginx and a real Caddy configured as the README says (the
//! configuration is read from the README itself, so the two cannot drift): the feeds, pages,
//! compressed twins and not-found page a visitor or a podcast app gets, and the sign-up form the
//! server in front sends on to the live site. Skipped with a printed reason where a server or
//! nginx's brotli module is missing (never in CI, which installs them).

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};

use shownotes::export_site::LIVE_ONLY;

use crate::export_site::{catalog_of_one_talk, export};
use crate::helpers::{TestApp, attrs, free_port, spawn_app_behind_proxy, wait_for_line};
use crate::subscriptions::status_of;

const NGINX: &str = "/usr/sbin/nginx";
const CADDY: &str = "/usr/bin/caddy";
const BROTLI_MODULE: &str = "ngx_http_brotli_static_module.so";

/// An nginx serving a folder on a free port, stopped when dropped.
struct Nginx {
    dir: tempfile::TempDir,
    address: String,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new(NGINX)
            .args([
                "-p",
                &path_str(self.dir.path()),
                "-c",
                "nginx.conf",
                "-s",
                "stop",
            ])
            .args(["-e", "error.log"])
            .status();
    }
}

fn path_str(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_string()
}

/// The folder nginx's Debian package loads modules from, as `nginx -V` says.
fn modules_path() -> PathBuf {
    let version = Command::new(NGINX).arg("-V").output().expect("nginx -V");
    let said = String::from_utf8_lossy(&version.stderr).into_owned();
    said.split_whitespace()
        .find_map(|word| word.strip_prefix("--modules-path="))
        .unwrap_or("/usr/lib/nginx/modules")
        .into()
}

/// The README's text after `marker`.
fn readme_after(marker: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    readme
        .split_once(marker)
        .unwrap_or_else(|| panic!("the README says {marker:?}"))
        .1
        .to_string()
}

/// The nginx lines the README gives in backticks after `marker`.
fn readme_lines(marker: &str) -> String {
    readme_after(marker)
        .split('`')
        .nth(1)
        .expect("the configuration in backticks")
        .to_string()
}

/// The Caddyfile the README gives in the fenced block after [`CADDY_SITE`].
fn readme_caddyfile() -> String {
    let after = readme_after(CADDY_SITE);
    let block = after
        .split_once("```caddyfile\n")
        .expect("a caddyfile block")
        .1;
    block
        .split_once("```")
        .expect("the block's end")
        .0
        .to_string()
}

/// Where the README gives the Caddyfile.
const CADDY_SITE: &str = "Or serve it with Caddy";

/// The README's lines that serve the copy in `DIR`.
const SERVE_THE_COPY: &str = "Serve it with nginx:";

/// The README's lines that send the live-only addresses to the server at 127.0.0.1:8000.
const PROXY_THE_REST: &str = "proxy them to it, beside the lines above:";

/// Starts nginx on `root` with the README's configuration, the live-only addresses proxied to
/// `live` when given, or says why it cannot run here.
fn start_nginx(root: &Path, live: Option<&str>) -> Option<Nginx> {
    let module = modules_path().join(BROTLI_MODULE);
    let missing = [PathBuf::from(NGINX), module.clone()]
        .into_iter()
        .find(|p| !p.exists());
    if let Some(path) = missing {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing in CI: .ci/run must install nginx and libnginx-mod-http-brotli-static",
            path.display()
        );
        eprintln!(
            "SKIPPED nginx test: {} not found (apt-get install nginx libnginx-mod-http-brotli-static)",
            path.display()
        );
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // Workers run as the user nginx starts as: root (in CI) must say so, or they would be
    // `nobody`, who cannot enter the temporary folders.
    let as_root = if std::fs::metadata(dir.path()).unwrap().uid() == 0 {
        "user root;"
    } else {
        ""
    };
    let copy = readme_lines(SERVE_THE_COPY);
    assert!(copy.contains("root DIR;"), "{copy}");
    let mut server = copy.replace("DIR", &path_str(root));
    if let Some(live) = live {
        let proxy = readme_lines(PROXY_THE_REST);
        assert!(proxy.contains("http://127.0.0.1:8000"), "{proxy}");
        server.push_str(&proxy.replace("http://127.0.0.1:8000", live));
    }
    let config = format!(
        "{as_root}
load_module {module};
pid nginx.pid;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path tmp-body;
  proxy_temp_path tmp-proxy;
  fastcgi_temp_path tmp-fastcgi;
  uwsgi_temp_path tmp-uwsgi;
  scgi_temp_path tmp-scgi;
  server {{
    listen 127.0.0.1:{port};
    {server}
  }}
}}
",
        module = module.display()
    );
    std::fs::write(dir.path().join("nginx.conf"), config).unwrap();
    // nginx listens before it leaves for the background: once this returns, it answers.
    let started = Command::new(NGINX)
        .args([
            "-p",
            &path_str(dir.path()),
            "-c",
            "nginx.conf",
            "-e",
            "error.log",
        ])
        .output()
        .expect("start nginx");
    assert!(
        started.status.success(),
        "nginx did not start: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    Some(Nginx {
        dir,
        address: format!("http://127.0.0.1:{port}"),
    })
}

/// A Caddy serving a folder on a free port, killed when dropped.
struct Caddy {
    child: Child,
    address: String,
    _home: tempfile::TempDir,
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Caddy on `root` with the README's Caddyfile, the live-only addresses proxied to
/// `live`, or says why it cannot run here.
fn start_caddy(root: &Path, live: &str) -> Option<Caddy> {
    if !Path::new(CADDY).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CADDY} is missing in CI: .ci/run must install caddy"
        );
        eprintln!("SKIPPED Caddy test: {CADDY} not found (apt-get install caddy)");
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let address = format!("http://127.0.0.1:{port}");
    let site = readme_caddyfile()
        .replace("podcast.example.org", &address)
        .replace("DIR", &path_str(root))
        .replace("127.0.0.1:8000", live.trim_start_matches("http://"));
    // No admin endpoint (tests run side by side) and no certificates for a test address.
    let caddyfile = format!("{{\n\tadmin off\n\tauto_https off\n}}\n{site}");
    let config = home.path().join("Caddyfile");
    std::fs::write(&config, caddyfile).unwrap();
    let mut child = Command::new(CADDY)
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&config)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start caddy");
    // Caddy logs when its server runs.
    let log = child.stderr.take().expect("stderr");
    assert!(
        wait_for_line(log, "\"server running\""),
        "caddy did not start"
    );
    Some(Caddy {
        child,
        address,
        _home: home,
    })
}

async fn get(address: &str, path: &str, accept_encoding: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{address}{path}"))
        .header(ACCEPT_ENCODING, accept_encoding)
        .send()
        .await
        .unwrap()
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn decoded(coding: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    match coding {
        "br" => brotli::Decompressor::new(body, 4096)
            .read_to_end(&mut bytes)
            .expect("brotli"),
        "gzip" => flate2::read::GzDecoder::new(body)
            .read_to_end(&mut bytes)
            .expect("gzip"),
        _ => {
            bytes.extend_from_slice(body);
            bytes.len()
        }
    };
    bytes
}

/// A live site behind a proxy with the seed, the fixture catalog and a talk with odd tags, and
/// its static copy in `DIR/site`.
async fn site_and_copy() -> (TestApp, tempfile::TempDir, PathBuf) {
    let app = spawn_app_behind_proxy().await;
    app.import_seed_notes_and_catalog().await;
    let catalog = catalog_of_one_talk("Ada Tagwright", &["machine learning", "機械学習"]);
    app.import_talks(catalog.path()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export(&app, &out).await.expect("export");
    (app, dir, out)
}

/// What a podcast app and a visitor get from the copy in `out` served at `site`.
async fn assert_serves_the_copy(site: &str, out: &Path) {
    // A podcast app asking for the feed gets it compressed as it asked, and the same feed.
    let feed = std::fs::read(out.join("episodes/rss/index.xml")).unwrap();
    for coding in ["br", "gzip", "identity"] {
        let response = get(site, "/episodes/rss", coding).await;
        assert_eq!(response.status(), StatusCode::OK, "{coding}");
        assert!(header(&response, CONTENT_TYPE).contains("xml"));
        let sent = header(&response, CONTENT_ENCODING);
        assert_eq!(sent, if coding == "identity" { "" } else { coding });
        // A cache in front must not hand a compressed body to a client that did not ask for it.
        if coding != "identity" {
            assert!(
                header(&response, VARY).contains("Accept-Encoding"),
                "Vary as {coding}"
            );
        }
        let body = response.bytes().await.unwrap();
        assert_eq!(decoded(coding, &body), feed, "the feed as {coding}");
    }

    let home = get(site, "/", "br").await;
    assert_eq!(header(&home, CONTENT_ENCODING), "br");
    assert!(header(&home, CONTENT_TYPE).starts_with("text/html"));
    let home = decoded("br", &home.bytes().await.unwrap());
    assert_eq!(home, std::fs::read(out.join("index.html")).unwrap());

    // Pages at the addresses the site's own pages link to, odd names included.
    for (path, shows) in [
        ("/talks/tags/machine-learning", None),
        (
            "/talks/tags/machine%20learning",
            Some("Tags with dots, spaces and slashes"),
        ),
        (
            "/talks/tags/%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92",
            Some("Tags with dots, spaces and slashes"),
        ),
        ("/hosts/ada-tagwright", Some("Ada Tagwright")),
        ("/episodes/434", Some("http-equiv=\"refresh\"")),
    ] {
        let response = get(site, path, "identity").await;
        let status = response.status();
        let body = response.text().await.unwrap();
        match shows {
            Some(text) => {
                assert_eq!(status, StatusCode::OK, "{path}");
                assert!(body.contains(text), "{path} shows {text}");
            }
            None => assert_eq!(status, StatusCode::NOT_FOUND, "{path}: no such tag"),
        }
    }

    let missing = get(site, "/episodes/999999/no-such-episode", "identity").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.bytes().await.unwrap().as_ref(),
        std::fs::read(out.join("404.html")).unwrap(),
        "the site's own not-found page"
    );
}

#[tokio::test]
async fn nginx_configured_as_the_readme_says_serves_the_copy_as_the_site() {
    let (_app, _dir, out) = site_and_copy().await;
    if let Some(nginx) = start_nginx(&out, None) {
        assert_serves_the_copy(&nginx.address, &out).await;
    }
}

/// A listener signs up on the copy at `site`, whose server in front sends the form on to `app`;
/// the JSON API and the admin's sign-in answer from `app` too.
async fn assert_signs_up_through(site: &str, app: &TestApp) {
    let visitor = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let open = |path: &str| visitor.get(format!("{site}{path}")).send();

    // The copy's home page leads to the form, which the live server answers.
    let home = open("/").await.unwrap();
    let home = scraper::Html::parse_document(&home.text().await.unwrap());
    assert!(attrs(&home, "a", "href").contains(&"/friends-of-the-show".to_string()));
    let form = open("/friends-of-the-show").await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let form = scraper::Html::parse_document(&form.text().await.unwrap());
    let csrf = attrs(&form, "input[name=csrf]", "value")
        .pop()
        .expect("the form's csrf field");
    let sent = visitor
        .post(format!("{site}/friends-of-the-show"))
        .form(&[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let next = header(&sent, reqwest::header::LOCATION);
    let inbox = open(&next).await.unwrap();
    assert_eq!(inbox.status(), StatusCode::OK);
    assert!(inbox.text().await.unwrap().contains("inbox"));
    assert_eq!(status_of(app, "ada@example.com").await, "pending");

    // The JSON API and the admin's sign-in answer from the server too; the pages from the copy.
    let api = open("/api/v1/episodes").await.unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert!(header(&api, CONTENT_TYPE).starts_with("application/json"));
    let login = open("/admin/login").await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_listener_signs_up_on_the_copy_through_the_readmes_nginx_proxy_lines() {
    let (app, _dir, out) = site_and_copy().await;
    let Some(nginx) = start_nginx(&out, Some(&app.address)) else {
        return;
    };
    let proxied = readme_lines(PROXY_THE_REST);
    for path in LIVE_ONLY {
        assert!(
            proxied.contains(path.trim_start_matches('/')),
            "the README proxies {path}"
        );
    }
    assert_signs_up_through(&nginx.address, &app).await;
}

#[tokio::test]
async fn caddy_configured_as_the_readme_says_serves_the_copy_and_sends_sign_ups_on() {
    let (app, _dir, out) = site_and_copy().await;
    let Some(caddy) = start_caddy(&out, &app.address) else {
        return;
    };
    assert_serves_the_copy(&caddy.address, &out).await;
    assert_signs_up_through(&caddy.address, &app).await;
}
