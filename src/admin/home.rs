//! `/admin`: until the show is complete, a checklist of what is missing, each item with a link
//! to where it is fixed; once nothing is missing, the episode list (the admin's usual start).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::response::{IntoResponse, Redirect, Response};

use super::AdminLayout;
use crate::error::Result;
use crate::feeds::check::{self, Fix, Problem};
use crate::settings::DEFAULT_BASE_URL;
use crate::state::AppState;

/// Episode problems listed one by one; the rest are counted (an imported archive may have
/// hundreds, all told apart by `shownotes check feed`).
const EPISODES_LISTED: usize = 10;

/// One thing missing, and where to fix it.
pub struct Item {
    /// What is missing, in words.
    pub what: String,
    /// The page that fixes it and the link's words; `None` when it is fixed outside the site.
    pub fix: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/home.html")]
pub struct HomePage {
    layout: AdminLayout,
    items: Vec<Item>,
    /// Episode problems not listed.
    more: usize,
}

/// `GET /admin`: the checklist while anything is missing, else the episode list.
pub async fn show_home(
    State(state): State<AppState>,
    layout: AdminLayout,
    headers: HeaderMap,
) -> Result<Response> {
    let browsing = headers.get(HOST).and_then(|h| h.to_str().ok());
    let mut items = site_items(&state, browsing);
    let problems = check::problems(&mut *state.db.acquire().await?).await?;
    let (show, episodes): (Vec<Problem>, Vec<Problem>) = problems
        .into_iter()
        .partition(|p| matches!(p.fix, Fix::Setting(_)));
    items.extend(show.iter().map(feed_item));
    if !has_published_episode(&state).await? {
        items.push(Item {
            what: "No episode is published yet: the feed and the home page are empty.".into(),
            fix: Some((
                "/admin/episodes".into(),
                "Write or publish an episode".into(),
            )),
        });
    }
    let more = episodes.len().saturating_sub(EPISODES_LISTED);
    items.extend(episodes.iter().take(EPISODES_LISTED).map(feed_item));
    if items.is_empty() {
        return Ok(Redirect::to("/admin/episodes").into_response());
    }
    if !layout.is_admin() {
        items = items.into_iter().map(for_a_host).collect();
    }
    Ok(HomePage {
        layout,
        items,
        more,
    }
    .into_response())
}

/// The base URL and the mail: what the server, not the show's feed, is missing.
fn site_items(state: &AppState, browsing: Option<&str>) -> Vec<Item> {
    let mut items = Vec::new();
    let fix_base = || {
        Some((
            "/admin/settings#base_url".to_string(),
            "Set the site address".to_string(),
        ))
    };
    let stored = state.stored_settings().base_url;
    let used = state.settings().base_url.clone();
    if stored == DEFAULT_BASE_URL {
        items.push(Item {
            what: format!(
                "No public base URL is set: links in mails and feeds use {used}, the address the server listens on."
            ),
            fix: fix_base(),
        });
    } else if !used.starts_with("https://") {
        items.push(Item {
            what: format!(
                "The base URL {used} is not HTTPS: podcast apps and mail clients may refuse its links."
            ),
            fix: fix_base(),
        });
    }
    if let Some(browsing) = browsing
        && !same_site(&used, browsing)
    {
        items.push(Item {
            what: format!(
                "You are browsing on {browsing}, but links in mails and feeds point to {used}."
            ),
            fix: fix_base(),
        });
    }
    if !state.mailer.delivers() {
        items.push(Item {
            what: "No SMTP server is set: mail is written to the outbox folder and reaches nobody. \
                   Start the server with SHOWNOTES_SMTP_URL (for example smtp://host:587?tls=required)."
                .into(),
            fix: None,
        });
    }
    items
}

/// Whether `base_url` names the host (and port) of a request's `Host` header.
fn same_site(base_url: &str, host: &str) -> bool {
    let Ok(url) = url::Url::parse(base_url) else {
        return false;
    };
    let Some(name) = url.host_str() else {
        return false;
    };
    let authority = match url.port() {
        Some(port) => format!("{name}:{port}"),
        None => name.to_string(),
    };
    // A browser leaves the scheme's own port out of `Host`, and may put it in.
    let default_port = match url.port() {
        None => url.port_or_known_default().map(|p| format!(":{p}")),
        Some(_) => None,
    };
    let host = default_port
        .and_then(|port| host.strip_suffix(port.as_str()))
        .unwrap_or(host);
    authority.eq_ignore_ascii_case(host)
}

/// A problem `check feed` reports, linked to its settings field or its episode.
fn feed_item(problem: &Problem) -> Item {
    let fix = match &problem.fix {
        Fix::Setting(field) => (
            format!("/admin/settings#{field}"),
            "Fix it in the settings".to_string(),
        ),
        Fix::Episode(id) => (format!("/admin/episodes/{id}"), "Open the episode".into()),
    };
    Item {
        what: format!("{}: {}", capitalized(&problem.subject), problem.message),
        fix: Some(fix),
    }
}

/// The item as a host reads it: the settings are for admins, so it says who fixes it there
/// instead of linking to a page the host cannot open.
fn for_a_host(item: Item) -> Item {
    match &item.fix {
        Some((href, _)) if href.starts_with("/admin/settings") => Item {
            what: format!("{} (an admin sets this)", item.what),
            fix: None,
        },
        _ => item,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

async fn has_published_episode(state: &AppState) -> Result<bool> {
    let mut conn = state.db.acquire().await?;
    Ok(crate::episodes::store::published_count(&mut conn).await? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsing_host_matches_its_base_url_with_or_without_the_default_port() {
        assert!(same_site("https://pythonbytes.fm", "pythonbytes.fm"));
        assert!(same_site("https://pythonbytes.fm", "PythonBytes.fm:443"));
        assert!(same_site("http://127.0.0.1:8000", "127.0.0.1:8000"));
        assert!(!same_site("http://127.0.0.1:8000", "127.0.0.1:8001"));
        assert!(!same_site("https://pythonbytes.fm", "localhost:8000"));
    }
}
