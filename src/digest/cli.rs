//! `shownotes digest …`: what the admin buttons do, from a terminal.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;

use super::manage::{self, Progress};
use super::worker::{DeliveryConfig, Until, Worker};
use crate::state::AppState;
use crate::subscribers::SubscriberEmail;

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
    pub fn delivery_config(&self) -> DeliveryConfig {
        let seconds =
            |s: f64| Duration::from_secs_f64(if s.is_finite() { s.max(0.0) } else { 0.0 });
        DeliveryConfig {
            concurrency: self.concurrency.max(1),
            rate: std::num::NonZeroU32::new(self.rate),
            max_attempts: self.max_attempts.max(1),
            retry_base: seconds(self.retry_secs),
            lease: seconds(self.lease_secs),
            ..DeliveryConfig::default()
        }
    }
}

/// The app's state for a command, sending with `mail`.
pub async fn state_for(db_path: &Path, mail: &MailArgs) -> anyhow::Result<AppState> {
    let pool = crate::db::open(db_path).await?;
    let mailer = crate::mail::mailer(&mail.mail_config())?;
    Ok(AppState::load(pool, None).await?.with_mailer(mailer))
}

/// Runs one `digest` subcommand.
pub async fn run(db_path: &Path, command: DigestCommand) -> anyhow::Result<()> {
    let plain = MailArgs::default();
    match command {
        DigestCommand::Create { number } => {
            let digest = manage::create_digest(&state_for(db_path, &plain).await?, number).await?;
            println!(
                "digest of episode {number}: {} ({})",
                digest.subject, digest.status
            );
        }
        DigestCommand::Preview { number } => {
            print!(
                "{}",
                manage::preview(&state_for(db_path, &plain).await?, number).await?
            );
        }
        DigestCommand::Test {
            number,
            address,
            mail,
        } => {
            let to = SubscriberEmail::parse(&address).map_err(anyhow::Error::msg)?;
            manage::send_test(&state_for(db_path, &mail).await?, number, &to).await?;
            println!("test of episode {number}'s digest sent");
        }
        DigestCommand::Send { number, mail } => send(db_path, number, &mail).await?,
        DigestCommand::Pause { number } => {
            manage::pause(&state_for(db_path, &plain).await?, number).await?
        }
        DigestCommand::Resume { number } => {
            manage::resume(&state_for(db_path, &plain).await?, number).await?
        }
        DigestCommand::Cancel { number } => {
            manage::cancel(&state_for(db_path, &plain).await?, number).await?
        }
        DigestCommand::Progress { number } => {
            println!(
                "{}",
                totals(&manage::progress(&state_for(db_path, &plain).await?, number).await?)
            );
        }
    }
    Ok(())
}

/// `digest send N`: queue, deliver with a progress bar until done (or Ctrl-C), print totals.
async fn send(db_path: &Path, number: i64, mail: &MailArgs) -> anyhow::Result<()> {
    let state = state_for(db_path, mail).await?;
    let queued = manage::send_to_all(&state, number).await?;
    let digest = manage::digest_of(&state, number).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = Worker::new(state.clone(), mail.delivery_config());
    let mut running = tokio::spawn(worker.run(Until::DigestDone(digest.id), stop_rx));
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    tracing::info!(number, queued, "digest queued");
    let mut ticker = tokio::time::interval(Duration::from_millis(250));
    let mut stopping = false;
    loop {
        tokio::select! {
            finished = &mut running => { finished??; break; }
            () = crate::shutdown_signal(), if !stopping => { stopping = true; let _ = stop_tx.send(true); }
            _ = ticker.tick() => {
                let progress = manage::progress(&state, number).await?;
                bar.set_length(progress.total.try_into().unwrap_or(0));
                bar.set_position(progress.done().try_into().unwrap_or(0));
                bar.set_message(format!("failed {}", progress.failed));
            }
        }
    }
    bar.finish_and_clear();
    println!("{}", totals(&manage::progress(&state, number).await?));
    Ok(())
}

fn totals(p: &Progress) -> String {
    format!(
        "digest {}: sent {}, failed {}, skipped {}, queued {} (of {})",
        p.status,
        p.sent,
        p.failed,
        p.skipped,
        p.queued + p.sending,
        p.total
    )
}
