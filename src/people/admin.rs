//! `/admin/people`: names, aliases, socials and bios.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::admin::AdminLayout;
use crate::clock;
use crate::episodes::model::slugify;
use crate::error::{AppError, Result};
use crate::links::is_web_url;
use crate::state::AppState;
use crate::validation::FieldErrors;
use crate::web::form::SavedQuery;

/// A person in the admin list.
#[derive(sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub is_guest: bool,
    pub segments: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/people/index.html")]
pub struct PeopleList {
    layout: AdminLayout,
    people: Vec<PersonRow>,
}

/// `GET /admin/people`: hosts first, then anyone who presented a segment.
pub async fn list(State(state): State<AppState>, layout: AdminLayout) -> Result<PeopleList> {
    let people = sqlx::query_as(
        "select p.id, p.slug, p.name, p.is_guest, (select count(*) from segments s where s.person_id = p.id) as segments
         from people p where p.is_guest = 0 or exists (select 1 from segments s where s.person_id = p.id)
         order by p.is_guest, p.name",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(PeopleList { layout, people })
}

/// The person form, as typed.
#[derive(Debug, Default, Clone, Deserialize, sqlx::FromRow)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub slug: String,
    pub bio_md: String,
    pub avatar: String,
    pub mastodon: String,
    pub bluesky: String,
    pub website: String,
    pub guest: Option<String>,
    pub aliases: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/people/edit.html")]
pub struct PersonPage {
    layout: AdminLayout,
    id: i64,
    form: PersonForm,
    errors: FieldErrors,
    saved: bool,
}

/// `GET /admin/people/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<PersonPage> {
    let mut conn = state.db.acquire().await?;
    let form: PersonForm = sqlx::query_as(
        "select name, slug, bio_md, avatar, mastodon, bluesky, website,
                case when is_guest then 'on' end as guest,
                coalesce((select group_concat(alias, ', ') from
                    (select alias from person_aliases where person_id = p.id order by alias)), '') as aliases
         from people p where id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;

    Ok(PersonPage {
        layout,
        id,
        form,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    })
}

fn check(form: &PersonForm) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.name.trim().is_empty() {
        errors.add("name", "is required");
    }
    let slug = slugify(if form.slug.trim().is_empty() {
        &form.name
    } else {
        &form.slug
    });
    if slug.is_empty() {
        errors.add("slug", "needs at least one letter or digit");
    }
    for (field, value) in [
        ("avatar", &form.avatar),
        ("mastodon", &form.mastodon),
        ("bluesky", &form.bluesky),
        ("website", &form.website),
    ] {
        if !value.trim().is_empty() && !is_web_url(value.trim()) {
            errors.add(field, "must start with https:// or http://");
        }
    }
    if errors.is_empty() {
        Ok(slug)
    } else {
        Err(errors)
    }
}

/// `POST /admin/people/{id}`.
pub async fn update(
    State(state): State<AppState>,
    layout: AdminLayout,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response> {
    let slug = match check(&form) {
        Ok(slug) => slug,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                PersonPage {
                    layout,
                    id,
                    form,
                    errors,
                    saved: false,
                },
            )
                .into_response());
        }
    };
    match save(&state, layout.user.id, id, &slug, &form).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/people/{id}?saved=1")).into_response())
        }
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let mut errors = FieldErrors::default();
            let field = if e.message().contains("people.slug") {
                "slug"
            } else {
                "aliases"
            };
            errors.add(field, "is already used by someone else");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                PersonPage {
                    layout,
                    id,
                    form,
                    errors,
                    saved: false,
                },
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn save(
    state: &AppState,
    user_id: i64,
    id: i64,
    slug: &str,
    form: &PersonForm,
) -> sqlx::Result<()> {
    let mut tx = state.db.begin().await?;
    let old_name = super::store::name_of(&mut tx, id).await?;
    sqlx::query(
        "update people set name = ?, slug = ?, bio_md = ?, avatar = ?, mastodon = ?, bluesky = ?, website = ?, is_guest = ? where id = ?",
    )
    .bind(form.name.trim())
    .bind(slug)
    .bind(&form.bio_md)
    .bind(form.avatar.trim())
    .bind(form.mastodon.trim())
    .bind(form.bluesky.trim())
    .bind(form.website.trim())
    .bind(form.guest.is_some())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // Their notes were rendered for their old role (nofollow or not): render again when read.
    sqlx::query("update segments set notes_html = null where person_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from person_aliases where person_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for alias in form
        .aliases
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        sqlx::query("insert into person_aliases (alias, person_id) values (?, ?)")
            .bind(alias)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    // Notes name people as they were called: "Brian" renamed "Brian Okken" is still Brian.
    if old_name != form.name.trim() {
        super::store::keep_alias(&mut tx, &old_name, id).await?;
    }
    crate::accounts::store::audit(
        &mut tx,
        Some(user_id),
        "update",
        "person",
        Some(id),
        form.name.trim(),
        &clock::now(),
    )
    .await?;
    tx.commit().await
}
