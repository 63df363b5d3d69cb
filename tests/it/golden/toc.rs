//! Differential test against mdtoc v1.4.0 (the version kubernetes/enhancements pins), using the
//! verdicts recorded in ../shared/golden/toc (its README.md gives the format):
//!
//! - the TOC we regenerate for every up-to-date document (`.ok.md`, and every real README named
//!   by a `kind: "real"` line) is byte for byte mdtoc's (`expected_toc`);
//! - `toc-stale` on every `.stale.md` and on no `.ok.md` / real README;
//! - `toc-missing` at error severity on every `.markers.md`;
//! - `.crash.md` (mdtoc panics on them, so CI fails): `toc-stale` at error severity (the README
//!   does not score these; we do, since CI's verdict is a failure).
//!
//! Each text goes through the real entry point (`analysis::analyze`) as a KEP README at
//! `keps/sig-x/1234-name/README.md`, and through the fix's own code path (`toc::regenerated`)
//! for the TOC text. Agreement is printed per check and per feature kind; the test fails
//! unless it is 100 %. Skips with a note when ../shared is absent.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use kep_lsp::analysis::{Analysis, Severity};
use kep_lsp::syntax::toc;

const PATH: &str = "keps/sig-x/1234-name/README.md";

/// Passed / scored, per check.
#[derive(Default, Clone, Copy)]
struct Tally {
    pass: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.pass += 1;
        }
    }
    fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.pass as f64 / self.total as f64
        }
    }
}

#[derive(Default)]
struct Scores {
    by_check: BTreeMap<&'static str, Tally>,
    /// feature -> check -> tally.
    by_feature: BTreeMap<String, BTreeMap<&'static str, Tally>>,
    failures: Vec<String>,
}

impl Scores {
    fn record(
        &mut self,
        id: &str,
        features: &[String],
        check: &'static str,
        ok: bool,
        why: impl FnOnce() -> String,
    ) {
        self.by_check.entry(check).or_default().add(ok);
        for f in features {
            self.by_feature
                .entry(f.clone())
                .or_default()
                .entry(check)
                .or_default()
                .add(ok);
        }
        if !ok {
            self.failures
                .push(format!("{id} {check} [{}]: {}", features.join(","), why()));
        }
    }
}

fn analyse(text: &str) -> Analysis {
    common::run_alone(PATH, text)
}

fn has(a: &Analysis, code: &str, severity: Option<Severity>) -> bool {
    a.findings
        .iter()
        .any(|f| f.code.as_str() == code && severity.is_none_or(|s| f.severity == s))
}

/// A short first-difference description of two TOCs.
fn diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    let i = e
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(e.len().min(g.len()));
    format!(
        "line {}: expected {:?}, got {:?} ({} vs {} lines)",
        i + 1,
        e.get(i).unwrap_or(&"<end>"),
        g.get(i).unwrap_or(&"<end>"),
        e.len(),
        g.len()
    )
}

