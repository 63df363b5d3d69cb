//! The acceptance test over the real KEP tree: `check` on ../shared/enhancements (588 kep.yaml,
//! their READMEs, PRR files, legacy KEPs) and ../shared/corpus, with the real workspace index.
//!
//! The repository's CI accepts every file there, so an `error` is a false error unless the file
//! breaks one of the rules CI does not run (kep-format.md §7 R17, R18, R20; corpus/SOURCES.md lists
//! them): a status or stage outside the lists, or an implemented feature KEP below stable. Those
//! errors are checked against the file's own metadata, not an allow-list of paths.
//!
//! Reads `env!("CARGO_MANIFEST_DIR")/../shared`; skips with a note when it is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kep_lsp::analysis::{Code, KepEntry, Severity, WorkspaceView};
use kep_lsp::cli::check::check_paths;
use kep_lsp::workspace::{WorkspaceIndex, find_root};

const STATUSES: [&str; 7] = [
    "provisional",
    "implementable",
    "implemented",
    "deferred",
    "rejected",
    "withdrawn",
    "replaced",
];
const STAGES: [&str; 6] = ["alpha", "beta", "stable", "deprecated", "disabled", "removed"];

fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if shared.join("enhancements/keps").is_dir() {
        Some(shared)
    } else {
        eprintln!(
            "note: {} not found; the corpus acceptance test is skipped",
            shared.display()
        );
        None
    }
}

/// The groups of sigs.yaml (`dir:` of every SIG, WG, UG and committee), read without the crate.
fn groups(shared: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(shared.join("corpus/sigs.yaml")).expect("sigs.yaml");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("dir: "))
        .map(|d| d.trim().to_owned())
        .collect()
}

/// Whether an error is one the file really earns although CI accepts it: the rules only
/// `kepctl create` runs (R17 status, R18 stage, R19 groups, R20 implemented => stable).
/// `value` is the text under the finding's range.
fn earned_error(code: Code, kep: Option<&KepEntry>, value: &str, groups: &[String]) -> bool {
    // R19: kepctl rejects any group not in sigs.yaml, a retired one too (golden/meta's verdicts).
    if code == Code::UnknownSig || code == Code::RetiredSig {
        let value = value.trim().trim_matches(['"', '\'']);
        return !groups.iter().any(|g| g == value);
    }
    let Some(kep) = kep else { return false };
    let status = kep.status.trim();
    let stage = kep.stage.trim();
    match code {
        Code::InvalidStatus => !STATUSES.contains(&status),
        Code::InvalidStage => !stage.is_empty() && !STAGES.contains(&stage),
        Code::ImplementedNotStable => status == "implemented" && matches!(stage, "alpha" | "beta"),
        _ => false,
    }
}

/// Check `dirs` (under `shared`); return the false errors and print counts by severity and code
/// and the earned errors.
fn false_errors(shared: &Path, dirs: &[&str]) -> Vec<String> {
    let cwd = shared;
    let groups = groups(shared);
    let paths: Vec<PathBuf> = dirs.iter().map(PathBuf::from).collect();
    let result = check_paths(&paths, cwd, &[], &Default::default(), None, "2026-11-25");
    assert_eq!(
        result.errors,
        Vec::<String>::new(),
        "paths that could not be checked"
    );

    let mut indexes: BTreeMap<PathBuf, WorkspaceIndex> = BTreeMap::new();
    let mut by_code: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    let mut bad = Vec::new();
    let mut earned = Vec::new();
    for report in &result.reports {
        let file = cwd.join(&report.display);
        for f in &report.findings {
            *by_code.entry((f.severity, f.code.as_str())).or_default() += 1;
            if f.severity != Severity::Error {
                continue;
            }
            let root = find_root(&file).expect("every file here is in a repository");
            let index = indexes
                .entry(root.clone())
                .or_insert_with(|| WorkspaceIndex::scan(&root).0);
            let rel = file.canonicalize().unwrap();
            let rel = kep_lsp::workspace::rel_path(&root, &rel).unwrap();
            let kep = index.keps().iter().find(|k| k.metadata_path == rel).cloned();
            let line = report.text[..f.range.start].matches('\n').count() + 1;
            let shown = format!(
                "{}:{line}: error[{}]: {}",
                report.display,
                f.code.as_str(),
                f.message
            );
            if earned_error(f.code, kep.as_ref(), &report.text[f.range.clone()], &groups) {
                earned.push(shown);
            } else {
                bad.push(shown);
            }
        }
    }
    println!("{dirs:?}: {} files checked", result.files_checked);
    for ((severity, code), n) in &by_code {
        println!("  {:>5} {:<8} {code}", n, severity.as_str());
    }
    println!("errors earned by rules CI does not run (R17-R20):");
    for e in &earned {
        println!("  {e}");
    }
    bad
}

#[test]
fn no_false_errors_on_the_enhancements_tree() {
    let Some(shared) = shared() else { return };
    // A walk from the root covers keps/ only (upstream's scope); the legacy single-file KEPs kept
    // beside it (enhancements/legacy/) are named as a folder of their own.
    let bad = false_errors(&shared, &["enhancements", "enhancements/legacy"]);
    assert!(bad.is_empty(), "{} false errors:\n{}", bad.len(), bad.join("\n"));
}

/// The real KEPs of the corpus (its validator-testdata are upstream's test inputs, invalid on
/// purpose, so they are not part of this check).
#[test]
fn no_false_errors_on_the_corpus() {
    let Some(shared) = shared() else { return };
    let bad = false_errors(&shared, &["corpus/keps", "corpus/legacy"]);
    assert!(bad.is_empty(), "{} false errors:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_index_sees_every_kep_of_the_tree() {
    let Some(shared) = shared() else { return };
    let root = shared.join("enhancements");
    let (index, problems) = WorkspaceIndex::scan(&root);
    assert_eq!(problems, vec![]);
    let keps = index.keps();
    let kep_yamls = keps
        .iter()
        .filter(|k| k.metadata_path.ends_with("/kep.yaml"))
        .count();
    let on_disk = walkdir::WalkDir::new(root.join("keps"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            // Template folders (NNNN-kep-template, a SIG's 0000-...-template) are not KEPs.
            e.file_name() == "kep.yaml"
                && kep_lsp::analysis::classify(&e.path().to_string_lossy(), "")
                    == kep_lsp::analysis::DocumentKind::KepYaml
        })
        .count();
    assert!(
        on_disk >= 588,
        "the tree should hold its 588+ kep.yaml, found {on_disk}"
    );
    assert_eq!(kep_yamls, on_disk);
    // The template is indexed as a file, not as a KEP.
    assert!(
        keps.iter()
            .all(|k| !k.metadata_path.contains("NNNN-kep-template")),
        "template indexed as a KEP"
    );
    let unnumbered: Vec<&str> = keps
        .iter()
        .filter(|k| k.number.is_empty())
        .map(|k| k.metadata_path.as_str())
        .collect();
    assert!(unnumbered.is_empty(), "KEPs without a number: {unnumbered:?}");
    assert!(index.exists("keps/prod-readiness/sig-node"));
}
