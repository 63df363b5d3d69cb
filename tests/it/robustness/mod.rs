//! No panic, hang or crash: hostile inputs, protocol abuse, file-system faults, property tests.

mod corrupted_copies;
mod file_system;
mod fix_regressions;
mod hostile_readmes;
mod ide;
mod inputs;
mod lsp_protocol;
mod lsp_requests;
mod metadata_fuzz;
mod prop_edits;
mod prop_findings;
mod prop_positions;
mod prop_readme_edits;

/// The naive reference model of LSP positions (fuzz/src/reference.rs, shared with the `position`
/// fuzz target), used by `prop_edits` and `prop_positions`.
#[allow(dead_code)] // each test uses part of the model
#[path = "../../../fuzz/src/reference.rs"]
mod reference;
