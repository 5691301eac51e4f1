//! Command line and environment: flag > `SHOWNOTES_*` env > default, all in one place.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::digest::cli::{DigestCommand, MailArgs};
pub use crate::subscribers::cli::SubscribersCommand;

/// `shownotes`: one binary that runs a podcast's website from one SQLite file.
#[derive(Debug, Parser)]
#[command(name = "shownotes", version, about)]
pub struct Cli {
    /// The SQLite database file (created and migrated when missing).
    #[arg(
        long,
        global = true,
        env = "SHOWNOTES_DB",
        default_value = "./shownotes.db"
    )]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every subcommand, each with a one-line purpose shown by `--help`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the website (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Bring content in: episodes as JSON.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Email an episode's notes to the friends of the show.
    #[command(subcommand)]
    Digest(DigestCommand),
    /// The friends-of-the-show list: import, export, search, erase.
    #[command(subcommand)]
    Subscribers(SubscribersCommand),
}

/// What `import` can read.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import one episode with its segments from a JSON file (the API's episode shape).
    Episode {
        /// Path to the JSON file.
        file: PathBuf,
    },
}

/// Options of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SHOWNOTES_ADDR", default_value = "127.0.0.1:8000")]
    pub addr: SocketAddr,

    /// Public URL of the site, used in feeds, emails and absolute links.
    #[arg(long, env = "SHOWNOTES_BASE_URL")]
    pub base_url: Option<String>,

    #[command(flatten)]
    pub mail: MailArgs,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8000)),
            base_url: None,
            mail: MailArgs::default(),
        }
    }
}
