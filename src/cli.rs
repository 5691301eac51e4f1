//! What the command line does besides serving.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::admin::store::record_import;
use crate::config::{
    DigestCommand, ExportCommand, ImportCommand, MailArgs, SettingsCommand, SubscribersCommand,
    UserCommand,
};
use crate::db;
use crate::digest::manage::{self, Progress};
use crate::digest::{Until, Worker};
use crate::episodes::model::{EpisodeDoc, Status};
use crate::episodes::notes_import::{
    Change, ImportError, ImportOptions, Imported, import_notes_files,
};
use crate::episodes::{self, feed_fetch, feed_import, notes_export};
use crate::state::AppState;
use crate::subscribers::manage::SubscriberQuery;
use crate::subscribers::{self, SubscriberEmail};
use crate::talks::transfer;

/// Runs an `import …` subcommand.
pub async fn import(db_path: &Path, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Episode { file } => import_episode(db_path, &file).await,
        ImportCommand::Notes {
            files,
            status,
            dry_run,
            number,
            replace,
        } => {
            let status = if status == "draft" {
                Status::Draft
            } else {
                Status::Published
            };
            import_notes(
                db_path,
                &files,
                ImportOptions {
                    status,
                    dry_run,
                    number,
                    replace,
                },
            )
            .await
        }
        ImportCommand::Talks { dir } => import_talks(db_path, &dir).await,
        ImportCommand::Feed { source } => import_feed(db_path, &source).await,
    }
}

/// Runs an `export …` subcommand.
pub async fn export(db_path: &Path, command: ExportCommand) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    match command {
        ExportCommand::Notes { out, numbers } => {
            let written = notes_export::export_notes(&pool, &out, &numbers).await?;
            println!("wrote {written} notes files to {}", out.display());
        }
        ExportCommand::Talks { out } => {
            let (events, talks) = transfer::export_dir(&pool, &out).await?;
            println!("wrote {events} events, {talks} talks to {}", out.display());
        }
        ExportCommand::Site {
            out,
            base_url,
            changed_since,
            best_compression,
        } => {
            use crate::export_site::{Effort, Rewrite, export_site};
            let rewrite = match changed_since {
                true => Rewrite::Changed,
                false => Rewrite::All,
            };
            let effort = match best_compression {
                true => Effort::Best,
                false => Effort::Export,
            };
            let done = export_site(&pool, &out, base_url, rewrite, effort).await?;
            if done.addresses == 0 {
                println!(
                    "nothing changed since the export in {}: its {} files are current",
                    out.display(),
                    done.unchanged
                );
                return Ok(());
            }
            println!(
                "wrote {} addresses ({} files, {} bytes) to {}; {} files unchanged, {} removed",
                done.addresses,
                done.files,
                done.bytes,
                out.display(),
                done.unchanged,
                done.removed
            );
        }
    }
    Ok(())
}

/// `shownotes user add --email E --role R`, password from stdin or a prompt.
pub async fn user(db_path: &Path, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add { email, role } = command;
    let password = read_password()?;
    let pool = db::open(db_path).await?;
    crate::accounts::setup::add_user(&pool, &email, &role, &password).await?;
    println!("added {role} {}", email.trim().to_lowercase());
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password: ").context("cannot read the password");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `shownotes import episode FILE.json`: one episode in the API's shape.
pub async fn import_episode(db_path: &Path, file: &Path) -> anyhow::Result<()> {
    let shown = file.display();
    let text = std::fs::read_to_string(file).with_context(|| format!("{shown}: cannot read"))?;
    let doc: EpisodeDoc = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{shown}:{}:{}: {e}", e.line(), e.column()))?;
    let number = doc.number;
    let pool = db::open(db_path).await?;
    let mut tx = db::begin_write(&pool).await?;
    let (id, _) = episodes::save_episode_in(&mut tx, doc)
        .await
        .with_context(|| format!("{shown}: episode {number} not saved"))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let detail = format!("#{number} from episode file {name}");
    record_import(&mut tx, "episode", id, &detail).await?;
    tx.commit().await?;
    println!("imported episode {number} from {shown}");
    Ok(())
}

/// `shownotes import notes FILE…`: each file on its own, a line each as it goes, then a
/// summary: counts first, then what was refused and what was read despite looking unintended.
async fn import_notes(
    db_path: &Path,
    files: &[PathBuf],
    options: ImportOptions,
) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    let mut summary = ImportSummary::default();
    import_notes_files(&pool, files, options, |file, outcome| {
        if let Ok(imported) = &outcome {
            println!(
                "{}: {}",
                file.display(),
                describe(imported, options.dry_run)
            );
        }
        summary.add(file, outcome);
    })
    .await?;
    summary.print(options.dry_run);
    match summary.refused.len() {
        0 => Ok(()),
        refused => anyhow::bail!(
            "{refused} of {} files not imported; nothing of those files was written",
            files.len()
        ),
    }
}

