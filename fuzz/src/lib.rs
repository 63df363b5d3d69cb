//! Shared pieces of the fuzz targets: a small fixed workspace (so workspace-dependent rules run
//! too), the one analysis driver every analysis target calls, and the invariants it checks.

pub mod invariants;
pub mod reference;

use std::sync::{Arc, OnceLock};

use kep_lsp::analysis::{Code, Context, KepEntry, Options, Person, Role, WorkspaceView, analyze_with};
use kep_lsp::knowledge::Knowledge;

/// A repo with one other KEP, so that duplicate numbers, see-also links, owners and sibling
/// files (kep.yaml <-> README.md) are all looked up.
pub struct FuzzWorkspace;

const OTHER_KEP: &str = "title: Other\nkep-number: 1234\nauthors:\n  - \"@alice\"\nowning-sig: sig-node\n\
status: implementable\nstage: beta\nlatest-milestone: \"v1.30\"\n";

impl WorkspaceView for FuzzWorkspace {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        match path {
            "keps/sig-node/1234-other/kep.yaml" => Some(Arc::from(OTHER_KEP)),
            "keps/sig-node/1234-other/README.md" => Some(Arc::from("# KEP-1234: Other\n")),
            _ => None,
        }
    }
    fn exists(&self, path: &str) -> bool {
        path.starts_with("keps/sig-node/1234-other") || path == "keps/sig-node" || path == "keps"
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        Arc::from([KepEntry {
            number: "1234".into(),
            title: "Other".into(),
            owning_sig: "sig-node".into(),
            status: "implementable".into(),
            stage: "beta".into(),
            latest_milestone: "v1.30".into(),
            dir: "keps/sig-node/1234-other".into(),
            metadata_path: "keps/sig-node/1234-other/kep.yaml".into(),
            people: vec![Person {
                handle: "alice".into(),
                role: Role::Author,
            }],
        }])
    }
}

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

/// Analyse `data` (lossily decoded: every input reaches the core) as the file at `path`, with
/// and without a workspace, and panic on any broken invariant (libFuzzer records it).
pub fn fuzz_analysis(path: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for workspace in [
        &FuzzWorkspace as &dyn WorkspaceView,
        &kep_lsp::analysis::NoWorkspace,
    ] {
        let ctx = Context {
            knowledge: knowledge(),
            workspace,
            today: Some("2026-06-01"),
            upcoming_minor: None,
        };
        // Every opt-in check on, so the fuzzer reaches them too.
        let analysis = analyze_with(path, &text, &ctx, &Options::enabling(Code::ALL));
        if let Err(e) = invariants::check_analysis(&text, &analysis) {
            panic!("invariant broken for {path}: {e}");
        }
    }
}