fn read(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[test]
fn agreement_with_mdtoc_v1_4_0() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let golden = shared.join("golden/toc");
    let Some(manifest) = read(&golden.join("manifest.jsonl")) else {
        eprintln!(
            "note: {} is absent: skipping the golden TOC test",
            golden.display()
        );
        return;
    };
    let enhancements = shared.join("enhancements");
    let mut scores = Scores::default();
    let mut skipped_real = 0;
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("manifest line is JSON");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let kind = case["kind"].as_str().unwrap_or("");
        let verdict = case["verdict"].as_str().unwrap_or("");
        let mut features: Vec<String> = case["features"]
            .as_array()
            .map(|a| a.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        features.push(format!("kind:{kind}"));
        let expected = case["expected_toc"].as_str().unwrap_or("").to_string();
        let dir = golden.join(if kind == "real-mutated" {
            "mutated"
        } else {
            "synthetic"
        });
        let file = |which: &str| case["files"][which].as_str().and_then(|f| read(&dir.join(f)));
        match verdict {
            "ok+stale" => {
                let ok = file("ok").expect("the .ok.md file");
                let stale = file("stale").expect("the .stale.md file");
                let got = toc::regenerated(&ok);
                scores.record(&id, &features, "toc-equal", got == expected, || {
                    diff(&expected, &got)
                });
                let a = analyse(&ok);
                scores.record(
                    &id,
                    &features,
                    "ok-not-stale",
                    !has(&a, "toc-stale", None),
                    String::new,
                );
                let a = analyse(&stale);
                let mutation = case["stale_mutation"].as_str().unwrap_or("?");
                scores.record(
                    &id,
                    &features,
                    "stale-reported",
                    has(&a, "toc-stale", None),
                    || format!("mutation {mutation}"),
                );
            }
            "markers" => {
                let text = file("markers").expect("the .markers.md file");
                let a = analyse(&text);
                let message = case["checks"]["markers"]["message"].as_str().unwrap_or("?");
                scores.record(
                    &id,
                    &features,
                    "markers-error",
                    has(&a, "toc-missing", Some(Severity::Error)),
                    || {
                        format!(
                            "mdtoc: {message}; got {:?}",
                            a.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>()
                        )
                    },
                );
            }
            "crash" => {
                // mdtoc panics (exit 2), so CI fails: we must say so (`toc-stale`, an error, as
                // hack/verify-toc.sh prints "Table of content not up to date" on any failure).
                let text = file("crash").expect("the .crash.md file");
                let _ = toc::regenerated(&text);
                let a = analyse(&text);
                let message = case["checks"]["crash"]["message"]
                    .as_str()
                    .unwrap_or("?")
                    .to_string();
                scores.record(
                    &id,
                    &features,
                    "crash-reported",
                    has(&a, "toc-stale", Some(Severity::Error)),
                    || format!("mdtoc: {message}"),
                );
            }
            "ok" if kind == "real" => {
                let rel = case["source"]["path"].as_str().unwrap_or("");
                let Some(text) = read(&enhancements.join(rel)) else {
                    skipped_real += 1;
                    continue;
                };
                let got = toc::regenerated(&text);
                scores.record(&id, &features, "toc-equal", got == expected, || {
                    format!("{rel}: {}", diff(&expected, &got))
                });
                let a = analyse(&text);
                scores.record(
                    &id,
                    &features,
                    "ok-not-stale",
                    !has(&a, "toc-stale", None),
                    || rel.to_string(),
                );
            }
            other => panic!("{id}: unknown verdict {other:?}"),
        }
    }
    if skipped_real > 0 {
        eprintln!(
            "note: {skipped_real} real READMEs absent from {}",
            enhancements.display()
        );
    }
    eprintln!("agreement per check:");
    for (check, t) in &scores.by_check {
        eprintln!("  {check:<16} {:>5}/{:<5} {:6.2} %", t.pass, t.total, t.percent());
    }
    eprintln!("agreement per feature (only those below 100 %):");
    for (feature, checks) in &scores.by_feature {
        let cells: Vec<String> = checks
            .iter()
            .filter(|(_, t)| t.pass < t.total)
            .map(|(c, t)| format!("{c} {}/{} ({:.1} %)", t.pass, t.total, t.percent()))
            .collect();
        if !cells.is_empty() {
            eprintln!("  {feature:<20} {}", cells.join("; "));
        }
    }
    for f in scores.failures.iter().take(60) {
        eprintln!("FAIL {f}");
    }
    let failed: usize = scores.by_check.values().map(|t| t.total - t.pass).sum();
    let total: usize = scores.by_check.values().map(|t| t.total).sum();
    assert!(total > 0, "no golden case scored");
    assert_eq!(
        failed, 0,
        "{failed} of {total} golden checks disagree with mdtoc v1.4.0"
    );
}
