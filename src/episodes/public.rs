//! Listener pages: the latest episodes, a page of episodes, one episode.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{EpisodeDoc, PersonRef, SegmentDoc, SegmentKind};
use super::store;
use super::summary::{EpisodeSummary, Paging, summaries_page};
use super::view::{format_date, format_duration, load_episode};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::transcripts::TranscriptView;
use crate::web::{Layout, PageQuery};

#[derive(Template, WebTemplate)]
#[template(path = "episodes/index.html")]
pub struct IndexPage {
    layout: Layout,
    episodes: Vec<EpisodeSummary>,
    paging: Paging,
}

/// How many episodes the home page lists after the newest.
const RECENT_ON_HOME: usize = 8;

#[derive(Template, WebTemplate)]
#[template(path = "episodes/home.html")]
pub struct HomePage {
    layout: Layout,
    latest: Option<EpisodeDoc>,
    latest_date: String,
    hosts: Vec<PersonRef>,
    recent: Vec<EpisodeSummary>,
}

/// A topic of the newest episode, as the home page lists it.
pub struct TopicLine {
    pub position: i64,
    pub label: String,
}

impl HomePage {
    fn artwork(&self) -> Option<&str> {
        let url = &self.layout.show.artwork_url;
        crate::links::web_url::is_web_url(url).then_some(url.as_str())
    }

    fn latest_topics(&self) -> Vec<TopicLine> {
        let Some(latest) = &self.latest else {
            return Vec::new();
        };
        latest
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Topic)
            .map(|s| TopicLine {
                position: s.position,
                label: chapter_label(s),
            })
            .collect()
    }
}

/// `GET /`: the show (artwork, description, hosts, where to subscribe), its newest episode
/// with the player and topics, and the episodes before it.
pub async fn show_latest(State(state): State<AppState>, layout: Layout) -> Result<HomePage> {
    let (mut episodes, _) = summaries_page(&state.db, 1).await?;
    let latest = match episodes.first() {
        Some(newest) => load_episode(&mut *state.db.acquire().await?, newest.number, false).await?,
        None => None,
    };
    let recent = episodes.drain(..).skip(1).take(RECENT_ON_HOME).collect();
    Ok(HomePage {
        latest_date: format_date(latest.as_ref().and_then(|l| l.published_at)),
        hosts: latest.as_ref().map(|l| l.hosts.clone()).unwrap_or_default(),
        layout,
        latest,
        recent,
    })
}

/// `GET /episodes?page=N`.
pub async fn show_page(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<PageQuery>,
) -> Result<IndexPage> {
    let (episodes, paging) = summaries_page(&state.db, query.number()?).await?;
    Ok(IndexPage {
        layout,
        episodes,
        paging,
    })
}

/// A neighbour episode for the previous/next links.
pub struct Neighbour {
    pub href: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "episodes/show.html")]
pub struct EpisodePage {
    layout: Layout,
    /// For the page's head (title, canonical link, cards).
    pub(super) episode: EpisodeDoc,
    /// The article, rendered by [`EpisodeArticle`] (the editor's live preview shares it).
    article_html: String,
    /// The transcript, when one is attached (after the article: the editor's preview has none).
    transcript: Option<TranscriptView>,
}

/// The episode as listeners read it: the body of its page, and the editor's live preview.
#[derive(Template)]
#[template(path = "episodes/_article.html")]
pub struct EpisodeArticle {
    pub episode: EpisodeDoc,
    pub previous: Option<Neighbour>,
    pub next: Option<Neighbour>,
    /// A host's preview: a draft or scheduled episode says so at the top.
    pub preview: bool,
}

/// One piece of the line under the title ("May 19, 2025 · with Brian, Michael · 32m").
pub enum MetaPart {
    Date(String),
    Hosts,
    Duration(String),
}

/// A place in the audio a listener can jump to: a segment with a start time.
pub struct Chapter {
    /// "Brian #1: Making PyPI's test suite faster".
    pub label: String,
    /// Seconds from the start.
    pub secs: i64,
    /// `7:00` or `1:02:03`.
    pub at: String,
}

