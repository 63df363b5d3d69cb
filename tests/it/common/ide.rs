//! Shared by the ide tests: the fixture repository (tests/fixtures/ide/repo, real KEPs copied
//! from ../shared/corpus) as an in-memory `WorkspaceView`, and helpers to apply completions.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use kep_lsp::analysis::{Context, KepEntry, WorkspaceView};
use kep_lsp::knowledge::Knowledge;

pub const TODAY: &str = "2026-11-25";

/// Repo-relative path -> text.
#[derive(Debug, Default, Clone)]
pub struct MapWorkspace {
    pub files: BTreeMap<String, String>,
}

impl MapWorkspace {
    pub fn fixture() -> MapWorkspace {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ide/repo");
        let mut files = BTreeMap::new();
        load(&root, &root, &mut files);
        MapWorkspace { files }
    }

    pub fn text(&self, path: &str) -> &str {
        self.files
            .get(path)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no fixture {path}"))
    }
}

fn load(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            load(root, &p, out);
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, t);
        }
    }
}

impl WorkspaceView for MapWorkspace {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.files.get(path).map(|t| Arc::from(t.as_str()))
    }
    fn exists(&self, path: &str) -> bool {
        let p = path.trim_end_matches('/');
        self.files.contains_key(p) || self.files.keys().any(|k| k.starts_with(&format!("{p}/")))
    }
    fn keps(&self) -> std::sync::Arc<[KepEntry]> {
        self.files
            .iter()
            .filter_map(|(p, t)| kep_lsp::workspace::entry_from_text(p, t))
            .collect()
    }
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
