//! SQL for people.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::SqliteConnection;

use super::person_ref::PersonRef;
use crate::clock::Timestamp;
use crate::slug::slugify;

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
    pub published_at: Option<Timestamp>,
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
    sqlx::query_as!(
        Person,
        r#"select id as "id!", slug as "slug!", name as "name!", bio_md as "bio_md!",
             avatar as "avatar!", mastodon as "mastodon!", bluesky as "bluesky!", website as "website!",
             is_guest and exists (select 1 from segments s where s.person_id = people.id) as "is_guest!: bool"
         from public_people people where slug = ?"#,
        slug,
    )
    .fetch_optional(conn)
    .await
}

/// The segments a person presented in `episodes` of their published episodes (newest first)
/// after the first `offset`, in order. The page of episodes is found first and its segments
/// looked up by episode (`cross join` keeps that order, `+` keeps the person's own index out):
/// SQLite 3.46 otherwise walked all of a person's segments and ran the page's query again for
/// each, 1.5 s for a page of a host with 4,000 topics.
pub async fn segments_presented(
    conn: &mut SqliteConnection,
    person_id: i64,
    episodes: i64,
    offset: i64,
) -> sqlx::Result<Vec<PresentedSegment>> {
    sqlx::query_as!(
        PresentedSegment,
        r#"with theirs as (
             select e.id, e.number, e.slug, e.title, e.published_at from episodes e
             where e.status = 'published'
               and exists (select 1 from segments s where s.episode_id = e.id and s.person_id = ?1)
             order by e.published_at desc, e.number desc limit ?2 offset ?3)
         select t.number as episode_number, t.slug as episode_slug, t.title as episode_title,
                t.published_at as "published_at: Timestamp", s.kind, s.number, s.title, s.url
         from theirs t cross join segments s on s.episode_id = t.id and +s.person_id = ?1
         order by t.published_at desc, t.number desc, s.position"#,
        person_id,
        episodes,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// How many published episodes have a segment `person_id` presented.
pub async fn episodes_presented(conn: &mut SqliteConnection, person_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!: i64" from episodes e
         where e.status = 'published'
           and exists (select 1 from segments s where s.episode_id = e.id and s.person_id = ?)"#,
        person_id,
    )
    .fetch_one(conn)
    .await
}

/// Someone credited on topics of published episodes.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Presenter {
    pub slug: String,
    pub name: String,
    pub is_guest: bool,
    /// Published episodes with a topic of theirs.
    pub episodes: i64,
}

/// Everyone credited on topics of published episodes, most episodes first.
pub async fn presenters(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Presenter>> {
    sqlx::query_as!(
        Presenter,
        r#"select p.slug as "slug!", p.name as "name!", p.is_guest as "is_guest!: bool",
                count(distinct s.episode_id) as "episodes!: i64"
         from public_people p join segments s on s.person_id = p.id and s.kind = 'topic'
         join episodes e on e.id = s.episode_id and e.status = 'published'
         group by p.id order by 4 desc, p.name"#
    )
    .fetch_all(conn)
    .await
}

/// Everyone's name, hosts first: what the editor's Host field suggests.
pub async fn names_hosts_first(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!("select name from people order by is_guest, name collate nocase")
        .fetch_all(conn)
        .await
}

/// The name of person `id`.
pub async fn name_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar!("select name from people where id = ?", id)
        .fetch_one(conn)
        .await
}

/// Makes `alias` a name of person `id`, unless it already names someone.
pub async fn keep_alias(conn: &mut SqliteConnection, alias: &str, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert or ignore into person_aliases (alias, person_id) values (?, ?)",
        alias,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a person is a guest (their links are not vouched for).
pub async fn is_guest(conn: &mut SqliteConnection, person_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select is_guest as "is_guest: bool" from people where id = ?"#,
        person_id
    )
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
    let found = sqlx::query!(
        r#"select id as "id!", slug as "slug!" from people where slug = ?1 and ?1 <> ''
         union all select p.id, p.slug from person_aliases a join people p on p.id = a.person_id where a.alias = ?2
         union all select id, slug from people where name = ?2 collate nocase
         limit 1"#,
        person.slug,
        name,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| (row.id, row.slug));
    if let Some((id, found_slug)) = found {
        return Ok((id, person.slug.is_empty() || found_slug == person.slug));
    }
    let slug = if person.slug.is_empty() {
        unique_slug(conn, &slugify(name)).await?
    } else {
        person.slug.clone()
    };
    let id = insert_person(conn, &slug, name, guest).await?;
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
        let taken = sqlx::query_scalar!(
            r#"select 1 as "taken!: i64" from people where slug = ?"#,
            candidate
        )
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
            let slugs = crate::db::json_param(&slugs)?;
            let rows = sqlx::query!(
                r#"select p.slug, p.id as "id!" from json_each(?) j join people p on p.slug = j.value"#,
                slugs,
            )
            .fetch_all(&mut *conn)
            .await?;
            self.by_key.extend(
                rows.into_iter()
                    .map(|row| (format!("slug:{}", row.slug), row.id)),
            );
        }
        if !names.is_empty() {
            // Unchecked: sqlx cannot describe a query that returns `json_each`'s own columns.
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

/// Inserts a person; returns their id.
pub async fn insert_person(
    conn: &mut SqliteConnection,
    slug: &str,
    name: &str,
    is_guest: bool,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into people (slug, name, is_guest) values (?, ?, ?) returning id as "id!""#,
        slug,
        name,
        is_guest,
    )
    .fetch_one(conn)
    .await
}

