//! Small README cases as data, under tests/fixtures/readme/cases/NNNN-name/:
//!
//! - `README.md` and `kep.yaml`: the KEP, analysed as `keps/sig-testing/NNNN-name/README.md`
//!   with its kep.yaml beside it (so status, stage and milestone come from the real path);
//! - `expected`: a first line `# codes: a b c` naming the codes the case is about, then every
//!   finding of those codes, one per line: `line:col severity code: message | text under it`
//!   (line and column 1-based, column in bytes), in source order;
//! - `fixed.md` (optional): the README after applying the first fix of every finding listed in
//!   `expected` that has one (all at once, skipping a fix that overlaps one taken before it, as
//!   fix-all does), byte for byte;
//! - `fixed.expected` (with `fixed.md`): the findings of those codes on `fixed.md`.
//!
//! `KEP_LSP_BLESS=1 cargo test --test it readme::cases::` rewrites `expected`, `fixed.md` and
//! `fixed.expected` from what the code does today (review the diff before committing).

use crate::common;

use std::path::{Path, PathBuf};

use common::{MemWorkspace, line_col};
use kep_lsp::analysis::{Code, Finding, TextEdit, apply_edits};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readme/cases")
}

/// The findings of `codes` on `text` as `expected` lines.
fn lines(text: &str, findings: &[&Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            let (l, c) = line_col(text, f.range.start)
                .split_once(':')
                .map(|(l, c)| (l.to_string(), c.parse::<usize>().unwrap() + 1))
                .unwrap();
            format!(
                "{l}:{c} {} {}: {} | {}",
                f.severity.as_str(),
                f.code.as_str(),
                f.message,
                text[f.range.clone()].replace('\n', "\\n")
            )
        })
        .collect()
}

fn analyse(path: &str, text: &str, kep_yaml: &str, codes: &[Code]) -> Vec<Finding> {
    let dir = path.rsplit_once('/').unwrap().0;
    let ws = MemWorkspace::new()
        .with(path, text)
        .with(&format!("{dir}/kep.yaml"), kep_yaml);
    let mut fs: Vec<Finding> = common::run(path, text, &ws)
        .findings
        .into_iter()
        .filter(|f| codes.contains(&f.code))
        .collect();
    fs.sort_by(|a, b| {
        (a.range.start, a.code.as_str(), &a.message).cmp(&(b.range.start, b.code.as_str(), &b.message))
    });
    fs
}

fn parse_codes(expected: &str) -> Vec<Code> {
    let header = expected.lines().next().unwrap_or("");
    let names = header
        .strip_prefix("# codes:")
        .unwrap_or_else(|| panic!("`expected` must start with `# codes:`, not {header:?}"));
    names
        .split_whitespace()
        .map(|n| Code::parse(n).unwrap_or_else(|| panic!("unknown code {n}")))
        .collect()
}

fn body(expected: &str) -> Vec<String> {
    expected.lines().skip(1).map(str::to_string).collect()
}

fn check_case(dir: &Path, bless: bool) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let text = read("README.md").ok_or("no README.md")?;
    let kep_yaml = read("kep.yaml").ok_or("no kep.yaml")?;
    let expected = read("expected").ok_or("no expected")?;
    let codes = parse_codes(&expected);
    let header = expected.lines().next().unwrap().to_string();
    let path = format!("keps/sig-testing/{name}/README.md");

    let found = analyse(&path, &text, &kep_yaml, &codes);
    let got = lines(&text, &found.iter().collect::<Vec<_>>());
    // The first fix of each finding, in order, skipping a fix whose edits overlap one taken
    // already (two section insertions both regenerate the TOC): as fix-all does.
    let mut edits: Vec<TextEdit> = Vec::new();
    for fix in found.iter().filter_map(|f| f.fixes.first()) {
        let overlaps = fix.edits.iter().any(|e| {
            edits.iter().any(|o| {
                e.range.start < o.range.end && o.range.start < e.range.end || e.range.start == o.range.start
            })
        });
        if !overlaps {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    let fixed = (!edits.is_empty()).then(|| apply_edits(&text, &edits));
    let fixed_lines = fixed.as_ref().map(|t| {
        let fs = analyse(&path, t, &kep_yaml, &codes);
        lines(t, &fs.iter().collect::<Vec<_>>())
    });
    if bless {
        let write = |f: &str, s: String| std::fs::write(dir.join(f), s).unwrap();
        write("expected", format!("{header}\n{}", with_newlines(&got)));
        if let (Some(t), Some(l)) = (&fixed, &fixed_lines) {
            write("fixed.md", t.clone());
            write("fixed.expected", format!("{header}\n{}", with_newlines(l)));
        }
        return Ok(());
    }
    let mut problems = Vec::new();
    if got != body(&expected) {
        problems.push(format!(
            "findings differ:\n  want:\n    {}\n  got:\n    {}",
            body(&expected).join("\n    "),
            got.join("\n    ")
        ));
    }
    match (read("fixed.md"), &fixed) {
        (Some(want), Some(got)) if want != *got => {
            problems.push(format!("fixed.md differs; the fixes give:\n{got}"))
        }
        (Some(_), None) => problems.push("fixed.md exists but no finding has a fix".into()),
        (None, Some(_)) => problems.push("the findings have fixes: add fixed.md".into()),
        _ => {}
    }
    if let Some(l) = &fixed_lines {
        let want = read("fixed.expected").map(|e| body(&e)).unwrap_or_default();
        if *l != want {
            problems.push(format!(
                "findings on fixed.md differ:\n  want:\n    {}\n  got:\n    {}",
                want.join("\n    "),
                l.join("\n    ")
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn with_newlines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn readme_cases() {
    let bless = std::env::var_os("KEP_LSP_BLESS").is_some();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 4, "{} cases", dirs.len());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            check_case(d, bless)
                .err()
                .map(|e| format!("{}: {e}", d.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
