//! `export site`: the public site as static files for any web server or CDN (issue #17).
//!
//! Every page is requested in process through [`crate::app`], so each file holds exactly the
//! bytes the server sends: one renderer. See the README for serving the copy.

mod body;
mod disk;
mod error;
mod files;
mod made_from;
mod moved;
mod names;
mod paths;
mod pieces;
mod siblings;
mod store;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{Request, StatusCode};
use sqlx::SqlitePool;
use tower::ServiceExt;

use crate::feeds::items::Format;
use crate::state::AppState;
use crate::web::request_log::InProcess;
use body::Parts;
use files::{Earlier, Staging};
use made_from::{KeptPages, MadeFrom};
use paths::Wanted;

pub use crate::compress::Effort;
pub use error::ExportError;
pub use names::MADE_FROM;
pub use names::MANIFEST;
pub use names::NOT_FOUND_PAGE;

/// Addresses that answer forms, per-visitor state or the JSON API, and so stay on the live
/// server: the static copy leaves them out, and the server in front of it proxies them there
/// (README). `/search` is not among them: the copy holds its empty page (the footer links to
/// it), whose search box searches the copy's own index in the page.
pub const LIVE_ONLY: &[&str] = &["/friends-of-the-show", "/admin", "/api"];

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// Addresses exported (pages, feeds, assets).
    pub addresses: usize,
    /// Files written, compressed siblings included, the manifest aside.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Files an in-place export found already right and left alone.
    pub unchanged: usize,
    /// Files an in-place export removed: the site no longer has them.
    pub removed: usize,
}

/// How much of an earlier export to rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// A whole new copy, swapped in for the earlier one.
    All,
    /// `--changed-since`: nothing is rendered when the content, the build and the options are
    /// those of the earlier export (and its files are all there). When only episodes changed,
    /// their own pages and their neighbours' are rendered, with every page that lists
    /// episodes (home, archive, feeds, hosts, talks, links, sitemap, search index); the other
    /// episodes' pages stay as they are. Any other change renders every page. Only files
    /// whose bytes differ from the earlier export's manifest are written (and compressed),
    /// in place.
    Changed,
}