/// Counts and details of one `import notes` run.
#[derive(Default)]
struct ImportSummary {
    created: usize,
    updated: usize,
    unchanged: usize,
    refused: Vec<String>,
    warnings: Vec<String>,
}

impl ImportSummary {
    fn add(&mut self, file: &Path, outcome: Result<Imported, ImportError>) {
        match outcome {
            Ok(imported) => {
                self.count(imported.change);
                let file = file.display();
                let warnings = imported.warnings.iter().map(|w| format!("{file}:{w}"));
                self.warnings.extend(warnings);
            }
            Err(error) => self.refused.push(error.to_string()),
        }
    }

    fn count(&mut self, change: Change) {
        match change {
            Change::Created => self.created += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }

    fn print(&self, dry_run: bool) {
        let would = if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        println!("\nsummary{would}");
        println!("  created:   {}", self.created);
        println!("  updated:   {}", self.updated);
        println!("  unchanged: {}", self.unchanged);
        println!("  refused:   {}", self.refused.len());
        println!("  warnings:  {}", self.warnings.len());
        for refused in &self.refused {
            eprintln!("refused: {refused}");
        }
        for warning in &self.warnings {
            println!("warning: {warning}");
        }
    }
}

fn describe(imported: &Imported, dry_run: bool) -> String {
    let verb = match (dry_run, imported.change) {
        (_, Change::Unchanged) => "unchanged",
        (true, Change::Created) => "would create",
        (true, Change::Updated) => "would update",
        (false, Change::Created) => "created",
        (false, Change::Updated) => "updated",
    };
    format!(
        "{verb} episode {} \"{}\": {} segments ({} topics), {} links, {} talks",
        imported.number,
        imported.title,
        imported.segments,
        imported.topics,
        imported.links,
        imported.talks
    )
}

/// `shownotes import talks DIR`.
async fn import_talks(db_path: &Path, dir: &Path) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    let report = transfer::import_dir(&pool, dir).await?;
    for (path, reason) in &report.rejected {
        eprintln!("{}: skipped: {reason}", path.display());
    }
    println!(
        "imported {} talks in {} events; {} skipped",
        report.talks,
        report.events,
        report.rejected.len()
    );
    Ok(())
}

/// `shownotes import feed FILE`: a line per item, then the summary `import notes` prints.
/// Fails when any item was refused (the others are imported).
async fn import_feed(db_path: &Path, source: &str) -> anyhow::Result<()> {
    let text = read_feed(source).await?;
    let pool = db::open(db_path).await?;
    let outcomes = feed_import::import_feed(&pool, source, &text).await?;
    let mut summary = ImportSummary::default();
    for outcome in &outcomes {
        match outcome {
            Ok(item) => {
                let verb = match item.change {
                    Change::Created => "created",
                    Change::Updated => "updated",
                    Change::Unchanged => "unchanged",
                };
                println!(
                    "{source}: {verb} episode {} \"{}\"",
                    item.number, item.title
                );
                summary.count(item.change);
                let warnings = item.warnings.iter().map(|w| format!("{source}: {w}"));
                summary.warnings.extend(warnings);
            }
            Err(refused) => summary.refused.push(format!("{source}: {refused}")),
        }
    }
    summary.print(false);
    match summary.refused.len() {
        0 => Ok(()),
        refused => anyhow::bail!(
            "{refused} of {} items not imported; the others were",
            outcomes.len()
        ),
    }
}

/// The feed's text from a file or a URL, in the charset it declares.
async fn read_feed(source: &str) -> anyhow::Result<String> {
    let (bytes, charset) = if feed_fetch::is_url(source) {
        let fetched = feed_fetch::fetch(source).await?;
        (fetched.bytes, fetched.charset)
    } else {
        let bytes = std::fs::read(source).with_context(|| format!("{source}: cannot read"))?;
        (bytes, None)
    };
    crate::podcast_feed::feed_text(&bytes, charset.as_deref())
        .map_err(|problem| anyhow::anyhow!("{source}: {problem}"))
}

/// The app's state for a command, sending with `mail`.
async fn state_for(db_path: &Path, mail: &MailArgs) -> anyhow::Result<AppState> {
    let pool = db::open(db_path).await?;
    let mailer = crate::mail::mailer(&mail.mail_config())?;
    Ok(AppState::load(pool, None).await?.with_mailer(mailer))
}

