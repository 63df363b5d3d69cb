//! Hostile inputs for the analysis core (deep nesting, huge lines, binary, aliases) and every
//! crash the fuzzers found, kept as regression tests (tests/fixtures/crashes/).

use kep_lsp::analysis::{Context, NoWorkspace, analyze};
use kep_lsp::knowledge::Knowledge;

fn run_all_kinds(text: &str) {
    let k = Knowledge::embedded();
    let ctx = Context {
        knowledge: &k,
        workspace: &NoWorkspace,
        today: Some("2026-01-01"),
        upcoming_minor: None,
    };
    for path in [
        "keps/sig-node/1234-x/kep.yaml",
        "keps/sig-node/1234-x/README.md",
        "keps/sig-node/20190101-legacy.md",
        "keps/prod-readiness/sig-node/1234.yaml",
        "keps/NNNN-kep-template/README.md",
    ] {
        let a = analyze(path, text, &ctx);
        for f in &a.findings {
            assert!(f.range.start <= f.range.end && f.range.end <= text.len());
        }
    }
}

#[test]
fn deep_flow_nesting() {
    let n = 200_000;
    let text = format!("title: {}{}\n", "[".repeat(n), "]".repeat(n));
    run_all_kinds(&text);
    let text = format!("---\ntitle: {}\n---\n", "{a: ".repeat(n));
    run_all_kinds(&text);
}

#[test]
fn deep_block_nesting() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&" ".repeat(i));
        text.push_str("- \n");
    }
    run_all_kinds(&text);
    let md = ">".repeat(100_000);
    run_all_kinds(&md);
}
