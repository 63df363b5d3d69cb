//! Shared by the ide tests: the fixture repository (tests/fixtures/ide/repo, real KEPs copied
//! from ../shared/corpus) as an in-memory `WorkspaceView`, and helpers to apply completions.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use kep_lsp::analysis::{Context, KepEntry, WorkspaceView};
use kep_lsp::ide::yaml_lines::{self, LineKind};
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

/// A KepEntry from kep.yaml text, read with the line scanner (the test does not depend on the
/// metadata parser of another module).
pub fn entry(dir: &str, metadata_path: &str, text: &str) -> KepEntry {
    let block = kep_lsp::ide::metadata_block(metadata_path, text).unwrap_or(0..text.len());
    let lines = yaml_lines::lines(text, block);
    let top = yaml_lines::entries(text, &lines, 0, lines.len(), 0);
    let mut e = KepEntry {
        dir: dir.into(),
        metadata_path: metadata_path.into(),
        ..KepEntry::default()
    };
    for en in &top {
        let v = yaml_lines::unquote(&text[en.value.clone()]).to_string();
        match en.key.as_str() {
            "title" => e.title = v,
            "kep-number" => e.number = v,
            "owning-sig" => e.owning_sig = v,
            "status" => e.status = v,
            "stage" => e.stage = v,
            "latest-milestone" => e.latest_milestone = v,
            "authors" | "reviewers" | "approvers" | "editor" => {
                if !v.is_empty() {
                    e.people.push(v.trim_start_matches('@').to_string());
                }
                for &c in &en.children {
                    if let LineKind::Item { value, .. } = &lines[c].kind {
                        let h = yaml_lines::unquote(&text[value.clone()]);
                        e.people.push(h.trim_start_matches('@').to_string());
                    }
                }
            }
            _ => {}
        }
    }
    e
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
    fn keps(&self) -> Vec<KepEntry> {
        self.files
            .iter()
            .filter_map(|(p, t)| {
                if let Some(dir) = p.strip_suffix("/kep.yaml") {
                    (!dir.contains("NNNN-kep-template")).then(|| entry(dir, p, t))
                } else if p.ends_with(".md") && t.starts_with("---") {
                    let dir = p.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                    Some(entry(dir, p, t))
                } else {
                    None
                }
            })
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
    }
}

/// The cursor marker in test texts (`|` is YAML syntax, so not that).
pub const CURSOR: &str = "‸";

/// Split `text` at the cursor marker: (text without it, offset).
pub fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find(CURSOR).expect("cursor marker");
    (format!("{}{}", &marked[..at], &marked[at + CURSOR.len()..]), at)
}
