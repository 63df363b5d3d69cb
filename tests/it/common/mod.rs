//! Test helpers shared by the metadata/PRR/layout tests: an in-memory `WorkspaceView` over a
//! folder of files, and loaders for the shared corpus.
#![allow(dead_code)]

pub mod check_cli;
pub mod disk;
pub mod fix_safety;
pub mod hostile;
pub mod ide;
pub mod lsp_client;
pub mod temp_repo;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use kep_lsp::analysis::{Analysis, Context, KepEntry, WorkspaceView, analyze};
use kep_lsp::knowledge::Knowledge;

/// Repo-relative path -> text.
#[derive(Default, Clone)]
pub struct MemWorkspace {
    pub files: BTreeMap<String, Arc<str>>,
    /// `keps()` computed once (the files do not change after loading).
    index: OnceLock<Arc<[KepEntry]>>,
}

impl MemWorkspace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.insert(path, text);
        self
    }

    /// Load every .yaml/.md/OWNERS* file under `dir`, keyed as `prefix` + the relative path
    /// with `/` separators (and `__` turned into `/` when `unflatten`).
    pub fn load(mut self, dir: &Path, prefix: &str, unflatten: bool) -> Self {
        for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let name = e.file_name().to_string_lossy().to_string();
            if !(name.ends_with(".yaml") || name.ends_with(".md") || name.starts_with("OWNERS")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            let rel = if unflatten { rel.replace("__", "/") } else { rel };
            self.files
                .insert(format!("{prefix}{rel}"), Arc::from(text.as_str()));
        }
        self
    }

    /// Add or replace a file after loading (the KEP list is built again on next use).
    pub fn insert(&mut self, path: &str, text: &str) {
        self.files.insert(path.to_string(), Arc::from(text));
        self.index = OnceLock::new();
    }

    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    pub fn text(&self, path: &str) -> &str {
        &self.files[path]
    }
}

impl WorkspaceView for MemWorkspace {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.files.get(path.trim_start_matches('/')).cloned()
    }
    fn exists(&self, path: &str) -> bool {
        let p = path.trim_start_matches('/').trim_end_matches('/');
        let dir = format!("{p}/");
        self.files.contains_key(p)
            || self
                .files
                .range(dir.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&dir))
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        self.index.get_or_init(|| self.build_index().into()).clone()
    }
}

impl MemWorkspace {
    /// The same entries the real index builds (`workspace::entry_from_text`), so tests see
    /// what `check` and the server see.
    fn build_index(&self) -> Vec<KepEntry> {
        self.files
            .iter()
            .filter_map(|(path, text)| kep_lsp::workspace::entry_from_text(path, text))
            .collect()
    }
}

/// `CARGO_MANIFEST_DIR/../shared`, or `None` (with a printed note) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} is absent: skipping the shared-corpus test", p.display());
        None
    }
}

/// Fixture path under tests/fixtures/meta.
pub fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/meta")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub const TODAY: &str = "2026-08-01";

/// Analyse `text` at `path` with the embedded knowledge and `ws`.
pub fn run(path: &str, text: &str, ws: &dyn WorkspaceView) -> Analysis {
    // As the index builds it: the workspace's OWNERS_ALIASES over the embedded one.
    let k = match ws.file_text("OWNERS_ALIASES") {
        Some(aliases) => Knowledge::embedded().with_owners_aliases(&aliases),
        None => Knowledge::embedded(),
    };
    let ctx = Context {
        knowledge: &k,
        workspace: ws,
        today: Some(TODAY),
        upcoming_minor: None,
    };
    analyze(path, text, &ctx)
}

/// Findings as `code severity 'text under range'` lines, for compact exact assertions.
pub fn render(text: &str, a: &Analysis) -> Vec<String> {
    a.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} '{}'",
                f.code.as_str(),
                f.severity.as_str(),
                &text[f.range.clone()]
            )
        })
        .collect()
}

/// Analyse in single-file mode (no workspace).
pub fn run_alone(path: &str, text: &str) -> Analysis {
    run(path, text, &kep_lsp::analysis::NoWorkspace)
}

/// The only finding with `code` (panics with the full list otherwise).
pub fn only<'a>(a: &'a Analysis, code: &str) -> &'a kep_lsp::analysis::Finding {
    let hits: Vec<_> = a.findings.iter().filter(|f| f.code.as_str() == code).collect();
    assert_eq!(hits.len(), 1, "expected one {code}, got {:#?}", a.findings);
    hits[0]
}

/// `line:col` (1-based line, 0-based byte column) of a byte offset, for range assertions.
pub fn line_col(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let col = pos - before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    format!("{line}:{col}")
}

/// Apply the finding's first fix.
pub fn fixed(text: &str, f: &kep_lsp::analysis::Finding) -> String {
    let fix = f.fixes.first().unwrap_or_else(|| panic!("no fix on {f:#?}"));
    kep_lsp::analysis::apply_edits(text, &fix.edits)
}

/// A small valid kep.yaml to derive cases from.
pub const MINIMAL: &str = "title: Sidecar containers\nkep-number: 753\nauthors:\n  - \"@alice\"\nowning-sig: sig-node\nstatus: provisional\napprovers:\n  - \"@bob\"\n";
pub const MINIMAL_PATH: &str = "keps/sig-node/753-sidecar-containers/kep.yaml";
