//! The language server end to end: the real binary over stdio, driven by `common::lsp_client`.

mod commands;
mod features;
mod no_write;
mod profile;
mod readiness;
mod rename;
mod session;
mod workspace;
mod workspace_diagnostics;
