//! The episode editor: list, create, edit with a version check, status, preview,
//! paste-in notes, and the "already covered" link check.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use serde_json::json;

use super::covered::CoveredLink;
use super::editor::{EpisodeForm, SegmentRow, rendered_for_preview};
use super::manage::{self, EditError};
use super::model::Status;
use super::public::EpisodeArticle;
use super::store;
use super::store::Standing;
use super::view::load_episode;
use super::zoned::HostZone;
use crate::admin::AdminLayout;
use crate::clock::Timestamp;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validation::FieldErrors;

/// A segment row with its field errors, for the template.
pub struct RowView {
    /// What the card's element ids carry: its index, or a placeholder in the blank template.
    pub key: String,
    pub row: SegmentRow,
    pub errors: FieldErrors,
    /// Its links that other episodes covered before.
    pub covered: Vec<CoveredLink>,
}

impl RowView {
    /// The error of one of this row's fields.
    pub fn error(&self, field: &str) -> Option<&str> {
        // The save names the notes field `notes_md`, the form `notes`: both are the Notes box.
        match field {
            "notes" => self.errors.get("notes").or(self.errors.get("notes_md")),
            _ => self.errors.get(field),
        }
    }

    /// Whether the row is of this kind (for the selected option).
    pub fn is_kind(&self, kind: &str) -> bool {
        self.row.kind == kind
    }
}

/// The empty slot at the end of the segments (what a host fills without JavaScript).
fn blank_row(index: usize) -> SegmentRow {
    SegmentRow {
        index,
        kind: "topic".to_string(),
        position: (index + 1).to_string(),
        ..SegmentRow::default()
    }
}

fn row_views(form: &EpisodeForm, errors: &FieldErrors) -> Vec<RowView> {
    let mut rows = form.rows();
    rows.push(blank_row(rows.len()));
    rows.into_iter()
        .map(|row| {
            let prefix = format!("segments[{}].", row.index);
            let mut mine = FieldErrors::default();
            for (field, message) in errors
                .all()
                .iter()
                .filter_map(|(f, m)| f.strip_prefix(&prefix).map(|f| (f, m)))
            {
                mine.add(field, message.clone());
            }
            RowView {
                key: row.index.to_string(),
                row,
                errors: mine,
                covered: Vec::new(),
            }
        })
        .collect()
}

/// A field the two versions of a conflict disagree on.
pub struct Difference {
    pub label: String,
    pub theirs: String,
    pub mine: String,
    /// A class naming the field for styling and tests (`conflict-title`).
    pub class: &'static str,
}

/// One line of the error summary.
pub struct ErrorLink {
    /// The field as the host knows it: "Title", "Segment 2 (Michael #2: …): Link".
    pub label: String,
    /// The id of the field's input, for the link.
    pub field_id: String,
    pub message: String,
}

/// Text as compared: browsers send text areas with CRLF line endings, the database has LF.
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_string()
}

