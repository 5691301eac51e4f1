//! The editor's "Revisions" pages: every saved version of an episode, two compared field by
//! field and line by line, and one restored after a confirmation page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum_extra::extract::Form;
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};

use super::admin::Difference;
use super::editor::format_clock;
use super::manage::{self, EditError};
use super::model::EpisodeDoc;
use super::revision_store::RevisionRow;
use super::revisions::{self, KEPT_PER_EPISODE, Revision};
use super::store;
use crate::admin::confirm::{self, ConfirmPage};
use crate::admin::{AdminLayout, to_the_minute};
use crate::clock::Timestamp;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// A revision as a host reads it in a list.
pub struct RevisionView {
    pub id: i64,
    /// The stored UTC time, for the browser to show in its own zone.
    pub at: Timestamp,
    /// The same to the minute, as shown without scripts.
    pub when: String,
    pub who: String,
    pub number: i64,
    pub title: String,
}

impl RevisionView {
    fn of(row: RevisionRow, admin: bool) -> Self {
        let who = match (row.actor.as_str(), row.person_name, row.email) {
            ("earlier", _, _) => {
                "an import, or an edit saved outside the editor before revisions were kept"
                    .to_string()
            }
            (_, Some(name), _) => name,
            (_, None, Some(email)) if admin => email,
            (_, None, Some(_)) => "a host".to_string(),
            (_, None, None) => "a removed user".to_string(),
        };
        Self {
            id: row.id,
            when: to_the_minute(row.created_at),
            at: row.created_at,
            who,
            number: row.number,
            title: row.title,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/revisions.html")]
pub struct RevisionsPage {
    layout: AdminLayout,
    id: i64,
    number: i64,
    title: String,
    revisions: Vec<RevisionView>,
    kept: i64,
}

/// `GET /admin/episodes/{id}/revisions`.
pub async fn list(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
) -> Result<RevisionsPage> {
    let outline = store::outline_of(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = revisions::list(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let admin = layout.is_admin();
    Ok(RevisionsPage {
        layout,
        id,
        number: outline.number,
        title: outline.title,
        revisions: rows
            .into_iter()
            .map(|row| RevisionView::of(row, admin))
            .collect(),
        kept: KEPT_PER_EPISODE,
    })
}

/// One line of the notes' line diff.
pub struct DiffLine {
    /// `added`, `removed` or empty for an unchanged line shown as context.
    pub change: &'static str,
    pub text: String,
}

/// A run of changed lines with their context; runs are apart in the notes.
pub struct DiffGroup {
    pub lines: Vec<DiffLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/compare.html")]
pub struct ComparePage {
    layout: AdminLayout,
    id: i64,
    number: i64,
    older: RevisionView,
    newer: RevisionView,
    fields: Vec<Difference>,
    groups: Vec<DiffGroup>,
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

/// `GET /admin/episodes/{id}/revisions/compare?from=A&to=B`: what changed from one to the other.
pub async fn compare(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(q): Query<CompareQuery>,
) -> Result<ComparePage> {
    let (Some(from), Some(to)) = (q.from, q.to) else {
        return Err(AppError::BadRequest(
            "Pick two versions to compare.".to_string(),
        ));
    };
    // Whichever way they were picked, the older is on the left.
    let (older, newer) = (from.min(to), from.max(to));
    let older = revision(&state, id, older).await?;
    let newer = revision(&state, id, newer).await?;
    let admin = layout.is_admin();
    Ok(ComparePage {
        layout,
        id,
        number: newer.doc.number,
        fields: field_differences(&older.doc, &newer.doc),
        groups: line_diff(&older.notes_md, &newer.notes_md),
        older: RevisionView::of(older.row, admin),
        newer: RevisionView::of(newer.row, admin),
    })
}

async fn revision(state: &AppState, id: i64, revision_id: i64) -> Result<Revision> {
    revisions::one(&state.db, id, revision_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The fields outside the notes that differ: number, title, summary, audio, publication date.
fn field_differences(older: &EpisodeDoc, newer: &EpisodeDoc) -> Vec<Difference> {
    let audio = |doc: &EpisodeDoc, part: fn(&super::model::Audio) -> String| {
        doc.audio.as_ref().map(part).unwrap_or_default()
    };
    let fields: Vec<(&str, String, String)> = vec![
        ("Number", older.number.to_string(), newer.number.to_string()),
        ("Title", older.title.clone(), newer.title.clone()),
        ("URL name", older.slug.clone(), newer.slug.clone()),
        ("Summary", older.summary.clone(), newer.summary.clone()),
        (
            "Audio URL",
            audio(older, |a| a.url.clone()),
            audio(newer, |a| a.url.clone()),
        ),
        (
            "Duration",
            audio(older, |a| format_clock(a.duration_secs)),
            audio(newer, |a| format_clock(a.duration_secs)),
        ),
        (
            "Video URL",
            older.video_url.clone().unwrap_or_default(),
            newer.video_url.clone().unwrap_or_default(),
        ),
        (
            "Publication date (UTC)",
            older
                .published_at
                .map(Timestamp::rfc3339)
                .unwrap_or_default(),
            newer
                .published_at
                .map(Timestamp::rfc3339)
                .unwrap_or_default(),
        ),
    ];
    let shown = |text: String| match text.trim() {
        "" => "(empty)".to_string(),
        _ => text,
    };
    fields
        .into_iter()
        .filter(|(_, a, b)| a.trim() != b.trim())
        .map(|(label, theirs, mine)| Difference {
            label: label.to_string(),
            theirs: shown(theirs),
            mine: shown(mine),
            class: "",
        })
        .collect()
}

/// The notes' changed lines, each with three unchanged lines around it.
fn line_diff(older: &str, newer: &str) -> Vec<DiffGroup> {
    let diff = TextDiff::from_lines(older, newer);
    diff.grouped_ops(3)
        .iter()
        .map(|ops| DiffGroup {
            lines: ops
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|change| DiffLine {
                    change: match change.tag() {
                        ChangeTag::Insert => "added",
                        ChangeTag::Delete => "removed",
                        ChangeTag::Equal => "",
                    },
                    text: change.value().trim_end_matches('\n').to_string(),
                })
                .collect(),
        })
        .collect()
}

/// `GET /admin/episodes/{id}/revisions/{revision}/restore`: what restoring does, asked once more.
pub async fn confirm_restore(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((id, revision_id)): Path<(i64, i64)>,
) -> Result<ConfirmPage> {
    let chosen = revision(&state, id, revision_id).await?;
    let (_, version) = store::number_and_version(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = RevisionView::of(chosen.row, layout.is_admin());
    Ok(ConfirmPage {
        layout,
        question: format!(
            "Restore the version of {} saved by {}?",
            view.when, view.who
        ),
        consequences: vec![
            format!(
                "Episode {} gets that version's number, title, summary, audio, intro and segments: “{}”.",
                view.number, view.title
            ),
            "Its status and publication date stay as they are.".to_string(),
            "Restoring is a save: the version it replaces stays in the revisions, so you can restore that one back.".to_string(),
        ],
        action: format!("/admin/episodes/{id}/revisions/{revision_id}/restore"),
        fields: vec![("version".to_string(), version.to_string())],
        confirm_label: "Restore this version".to_string(),
        back: format!("/admin/episodes/{id}/revisions"),
    })
}

#[derive(Deserialize)]
pub struct RestoreForm {
    confirm: Option<String>,
    #[serde(default)]
    version: i64,
}

/// `POST /admin/episodes/{id}/revisions/{revision}/restore`: with the confirmation page's
/// `confirm`, the episode becomes that version again, unless someone saved it meanwhile.
pub async fn restore(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path((id, revision_id)): Path<(i64, i64)>,
    Form(form): Form<RestoreForm>,
) -> Result<Redirect> {
    let asking = format!("/admin/episodes/{id}/revisions/{revision_id}/restore");
    if !confirm::is_confirmed(form.confirm.as_deref()) {
        return Ok(Redirect::to(&asking));
    }
    match manage::restore(&state.db, layout.user.id, id, revision_id, form.version).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?restored=1")))
        }
        Err(EditError::Conflict) => Err(AppError::Conflict(
            "The episode was saved by someone else after you opened this page, so nothing was restored. Open its revisions again to see the newest.".to_string(),
        )),
        Err(EditError::NotFound) => Err(AppError::NotFound),
        Err(EditError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(EditError::Database(e)) => Err(e.into()),
    }
}
