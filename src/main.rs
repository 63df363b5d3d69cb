//! The `kep-lsp` binary: `serve` (default) speaks LSP on stdio; `check` lints files and folders.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use kep_lsp::cli::{CheckArgs, run_check};

#[derive(Debug, Parser)]
#[command(
    name = "kep-lsp",
    version,
    about = "Language server and checker for Kubernetes Enhancement Proposals"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server on stdio (the default when no command is given).
    Serve,
    /// Check KEP files and folders and report the findings.
    Check(CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Serve) => kep_lsp::lsp::run_stdio(),
        Some(Command::Check(args)) => ExitCode::from(u8::try_from(run_check(&args)).unwrap_or(2)),
    }
}
