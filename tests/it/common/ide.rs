//! Shared by the ide tests: the fixture repository (tests/fixtures/ide/repo, real KEPs copied
//! from ../shared/corpus) as a `MemWorkspace`, and helpers to apply completions.
#![allow(dead_code)]

use std::path::Path;

use kep_lsp::analysis::{Context, WorkspaceView};

use super::MemWorkspace;
use kep_lsp::knowledge::Knowledge;

pub const TODAY: &str = "2026-11-25";

/// The fixture repository (tests/fixtures/ide/repo) as an in-memory workspace.
pub fn fixture() -> MemWorkspace {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ide/repo");
    MemWorkspace::new().load(&root, "", false)
}

pub fn knowledge() -> Knowledge {
    Knowledge::embedded()
}

pub fn ctx<'a>(k: &'a Knowledge, ws: &'a dyn WorkspaceView) -> Context<'a> {
    Context {
        knowledge: k,
        workspace: ws,
        today: Some(TODAY),
        upcoming_minor: None,
    }
}

/// The cursor marker in test texts (`|` is YAML syntax, so not that).
pub const CURSOR: &str = "‸";

/// Split `text` at the cursor marker: (text without it, offset).
pub fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find(CURSOR).expect("cursor marker");
    (format!("{}{}", &marked[..at], &marked[at + CURSOR.len()..]), at)
}
