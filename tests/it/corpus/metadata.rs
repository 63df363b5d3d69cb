//! Corpus-wide checks over the real KEPs in ../shared (located as
//! `CARGO_MANIFEST_DIR/../shared`; skipped with a note when absent): every kep.yaml, legacy
//! front-matter KEP and PRR file of shared/corpus and shared/enhancements.
//!
//! Upstream CI accepts all of them, so the only errors allowed are the kepctl-only rules
//! (R17-R20) on exactly the files corpus/SOURCES.md lists (and, for the larger enhancements
//! tree, the same codes only). A summary of counts by code is printed (`--nocapture`).

use crate::common;

use std::collections::BTreeMap;

use common::{MemWorkspace, render, run, shared_dir};
use kep_lsp::analysis::{DocumentKind, Severity};

/// What SOURCES.md says we report as errors on the 8 listed files (code and text under range).
const EXPECTED_ERRORS: &[(&str, &[&str])] = &[
    (
        // R19: kepctl rejects a group sigs.yaml no longer lists (golden/meta `owning-sig`).
        "keps/sig-api-machinery/1040-priority-and-fairness/kep.yaml",
        &["retired-sig error 'wg-multitenancy'"],
    ),
    (
        "keps/sig-api-machinery/4153-declarative-validation/kep.yaml",
        &["invalid-status error 'superseded'"],
    ),
    (
        "keps/sig-api-machinery/5000-api-linting-crd-schema-tooling/kep.yaml",
        &[
            "invalid-status error 'provisional|implementable|implemented|deferred|rejected|withdrawn|replaced'",
            "invalid-stage error 'alpha|beta|stable'",
        ],
    ),
    (
        "keps/sig-cli/2229-kubectl-xdg-base-dir/kep.yaml",
        &["retired-sig error 'sig-usability'"],
    ),
    (
        "keps/sig-instrumentation/1753-logs-sanitization/kep.yaml",
        &[
            "invalid-status error 'implemented (alpha)'",
            "invalid-stage error 'alpha (deprecated)'",
        ],
    ),
    (
        "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
        &["invalid-status error 'imlpemented'"],
    ),
    (
        "keps/sig-node/281-dynamic-kubelet-configuration/kep.yaml",
        &["invalid-status error 'removed'"],
    ),
];

/// Path -> rendered error findings.
type ErrorsByFile = BTreeMap<String, Vec<String>>;
/// (code, severity) -> count.
type CountsByCode = BTreeMap<(String, String), usize>;

fn analyse_tree(ws: &MemWorkspace, label: &str) -> (ErrorsByFile, CountsByCode) {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut files = 0;
    for path in ws.paths() {
        let text = ws.text(&path);
        let a = run(&path, text, ws);
        if !matches!(
            a.kind,
            Some(DocumentKind::KepYaml | DocumentKind::LegacyKep | DocumentKind::PrrYaml)
        ) {
            continue;
        }
        files += 1;
        let lines = render(text, &a);
        for (f, line) in a.findings.iter().zip(lines) {
            if matches!(f.code.as_str(), "toc-stale" | "toc-missing") || f.code.upstream_rule() == Some("R15")
            {
                continue;
            }
            *counts
                .entry((f.code.as_str().to_string(), f.severity.as_str().to_string()))
                .or_default() += 1;
            if f.severity == Severity::Error {
                errors.entry(path.clone()).or_default().push(line);
            }
        }
    }
    println!("== {label}: {files} metadata files");
    for ((code, sev), n) in &counts {
        println!("  {code:28} {sev:8} {n}");
    }
    (errors, counts)
}

#[test]
fn shared_corpus_has_only_the_listed_errors() {
    let Some(shared) = shared_dir() else { return };
    let ws = MemWorkspace::new()
        .load(&shared.join("corpus/keps"), "keps/", false)
        .with(
            "OWNERS_ALIASES",
            &std::fs::read_to_string(shared.join("corpus/OWNERS_ALIASES")).unwrap(),
        );
    let (errors, _) = analyse_tree(&ws, "corpus/keps");
    let expected: BTreeMap<String, Vec<String>> = EXPECTED_ERRORS
        .iter()
        .map(|(p, e)| (p.to_string(), e.iter().map(|s| s.to_string()).collect()))
        .collect();
    for (p, e) in &errors {
        println!("{p}\n  {}", e.join("\n  "));
    }
    assert_eq!(errors, expected);
}

#[test]
fn legacy_keps_have_no_errors() {
    let Some(shared) = shared_dir() else { return };
    let ws = MemWorkspace::new()
        .load(&shared.join("corpus/legacy"), "", true)
        .load(&shared.join("enhancements/legacy"), "", false);
    let (errors, _) = analyse_tree(&ws, "legacy");
    for (p, e) in &errors {
        println!("{p}\n  {}", e.join("\n  "));
    }
    assert!(errors.is_empty());
}

#[test]
fn enhancements_tree_has_only_kepctl_errors() {
    let Some(shared) = shared_dir() else { return };
    let ws = MemWorkspace::new()
        .load(&shared.join("enhancements/keps"), "keps/", false)
        .with(
            "OWNERS_ALIASES",
            &std::fs::read_to_string(shared.join("enhancements/OWNERS_ALIASES")).unwrap(),
        );
    let (errors, _) = analyse_tree(&ws, "enhancements/keps");
    let mut bad = Vec::new();
    for (p, e) in &errors {
        println!("{p}\n  {}", e.join("\n  "));
        for line in e {
            let kepctl_only = [
                "invalid-status ",
                "invalid-stage ",
                "unknown-sig ",
                "retired-sig ",
                "implemented-not-stable ",
            ]
            .iter()
            .any(|c| line.starts_with(c));
            if !kepctl_only {
                bad.push(format!("{p}: {line}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "errors upstream CI would not raise:\n{}",
        bad.join("\n")
    );
}
