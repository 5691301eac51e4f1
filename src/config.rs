//! Command line and environment: flag > `SHOWNOTES_*` env > default, all in one place.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

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
    /// Show or change the show's settings (as the admin's settings page does), for scripted setups.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Attach a transcript (WebVTT or SRT) to an episode, or remove it.
    #[command(subcommand)]
    Transcript(TranscriptCommand),
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

/// What `settings` can do.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print every setting as `name = value` (passwords in URLs masked).
    Show,
    /// Change one setting, checked as the admin's settings form checks it; exit code 2 when refused.
    Set {
        /// The setting's name, as `settings show` prints it.
        key: String,
        /// Its new value.
        value: String,
    },
}

/// What `transcript` can do.
#[derive(Debug, Subcommand)]
pub enum TranscriptCommand {
    /// Read FILE (.vtt or .srt) and make it the transcript of episode EPISODE (a number),
    /// replacing any before; a file that does not read is refused with its line, exit code 2.
    Add {
        /// The episode's number.
        episode: i64,
        /// The WebVTT or SRT file.
        file: PathBuf,
    },
    /// Remove the transcript of episode EPISODE (a number).
    Remove {
        /// The episode's number.
        episode: i64,
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
        /// The feed: a file, or its http(s) URL (downloaded, redirects followed).
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
        #[arg(long, env = "SHOWNOTES_BASE_URL", value_parser = base_url_arg)]
        base_url: Option<String>,
        /// Update the earlier export in OUT in place: write only the files whose bytes
        /// changed since it (by its manifest), remove those the site no longer has.
        #[arg(long)]
        changed_since: bool,
        /// Compress the `.br` siblings with brotli's best quality: about 13% fewer bytes,
        /// about twenty times the compression time.
        #[arg(long)]
        best_compression: bool,
    },
}

/// Options of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SHOWNOTES_ADDR", default_value = "127.0.0.1:8000")]
    pub addr: SocketAddr,

    /// Public URL of the site, used in feeds, emails and absolute links.
    #[arg(long, env = "SHOWNOTES_BASE_URL", value_parser = base_url_arg)]
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

/// What `digest` can do; N is the episode number.
#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Create (or refresh, while still a draft) the digest of a published episode.
    Create { number: i64 },
    /// Print the digest's HTML mail.
    Preview { number: i64 },
    /// Send the digest to one address now.
    Test {
        number: i64,
        /// Where to send the test.
        address: String,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Send the digest to every confirmed subscriber, with a progress bar; resumes after a crash.
    Send {
        number: i64,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Stop handing out the digest's mails.
    Pause { number: i64 },
    /// Continue a paused digest (a running `serve` or `digest send` delivers it).
    Resume { number: i64 },
    /// Stop the digest for good; unsent mails are skipped.
    Cancel { number: i64 },
    /// Show sent / failed / queued counts.
    Progress { number: i64 },
}

/// Where mail goes and how the digest is paced.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// SMTP server, e.g. smtp://host:25, smtp://host:587?tls=required, smtps://user:pass@host.
    /// Without it, mails are written to the outbox folder.
    #[arg(long, env = "SHOWNOTES_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Folder for .eml files when no SMTP server is set.
    #[arg(long, env = "SHOWNOTES_OUTBOX", default_value = "./outbox")]
    pub outbox: PathBuf,

    /// Digest mails in flight at once (at most 8: each holds a database connection).
    #[arg(long, env = "SHOWNOTES_DIGEST_CONCURRENCY", default_value_t = 4)]
    pub concurrency: usize,

    /// Digest mails per second at most (0: no limit).
    #[arg(long, env = "SHOWNOTES_DIGEST_RATE", default_value_t = 50)]
    pub rate: u32,

    /// Attempts before a temporary SMTP failure (4xx) is final.
    #[arg(long, env = "SHOWNOTES_DIGEST_MAX_ATTEMPTS", default_value_t = 5)]
    pub max_attempts: i64,

    /// Seconds before the first retry; doubled for each further one.
    #[arg(long, env = "SHOWNOTES_DIGEST_RETRY_SECS", default_value_t = 60.0)]
    pub retry_secs: f64,

    /// Seconds after which a mail claimed by a stopped worker is sent again (same Message-ID).
    #[arg(long, env = "SHOWNOTES_DIGEST_LEASE_SECS", default_value_t = 120.0)]
    pub lease_secs: f64,
}

impl Default for MailArgs {
    fn default() -> Self {
        Self {
            smtp_url: None,
            outbox: PathBuf::from("./outbox"),
            concurrency: 4,
            rate: 50,
            max_attempts: 5,
            retry_secs: 60.0,
            lease_secs: 120.0,
        }
    }
}

impl MailArgs {
    /// The mailer's part.
    pub fn mail_config(&self) -> crate::mail::MailConfig {
        crate::mail::MailConfig {
            smtp_url: self.smtp_url.clone(),
            outbox: self.outbox.clone(),
            connections: u32::try_from(self.concurrency).unwrap_or(u32::MAX),
        }
    }

    /// The worker's part.
    pub fn delivery_config(&self) -> crate::digest::DeliveryConfig {
        let seconds =
            |s: f64| Duration::from_secs_f64(if s.is_finite() { s.max(0.0) } else { 0.0 });
        crate::digest::DeliveryConfig {
            concurrency: self.concurrency.max(1),
            rate: std::num::NonZeroU32::new(self.rate),
            max_attempts: self.max_attempts.max(1),
            retry_base: seconds(self.retry_secs),
            lease: seconds(self.lease_secs),
            ..crate::digest::DeliveryConfig::default()
        }
    }
}

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

/// `--base-url`, checked as the admin's settings form checks it.
fn base_url_arg(url: &str) -> Result<String, String> {
    crate::settings::base_url_of(url).map_err(str::to_string)
}
