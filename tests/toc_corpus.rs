//! The generated TOC against every committed one in the real tree: upstream CI (mdtoc --dryrun)
//! accepted all of them, so each must come out `Current`.
//!
//! Reads ../shared (located from CARGO_MANIFEST_DIR); skips with a note when it is absent.

use std::path::{Path, PathBuf};

use kep_lsp::analysis::toc::{self, TocCheck};
use kep_lsp::syntax::mdtoc::MdtocDialect;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

/// hack/.notableofcontents of kubernetes/enhancements.
const NO_TOC: &[&str] = &[
    "keps/README.md",
    "keps/sig-apps/README.md",
    "keps/sig-autoscaling/README.md",
    "keps/provider-aws/README.md",
    "keps/sig-cli/kep-faq.md",
    "keps/sig-cluster-lifecycle/clusterapi/README.md",
    "keps/sig-cluster-lifecycle/kubeadm/0023-documentation-for-images.md",
    "keps/sig-cluster-lifecycle/kubeadm/README.md",
    "keps/sig-network/README.md",
];

#[test]
fn every_committed_toc_is_what_mdtoc_generates() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared not found; skipping the whole-tree TOC check");
        return;
    };
    let mut checked = 0;
    let mut without_markers = Vec::new();
    let mut stale = Vec::new();
    for root in ["enhancements", "corpus"] {
        let base = shared.join(root);
        for entry in walkdir::WalkDir::new(base.join("keps")).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") || !entry.file_type().is_file() {
                continue;
            }
            let rel = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if NO_TOC.contains(&rel.as_str()) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            match toc::check(&text, MdtocDialect::default(), toc::KEP_TOC_MAX_DEPTH) {
                TocCheck::Current => checked += 1,
                TocCheck::Markers { problem, .. } => {
                    without_markers.push(format!("{root}/{rel}: {problem:?}"))
                }
                TocCheck::Stale { body, replacement } => {
                    let old = text[body].trim().to_string();
                    let new = replacement.trim().to_string();
                    let diff: Vec<String> = old
                        .lines()
                        .zip(new.lines())
                        .filter(|(a, b)| a != b)
                        .take(3)
                        .map(|(a, b)| format!("    committed: {a}\n    generated: {b}"))
                        .collect();
                    stale.push(format!(
                        "{root}/{rel} ({} vs {} lines)\n{}",
                        old.lines().count(),
                        new.lines().count(),
                        diff.join("\n")
                    ));
                }
            }
        }
    }
    eprintln!(
        "TOC current: {checked}; without markers: {}; stale: {}",
        without_markers.len(),
        stale.len()
    );
    for m in &without_markers {
        eprintln!("markers: {m}");
    }
    for s in &stale {
        eprintln!("stale: {s}");
    }
    assert!(checked > 500, "only {checked} TOCs checked");
    assert!(stale.is_empty(), "{} stale TOCs", stale.len());
}
