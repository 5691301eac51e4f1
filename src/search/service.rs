//! Searching: what a query asks, and its hits grouped by kind. Knows nothing of the web:
//! handlers turn [`SearchError`] into responses.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::query::{Snippet, fts_prefix_query, fts_query};
use super::store::{self, HitRow};

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The parameters are malformed: an unknown kind, a bad page number.
    #[error("{0}")]
    BadRequest(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

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

    fn parse(text: &str) -> Result<Self, SearchError> {
        match text {
            "episodes" => Ok(Self::Episodes),
            "talks" => Ok(Self::Talks),
            "links" => Ok(Self::Links),
            _ => Err(SearchError::BadRequest(format!(
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
    fn page(&self) -> Result<i64, SearchError> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or_else(|| {
                    SearchError::BadRequest(format!("page {text:?} is not a page number"))
                }),
        }
    }
}

/// Searches every group, or the one `kind` names, on `db` (the search pool).
pub async fn search(db: &SqlitePool, params: &SearchParams) -> Result<SearchResults, SearchError> {
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
    let Some(prefixed) = fts_prefix_query(&results.query) else {
        return Ok(results);
    };
    let query = Query {
        exact: fts_query(&results.query).unwrap_or_else(|| prefixed.clone()),
        prefixed,
    };
    let (groups, per_page) = match kind {
        Some(group) => (vec![group], PER_PAGE),
        None => (Group::ALL.to_vec(), OVERVIEW_HITS),
    };
    // Each group on its own connection: SQLite runs them side by side, one core each.
    let searches = groups
        .into_iter()
        .map(|group| group_hits(db, group, &query, page, per_page));
    results.groups = futures_util::future::try_join_all(searches).await?;
    Ok(results)
}

/// What was typed as match expressions: its words whole, and with the last word also
/// matching as a prefix (`pyte` finds pytest).
struct Query {
    exact: String,
    prefixed: String,
}

/// Page `page` of one group's hits: of the words as typed when they match more than are
/// ranked (the prefix would only add matches past the cap, and merging the index entries of
/// every word `python` starts was most of a common word's time), else of the prefix form.
async fn group_hits(
    db: &SqlitePool,
    group: Group,
    query: &Query,
    page: i64,
    per_page: i64,
) -> Result<GroupHits, SearchError> {
    let mut conn = db.acquire().await?;
    let offset = (page - 1) * per_page;
    let mut rows = ranked(&mut conn, group, &query.exact, per_page, offset).await?;
    if query.prefixed != query.exact && total_of(&rows) < store::CANDIDATES {
        rows = ranked(&mut conn, group, &query.prefixed, per_page, offset).await?;
    }
    let total = total_of(&rows);
    Ok(GroupHits {
        kind: group,
        total,
        capped: total >= store::CANDIDATES,
        page,
        pages: ((total + per_page - 1) / per_page).max(1),
        hits: rows.into_iter().map(Hit::from).collect(),
    })
}

/// One group's ranked hits for the match expression `query`.
async fn ranked(
    conn: &mut sqlx::SqliteConnection,
    group: Group,
    query: &str,
    per_page: i64,
    offset: i64,
) -> sqlx::Result<Vec<HitRow>> {
    match group {
        Group::Episodes => store::episode_hits(conn, query, per_page, offset).await,
        Group::Talks => store::talk_hits(conn, query, per_page, offset).await,
        Group::Links => store::link_hits(conn, query, per_page, offset).await,
    }
}

/// How many ranked matches the group has (every row carries it; none without rows).
fn total_of(rows: &[HitRow]) -> i64 {
    rows.first().map_or(0, |row| row.total)
}