/// `segments[3].url` → (3, "url").
fn segment_field(field: &str) -> Option<(usize, &str)> {
    let rest = field.strip_prefix("segments[")?;
    let (index, part) = rest.split_once("].")?;
    Some((index.parse().ok()?, part))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/episodes/edit.html")]
pub struct EditPage {
    layout: AdminLayout,
    id: Option<i64>,
    status: String,
    /// Its status and times as stored.
    standing: Standing,
    /// The zone its host dates it in.
    zone: HostZone,
    /// The stored time the date field shows, for the browser to show in its own zone.
    shown_utc: Option<Timestamp>,
    public_href: Option<String>,
    form: EpisodeForm,
    rows: Vec<RowView>,
    errors: FieldErrors,
    theirs: Option<EpisodeForm>,
    saved: bool,
    /// Just made by "Duplicate": says so, so the host changes what the copy needs.
    duplicated: bool,
    /// Just restored from a revision.
    restored: bool,
    people: Vec<String>,
    /// The episode page as listeners would read it, from what the form holds.
    preview_html: String,
    /// The empty segment card that "Add segment" copies.
    blank_row: RowView,
}

impl EditPage {
    async fn new(
        state: &AppState,
        layout: AdminLayout,
        id: Option<i64>,
        mut form: EpisodeForm,
        errors: FieldErrors,
    ) -> Result<Self> {
        let mut conn = state.db.acquire().await?;
        let people = crate::people::store::names_hosts_first(&mut conn).await?;
        let standing = match id {
            Some(id) => store::standing_of(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)?,
            None => Standing {
                status: Status::Draft,
                publish_at: None,
                published_at: None,
                time_zone: "UTC".to_string(),
            },
        };
        let mut rows = row_views(&form, &errors);
        let row_texts: Vec<SegmentRow> = rows.iter().map(|view| view.row.clone()).collect();
        let covered = super::covered::covered_elsewhere(&mut conn, id, &row_texts).await?;
        for (view, links) in rows.iter_mut().zip(covered) {
            view.covered = links;
        }
        drop(conn);
        let zone = HostZone::parse(&standing.time_zone).unwrap_or_else(|_| HostZone::utc());
        // A freshly opened episode shows its time in the zone its host keeps; the browser
        // moves it to the zone it is in (`data-utc`).
        let shown_utc = standing.publish_at.or(standing.published_at);
        let fresh = form.publish_at.is_empty() && form.time_zone.is_empty();
        if fresh {
            form.publish_at = shown_utc
                .map(|at| zone.to_local_input(at))
                .unwrap_or_default();
            form.time_zone = zone.name().to_string();
        }
        let preview_html = preview_article(&form, standing.status).await?;
        Ok(Self {
            layout,
            id,
            preview_html,
            blank_row: RowView {
                key: "__N__".to_string(),
                row: blank_row(0),
                errors: FieldErrors::default(),
                covered: Vec::new(),
            },
            status: standing.status.to_string(),
            shown_utc: shown_utc.filter(|_| fresh),
            standing,
            zone,
            public_href: None,
            rows,
            form,
            errors,
            theirs: None,
            saved: false,
            duplicated: false,
            restored: false,
            people,
        })
    }

    /// The editor of a saved episode, with its status and public address.
    async fn of_existing(
        state: &AppState,
        layout: AdminLayout,
        id: i64,
        public_href: String,
        form: EpisodeForm,
    ) -> Result<Self> {
        let errors = FieldErrors::default();
        let mut page = Self::new(state, layout, Some(id), form, errors).await?;
        page.public_href = Some(public_href);
        Ok(page)
    }

    /// The status line in words: "Draft", "Scheduled for Tue 2 Dec, 18:00 (Europe/Berlin)",
    /// "Published Mon 26 May 2025, 08:00 (UTC)".
    fn status_words(&self) -> String {
        let at = |moment: &Option<Timestamp>| moment.and_then(|at| self.zone.words(at));
        match self.standing.status {
            Status::Scheduled => match at(&self.standing.publish_at) {
                Some(when) => format!("Scheduled for {when}"),
                None => "Scheduled".to_string(),
            },
            Status::Published => match at(&self.standing.published_at) {
                Some(when) => format!("Published {when}"),
                None => "Published".to_string(),
            },
            Status::Draft => "Draft".to_string(),
        }
    }

    /// What differs between the saved version and this host's, field by field.
    fn differences(&self) -> Vec<Difference> {
        let Some(theirs) = &self.theirs else {
            return Vec::new();
        };
        let mine = &self.form;
        let fields: [(&str, &str, &str, &'static str); 6] = [
            ("Number", &theirs.number, &mine.number, ""),
            ("Title", &theirs.title, &mine.title, "conflict-title"),
            ("URL name", &theirs.slug, &mine.slug, ""),
            ("Summary", &theirs.summary, &mine.summary, ""),
            ("Audio URL", &theirs.audio_url, &mine.audio_url, ""),
            ("Intro", &theirs.intro_md, &mine.intro_md, ""),
        ];
        let mut found: Vec<Difference> = fields
            .into_iter()
            .map(|(label, a, b, class)| (label, plain(a), plain(b), class))
            .filter(|(_, a, b, _)| a != b)
            .map(|(label, theirs, mine, class)| Difference {
                label: label.to_string(),
                theirs,
                mine,
                class,
            })
            .collect();
        let (their_rows, my_rows) = (theirs.rows(), mine.rows());
        for index in 0..their_rows.len().max(my_rows.len()) {
            let text = |rows: &[SegmentRow]| match rows.get(index) {
                Some(row) => plain(&format!("{}\n{}\n{}", row.heading(), row.url, row.notes)),
                None => "(no segment here)".to_string(),
            };
            let (a, b) = (text(&their_rows), text(&my_rows));
            if a != b {
                found.push(Difference {
                    label: format!("Segment {}", index + 1),
                    theirs: a,
                    mine: b,
                    class: "",
                });
            }
        }
        found
    }

    /// The error summary's lines: each field by the label the host sees, linked to the field.
    fn error_links(&self) -> Vec<ErrorLink> {
        self.errors
            .all()
            .iter()
            .map(|(field, message)| {
                let (label, field_id) = self.field_label(field);
                ErrorLink {
                    label,
                    field_id,
                    message: message.clone(),
                }
            })
            .collect()
    }

    /// A field's label and element id, from the name the form (or the save) gives it:
    /// `segments[0].url` is "Segment 1 (Brian #1: Title): Link", `#seg-0-url`.
    fn field_label(&self, field: &str) -> (String, String) {
        if let Some((index, part)) = segment_field(field) {
            let heading = self
                .rows
                .get(index)
                .map(|view| view.row.heading())
                .unwrap_or_default();
            let (label, id_part) = match part {
                "kind" => ("Kind", "kind"),
                "person" => ("Host", "person"),
                "number" => ("Number", "number"),
                "title" => ("Title", "title"),
                "url" => ("Link", "url"),
                "notes" | "notes_md" => ("Notes", "notes"),
                "start" => ("Chapter start", "start"),
                _ => ("A field", "title"),
            };
            return (
                format!("Segment {} ({heading}): {label}", index + 1),
                format!("seg-{index}-{id_part}"),
            );
        }
        let (label, id) = match field {
            "number" => ("Number", "number"),
            "title" => ("Title", "title"),
            "slug" => ("URL name", "slug"),
            "summary" => ("Summary", "summary"),
            "audio_url" | "audio.url" => ("Audio URL", "audio_url"),
            "audio_bytes" => ("Audio size", "audio_bytes"),
            "audio_type" => ("Audio type", "audio_type"),
            "duration" => ("Duration", "duration"),
            "video_url" => ("Video URL", "video_url"),
            "intro_md" => ("Intro", "intro_md"),
            "publish_at" => ("Publication date and time", "publish_at"),
            _ => ("A field", "number"),
        };
        (label.to_string(), id.to_string())
    }

    fn action(&self) -> String {
        self.id
            .map(|id| format!("/admin/episodes/{id}"))
            .unwrap_or_else(|| "/admin/episodes/new".to_string())
    }
}

/// The whole episode article from the form, or what keeps it from showing.
async fn preview_article(form: &EpisodeForm, status: Status) -> Result<String> {
    let doc = match form.to_doc() {
        Ok(doc) => doc,
        Err(_) => {
            return Ok(r#"<p class="preview-waits">The preview shows the episode again once the fields marked in the form are fixed.</p>"#.to_string());
        }
    };
    let article = EpisodeArticle {
        episode: rendered_for_preview(doc, status).await,
        previous: None,
        next: None,
        preview: true,
    };
    Ok(article.render()?)
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    #[serde(default)]
    status: String,
}

/// `POST /admin/episodes/preview?status=…`: the editor's live preview of the whole episode page.
pub async fn preview(
    Query(q): Query<PreviewQuery>,
    Form(form): Form<EpisodeForm>,
) -> Result<Html<String>> {
    Ok(Html(
        preview_article(&form, Status::parse(&q.status)).await?,
    ))
}

async fn load_form(state: &AppState, id: i64) -> Result<(EpisodeForm, String)> {
    let mut conn = state.db.acquire().await?;
    let (number, version) = store::number_and_version(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = load_episode(&mut conn, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let href = format!("/episodes/{}/{}", doc.number, doc.slug);
    Ok((EpisodeForm::from_doc(&doc, version), href))
}

#[derive(Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
    duplicated: Option<String>,
    restored: Option<String>,
}

/// `GET /admin/episodes/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<EditPage> {
    let (form, href) = load_form(&state, id).await?;
    let mut page = EditPage::of_existing(&state, layout, id, href, form).await?;
    page.saved = q.saved.is_some();
    page.duplicated = q.duplicated.is_some();
    page.restored = q.restored.is_some();
    Ok(page)
}

/// `POST /admin/episodes/{id}`: saves, or shows what is wrong, or the conflict.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<EpisodeForm>,
) -> Result<Response> {
    let current = store::standing_of(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (doc, publishing) = match form.to_doc_and_publishing(current.status) {
        Ok(parsed) => parsed,
        Err(errors) => return rerender(&state, layout, Some(id), form, errors).await,
    };
    match manage::update(&state.db, layout.user.id, id, form.version, doc, publishing).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response())
        }
        Err(EditError::Conflict) => conflict(&state, layout, id, form).await,
        Err(error) => edit_error(&state, layout, Some(id), form, error).await,
    }
}

