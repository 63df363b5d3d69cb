//! The table of contents on small KEPs shaped like real ones, one folder per case under
//! tests/fixtures/toc/ (a repository: `keps/...`), each with `expected.txt`: the TOC-related
//! findings (`toc-stale`, `toc-missing`, `render-mismatch`, `broken-link`) of every `.md` file
//! of the case, as `path:line:col: severity[code]: message` (line 1-based, column a 0-based
//! byte offset), in path then position order. Other rules (template sections, prose) have
//! tests of their own. Every fix offered for `toc-stale` / `toc-missing` is applied and must
//! leave a file mdtoc accepts, with the TOC mdtoc writes.
//!
//! The cases are the four of issue 12: a fence under a list item that GitHub never closes
//! (`fence-in-list`), `1. ### First risk` (`list-heading`), a heading in `<details>`
//! (`details-heading`), and Markdown files other than README.md (`other-markdown`).

use crate::common;

use std::path::Path;

use common::{MemWorkspace, line_col, run};
use kep_lsp::analysis::{Code, apply_edits};
use kep_lsp::syntax::toc;

const CODES: [Code; 4] = [
    Code::TocStale,
    Code::TocMissing,
    Code::RenderMismatch,
    Code::BrokenLink,
];

fn case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/toc")
        .join(name);
    let ws = MemWorkspace::new().load(&dir, "", false);
    let mut got = Vec::new();
    for path in ws.paths().into_iter().filter(|p| p.ends_with(".md")) {
        let text = ws.text(&path).to_string();
        let a = run(&path, &text, &ws);
        for f in a.findings.iter().filter(|f| CODES.contains(&f.code)) {
            got.push(format!(
                "{path}:{}: {}[{}]: {}",
                line_col(&text, f.range.start),
                f.severity.as_str(),
                f.code.as_str(),
                f.message
            ));
            if !matches!(f.code, Code::TocStale | Code::TocMissing) {
                continue;
            }
            // The fix gives a file mdtoc accepts, with exactly its TOC between the markers.
            let fix = f.fixes.first().map(|fix| apply_edits(&text, &fix.edits));
            if let Some(fixed) = fix {
                let again = run(&path, &fixed, &ws);
                assert!(
                    !again
                        .findings
                        .iter()
                        .any(|g| matches!(g.code, Code::TocStale | Code::TocMissing)),
                    "{name}/{path}: the fix leaves {:#?}",
                    again.findings
                );
                let body = fixed
                    .split("<!-- toc -->")
                    .nth(1)
                    .and_then(|r| r.split("<!-- /toc -->").next());
                assert_eq!(
                    body,
                    Some(format!("\n{}", toc::regenerated(&fixed)).as_str()),
                    "{name}/{path}"
                );
            }
        }
    }
    let expected_path = dir.join("expected.txt");
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(got, expected, "{}", expected_path.display());
}

#[test]
fn fence_in_list() {
    case("fence-in-list");
}

#[test]
fn list_heading() {
    case("list-heading");
}

#[test]
fn details_heading() {
    case("details-heading");
}

#[test]
fn other_markdown() {
    case("other-markdown");
}
