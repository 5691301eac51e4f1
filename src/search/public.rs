//! The search page and its JSON twin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use super::query::{Snippet, fts_query};
use super::store::{self, HitRow};
use crate::error::{ApiError, AppError, Result};
use crate::state::AppState;
use crate::web::Layout;

/// Hits per group on the overview of all groups.
const OVERVIEW_HITS: i64 = 5;
/// Hits per page when one group is paged through.
const PER_PAGE: i64 = 20;
/// Longer queries are cut here.
const MAX_QUERY_CHARS: usize = 200;

/// What can be searched, each listed as its own group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Episodes and their segments.
    Episodes,
    /// The talk catalog.
    Talks,
    /// Links from the notes.
    Links,
}

impl Group {
    const ALL: [Group; 3] = [Group::Episodes, Group::Talks, Group::Links];

    fn parse(text: &str) -> Result<Self> {
        match text {
            "episodes" => Ok(Self::Episodes),
            "talks" => Ok(Self::Talks),
            "links" => Ok(Self::Links),
            _ => Err(AppError::BadRequest(format!(
                "kind {text:?} is not one of episodes, talks, links"
            ))),
        }
    }

    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Episodes => "episodes",
            Self::Talks => "talks",
            Self::Links => "links",
        }
    }

    /// The heading of the group.
    pub fn label(self) -> &'static str {
        match self {
            Self::Episodes => "Episodes",
            Self::Talks => "Talks",
            Self::Links => "Links",
        }
    }
}

/// `?q=…&kind=…&page=N`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    page: Option<String>,
}

/// One hit, its title and snippet highlighted.
#[derive(Debug, Serialize)]
pub struct Hit {
    pub kind: String,
    pub title: Snippet,
    pub snippet: Snippet,
    pub url: String,
    pub context: String,
    pub context_url: Option<String>,
}

impl From<HitRow> for Hit {
    fn from(row: HitRow) -> Self {
        Self {
            title: Snippet::parse(&row.title),
            snippet: Snippet::parse(&row.snippet),
            kind: row.kind,
            url: row.href,
            context: row.context,
            context_url: row.context_href,
        }
    }
}

/// The hits of one group on one page.
#[derive(Debug, Serialize)]
pub struct GroupHits {
    pub kind: Group,
    /// Matches found, counting at most [`store::CANDIDATES`] per index.
    pub total: i64,
    /// Whether there were more matches than were ranked.
    pub capped: bool,
    pub page: i64,
    pub pages: i64,
    pub hits: Vec<Hit>,
}

/// A whole search: the query as typed and the groups it found something in.
#[derive(Debug, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub kind: Option<Group>,
    pub groups: Vec<GroupHits>,
}

impl SearchParams {
    fn page(&self) -> Result<i64> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or_else(|| AppError::BadRequest(format!("page {text:?} is not a page number"))),
        }
    }
}

async fn search(state: &AppState, params: &SearchParams) -> Result<SearchResults> {
    let typed: String = params
        .q
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    let kind = params
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(Group::parse)
        .transpose()?;
    let page = params.page()?;
    let mut results = SearchResults {
        query: typed,
        kind,
        groups: Vec::new(),
    };
    let Some(query) = fts_query(&results.query) else {
        return Ok(results);
    };
    let (groups, per_page) = match kind {
        Some(group) => (vec![group], PER_PAGE),
        None => (Group::ALL.to_vec(), OVERVIEW_HITS),
    };
    // Each group on its own connection: SQLite runs them side by side, one core each.
    let searches = groups
        .into_iter()
        .map(|group| group_hits(state, group, &query, page, per_page));
    results.groups = futures_util::future::try_join_all(searches).await?;
    Ok(results)
}

/// Page `page` of one group's hits.
async fn group_hits(
    state: &AppState,
    group: Group,
    query: &str,
    page: i64,
    per_page: i64,
) -> Result<GroupHits> {
    let mut conn = state.search_db.acquire().await?;
    let offset = (page - 1) * per_page;
    let rows = match group {
        Group::Episodes => store::episode_hits(&mut conn, query, per_page, offset).await?,
        Group::Talks => store::talk_hits(&mut conn, query, per_page, offset).await?,
        Group::Links => store::link_hits(&mut conn, query, per_page, offset).await?,
    };
    let total = rows.first().map_or(0, |row| row.total);
    Ok(GroupHits {
        kind: group,
        total,
        capped: total >= store::CANDIDATES,
        page,
        pages: ((total + per_page - 1) / per_page).max(1),
        hits: rows.into_iter().map(Hit::from).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "search/index.html")]
pub struct SearchPage {
    layout: Layout,
    results: SearchResults,
}

impl SearchPage {
    /// A query was given and no group found anything.
    fn nothing_found(&self) -> bool {
        self.results.groups.iter().all(|group| group.total == 0)
    }

    /// The URL of page `page` of `group` for the current query.
    fn page_url(&self, group: &Group, page: i64) -> String {
        let q = percent_encoding::utf8_percent_encode(
            &self.results.query,
            percent_encoding::NON_ALPHANUMERIC,
        );
        format!("/search?q={q}&kind={}&page={page}", group.as_str())
    }
}

/// `GET /search?q=…`: the form, and results grouped by kind when there is a query.
pub async fn show_search(
    State(state): State<AppState>,
    layout: Layout,
    Query(params): Query<SearchParams>,
) -> Result<SearchPage> {
    let results = search(&state, &params).await?;
    Ok(SearchPage { layout, results })
}

/// `GET /api/v1/search?q=…`.
pub async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(search(&state, &params).await?))
}
