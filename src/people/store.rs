//! SQL for people.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::episodes::model::{PersonRef, slugify};

/// A person as their page shows them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio_md: String,
    pub avatar: String,
    pub mastodon: String,
    pub bluesky: String,
    pub website: String,
    pub is_guest: bool,
}

/// A segment someone presented, with its episode.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PresentedSegment {
    pub episode_number: i64,
    pub episode_slug: String,
    pub episode_title: String,
    pub published_at: Option<String>,
    pub kind: String,
    pub number: Option<i64>,
    pub title: String,
    pub url: Option<String>,
}

/// The person with this slug.
pub async fn person_by_slug(
    conn: &mut SqliteConnection,
    slug: &str,
) -> sqlx::Result<Option<Person>> {
    sqlx::query_as(
        "select id, slug, name, bio_md, avatar, mastodon, bluesky, website, is_guest from people where slug = ?",
    )
    .bind(slug)
    .fetch_optional(conn)
    .await
}

/// Every published segment a person presented, newest episode first.
pub async fn segments_presented(
    conn: &mut SqliteConnection,
    person_id: i64,
) -> sqlx::Result<Vec<PresentedSegment>> {
    sqlx::query_as(
        "select e.number as episode_number, e.slug as episode_slug, e.title as episode_title, e.published_at,
                s.kind, s.number, s.title, s.url
         from segments s join episodes e on e.id = s.episode_id and e.status = 'published'
         where s.person_id = ? order by e.number desc, s.position",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// Whether a person is a guest (their links are not vouched for).
pub async fn is_guest(conn: &mut SqliteConnection, person_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("select is_guest from people where id = ?")
        .bind(person_id)
        .fetch_one(conn)
        .await
}

/// The id of the person a reference names: by slug, then alias, then name;
/// someone new is created (as a guest when `guest`).
pub async fn resolve_or_create(
    conn: &mut SqliteConnection,
    person: &PersonRef,
    guest: bool,
) -> sqlx::Result<i64> {
    Ok(resolve_or_create_slugged(conn, person, guest).await?.0)
}

/// The slug a reference is looked up by first.
fn wanted_slug(person: &PersonRef) -> String {
    if person.slug.is_empty() {
        slugify(&person.name)
    } else {
        person.slug.clone()
    }
}

/// [`resolve_or_create`], also returning the slug the reference was looked up by
/// and the slug of the person found.
async fn resolve_or_create_slugged(
    conn: &mut SqliteConnection,
    person: &PersonRef,
    guest: bool,
) -> sqlx::Result<(i64, String, String)> {
    let slug = wanted_slug(person);
    let found: Option<(i64, String)> = sqlx::query_as(
        "select id, slug from people where slug = ?
         union all select p.id, p.slug from person_aliases a join people p on p.id = a.person_id where a.alias = ?
         union all select id, slug from people where name = ? collate nocase
         limit 1",
    )
    .bind(&slug)
    .bind(&person.name)
    .bind(&person.name)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, found_slug)) = found {
        return Ok((id, slug, found_slug));
    }
    let id = sqlx::query_scalar(
        "insert into people (slug, name, is_guest) values (?, ?, ?) returning id",
    )
    .bind(&slug)
    .bind(person.name.trim())
    .bind(guest)
    .fetch_one(conn)
    .await?;
    Ok((id, slug.clone(), slug))
}

/// People resolved within one transaction, so a name met many times is looked up once.
/// Only answers that cannot change are kept: a person found or created under the very
/// slug a reference is looked up by stays its answer, as the slug lookup comes first
/// and slugs are unique.
#[derive(Debug, Default)]
pub struct KnownPeople {
    by_slug: HashMap<String, i64>,
}

impl KnownPeople {
    /// Learns, in one query, which of `people` already exist under their slugs.
    pub async fn preload(
        conn: &mut SqliteConnection,
        people: impl Iterator<Item = &PersonRef>,
    ) -> sqlx::Result<Self> {
        let mut known = Self::default();
        known.learn(conn, people).await?;
        Ok(known)
    }

    /// Learns which of `people` not known yet exist under their slugs: one query, or none
    /// when all are known.
    pub async fn learn(
        &mut self,
        conn: &mut SqliteConnection,
        people: impl Iterator<Item = &PersonRef>,
    ) -> sqlx::Result<()> {
        let slugs: Vec<String> = people
            .map(wanted_slug)
            .filter(|slug| !self.by_slug.contains_key(slug))
            .collect();
        if slugs.is_empty() {
            return Ok(());
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select p.slug, p.id from json_each(?) j join people p on p.slug = j.value",
        )
        .bind(crate::db::json_param(&slugs)?)
        .fetch_all(conn)
        .await?;
        self.by_slug.extend(rows);
        Ok(())
    }

    /// [`resolve_or_create`], answered from memory when it can be.
    pub async fn resolve_or_create(
        &mut self,
        conn: &mut SqliteConnection,
        person: &PersonRef,
        guest: bool,
    ) -> sqlx::Result<i64> {
        if let Some(id) = self.by_slug.get(&wanted_slug(person)) {
            return Ok(*id);
        }
        let (id, wanted, found) = resolve_or_create_slugged(conn, person, guest).await?;
        if wanted == found {
            self.by_slug.insert(wanted, id);
        }
        Ok(id)
    }
}
