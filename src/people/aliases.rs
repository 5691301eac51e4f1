//! Naming people as show notes do: typos (`Brain`), first names, guests.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::person_ref::PersonRef;
use super::store;
use crate::slug::slugify;

/// A person found or created for a name.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Row id.
    pub id: i64,
    /// The person as documents refer to them.
    pub person: PersonRef,
}

/// Resolves every name of one notes file. Listed hosts and the most frequent
/// names go first, so a one-off typo (`Brain`) finds the real host (`Brian`)
/// even when both first appear in the same file.
pub async fn resolve_names(
    conn: &mut SqliteConnection,
    known: &mut KnownNames,
    names: &[&str],
    hosts: &[&str],
) -> sqlx::Result<HashMap<String, PersonRef>> {
    let mut order: Vec<(&str, usize)> = Vec::new();
    for name in names {
        match order.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => order.push((name, 1)),
        }
    }
    order.sort_by_key(|(name, count)| (!hosts.contains(name), std::cmp::Reverse(*count)));
    // Who heads several topics of this file is one of its hosts, a typo's possible target even
    // in an archive that lists no hosts ("Brian" ×3 and one "Brain" in 250).
    let regulars: Vec<&str> = order
        .iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(name, _)| *name)
        .collect();
    let mut resolved = HashMap::new();
    for (name, _) in order.iter().copied() {
        let is_host = hosts.contains(&name);
        let person = known.resolve(conn, name, is_host, &regulars).await?;
        resolved.insert(name.to_string(), person.person);
    }
    Ok(resolved)
}

/// Names resolved within one transaction, so a name met again is not looked up again.
/// Only answers found under the name itself are kept: the name lookup comes first, so
/// those answers cannot change within the transaction.
#[derive(Debug, Default)]
pub struct KnownNames {
    by_name: HashMap<String, Resolved>,
}

impl KnownNames {
    /// Learns, in one query, which of `names` are someone's name already.
    pub async fn preload(conn: &mut SqliteConnection, names: &[&str]) -> sqlx::Result<Self> {
        let mut known = Self::default();
        known.learn(conn, names).await?;
        Ok(known)
    }

    /// Learns which of `names` not known yet are someone's name already (ASCII case aside,
    /// the lowest id first, as [`resolve_name`] finds them): one query, or none when all are
    /// known. Never by slug: "Renée" and "Renee" share one, yet are two people (issue 12).
    pub async fn learn(&mut self, conn: &mut SqliteConnection, names: &[&str]) -> sqlx::Result<()> {
        let unknown: Vec<&str> = names
            .iter()
            .map(|name| name.trim())
            .filter(|name| !self.knows(name))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let rows = store::people_named(conn, &unknown).await?;
        for (name, id, slug, person) in rows {
            let person = PersonRef { slug, name: person };
            self.by_name.entry(name).or_insert(Resolved { id, person });
        }
        Ok(())
    }

    /// Whether `name` is answered from memory.
    pub fn knows(&self, name: &str) -> bool {
        self.by_name.contains_key(name.trim())
    }

    /// [`resolve_name`], answered from memory when it can be.
    pub async fn resolve(
        &mut self,
        conn: &mut SqliteConnection,
        name: &str,
        is_host: bool,
        regulars: &[&str],
    ) -> sqlx::Result<Resolved> {
        let name = name.trim();
        if let Some(found) = self.by_name.get(name) {
            return Ok(found.clone());
        }
        let found = resolve_name_among(conn, name, is_host, regulars).await?;
        if found.person.name.eq_ignore_ascii_case(name) {
            self.by_name.insert(name.to_string(), found.clone());
        }
        Ok(found)
    }
}

/// The person `name` refers to: their exact name or alias; else a host or
/// presenter whose name is one typo away (the typo is remembered as an alias);
/// else someone new, a guest unless `is_host`.
pub async fn resolve_name(
    conn: &mut SqliteConnection,
    name: &str,
    is_host: bool,
) -> sqlx::Result<Resolved> {
    resolve_name_among(conn, name, is_host, &[]).await
}

