//! `shownotes transcript add EPISODE FILE` and `transcript remove EPISODE`.

use std::path::Path;

use anyhow::Context;

use super::manage::{self, By};
use crate::config::TranscriptCommand;
use crate::db;

/// Runs a `transcript …` subcommand. A file that does not read fails with a
/// [`manage::TranscriptError`] naming its line.
pub async fn run(db_path: &Path, command: TranscriptCommand) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    match command {
        TranscriptCommand::Add { episode, file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("{}: cannot read", file.display()))?;
            let name = manage::file_name_of(&file.to_string_lossy());
            let id = manage::episode_id_of_number(&pool, episode).await?;
            let attached = manage::attach(&pool, id, &name, &bytes, By::CommandLine).await?;
            println!(
                "attached {name} to episode {episode}: {} cues, {} speakers named, read as {}",
                attached.cues,
                attached.speakers,
                attached.format.label()
            );
        }
        TranscriptCommand::Remove { episode } => {
            let id = manage::episode_id_of_number(&pool, episode).await?;
            match manage::remove(&pool, id, By::CommandLine).await? {
                true => println!("removed the transcript of episode {episode}"),
                false => println!("episode {episode} has no transcript; nothing removed"),
            }
        }
    }
    Ok(())
}