/// Writes the public site into `out` (new, empty, or an earlier export, which it replaces or,
/// with [`Rewrite::Changed`], updates); `base_url` overrides the stored one as `serve
/// --base-url` does; `effort` is how hard the `.gz`/`.br` siblings are compressed
/// ([`Effort::Export`], or [`Effort::Best`] for `--best-compression`).
pub async fn export_site(
    pool: &SqlitePool,
    out: &Path,
    base_url: Option<String>,
    rewrite: Rewrite,
    effort: Effort,
) -> Result<Exported, ExportError> {
    files::check_target(out)?;
    let state = AppState::load(pool.clone(), base_url).await?;
    let version = crate::db::content_version(pool).await?;
    let mut made_from = MadeFrom::new(version, &state.settings().base_url, effort);
    if rewrite == Rewrite::Changed
        && let Some(unchanged) = files::still_current(out, &made_from)?
    {
        return Ok(Exported {
            addresses: 0,
            files: 0,
            bytes: 0,
            unchanged,
            removed: 0,
        });
    }
    // Each address is rendered once and written at once: keeping pages in memory buys nothing.
    state.cache.set_budget(0);
    for once in [Format::Rss, Format::Atom, Format::Json] {
        state.feed_items.render_once(once);
    }
    // The fingerprints of what the pages show are read on a connection of their own while the
    // pages every export renders (home, feeds, hosts, talks) render: `--changed-since` needs
    // them only to choose the episodes' own pages, which come after, and a whole export only
    // writes them down at the end. Read first, they were a fifth of a whole export's time and
    // 0.9 of the 2 s an edited episode's `--changed-since` took.
    let mut prints = Some(tokio::spawn(with_prints(pool.clone(), made_from.clone())));
    let mut conn = state.db.acquire().await?;
    let wanted = paths::public_paths(&mut conn).await?;
    let search_index = crate::search::static_index::json(&mut conn).await?;
    drop(conn);
    let base_url = state.settings().base_url.clone();
    let router = crate::app(state);
    let earlier = match rewrite {
        Rewrite::All => None,
        Rewrite::Changed => MadeFrom::of_export(out),
    };
    let mut staging = match rewrite {
        Rewrite::All => Staging::beside(out, effort)?,
        Rewrite::Changed => Staging::in_place(out, effort)?,
    };
    let mut rendering = Rendering {
        base_url,
        router: &router,
        staging: &mut staging,
        assets: BTreeSet::new(),
    };
    let written = render_all(&mut rendering, wanted, earlier, &mut prints, &mut made_from)
        .await
        .and_then(|pages| {
            let file = Path::new(crate::search::static_index::FILE);
            staging.write(file, Parts::from(Bytes::from(search_index)), true)?;
            Ok(pages + 1)
        });
    if let Some(unread) = prints {
        unread.abort();
    }
    match written {
        Ok(addresses) => {
            // Pages and fingerprints read while the content changed may not agree: a later
            // `--changed-since` then renders everything rather than trust them.
            if crate::db::content_version(pool).await? != made_from.content_version() {
                made_from.forget_prints();
            }
            let counts = staging.finish(&made_from)?;
            Ok(Exported {
                addresses,
                files: counts.written,
                bytes: counts.bytes,
                unchanged: counts.unchanged,
                removed: counts.removed,
            })
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// `made_from` with the fingerprints of what the pages are rendered from, read on a connection
/// of its own.
async fn with_prints(pool: SqlitePool, mut made_from: MadeFrom) -> Result<MadeFrom, ExportError> {
    let mut conn = pool.acquire().await?;
    made_from.read_prints(&mut conn).await?;
    Ok(made_from)
}

/// What an in-place export may leave as the `earlier` one wrote it: the episodes whose own
/// pages it renders again (`None`: every episode's), and the pages it keeps of each of
/// [`paths::PAGED`]. With no earlier export, everything is rendered.
fn what_stays(
    made_from: &MadeFrom,
    earlier: Option<&MadeFrom>,
) -> (Option<BTreeSet<i64>>, Vec<Option<KeptPages>>) {
    let Some(earlier) = earlier else {
        return (None, vec![None; paths::PAGED.len()]);
    };
    let kept = |list: &&str| match *list {
        paths::ARCHIVE => {
            made_from.archive_kept_since(earlier, crate::episodes::ARCHIVE_PAGE_SIZE as usize)
        }
        _ => made_from.link_pages_kept_since(earlier),
    };
    (
        made_from.touched_since(earlier),
        paths::PAGED.iter().map(kept).collect(),
    )
}

/// The fingerprints being read, until [`await_prints`] takes them.
type PendingPrints = Option<tokio::task::JoinHandle<Result<MadeFrom, ExportError>>>;

/// Where pages go while they render, and the assets they link.
struct Rendering<'a> {
    /// The site's address, for the pages at redirected addresses.
    base_url: String,
    router: &'a Router,
    staging: &'a mut Staging,
    assets: BTreeSet<String>,
}

/// Requests every address: first those every export renders, then, knowing from the
/// fingerprints what changed since the `earlier` export, the episodes' own pages, the pages of
/// the hosts' and tags' lists (the paged addresses of `wanted`) and of the other paged lists,
/// then the assets the pages link to. Returns how many were written; `made_from` holds the
/// fingerprints when it returns.
async fn render_all(
    rendering: &mut Rendering<'_>,
    wanted: Vec<Wanted>,
    earlier: Option<MadeFrom>,
    prints: &mut PendingPrints,
    made_from: &mut MadeFrom,
) -> Result<usize, ExportError> {
    let (every_time, later): (Vec<Wanted>, Vec<Wanted>) = wanted
        .into_iter()
        .partition(|want| want.episode.is_none() && !want.paged);
    let (episodes_own, paged_lists): (Vec<Wanted>, Vec<Wanted>) =
        later.into_iter().partition(|want| want.episode.is_some());
    let mut written = render_wanted(rendering, &every_time).await?;
    written += write_not_found_page(rendering).await?;
    if earlier.is_some() {
        await_prints(prints, made_from).await?;
    }
    let (touched, lists_kept) = what_stays(made_from, earlier.as_ref());
    let episodes_own = Wanted::to_render(episodes_own, touched.as_ref(), rendering.staging)?;
    written += render_wanted(rendering, &episodes_own).await?;
    // A host's pages may stay as they were; a tag's are rendered again, as every talk page is.
    for list in &paged_lists {
        let kept = earlier
            .as_ref()
            .filter(|_| list.path.starts_with("/hosts/"))
            .and_then(|earlier| made_from.host_pages_kept_since(earlier, &list.path));
        written += export_pages(rendering, &list.path, kept.as_ref()).await?;
    }
    for (list, kept) in paths::PAGED.iter().zip(&lists_kept) {
        written += export_pages(rendering, list, kept.as_ref()).await?;
    }
    for asset in std::mem::take(&mut rendering.assets) {
        let page = fetch(rendering.router, &asset).await?;
        if page.status != StatusCode::OK {
            return Err(status_error(&asset, page.status));
        }
        write(rendering.staging, &asset, &page)?;
        written += 1;
    }
    await_prints(prints, made_from).await?;
    Ok(written)
}

/// Waits for the fingerprints, unless they are already in `made_from`.
async fn await_prints(
    prints: &mut PendingPrints,
    made_from: &mut MadeFrom,
) -> Result<(), ExportError> {
    if let Some(reading) = prints.take() {
        *made_from = match reading.await {
            Ok(read) => read?,
            Err(failed) => std::panic::resume_unwind(failed.into_panic()),
        };
    }
    Ok(())
}

/// Requests and writes `wanted` (none of them paged); returns how many addresses were written.
async fn render_wanted(
    rendering: &mut Rendering<'_>,
    wanted: &[Wanted],
) -> Result<usize, ExportError> {
    let mut written = 0;
    for want in wanted {
        if let Some(to) = &want.moved_to {
            write_moved(rendering, &want.path, to)?;
            written += 1;
            continue;
        }
        if want.large {
            rendering.staging.wait_for_large()?;
        }
        let Some(page) = fetch_wanted(rendering.router, want).await? else {
            continue;
        };
        // Pages link their css and js; feeds name the stylesheet a browser shows them with.
        if page.is_text() {
            for chunk in page.body.slices() {
                collect_assets(chunk, &mut rendering.assets);
            }
        }
        write(rendering.staging, &want.path, &page)?;
        written += 1;
    }
    Ok(written)
}

/// An address no site has: what the server answers there is the copy's `404.html`.
const NOWHERE: &str = "/.well-known/shownotes/no-such-page";

/// The page the server sends for an address it does not have, as `404.html`: the name static
/// hosts (Netlify, Cloudflare Pages, GitHub Pages) serve for a missing file, and nginx's
/// `error_page 404 /404.html`. Returns 1, the addresses written.
async fn write_not_found_page(rendering: &mut Rendering<'_>) -> Result<usize, ExportError> {
    let page = fetch(rendering.router, NOWHERE).await?;
    if page.status != StatusCode::NOT_FOUND || !page.is_html() {
        return Err(status_error(NOWHERE, page.status));
    }
    rendering
        .staging
        .write(Path::new(names::NOT_FOUND_PAGE), page.body, true)?;
    Ok(1)
}

/// The page at `path` that leads to `to`. A few hundred bytes: no compressed twins.
fn write_moved(rendering: &mut Rendering<'_>, path: &str, to: &str) -> Result<(), ExportError> {
    let page = moved::page_leading_to(&rendering.base_url, to)?;
    let file = paths::file_for(path, true).ok_or_else(|| ExportError::BadPath(path.into()))?;
    rendering
        .staging
        .write(&file, Parts::from(Bytes::from(page)), false)
}

/// The pages of a paged list (the archive, the links, a host's page), written at `LIST/page/N` with their
/// pager links rewritten to match (the live site's `?page=N` needs a server); the `kept`
/// pages are left as the earlier export wrote them. Returns how many pages were rendered.
async fn export_pages(
    rendering: &mut Rendering<'_>,
    list: &str,
    kept: Option<&KeptPages>,
) -> Result<usize, ExportError> {
    let mut page: u32 = 1;
    let mut rendered = 0;
    loop {
        if let Some(kept) = kept
            && kept.kept.contains(&page)
            && left_as_it_was(rendering.staging, &paths::page_of(list, page))?
        {
            if page >= kept.pages {
                return Ok(rendered);
            }
            page += 1;
            continue;
        }
        rendered += 1;
        let path = format!("{list}?page={page}");
        let mut fetched = fetch(rendering.router, &path).await?;
        if fetched.status != StatusCode::OK {
            return Err(status_error(&path, fetched.status));
        }
        let body = fetched.body.joined();
        collect_assets(&body, &mut rendering.assets);
        let next_link = format!("href=\"{list}?page={}\"", page + 1);
        let has_next = contains(&body, next_link.as_bytes());
        let mut html = String::from_utf8_lossy(&body).into_owned();
        for n in [page.saturating_sub(1), page + 1]
            .into_iter()
            .filter(|n| *n > 0)
        {
            html = html.replace(
                &format!("href=\"{list}?page={n}\""),
                &format!("href=\"{}\"", paths::page_of(list, n)),
            );
        }
        fetched.body = Parts::from(Bytes::from(html));
        write(rendering.staging, &paths::page_of(list, page), &fetched)?;
        if !has_next {
            return Ok(rendered);
        }
        page += 1;
    }
}

/// True when the earlier export's page at `path` stays, entered in the new manifest.
fn left_as_it_was(staging: &mut Staging, path: &str) -> Result<bool, ExportError> {
    let file = paths::file_for(path, true).ok_or_else(|| ExportError::BadPath(path.into()))?;
    Ok(staging.keep_earlier(&file) == Earlier::Kept)
}

/// `None` for an optional address the site does not have.
async fn fetch_wanted(router: &Router, want: &Wanted) -> Result<Option<Fetched>, ExportError> {
    let page = fetch(router, &want.path).await?;
    match page.status {
        StatusCode::OK => Ok(Some(page)),
        StatusCode::NOT_FOUND if want.optional => Ok(None),
        status if status.is_redirection() => follow_local(router, want, page.location).await,
        status => Err(status_error(&want.path, status)),
    }
}

/// `/favicon.ico` redirects to the icon: the copy holds the icon's bytes at both addresses.
/// A redirect off the site (the show's artwork) is left to the browser's `<link rel=icon>`.
async fn follow_local(
    router: &Router,
    want: &Wanted,
    location: Option<String>,
) -> Result<Option<Fetched>, ExportError> {
    match location {
        Some(target) if target.starts_with('/') && !target.starts_with("//") => {
            let page = fetch(router, &target).await?;
            if page.status != StatusCode::OK {
                return Err(status_error(&target, page.status));
            }
            Ok(Some(page))
        }
        _ if want.optional || want.path == "/favicon.ico" => Ok(None),
        _ => Err(status_error(&want.path, StatusCode::FOUND)),
    }
}

/// One response, read whole.
struct Fetched {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: Parts,
}

impl Fetched {
    fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }

    /// Worth a compressed sibling.
    fn is_text(&self) -> bool {
        let t = &self.content_type;
        t.starts_with("text/")
            || ["xml", "json", "javascript", "svg"]
                .iter()
                .any(|kind| t.contains(kind))
    }
}

/// `GET path` through the router, in process: no socket, the same middleware as a visitor gets.
async fn fetch(router: &Router, path: &str) -> Result<Fetched, ExportError> {
    let request = Request::get(path)
        .extension(InProcess)
        .body(Body::empty())
        .map_err(|_| ExportError::BadPath(path.to_string()))?;
    let response = match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE).unwrap_or_default();
    let location = header(LOCATION);
    let status = parts.status;
    let body = read_parts(body).await.map_err(|e| ExportError::Io {
        path: PathBuf::from(path),
        source: std::io::Error::other(e),
    })?;
    Ok(Fetched {
        status,
        content_type,
        location,
        body,
    })
}

