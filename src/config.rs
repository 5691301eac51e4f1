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

    /// Largest markdown field (intro, notes, bio) rendered or saved, in bytes; larger ones are refused.
    #[arg(
        long,
        global = true,
        env = "SHOWNOTES_MARKDOWN_MAX_BYTES",
        default_value_t = crate::markdown::DEFAULT_MAX_BYTES
    )]
    pub markdown_max_bytes: usize,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every subcommand, each with a one-line purpose shown by `--help`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the website (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Bring content in: markdown show notes, episodes as JSON, a pyvideo talk catalog.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write content out: show notes as markdown, the talk catalog in the pyvideo layout.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage accounts of hosts and admins.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the site as outside services see it.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Email an episode's notes to the friends of the show.
    #[command(subcommand)]
    Digest(DigestCommand),
    /// The friends-of-the-show list: import, export, search, erase.
    #[command(subcommand)]
    Subscribers(SubscribersCommand),
    /// Write a consistent copy of the database to FILE, also while the site runs (never overwrites).
    Backup {
        /// Where the copy goes; must not exist yet.
        file: PathBuf,
    },
    /// Put a backup back in place of the database; refused while a server runs on it.
    Restore {
        /// A backup written by `shownotes backup`.
        file: PathBuf,
    },
}

/// What `user` can do.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (prompted on a terminal), never from arguments.
    Add {
        /// The account's email address.
        #[arg(long)]
        email: String,
        /// What the account may do.
        #[arg(long, value_parser = ["admin", "host"])]
        role: String,
    },
}

/// What `check` can examine.
#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// List what a podcast directory would reject in the feed; fails when there is anything.
    Feed,
}

/// What `import` can read.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import one episode with its segments from a JSON file (the API's episode shape).
    Episode {
        /// Path to the JSON file.
        file: PathBuf,
    },
    /// Import markdown show notes, one episode per file; re-importing the same file updates its episode in place.
    Notes {
        /// The notes files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Status of the imported episodes.
        #[arg(long, default_value = "published", value_parser = ["draft", "published"])]
        status: String,
        /// Show what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Episode number when neither the heading nor the file name gives one, or when they disagree.
        #[arg(long)]
        number: Option<i64>,
        /// Let a file replace an episode imported from another file or written on the site.
        #[arg(long)]
        replace: bool,
    },
    /// Fill guids, dates, audio and durations from the show's existing podcast feed (RSS or Atom), matched by episode number; episodes only the feed has are created.
    Feed {
        /// The feed file (download a feed at a URL first, e.g. with `curl -L -o feed.xml URL`).
        source: String,
    },
    /// Import a talk catalog in the pyvideo data layout (DIR/<event>/category.json, DIR/<event>/videos/*.json).
    Talks {
        /// The catalog folder.
        dir: PathBuf,
    },
}

/// What `export` can write.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write episodes as markdown show notes, one `N.md` per episode (all when no numbers are given).
    Notes {
        /// Output folder.
        #[arg(long, default_value = "notes")]
        out: PathBuf,
        /// Episode numbers.
        numbers: Vec<i64>,
    },
    /// Write the talk catalog in the pyvideo data layout.
    Talks {
        /// Output folder.
        #[arg(long, default_value = "talks")]
        out: PathBuf,
    },
    /// Write the public site as static files (pretty URLs, `.gz` siblings, a manifest).
    Site {
        /// Output folder: new, empty, or an earlier `export site`, which is replaced.
        #[arg(long)]
        out: PathBuf,
        /// Public URL of the site, used in feeds and absolute links.
        #[arg(long, env = "SHOWNOTES_BASE_URL")]
        base_url: Option<String>,
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

    /// Bytes of rendered public pages kept in memory (the oldest go first).
    #[arg(long, env = "SHOWNOTES_CACHE_BYTES", default_value_t = crate::state::DEFAULT_CACHE_BYTES)]
    pub cache_bytes: usize,

    /// Proxies (IPs or CIDR blocks, comma-separated) whose X-Forwarded-For names the client;
    /// none by default.
    #[arg(long, env = "SHOWNOTES_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    #[command(flatten)]
    pub mail: MailArgs,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8000)),
            base_url: None,
            cache_bytes: crate::state::DEFAULT_CACHE_BYTES,
            trusted_proxies: String::new(),
            mail: MailArgs::default(),
        }
    }
}
