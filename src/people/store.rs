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
    /// A guest of the show: not a host, and presented segments. Someone known only as a
    /// conference speaker (not a host either) is no guest (issue 12).
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

/// The person with this slug, unless a guest known only from unpublished notes (issue 13).
pub async fn person_by_slug(
    conn: &mut SqliteConnection,
    slug: &str,
) -> sqlx::Result<Option<Person>> {
    sqlx::query_as(
        "select id, slug, name, bio_md, avatar, mastodon, bluesky, website,
             is_guest and exists (select 1 from segments s where s.person_id = people.id) as is_guest
         from public_people people where slug = ?",
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

/// The name of person `id`.
pub async fn name_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("select name from people where id = ?")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Makes `alias` a name of person `id`, unless it already names someone.
pub async fn keep_alias(conn: &mut SqliteConnection, alias: &str, id: i64) -> sqlx::Result<()> {
    sqlx::query("insert or ignore into person_aliases (alias, person_id) values (?, ?)")
        .bind(alias)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a person is a guest (their links are not vouched for).
pub async fn is_guest(conn: &mut SqliteConnection, person_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("select is_guest from people where id = ?")
        .bind(person_id)
        .fetch_one(conn)
        .await
}

/// The id of the person a reference names, or someone new (a guest when `guest`).
/// A reference with a slug is the person with that slug first; a bare name is found by
/// alias, then by name (any ASCII case), never by slug: two different names that
/// transliterate alike ("José" and "Jose", or two Japanese names) are two people.
pub async fn resolve_or_create(
    conn: &mut SqliteConnection,
    person: &PersonRef,
    guest: bool,
) -> sqlx::Result<i64> {
    Ok(resolve_or_create_keyed(conn, person, guest).await?.0)
}

/// What a reference is looked up by: its slug when it has one, else its name.
fn lookup_key(person: &PersonRef) -> String {
    if person.slug.is_empty() {
        format!("name:{}", person.name.trim().to_ascii_lowercase())
    } else {
        format!("slug:{}", person.slug)
    }
}

/// [`resolve_or_create`], also saying whether the answer is final for the reference's
/// [`lookup_key`] within the transaction: a slug lookup answered by a person with
/// another slug (through an alias or name) is not, as that slug may be created later.
async fn resolve_or_create_keyed(
    conn: &mut SqliteConnection,
    person: &PersonRef,
    guest: bool,
) -> sqlx::Result<(i64, bool)> {
    let name = person.name.trim();
    let found: Option<(i64, String)> = sqlx::query_as(
        "select id, slug from people where slug = ?1 and ?1 <> ''
         union all select p.id, p.slug from person_aliases a join people p on p.id = a.person_id where a.alias = ?2
         union all select id, slug from people where name = ?2 collate nocase
         limit 1",
    )
    .bind(&person.slug)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, found_slug)) = found {
        return Ok((id, person.slug.is_empty() || found_slug == person.slug));
    }
    let slug = if person.slug.is_empty() {
        unique_slug(conn, &slugify(name)).await?
    } else {
        person.slug.clone()
    };
    let id = sqlx::query_scalar(
        "insert into people (slug, name, is_guest) values (?, ?, ?) returning id",
    )
    .bind(&slug)
    .bind(name)
    .bind(guest)
    .fetch_one(conn)
    .await?;
    Ok((id, true))
}

/// `base`, or `base-2`, `base-3`… : the first slug nobody has yet. Different names may
/// transliterate to one slug; each person still gets their own.
pub async fn unique_slug(conn: &mut SqliteConnection, base: &str) -> sqlx::Result<String> {
    let base = if base.is_empty() { "person" } else { base };
    for n in 1.. {
        let candidate = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let taken: Option<i64> = sqlx::query_scalar("select 1 from people where slug = ?")
            .bind(&candidate)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    unreachable!("the loop above returns for some n")
}

/// People resolved within one transaction, so a reference met many times is looked up
/// once. Only answers that cannot change are kept: a person found under the very slug
/// a reference names (slugs are unique), and whoever a bare name was found as or
/// created for (the same lookup would find them again).
#[derive(Debug, Default)]
pub struct KnownPeople {
    by_key: HashMap<String, i64>,
}

impl KnownPeople {
    /// Learns, in at most two queries, which of `people` already exist.
    pub async fn preload(
        conn: &mut SqliteConnection,
        people: impl Iterator<Item = &PersonRef>,
    ) -> sqlx::Result<Self> {
        let mut known = Self::default();
        known.learn(conn, people).await?;
        Ok(known)
    }

    /// Learns which of `people` not known yet exist: those with a slug under it, bare
    /// names by alias or name. At most two queries, none when all are known.
    pub async fn learn(
        &mut self,
        conn: &mut SqliteConnection,
        people: impl Iterator<Item = &PersonRef>,
    ) -> sqlx::Result<()> {
        let (mut slugs, mut names) = (Vec::new(), Vec::new());
        for person in people.filter(|p| !self.by_key.contains_key(&lookup_key(p))) {
            if person.slug.is_empty() {
                names.push(person.name.trim().to_string());
            } else {
                slugs.push(person.slug.clone());
            }
        }
        if !slugs.is_empty() {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "select p.slug, p.id from json_each(?) j join people p on p.slug = j.value",
            )
            .bind(crate::db::json_param(&slugs)?)
            .fetch_all(&mut *conn)
            .await?;
            self.by_key.extend(
                rows.into_iter()
                    .map(|(slug, id)| (format!("slug:{slug}"), id)),
            );
        }
        if !names.is_empty() {
            let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
                "select j.value, coalesce(
                     (select a.person_id from person_aliases a where a.alias = j.value),
                     (select p.id from people p where p.name = j.value collate nocase order by p.id limit 1))
                 from json_each(?) j",
            )
            .bind(crate::db::json_param(&names)?)
            .fetch_all(conn)
            .await?;
            self.by_key
                .extend(rows.into_iter().filter_map(|(name, id)| {
                    Some((format!("name:{}", name.to_ascii_lowercase()), id?))
                }));
        }
        Ok(())
    }

    /// [`resolve_or_create`], answered from memory when it can be.
    pub async fn resolve_or_create(
        &mut self,
        conn: &mut SqliteConnection,
        person: &PersonRef,
        guest: bool,
    ) -> sqlx::Result<i64> {
        let key = lookup_key(person);
        if let Some(id) = self.by_key.get(&key) {
            return Ok(*id);
        }
        let (id, is_final) = resolve_or_create_keyed(conn, person, guest).await?;
        if is_final {
            self.by_key.insert(key, id);
        }
        Ok(id)
    }
}
