//! The README rules over every real KEP README (../shared/corpus and ../shared/enhancements,
//! located from CARGO_MANIFEST_DIR; skipped with a note when absent): upstream accepted all of
//! them, so no `error` may come out. Prints the counts by code for the report.
//!
//! The sibling kep.yaml is read through a disk-backed `WorkspaceView`, so the stage-aware rules
//! see each KEP's real status once `metadata::parse_metadata` is the real parser.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kep_lsp::analysis::{Context, DocumentKind, Severity, analyze};
use kep_lsp::knowledge::Knowledge;

use common::disk::Disk;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

#[test]
fn no_errors_on_accepted_readmes() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared not found; skipping the README corpus check");
        return;
    };
    let knowledge = Knowledge::embedded();
    // (root, code, severity) -> count: the report quotes ../shared/enhancements on its own.
    let mut counts: BTreeMap<(&'static str, String, &'static str), usize> = BTreeMap::new();
    // KEP_LSP_SHOW=code prints every finding of that code (to review a rule's findings).
    let show = std::env::var("KEP_LSP_SHOW").ok();
    let mut errors = Vec::new();
    let mut files = 0;
    let mut slowest = (std::time::Duration::ZERO, String::new());
    for root in ["corpus", "enhancements"] {
        let base = shared.join(root);
        let ws = Disk { root: base.clone() };
        let ctx = Context {
            knowledge: &knowledge,
            workspace: &ws,
            today: None,
            upcoming_minor: None,
        };
        for entry in walkdir::WalkDir::new(base.join("keps")).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let rel = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let t0 = std::time::Instant::now();
            let a = analyze(&rel, &text, &ctx);
            let dt = t0.elapsed();
            if dt > slowest.0 {
                slowest = (dt, rel.clone());
            }
            if a.kind != Some(DocumentKind::KepReadme) {
                continue;
            }
            files += 1;
            for f in &a.findings {
                *counts
                    .entry((root, f.code.as_str().to_string(), f.severity.as_str()))
                    .or_default() += 1;
                if show.as_deref() == Some(f.code.as_str()) {
                    let line = text[..f.range.start].lines().count();
                    eprintln!("{root}/{rel}:{line}: {:?} {}", &text[f.range.clone()], f.message);
                }
                if f.severity == Severity::Error {
                    let line = text[..f.range.start].lines().count();
                    errors.push(format!("{root}/{rel}:{line}: {} {}", f.code.as_str(), f.message));
                }
            }
        }
    }
    eprintln!(
        "READMEs analysed: {files}; slowest analysis {:?} ({})",
        slowest.0, slowest.1
    );
    for ((root, code, sev), n) in &counts {
        eprintln!("{n:6} {root:12} {sev:8} {code}");
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    assert!(files > 500, "only {files} READMEs");
    assert!(errors.is_empty(), "{} errors on accepted READMEs", errors.len());
}