/// Runs one `digest` subcommand: what the admin buttons do, from a terminal.
pub async fn digest(db_path: &Path, command: DigestCommand) -> anyhow::Result<()> {
    let mail = match &command {
        DigestCommand::Test { mail, .. } | DigestCommand::Send { mail, .. } => mail.clone(),
        _ => MailArgs::default(),
    };
    let state = state_for(db_path, &mail).await?;
    let (db, settings) = (&state.db, state.settings());
    match command {
        DigestCommand::Create { number } => {
            let digest = manage::create_digest(db, &settings, number).await?;
            let (subject, status) = (digest.subject, digest.status);
            println!("digest of episode {number}: {subject} ({status})");
        }
        DigestCommand::Preview { number } => {
            print!("{}", manage::preview(db, &settings, number).await?);
        }
        DigestCommand::Test {
            number, address, ..
        } => {
            let to = SubscriberEmail::parse(&address).map_err(anyhow::Error::msg)?;
            manage::send_test(db, &settings, state.mailer.as_ref(), number, &to).await?;
            println!("test of episode {number}'s digest sent");
        }
        DigestCommand::Send { number, .. } => send_digest(&state, number, &mail).await?,
        DigestCommand::Pause { number } => manage::pause(db, number).await?,
        DigestCommand::Resume { number } => manage::resume(db, number).await?,
        DigestCommand::Cancel { number } => manage::cancel(db, number).await?,
        DigestCommand::Progress { number } => {
            println!("{}", totals(&manage::progress(db, number).await?));
        }
    }
    Ok(())
}

/// `digest send N`: queue, deliver with a progress bar until done (or Ctrl-C), print totals.
async fn send_digest(state: &AppState, number: i64, mail: &MailArgs) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressStyle};
    let db = &state.db;
    let queued = manage::send_to_all(db, &state.settings(), number).await?;
    let digest = manage::digest_of(db, number).await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = Worker::new(state.clone(), mail.delivery_config());
    let mut running = tokio::spawn(worker.run(Until::DigestDone(digest.id), stop_rx));
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    tracing::info!(number, queued, "digest queued");
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(250));
    let mut stopping = false;
    loop {
        tokio::select! {
            finished = &mut running => { finished??; break; }
            () = crate::shutdown_signal(), if !stopping => { stopping = true; let _ = stop_tx.send(true); }
            _ = ticker.tick() => {
                let progress = manage::progress(db, number).await?;
                bar.set_length(progress.total.try_into().unwrap_or(0));
                bar.set_position(progress.done().try_into().unwrap_or(0));
                bar.set_message(format!("failed {}", progress.failed));
            }
        }
    }
    bar.finish_and_clear();
    println!("{}", totals(&manage::progress(db, number).await?));
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

/// Runs one `subscribers` subcommand: the list from a terminal.
pub async fn subscribers(db_path: &Path, command: SubscribersCommand) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    match command {
        SubscribersCommand::Import { file } => import_subscribers(&pool, &file).await?,
        SubscribersCommand::Export => {
            subscribers::manage::export_csv(&pool, std::io::stdout().lock()).await?;
        }
        SubscribersCommand::List { search, status } => {
            let query = SubscriberQuery {
                search,
                status,
                page: None,
            };
            subscribers::manage::each_match(&pool, query, |row| {
                let email = row.email.as_deref().unwrap_or_default();
                println!("{email}\t{}\t{}\t{}", row.status, row.name, row.source);
            })
            .await?;
        }
        SubscribersCommand::Erase { email } => {
            let email = SubscriberEmail::parse(&email).map_err(anyhow::Error::msg)?;
            subscribers::manage::erase_by_email(&pool, &email)
                .await
                .context("no subscriber with that address")?;
            println!("erased");
        }
    }
    Ok(())
}

/// `shownotes settings show` and `shownotes settings set KEY VALUE`.
pub async fn settings(db_path: &Path, command: SettingsCommand) -> anyhow::Result<()> {
    let pool = db::open(db_path).await?;
    match command {
        SettingsCommand::Show => {
            for (key, value) in crate::settings::keys::show(&pool).await? {
                // One line per setting: a multi-line blurb shows its line breaks as \n.
                let value = value.replace("\r\n", "\n").replace('\n', "\\n");
                println!("{key} = {value}");
            }
        }
        SettingsCommand::Set { key, value } => {
            crate::settings::keys::set(&pool, &key, &value).await?;
            println!("{key} saved; a running server shows it after its next start");
        }
    }
    Ok(())
}

/// `subscribers import FILE`: confirmed subscribers from a CSV file, skipped rows reported.
async fn import_subscribers(pool: &sqlx::SqlitePool, file: &Path) -> anyhow::Result<()> {
    let shown = file.display();
    let input = std::fs::File::open(file).with_context(|| format!("{shown}: cannot read"))?;
    let source = format!(
        "import:{}",
        file.file_name().unwrap_or_default().to_string_lossy()
    );
    let report = subscribers::manage::import_csv(pool, input, &source)
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
    Ok(())
}
