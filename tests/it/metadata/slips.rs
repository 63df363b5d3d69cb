//! The commonest slips in a kep.yaml, as data: each folder of tests/fixtures/meta/slips holds a
//! repository fragment with one kep.yaml (`keps/<sig>/<NNNN-name>/kep.yaml`) and `expected.txt`,
//! the exact findings kep-lsp reports on it in single-file mode, one per line:
//!
//! ```text
//! 4:5-4:15 error yaml-syntax: yaml: line 4: found character that cannot start any token
//!   fix: Quote the handle: "@alice-dev"
//! ```
//!
//! (range: 1-based line:column in characters, end exclusive; then the severity, the code, the
//! message; then each fix offered, by title). When the folder has `fixed.yaml`, it is the
//! kep.yaml once every error's first fix is applied (fix-all), and it must have no error
//! finding left (or exactly the ones listed in `fixed.txt`).
//!
//! `UPDATE_SLIPS=1 cargo test --test it metadata::slips::` rewrites the expected files; read the diff.

use crate::common;

use std::path::Path;

use common::*;
use kep_lsp::analysis::{Analysis, Severity};
use kep_lsp::ide::code_actions::fix_all;

fn position(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map(|i| i + 1).unwrap_or(0)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{col}")
}

fn render_all(text: &str, a: &Analysis) -> String {
    let mut out = String::new();
    for f in &a.findings {
        out.push_str(&format!(
            "{}-{} {} {}: {}\n",
            position(text, f.range.start),
            position(text, f.range.end),
            f.severity.as_str(),
            f.code.as_str(),
            f.message
        ));
        for fix in &f.fixes {
            out.push_str(&format!("  fix: {}\n", fix.title));
        }
    }
    out
}

fn check_expected(file: &Path, actual: &str, update: bool, failures: &mut Vec<String>) {
    if update {
        std::fs::write(file, actual).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(file).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{}:\n--- expected\n{expected}--- actual\n{actual}",
            file.display()
        ));
    }
}

#[test]
fn slips_get_exactly_their_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta/slips");
    let update = std::env::var_os("UPDATE_SLIPS").is_some();
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("slips folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let kep = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_name() == "kep.yaml")
            .unwrap_or_else(|| panic!("{}: no kep.yaml", dir.display()));
        let rel = kep
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(kep.path()).unwrap();
        let a = run_alone(&rel, &text);
        check_expected(
            &dir.join("expected.txt"),
            &render_all(&text, &a),
            update,
            &mut failures,
        );
        // Fix-all, as the editor applies it.
        let fixed_file = dir.join("fixed.yaml");
        if fixed_file.exists() || update {
            let fixed = match fix_all(&a.findings) {
                Some(all) => kep_lsp::analysis::apply_edits(&text, &all.edits),
                None => text.clone(),
            };
            if update {
                std::fs::write(&fixed_file, &fixed).unwrap();
            } else if std::fs::read_to_string(&fixed_file).unwrap() != fixed {
                failures.push(format!("{}: fix-all gives\n{fixed}", fixed_file.display()));
            }
            let after = run_alone(&rel, &fixed);
            let errors: Vec<_> = after
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            let rendered = render_all(&fixed, &after);
            if !errors.is_empty() || dir.join("fixed.txt").exists() {
                check_expected(&dir.join("fixed.txt"), &rendered, update, &mut failures);
            }
        }
        cases += 1;
    }
    assert!(cases > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
