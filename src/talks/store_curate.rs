//! SQL for what curators change in the admin: events and talks added, edited, moved, deleted.

use std::collections::HashSet;

use sqlx::SqliteConnection;

/// `wanted` if event `event_id` has no talk with that slug, else the first of `wanted-2`,
/// `wanted-3`… it has not.
pub async fn free_talk_slug(
    conn: &mut SqliteConnection,
    event_id: i64,
    wanted: &str,
) -> sqlx::Result<String> {
    // `like` may match more than `wanted-N` (`_` is a wildcard); the exact check is below.
    let taken: HashSet<String> = sqlx::query_scalar!(
        "select slug from talks where event_id = ?1 and (slug = ?2 or slug like ?2 || '-%')",
        event_id,
        wanted,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .collect();
    Ok(first_free(wanted, &taken))
}

/// `wanted`, else `wanted-2`, `wanted-3`…: the first not in `taken`.
fn first_free(wanted: &str, taken: &HashSet<String>) -> String {
    std::iter::once(wanted.to_string())
        .chain((2..).map(|n| format!("{wanted}-{n}")))
        .find(|slug| !taken.contains(slug))
        .unwrap_or_default()
}

/// Creates talk `slug` of event `event_id` titled `title`, with `extra_json` (pyvideo fields
/// the catalog does not model); returns its id. Its other fields are set by [`update_talk`].
pub async fn insert_talk(
    conn: &mut SqliteConnection,
    event_id: i64,
    slug: &str,
    title: &str,
    extra_json: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into talks (event_id, slug, title, extra_json) values (?, ?, ?, ?) returning id as "id!""#,
        event_id,
        slug,
        title,
        extra_json,
    )
    .fetch_one(conn)
    .await
}

/// How many episode segments link to talk `talk_id`, published or not.
pub async fn segment_count(conn: &mut SqliteConnection, talk_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!: i64" from segment_talks where talk_id = ?"#,
        talk_id,
    )
    .fetch_one(conn)
    .await
}

/// Deletes talk `id`; its speaker credits, related links and segment links go with it
/// (`on delete cascade`), and the search index forgets it (trigger).
pub async fn delete_talk(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query!("delete from talks where id = ?", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The curated fields of an event, as saved.
pub struct EventFields<'a> {
    pub title: &'a str,
    pub year: Option<i64>,
    pub url: &'a str,
    pub description: &'a str,
}

/// Creates event `slug` with its curated fields; returns its id.
pub async fn insert_event(
    conn: &mut SqliteConnection,
    slug: &str,
    fields: &EventFields<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into events (title, year, url, description, slug) values (?, ?, ?, ?, ?) returning id as "id!""#,
        fields.title,
        fields.year,
        fields.url,
        fields.description,
        slug,
    )
    .fetch_one(conn)
    .await
}

/// Sets the curated fields of event `slug`; returns its id, none when there is no such event.
pub async fn update_event(
    conn: &mut SqliteConnection,
    slug: &str,
    fields: &EventFields<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"update events set title = ?, year = ?, url = ?, description = ? where slug = ? returning id as "id!""#,
        fields.title,
        fields.year,
        fields.url,
        fields.description,
        slug,
    )
    .fetch_optional(conn)
    .await
}

/// The curated fields of a talk, as saved.
pub struct TalkFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub recorded: Option<&'a str>,
    pub duration_secs: Option<i64>,
    pub language: &'a str,
}

/// Sets the curated fields of talk `id`.
pub async fn update_talk(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &TalkFields<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update talks set title = ?, description = ?, recorded = ?, duration_secs = ?, language = ? where id = ?",
        fields.title,
        fields.description,
        fields.recorded,
        fields.duration_secs,
        fields.language,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `people` (person id, name as credited), in order, the speakers of talk `talk_id`;
/// someone named twice keeps their first place.
pub async fn set_speakers(
    conn: &mut SqliteConnection,
    talk_id: i64,
    people: &[(i64, &str)],
) -> sqlx::Result<()> {
    sqlx::query!("delete from talk_speakers where talk_id = ?", talk_id)
        .execute(&mut *conn)
        .await?;
    for (position, &(person_id, name)) in people.iter().enumerate() {
        let position = position as i64;
        sqlx::query!(
            "insert or ignore into talk_speakers (talk_id, person_id, position, credited_as) values (?, ?, ?, ?)",
            talk_id,
            person_id,
            position,
            name,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets the videos of talk `id` (pyvideo's `videos` array as JSON) and the YouTube id that
/// identifies it.
pub async fn set_videos(
    conn: &mut SqliteConnection,
    id: i64,
    videos_json: &str,
    video_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update talks set videos_json = ?, video_id = ? where id = ?",
        videos_json,
        video_id,
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_slug_gets_the_first_free_number() {
        let taken = |slugs: &[&str]| slugs.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        assert_eq!(first_free("intro", &taken(&[])), "intro");
        assert_eq!(first_free("intro", &taken(&["intro-2"])), "intro");
        assert_eq!(first_free("intro", &taken(&["intro"])), "intro-2");
        assert_eq!(
            first_free("intro", &taken(&["intro", "intro-2", "intro-4"])),
            "intro-3"
        );
    }
}
