//! `export notes`: episodes back to markdown in the canonical dialect.

use std::path::Path;

use sqlx::SqlitePool;

use super::model::{EpisodeDoc, SegmentKind};
use super::view::load_episode;
use crate::notes::{self, ParsedEpisode, ParsedSegment};

/// Writes `out/{number}.md` for each episode in `numbers` (every episode when
/// empty, drafts included); returns how many were written.
pub async fn export_notes(db: &SqlitePool, out: &Path, numbers: &[i64]) -> anyhow::Result<usize> {
    std::fs::create_dir_all(out).map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
    let mut conn = db.acquire().await?;
    let numbers = match numbers {
        [] => super::store::all_numbers(&mut conn).await?,
        given => given.to_vec(),
    };
    for number in &numbers {
        let episode = load_episode(&mut conn, *number, true)
            .await?
            .ok_or_else(|| anyhow::anyhow!("episode {number} does not exist"))?;
        let path = out.join(format!("{number}.md"));
        std::fs::write(&path, notes::write(&parsed_of(&episode)))
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(numbers.len())
}

/// The notes form of an episode. Sponsors are not segments in notes: their line lives in the intro.
pub fn parsed_of(episode: &EpisodeDoc) -> ParsedEpisode {
    let segments = episode
        .segments
        .iter()
        .filter(|s| s.kind != SegmentKind::Sponsor)
        .map(|s| ParsedSegment {
            kind: s.kind,
            // The name the notes wrote ("Brain", "Prayson"), else the person's.
            host: s
                .credited_as
                .clone()
                .or_else(|| s.person.as_ref().map(|p| p.name.clone())),
            number: s.number,
            title: s.title.clone(),
            url: s.url.clone(),
            notes_md: s.notes_md.clone(),
            line: 0,
            // The writer weaves title-line links back into the title from these.
            links: s
                .links
                .iter()
                .map(|l| notes::ParsedLink {
                    url: l.url.clone(),
                    text: l.text.clone(),
                })
                .collect(),
            talks: Vec::new(),
        })
        .collect();
    ParsedEpisode {
        number: Some(episode.number),
        title: Some(format!("Episode {}: {}", episode.number, episode.title)),
        intro_md: episode.intro_md.clone(),
        host_socials: Vec::new(),
        guests: Vec::new(),
        recorded_on: None,
        segments,
        warnings: Vec::new(),
    }
}