/// For each of `names` that is someone's name (ASCII case aside): (name, id, slug, person's
/// name), the lowest id first.
pub async fn people_named(
    conn: &mut SqliteConnection,
    names: &[&str],
) -> sqlx::Result<Vec<(String, i64, String, String)>> {
    // Unchecked: sqlx cannot describe a query that returns `json_each`'s own columns.
    sqlx::query_as(
        "select j.value, p.id, p.slug, p.name from json_each(?) j
         join people p on p.name = j.value collate nocase order by p.id",
    )
    .bind(crate::db::json_param(names)?)
    .fetch_all(conn)
    .await
}

/// The person named `name` (ASCII case aside), else the person `name` is an alias of, as
/// (id, slug, name).
pub async fn by_name_or_alias(
    conn: &mut SqliteConnection,
    name: &str,
) -> sqlx::Result<Option<(i64, String, String)>> {
    let found = sqlx::query!(
        r#"select id as "id!: i64", slug as "slug!: String", name as "name!: String" from (
             select 0 as rank, id, slug, name from people where name = ?1 collate nocase
             union all
             select 1, p.id, p.slug, p.name from person_aliases a join people p on p.id = a.person_id
             where a.alias = ?1)
         order by rank, id limit 1"#,
        name,
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|row| (row.id, row.slug, row.name)))
}

/// The show's hosts as (id, slug, name): people who are no guest, who presented in two episodes
/// or more, or whose name is one of `regulars`.
pub async fn hosts_and_regulars(
    conn: &mut SqliteConnection,
    regulars: &[&str],
) -> sqlx::Result<Vec<(i64, String, String)>> {
    let regulars = crate::db::json_param(regulars)?;
    let rows = sqlx::query!(
        r#"select id as "id!", slug, name from people p where is_guest = 0
            or (select count(distinct s.episode_id) from segments s where s.person_id = p.id) >= 2
            or name in (select value from json_each(?))"#,
        regulars,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.slug, row.name))
        .collect())
}

/// Makes the people of `rows` (objects with `id`, `mastodon`, `bluesky`) hosts and fills their
/// empty Mastodon/Bluesky fields; a row that would change nothing is not written.
pub async fn mark_hosts<T: Serialize>(conn: &mut SqliteConnection, rows: &[T]) -> sqlx::Result<()> {
    let rows = crate::db::json_param(rows)?;
    sqlx::query!(
        "update people set is_guest = 0,
             mastodon = case when mastodon = '' then coalesce(j.value ->> 'mastodon', '') else mastodon end,
             bluesky = case when bluesky = '' then coalesce(j.value ->> 'bluesky', '') else bluesky end
         from json_each(?) j where people.id = j.value ->> 'id'
             and (is_guest <> 0
                  or (mastodon = '' and j.value ->> 'mastodon' is not null)
                  or (bluesky = '' and j.value ->> 'bluesky' is not null))",
        rows,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A person in the admin list.
#[derive(sqlx::FromRow)]
pub struct ListedPerson {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub is_guest: bool,
    pub segments: i64,
}

/// Hosts, then anyone who presented a segment, by name, with how many segments they presented.
pub async fn admin_list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<ListedPerson>> {
    sqlx::query_as!(
        ListedPerson,
        r#"select p.id as "id!", p.slug, p.name, p.is_guest as "is_guest: bool",
                (select count(*) from segments s where s.person_id = p.id) as "segments!: i64"
         from people p where p.is_guest = 0 or exists (select 1 from segments s where s.person_id = p.id)
         order by p.is_guest, p.name"#
    )
    .fetch_all(conn)
    .await
}

/// A person's editable fields, aliases comma-separated.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EditablePerson {
    pub name: String,
    pub slug: String,
    pub bio_md: String,
    pub avatar: String,
    pub mastodon: String,
    pub bluesky: String,
    pub website: String,
    pub is_guest: bool,
    pub aliases: String,
}

/// Person `id` as the admin edits them.
pub async fn editable_person(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<EditablePerson>> {
    sqlx::query_as!(
        EditablePerson,
        r#"select name, slug, bio_md, avatar, mastodon, bluesky, website, is_guest as "is_guest: bool",
                coalesce((select group_concat(alias, ', ') from
                    (select alias from person_aliases where person_id = p.id order by alias)), '') as "aliases!: String"
         from people p where id = ?"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Saves person `id`'s editable fields (aliases aside).
pub async fn update_person(
    conn: &mut SqliteConnection,
    id: i64,
    person: &EditablePerson,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update people set name = ?, slug = ?, bio_md = ?, avatar = ?, mastodon = ?, bluesky = ?, website = ?, is_guest = ? where id = ?",
        person.name,
        person.slug,
        person.bio_md,
        person.avatar,
        person.mastodon,
        person.bluesky,
        person.website,
        person.is_guest,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `aliases` the only aliases of person `id` (an alias of someone else is a unique violation).
pub async fn set_aliases(
    conn: &mut SqliteConnection,
    id: i64,
    aliases: &[&str],
) -> sqlx::Result<()> {
    sqlx::query!("delete from person_aliases where person_id = ?", id)
        .execute(&mut *conn)
        .await?;
    for alias in aliases {
        sqlx::query!(
            "insert into person_aliases (alias, person_id) values (?, ?)",
            alias,
            id,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
