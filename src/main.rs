//! The `kep-lsp` binary: `serve` (default) speaks LSP on stdio; `check` lints files and folders.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use kep_lsp::cli::{CheckArgs, run_check};
use kep_lsp::cli::{
    list::ListArgs, new::NewArgs, promote::PromoteArgs, readiness::ReadinessArgs, rule::RuleArgs,
};

#[derive(Debug, Parser)]
#[command(
    name = "kep-lsp",
    version,
    about = "Language server and checker for Kubernetes Enhancement Proposals"
)]
struct Cli {
    /// Speak LSP on stdio (the only transport; accepted because clients such as
    /// vscode-languageclient add it to the command line).
    #[arg(long, hide = true)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server on stdio (the default when no command is given).
    Serve {
        /// Accepted and ignored: stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Check KEP files and folders and report the findings.
    Check(CheckArgs),
    /// Scaffold a new KEP (README.md from the template and a filled kep.yaml).
    New(NewArgs),
    /// Move a KEP to a new stage (kep.yaml and its PRR file).
    Promote(PromoteArgs),
    /// List the repository's KEPs.
    List(ListArgs),
    /// Every KEP targeting a release against the freeze criteria.
    Readiness(ReadinessArgs),
    /// Print a diagnostic code's documentation (`--all`: list every code).
    Rule(RuleArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = cli.stdio;
    match cli.command {
        None | Some(Command::Serve { .. }) => kep_lsp::lsp::run_stdio(),
        Some(Command::Check(args)) => ExitCode::from(u8::try_from(run_check(&args)).unwrap_or(2)),
        Some(Command::New(args)) => {
            ExitCode::from(u8::try_from(kep_lsp::cli::new::run_new(&args)).unwrap_or(2))
        }
        Some(Command::Promote(args)) => {
            ExitCode::from(u8::try_from(kep_lsp::cli::promote::run_promote(&args)).unwrap_or(2))
        }
        Some(Command::List(args)) => {
            ExitCode::from(u8::try_from(kep_lsp::cli::list::run_list(&args)).unwrap_or(2))
        }
        Some(Command::Readiness(args)) => {
            ExitCode::from(u8::try_from(kep_lsp::cli::readiness::run_readiness(&args)).unwrap_or(2))
        }
        Some(Command::Rule(args)) => {
            ExitCode::from(u8::try_from(kep_lsp::cli::rule::run_rule(&args)).unwrap_or(2))
        }
    }
}
