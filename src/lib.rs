//! kep-lsp: a language server and checker for Kubernetes Enhancement Proposals.
//!
//! Floors, each importing only the ones below it (tests/it/layering.rs checks it): `syntax` reads
//! raw text (YAML spans, Markdown outline, mdtoc); `knowledge` holds what is true of the KEP
//! world (field schema, SIGs, template); `model` reads a KEP's values once; `analysis` is the
//! pure core (text in, findings out, byte ranges), `ide` the editor features and `workspace`
//! the index of a repository's KEPs; `lsp` and `cli` are the two edges that call them, sharing
//! one `clock`.

pub mod analysis;
pub mod cli;
pub mod clock;
pub mod ide;
pub mod knowledge;
pub mod lsp;
pub mod model;
pub mod syntax;
#[cfg(test)]
mod test_corpus;
pub mod workspace;