async fn rerender(
    state: &AppState,
    layout: AdminLayout,
    id: Option<i64>,
    form: EpisodeForm,
    errors: FieldErrors,
) -> Result<Response> {
    let page = EditPage::new(state, layout, id, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn edit_error(
    state: &AppState,
    layout: AdminLayout,
    id: Option<i64>,
    form: EpisodeForm,
    error: EditError,
) -> Result<Response> {
    match error {
        EditError::Invalid(errors) => rerender(state, layout, id, form, errors).await,
        EditError::NotFound => Err(AppError::NotFound),
        EditError::Conflict => Err(AppError::Conflict(
            "The episode changed meanwhile.".to_string(),
        )),
        EditError::Database(e) => Err(e.into()),
    }
}

/// The conflict page: their saved version beside what this host typed, kept in the form,
/// which now carries the current version so a deliberate save goes through.
async fn conflict(
    state: &AppState,
    layout: AdminLayout,
    id: i64,
    mut mine: EpisodeForm,
) -> Result<Response> {
    let (theirs, href) = load_form(state, id).await?;
    mine.version = theirs.version;
    let mut page = EditPage::of_existing(state, layout, id, href, mine).await?;
    page.theirs = Some(theirs);
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// Why a background save did not happen (the fields are marked when the host presses Save).
const AUTOSAVE_REFUSED: &str =
    "Not saved automatically: some fields need a change. Press Save to see which.";

/// `POST /admin/episodes/{id}/autosave`: a draft saved in the background while its host types.
/// The version rules are the same as Save's: another host's newer version is never overwritten.
pub async fn autosave(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(mut form): Form<EpisodeForm>,
) -> Result<Response> {
    let answer = |status: StatusCode, body: serde_json::Value| (status, Json(body)).into_response();
    let current = store::standing_of(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.status != Status::Draft {
        // What is public changes only when a host presses a button.
        let message = "Only drafts save themselves; press Save.";
        return Ok(answer(StatusCode::CONFLICT, json!({ "message": message })));
    }
    form.intent.clear();
    let Ok((doc, publishing)) = form.to_doc_and_publishing(Status::Draft) else {
        let message = AUTOSAVE_REFUSED;
        return Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "message": message }),
        ));
    };
    match manage::update(&state.db, layout.user.id, id, form.version, doc, publishing).await {
        Ok(()) => {
            state.content_changed();
            let (_, version) = store::number_and_version(&mut *state.db.acquire().await?, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(answer(StatusCode::OK, json!({ "version": version })))
        }
        Err(EditError::Conflict) => Ok(answer(StatusCode::CONFLICT, json!({ "conflict": true }))),
        Err(EditError::Invalid(_)) => {
            let message = AUTOSAVE_REFUSED;
            Ok(answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "message": message }),
            ))
        }
        Err(EditError::NotFound) => Err(AppError::NotFound),
        Err(EditError::Database(e)) => Err(e.into()),
    }
}

/// `GET /admin/episodes/new`.
pub async fn new(State(state): State<AppState>, layout: AdminLayout) -> Result<EditPage> {
    // A show's intro (sponsor line, "Connect with the hosts") changes little from week to week.
    let (next, intro_md) =
        store::next_number_and_last_intro(&mut *state.db.acquire().await?).await?;
    let form = EpisodeForm {
        number: next.to_string(),
        intro_md,
        ..EpisodeForm::default()
    };
    EditPage::new(&state, layout, None, form, FieldErrors::default()).await
}

/// `POST /admin/episodes/new`: creates a draft.
pub async fn create(
    State(state): State<AppState>,
    layout: AdminLayout,
    Form(form): Form<EpisodeForm>,
) -> Result<Response> {
    let (doc, publishing) = match form.to_doc_and_publishing(Status::Draft) {
        Ok(parsed) => parsed,
        Err(errors) => return rerender(&state, layout, None, form, errors).await,
    };
    match manage::create(&state.db, layout.user.id, doc, publishing).await {
        Ok(id) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/episodes/{id}?saved=1")).into_response())
        }
        Err(error) => edit_error(&state, layout, None, form, error).await,
    }
}
