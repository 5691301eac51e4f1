//! The rules for people: what a person's page shows, and what the admin changes.
//! Knows nothing of the web: handlers turn [`PeopleError`] into responses.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::store::{self, EditablePerson, ListedPerson, Person, PresentedSegment, Presenter};
use crate::accounts::store::audit;
use crate::clock;
use crate::links::web_url::is_web_url;
use crate::markdown;
use crate::paging::Paging;
use crate::slug::slugify;
use crate::talks::store::SpokenTalk;
use crate::validation::{FieldErrors, OnUnique};

/// Why a people request failed.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// No such person (or one listeners may not see).
    #[error("not found")]
    NotFound,
    /// The form is wrong; the errors say where.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Episodes a page of a person's segments covers: a host of a long-running show presented
/// thousands, and one page of them all took 68 ms to render.
pub const EPISODES_PER_PAGE: i64 = 25;

/// A person with a page of what they presented.
#[derive(Serialize)]
pub struct PersonView {
    #[serde(flatten)]
    pub person: Person,
    pub bio_html: String,
    /// Their segments in the page's episodes, newest episode first.
    pub segments: Vec<PresentedSegment>,
    /// Which page of the episodes they presented in this is.
    pub paging: Paging,
    /// Conference talks they spoke at, from the catalog.
    pub talks: Vec<SpokenTalk>,
}

/// Page `page` of the public page of the person with this slug; a page past the last is
/// not found.
pub async fn person_view(
    db: &SqlitePool,
    slug: &str,
    page: i64,
) -> Result<PersonView, PeopleError> {
    let mut conn = db.acquire().await?;
    let person = store::person_by_slug(&mut conn, slug)
        .await?
        .ok_or(PeopleError::NotFound)?;
    let episodes = store::episodes_presented(&mut conn, person.id).await?;
    let paging = Paging::new(page, EPISODES_PER_PAGE, episodes);
    if page > paging.pages {
        return Err(PeopleError::NotFound);
    }
    let segments =
        store::segments_presented(&mut conn, person.id, EPISODES_PER_PAGE, paging.offset()).await?;
    let talks = crate::talks::store::talks_spoken_by(&mut conn, person.id).await?;
    let author = crate::rendered::author_of(Some(person.is_guest));
    let bio_html = markdown::render_pooled(person.bio_md.clone(), author).await;
    Ok(PersonView {
        person,
        bio_html,
        segments,
        paging,
        talks,
    })
}

/// Who presents the show: its hosts and its guests, each most episodes first.
#[derive(Serialize)]
pub struct PresentersView {
    pub hosts: Vec<Presenter>,
    pub guests: Vec<Presenter>,
}

/// The hosts and guests credited on topics of published episodes.
pub async fn presenters(db: &SqlitePool) -> Result<PresentersView, PeopleError> {
    let everyone = store::presenters(&mut *db.acquire().await?).await?;
    let (guests, hosts) = everyone.into_iter().partition(|p| p.is_guest);
    Ok(PresentersView { hosts, guests })
}

/// Hosts, then anyone who presented a segment.
pub async fn admin_list(db: &SqlitePool) -> Result<Vec<ListedPerson>, PeopleError> {
    Ok(store::admin_list(&mut *db.acquire().await?).await?)
}

/// The person form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
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

/// The person form filled with person `id` as stored.
pub async fn person_form(db: &SqlitePool, id: i64) -> Result<PersonForm, PeopleError> {
    let person = store::editable_person(&mut *db.acquire().await?, id)
        .await?
        .ok_or(PeopleError::NotFound)?;
    Ok(PersonForm {
        name: person.name,
        slug: person.slug,
        bio_md: person.bio_md,
        avatar: person.avatar,
        mastodon: person.mastodon,
        bluesky: person.bluesky,
        website: person.website,
        guest: person.is_guest.then(|| "on".to_string()),
        aliases: person.aliases,
    })
}

/// The person the form describes, checked: trimmed, with its slug.
fn check(form: &PersonForm) -> Result<EditablePerson, FieldErrors> {
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
    errors.into_result()?;
    Ok(EditablePerson {
        name: form.name.trim().to_string(),
        slug,
        bio_md: form.bio_md.clone(),
        avatar: form.avatar.trim().to_string(),
        mastodon: form.mastodon.trim().to_string(),
        bluesky: form.bluesky.trim().to_string(),
        website: form.website.trim().to_string(),
        is_guest: form.guest.is_some(),
        aliases: form.aliases.clone(),
    })
}

fn taken(field: &str) -> PeopleError {
    PeopleError::Invalid(FieldErrors::one(field, "is already used by someone else"))
}

/// Saves the admin's edit of person `id`, audited as `user_id`. Their old name stays an
/// alias: notes name people as they were called ("Brian" renamed "Brian Okken" is still Brian).
pub async fn update_person(
    db: &SqlitePool,
    user_id: i64,
    id: i64,
    form: &PersonForm,
) -> Result<(), PeopleError> {
    let person = check(form).map_err(PeopleError::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let old_name = store::name_of(&mut tx, id).await?;
    // A changed guest flag forgets their rendered notes (migration 0150's trigger): they are
    // rendered again, with the `rel` of the new role, when next read.
    store::update_person(&mut tx, id, &person)
        .await
        .on_unique("people.slug", || taken("slug"))?;
    let aliases: Vec<&str> = form
        .aliases
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    store::set_aliases(&mut tx, id, &aliases)
        .await
        .on_unique("person_aliases.alias", || taken("aliases"))?;
    if old_name != person.name {
        store::keep_alias(&mut tx, &old_name, id).await?;
    }
    audit(
        &mut tx,
        Some(user_id),
        "update",
        "person",
        Some(id),
        &person.name,
        &clock::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
