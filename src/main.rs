use std::process::ExitCode;

use clap::Parser;
use shownotes::config::{CheckCommand, Cli, Command};
use shownotes::settings::keys::SettingError;

fn main() -> ExitCode {
    shownotes::telemetry::init();
    let cli = parse_cli();
    if matches!(cli.command, Some(Command::Serve(_))) {
        // Before the runtime starts its threads, so the allocator's limits hold for all of them.
        shownotes::memory::tune_allocator();
    }
    run(cli)
}

#[tokio::main]
async fn run(cli: Cli) -> ExitCode {
    shownotes::markdown::set_max_bytes(cli.markdown_max_bytes);
    let result = match cli.command {
        Some(Command::Serve(args)) => shownotes::serve(&cli.db, args).await,
        Some(Command::Import(command)) => shownotes::cli::import(&cli.db, command).await,
        Some(Command::Export(command)) => shownotes::cli::export(&cli.db, command).await,
        Some(Command::User(command)) => shownotes::cli::user(&cli.db, command).await,
        Some(Command::Check(CheckCommand::Feed)) => shownotes::feeds::check::run(&cli.db).await,

        Some(Command::Digest(command)) => shownotes::cli::digest(&cli.db, command).await,
        Some(Command::Subscribers(command)) => shownotes::cli::subscribers(&cli.db, command).await,
        Some(Command::Settings(command)) => shownotes::cli::settings(&cli.db, command).await,
        Some(Command::Transcript(command)) => {
            shownotes::transcripts::cli::run(&cli.db, command).await
        }
        Some(Command::Backup { file }) => shownotes::backup::backup(&cli.db, &file).await,
        Some(Command::Restore { file }) => shownotes::backup::restore(&cli.db, &file).await,
        None => unreachable!("parse_cli always yields a subcommand"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            exit_code_of(&error)
        }
    }
}

/// 2 when what was typed was refused (as clap answers a bad argument), 1 for any other failure.
fn exit_code_of(error: &anyhow::Error) -> ExitCode {
    let refused_setting = error
        .downcast_ref::<SettingError>()
        .is_some_and(SettingError::is_refusal);
    let refused_transcript = error
        .downcast_ref::<shownotes::transcripts::manage::TranscriptError>()
        .is_some_and(|e| e.is_refusal());
    if refused_setting || refused_transcript {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// `shownotes` alone means `shownotes serve`, with serve's flags and env still honoured.
fn parse_cli() -> Cli {
    let cli = Cli::parse();
    if cli.command.is_some() {
        return cli;
    }
    Cli::parse_from(std::env::args().chain(["serve".to_string()]))
}
