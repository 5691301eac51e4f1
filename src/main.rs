use std::process::ExitCode;

use clap::Parser;
use shownotes::config::{Cli, Command, ImportCommand};

#[tokio::main]
async fn main() -> ExitCode {
    shownotes::telemetry::init();
    let cli = parse_cli();
    let result = match cli.command {
        Some(Command::Serve(args)) => shownotes::serve(&cli.db, args).await,
        Some(Command::Import(ImportCommand::Episode { file })) => {
            shownotes::cli::import_episode(&cli.db, &file).await
        }
        Some(Command::Digest(command)) => shownotes::digest::cli::run(&cli.db, command).await,
        Some(Command::Subscribers(command)) => {
            shownotes::subscribers::cli::run(&cli.db, command).await
        }
        None => unreachable!("parse_cli always yields a subcommand"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
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
