//! kep.yaml cases as data, under tests/fixtures/meta/cases/NAME/:
//!
//! - `kep.yaml`: the file, analysed alone (no workspace) as
//!   `keps/sig-node/753-sidecar-containers/kep.yaml` on `common::TODAY`;
//! - `expected`: every finding, one per line, in source order, as
//!   `LINE:COL-ENDLINE:ENDCOL severity[code]: message | text under the range` (lines and columns
//!   1-based, columns in chars; a newline under the range shows as `\n`), each followed by one
//!   `  fix: TITLE` line per quick fix it offers;
//! - `fixed.yaml` (when some finding has a fix): the file after applying the first fix of every
//!   finding (all at once, skipping a fix that overlaps one taken before it, as fix-all does);
//! - `fixed.expected` (with `fixed.yaml`): the findings on `fixed.yaml`, same format.
//!
//! The tests of `metadata::rules` name the cases they stand for (`cases::check(&["NAME"])`), so a
//! case keeps its test's name. `UPDATE_EXPECT=1 cargo test --test it metadata::` rewrites
//! `expected`, `fixed.yaml` and `fixed.expected` from what the code does today (review the diff
//! before committing).

use std::path::{Path, PathBuf};

use kep_lsp::analysis::{Finding, TextEdit, apply_edits};

use crate::common::{MINIMAL_PATH, run_alone};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta/cases")
}

/// 1-based line and column (in chars) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The findings of `text` in the `expected` format.
fn render(text: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let (l1, c1) = line_col(text, f.range.start);
        let (l2, c2) = line_col(text, f.range.end);
        out.push_str(&format!(
            "{l1}:{c1}-{l2}:{c2} {}[{}]: {} | {}\n",
            f.severity.as_str(),
            f.code.as_str(),
            f.message,
            text[f.range.clone()].replace('\n', "\\n")
        ));
        for fix in &f.fixes {
            out.push_str(&format!("  fix: {}\n", fix.title));
        }
    }
    out
}

/// The first fix of every finding, all at once, skipping any that overlaps an earlier one.
fn fix_all(text: &str, findings: &[Finding]) -> Option<String> {
    let mut taken: Vec<TextEdit> = Vec::new();
    for f in findings {
        let Some(fix) = f.fixes.first() else { continue };
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.range.start < t.range.end && t.range.start < e.range.end || e.range.start == t.range.start
            })
        });
        if !overlaps {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    (!taken.is_empty()).then(|| apply_edits(text, &taken))
}

/// Compare `got` with the file `name` of `dir`, or write it when blessing.
fn expect(dir: &Path, name: &str, got: Option<&str>, bless: bool, failures: &mut Vec<String>) {
    let path = dir.join(name);
    if bless {
        match got {
            Some(g) => std::fs::write(&path, g).unwrap(),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        return;
    }
    let want = std::fs::read_to_string(&path).ok();
    if want.as_deref() != got {
        failures.push(format!(
            "{}: expected\n{}\n--- got\n{}",
            path.display(),
            want.as_deref().unwrap_or("(no file)"),
            got.unwrap_or("(no file)")
        ));
    }
}

/// Check the cases `names` (folders of tests/fixtures/meta/cases), or rewrite their expected
/// files under `UPDATE_EXPECT=1`.
pub(super) fn check(names: &[&str]) {
    let bless = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for name in names {
        let dir = cases_dir().join(name);
        let text = std::fs::read_to_string(dir.join("kep.yaml"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let a = run_alone(MINIMAL_PATH, &text);
        expect(
            &dir,
            "expected",
            Some(&render(&text, &a.findings)),
            bless,
            &mut failures,
        );
        let fixed = fix_all(&text, &a.findings);
        let fixed_expected = fixed
            .as_deref()
            .map(|t| render(t, &run_alone(MINIMAL_PATH, t).findings));
        expect(&dir, "fixed.yaml", fixed.as_deref(), bless, &mut failures);
        expect(
            &dir,
            "fixed.expected",
            fixed_expected.as_deref(),
            bless,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_case_folder_is_checked_by_a_rules_test() {
    let rules = include_str!("rules.rs");
    let mut unchecked = Vec::new();
    for e in std::fs::read_dir(cases_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if !rules.contains(&format!("\"{name}\"")) {
            unchecked.push(name);
        }
    }
    assert!(
        unchecked.is_empty(),
        "no test in metadata/rules.rs checks {unchecked:?}"
    );
}