/// A body's chunks as they come: a feed's items are not copied into one buffer.
async fn read_parts(body: Body) -> Result<Parts, axum::Error> {
    use futures_util::StreamExt;
    let mut parts = Parts::default();
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        parts.push(chunk?);
    }
    Ok(parts)
}

fn write(staging: &mut Staging, path: &str, page: &Fetched) -> Result<(), ExportError> {
    let file =
        paths::file_for(path, page.is_html()).ok_or_else(|| ExportError::BadPath(path.into()))?;
    staging.write(&file, page.body.clone(), page.is_text())
}

/// Adds every `"/static/…"` address in `body` (the hashed css, js, icon and feed stylesheet
/// URLs). Searched as bytes: the feeds are megabytes, and the addresses are ASCII.
fn collect_assets(body: &[u8], assets: &mut BTreeSet<String>) {
    for at in memchr::memmem::find_iter(body, b"\"/static/") {
        let rest = &body[at + 1..];
        let Some(end) = memchr::memchr3(b'"', b'?', b'#', rest) else {
            continue;
        };
        if let Ok(address) = std::str::from_utf8(&rest[..end]) {
            assets.insert(address.to_string());
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

fn status_error(path: &str, status: StatusCode) -> ExportError {
    ExportError::Status {
        path: path.to_string(),
        status,
    }
}
