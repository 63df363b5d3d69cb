//! One file per LSP method, named for the method (ruff/taplo style): find a feature by its
//! protocol name. Document-sync notifications are applied synchronously by the message loop
//! (`sequenced.rs`); the rest are async handlers called from `server.rs`.

pub(crate) mod code_action;
pub(crate) mod code_lens;
pub mod completion;
#[cfg(debug_assertions)]
pub(crate) mod debug_panic;
pub(crate) mod diagnostic;
pub(crate) mod did_change;
pub(crate) mod did_change_configuration;
pub(crate) mod did_change_watched_files;
pub(crate) mod did_close;
pub(crate) mod did_open;
pub(crate) mod did_save;
pub(crate) mod document_highlight;
pub(crate) mod document_link;
pub(crate) mod document_symbol;
pub(crate) mod document_text;
pub(crate) mod execute_command;
pub(crate) mod folding_range;
pub mod formatting;
pub(crate) mod goto_definition;
pub mod hover;
pub(crate) mod initialize;
pub(crate) mod initialized;
pub(crate) mod inlay_hint;
pub(crate) mod prepare_rename;
pub(crate) mod references;
pub(crate) mod rename;
pub(crate) mod workspace_diagnostic;
pub(crate) mod workspace_symbol;