/// [`resolve_name`], where the people named `regulars` count as hosts for typos.
async fn resolve_name_among(
    conn: &mut SqliteConnection,
    name: &str,
    is_host: bool,
    regulars: &[&str],
) -> sqlx::Result<Resolved> {
    let name = name.trim();
    if let Some(found) = exact(conn, name).await? {
        return Ok(found);
    }
    if let Some(found) = one_typo_from_a_host(conn, name, regulars).await? {
        store::keep_alias(conn, name, found.id).await?;
        return Ok(found);
    }
    let slug = store::unique_slug(conn, &slugify(name)).await?;
    let id = store::insert_person(conn, &slug, name, !is_host).await?;
    Ok(Resolved {
        id,
        person: PersonRef {
            slug,
            name: name.to_string(),
        },
    })
}

/// The person named `name` (ASCII case aside), else the person `name` is an alias of. Never by
/// slug: two names that transliterate alike are two people.
async fn exact(conn: &mut SqliteConnection, name: &str) -> sqlx::Result<Option<Resolved>> {
    let row = store::by_name_or_alias(conn, name).await?;
    Ok(row.map(|(id, slug, name)| Resolved {
        id,
        person: PersonRef { slug, name },
    }))
}

async fn one_typo_from_a_host(
    conn: &mut SqliteConnection,
    name: &str,
    regulars: &[&str],
) -> sqlx::Result<Option<Resolved>> {
    // Short names are too easily one edit from each other ("Al" / "Ali").
    if name.chars().count() < 4 {
        return Ok(None);
    }
    // Only the show's hosts: those "Connect with the hosts" names, regulars who presented in two
    // episodes or more, and this file's `regulars` (archives older than that list name nobody).
    // A one-off guest is never a typo's target: "Cris" is not "Chris" (issue 12).
    let hosts = store::hosts_and_regulars(conn, regulars).await?;
    let wanted = name.to_lowercase();
    let mut matches = hosts.into_iter().filter(|(_, _, host)| {
        let first = host
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        strsim::osa_distance(&first, &wanted) == 1
            || strsim::osa_distance(&host.to_lowercase(), &wanted) == 1
    });
    let first = matches.next();
    // Two hosts one typo away: guessing would be worse than a new person.
    if matches.next().is_some() {
        return Ok(None);
    }
    Ok(first.map(|(id, slug, name)| Resolved {
        id,
        person: PersonRef { slug, name },
    }))
}

/// Makes people hosts (named in "Connect with the hosts") and fills their empty
/// Mastodon/Bluesky fields from the URLs listed there: `(person id, urls)` in
/// order, as if one after another, in one statement. A host whose fields are already
/// filled is not written at all: every import names the same hosts.
pub async fn mark_hosts_with_socials(
    conn: &mut SqliteConnection,
    hosts: &[(i64, &[String])],
) -> sqlx::Result<()> {
    #[derive(serde::Serialize)]
    struct Host<'a> {
        id: i64,
        mastodon: Option<&'a str>,
        bluesky: Option<&'a str>,
    }
    let mut rows: Vec<Host> = Vec::new();
    for (id, urls) in hosts {
        let bluesky = urls
            .iter()
            .find(|u| u.contains("bsky.app/") || u.contains("bsky.social"));
        let mastodon = urls
            .iter()
            .find(|u| u.contains("/@") && !u.contains("bsky"));
        // Listed twice: an empty field takes the first URL any listing gives.
        match rows.iter_mut().find(|row| row.id == *id) {
            Some(row) => {
                row.mastodon = row.mastodon.or(mastodon.map(String::as_str));
                row.bluesky = row.bluesky.or(bluesky.map(String::as_str));
            }
            None => rows.push(Host {
                id: *id,
                mastodon: mastodon.map(String::as_str),
                bluesky: bluesky.map(String::as_str),
            }),
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    store::mark_hosts(conn, &rows).await
}
