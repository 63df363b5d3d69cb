//! One file per LSP method, named for the method (ruff/taplo style): find a feature by its
//! protocol name. Document-sync notifications are applied synchronously by the message loop
//! (`sequenced.rs`); the rest are async handlers called from `server.rs`.

pub mod code_action;
pub mod code_lens;
pub mod completion;
#[cfg(debug_assertions)]
pub mod debug_panic;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_highlight;
pub mod document_link;
pub mod document_symbol;
pub mod document_text;
pub mod execute_command;
pub mod folding_range;
pub mod formatting;
pub mod goto_definition;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod prepare_rename;
pub mod references;
pub mod rename;
pub mod workspace_diagnostic;
pub mod workspace_symbol;
