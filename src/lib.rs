//! kep-lsp: a language server and checker for Kubernetes Enhancement Proposals.
//!
//! `analysis` is the pure core (text in, findings out, byte ranges); `knowledge` holds what is true
//! of the KEP world (field schema, SIGs, template); `workspace` indexes a repository's KEPs; `lsp`
//! and `cli` are the two edges that call the core.

pub mod analysis;
pub mod cli;
pub mod ide;
pub mod knowledge;
pub mod lsp;
pub mod syntax;
pub mod workspace;
