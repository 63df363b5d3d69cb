//! The integration tests, in one binary (each binary links the whole crate; one binary links it
//! once). A module per area; within an area, a module per topic. Shared helpers live in
//! `common` (an in-memory workspace, the LSP test client, temp repositories, ...).
//!
//! Run one area or test: `cargo test --test it lsp::` or `cargo nextest run -E 'test(/^lsp::/)'`.
//! A new test module goes in its area's folder (`tests/it/AREA/NAME.rs`) and is registered with
//! `mod NAME;` in `tests/it/AREA/mod.rs`; a new area is a folder with a `mod.rs`, registered here.

mod common;

mod cli;
mod corpus;
mod docs;
mod golden;
mod ide;
mod layering;
mod layout;
mod lsp;
mod metadata;
mod readme;
mod robustness;
mod syntax;
mod toc;
mod workspace;
