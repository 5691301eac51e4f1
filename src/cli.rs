//! What the command line does besides serving.

use std::path::Path;

use anyhow::Context;

use crate::db;
use crate::episodes::{self, model::EpisodeDoc};

/// `shownotes import episode FILE.json`: one episode in the API's shape.
pub async fn import_episode(db_path: &Path, file: &Path) -> anyhow::Result<()> {
    let shown = file.display();
    let text = std::fs::read_to_string(file).with_context(|| format!("{shown}: cannot read"))?;
    let doc: EpisodeDoc = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{shown}:{}:{}: {e}", e.line(), e.column()))?;
    let number = doc.number;
    let pool = db::open(db_path).await?;
    episodes::save_episode(&pool, doc)
        .await
        .with_context(|| format!("{shown}: episode {number} not saved"))?;
    println!("imported episode {number} from {shown}");
    Ok(())
}
