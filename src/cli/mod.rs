//! The command line: `kep-lsp check`, and the argument parsing of the binary.
//!
//! `check` gathers KEP files from the paths given, builds a `WorkspaceIndex` per repository, runs
//! `analysis::analyze` on each file and prints the findings in one of the formats of `report`.

// First: its `out!`/`outln!` macros are in scope for the modules declared after it.
#[macro_use]
pub(crate) mod stdout;

pub mod check;
pub(crate) mod files;
pub(crate) mod lines;
pub mod list;
pub(crate) mod list_filter;
pub mod new;
mod plain;
pub mod promote;
pub mod readiness;
pub(crate) mod repo;
pub(crate) mod report;
pub mod rule;

pub use check::{CheckArgs, run_check};
