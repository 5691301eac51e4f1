//! `shownotes subscribers …`: the list from a terminal.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;

use super::SubscriberEmail;
use super::manage::{self, SubscriberQuery};

/// What `subscribers` can do.
#[derive(Debug, Subcommand)]
pub enum SubscribersCommand {
    /// Add confirmed subscribers from a CSV file with `email` and optional `name` columns.
    Import { file: PathBuf },
    /// Write every subscriber as CSV to standard output.
    Export,
    /// List subscribers, optionally matching text and a status.
    List {
        /// Text in the address or name.
        #[arg(long, default_value = "")]
        search: String,
        /// pending, confirmed or unsubscribed.
        #[arg(long)]
        status: Option<String>,
    },
    /// Erase a subscriber's address and name for good (counts are kept).
    Erase { email: String },
}

/// Runs one `subscribers` subcommand.
pub async fn run(db_path: &Path, command: SubscribersCommand) -> anyhow::Result<()> {
    let pool = crate::db::open(db_path).await?;
    match command {
        SubscribersCommand::Import { file } => {
            let shown = file.display();
            let input =
                std::fs::File::open(&file).with_context(|| format!("{shown}: cannot read"))?;
            let source = format!(
                "import:{}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
            let report = manage::import_csv(&pool, input, &source)
                .await
                .with_context(|| format!("{shown}"))?;
            for row in &report.invalid {
                eprintln!("{shown}:{}: skipped: {}", row.line, row.reason);
            }
            println!(
                "imported {} new subscribers, {} already on the list, {} rows skipped",
                report.imported,
                report.already_known,
                report.invalid.len()
            );
        }
        SubscribersCommand::Export => {
            manage::export_csv(&pool, std::io::stdout().lock()).await?;
        }
        SubscribersCommand::List { search, status } => {
            let query = SubscriberQuery {
                search,
                status,
                page: None,
            };
            let mut page = 1;
            loop {
                let found = manage::list(
                    &pool,
                    &SubscriberQuery {
                        page: Some(page),
                        ..query.clone()
                    },
                )
                .await?;
                for row in &found.rows {
                    println!(
                        "{}\t{}\t{}\t{}",
                        row.email.as_deref().unwrap_or_default(),
                        row.status,
                        row.name,
                        row.source
                    );
                }
                if page * manage::PER_PAGE >= found.total {
                    break;
                }
                page += 1;
            }
        }
        SubscribersCommand::Erase { email } => {
            let email = SubscriberEmail::parse(&email).map_err(anyhow::Error::msg)?;
            manage::erase_by_email(&pool, &email)
                .await
                .context("no subscriber with that address")?;
            println!("erased");
        }
    }
    Ok(())
}