impl EpisodeArticle {
    /// What the line under the title says, only what is known, so it never starts with "·".
    fn meta_parts(&self) -> Vec<MetaPart> {
        let date = format_date(self.episode.published_at);
        let duration = format_duration(self.episode.audio.as_ref().and_then(|a| a.duration_secs));
        let mut parts = Vec::new();
        if !date.is_empty() {
            parts.push(MetaPart::Date(date));
        }
        if !self.episode.hosts.is_empty() {
            parts.push(MetaPart::Hosts);
        }
        if !duration.is_empty() {
            parts.push(MetaPart::Duration(duration));
        }
        parts
    }

    /// Sponsor segments, shown on their own only when the intro (which says it with its
    /// links, as typed) does not.
    fn sponsors(&self) -> impl Iterator<Item = &SegmentDoc> {
        let intro_says_it = self.episode.intro_html.contains("Sponsored by");
        self.episode
            .segments
            .iter()
            .filter(move |s| s.kind == SegmentKind::Sponsor && !intro_says_it)
    }

    fn spoken_name<'a>(&self, segment: &'a SegmentDoc) -> &'a str {
        spoken_name(segment)
    }

    /// The segments with a start time, in the order they play.
    fn chapters(&self) -> Vec<Chapter> {
        let mut chapters: Vec<Chapter> = self
            .body_segments()
            .filter_map(|segment| {
                let secs = segment.start_secs?;
                Some(Chapter {
                    label: chapter_label(segment),
                    secs,
                    at: crate::clock::clock_time(secs),
                })
            })
            .collect();
        chapters.sort_by_key(|c| c.secs);
        chapters
    }

    fn body_segments(&self) -> impl Iterator<Item = &SegmentDoc> {
        self.episode
            .segments
            .iter()
            .filter(|s| s.kind != SegmentKind::Sponsor)
    }
}

/// The name a topic heading gives its presenter: the first name, as the show says it
/// ("Michael #1: …").
fn spoken_name(segment: &SegmentDoc) -> &str {
    segment
        .person
        .as_ref()
        .and_then(|p| p.name.split_whitespace().next())
        .unwrap_or_default()
}

fn chapter_label(segment: &SegmentDoc) -> String {
    match (segment.kind, segment.number) {
        (SegmentKind::Topic, Some(number)) if segment.person.is_some() => {
            format!("{} #{number}: {}", spoken_name(segment), segment.title)
        }
        (SegmentKind::Extra, _) => match &segment.person {
            Some(person) => format!("Extras from {}", person.name),
            None => "Extras".to_string(),
        },
        (SegmentKind::Joke, _) => format!("Joke: {}", segment.title),
        _ => segment.title.clone(),
    }
}

fn parse_number(text: &str) -> Result<i64> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// The episode page; drafts only for the admin's preview.
pub(super) async fn episode_page(
    state: &AppState,
    layout: Layout,
    number: i64,
    include_drafts: bool,
) -> Result<EpisodePage> {
    let mut conn = state.db.acquire().await?;
    let episode = load_episode(&mut conn, number, include_drafts)
        .await?
        .ok_or(AppError::NotFound)?;
    let (previous, next) = store::neighbours(&mut conn, number).await?;
    let cues = crate::transcripts::store::cues_of_number(&mut conn, number, include_drafts).await?;
    let neighbour = |(number, slug, title): (i64, String, String)| Neighbour {
        href: format!("/episodes/{number}/{slug}"),
        label: format!("#{number} {title}"),
    };
    let article = EpisodeArticle {
        previous: previous.map(neighbour),
        next: next.map(neighbour),
        preview: include_drafts,
        episode,
    };
    Ok(EpisodePage {
        layout,
        article_html: article.render()?,
        episode: article.episode,
        transcript: TranscriptView::of(cues),
    })
}

/// `GET /episodes/{number}`.
pub async fn show_episode(
    State(state): State<AppState>,
    layout: Layout,
    Path(number): Path<String>,
) -> Result<Response> {
    Ok(episode_page(&state, layout, parse_number(&number)?, false)
        .await?
        .into_response())
}

/// `GET /episodes/{number}/{slug}`: a stale slug redirects to the current one.
pub async fn show_episode_with_slug(
    State(state): State<AppState>,
    layout: Layout,
    Path((number, slug)): Path<(String, String)>,
) -> Result<Response> {
    let page = episode_page(&state, layout, parse_number(&number)?, false).await?;
    if page.episode.slug != slug {
        let canonical = format!("/episodes/{}/{}", page.episode.number, page.episode.slug);
        return Ok(Redirect::permanent(&canonical).into_response());
    }
    Ok(page.into_response())
}
