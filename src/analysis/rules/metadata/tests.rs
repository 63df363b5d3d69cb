//! Unit tests of small helpers; the rule tests live in tests/metadata*.rs.

use super::people::is_handle;

#[test]
fn handles() {
    assert!(is_handle("@neolit123"));
    assert!(is_handle("deads2k"));
    assert!(!is_handle("@quinton_hoole"));
    assert!(!is_handle("@kubernetes/sig-x"));
    assert!(!is_handle("@-x"));
    assert!(!is_handle(&format!("@{}", "a".repeat(40))));
}

/// Diagnostics (`findings_only`) get the same findings as code actions, without the fixes
/// (which only code actions prove safe, one re-analysis per fix).
#[test]
fn findings_only_drops_the_fixes_and_nothing_else() {
    use crate::analysis::{Code, Context, NoWorkspace, Options, analyze, analyze_with};
    let knowledge = crate::knowledge::Knowledge::embedded();
    let ctx = Context {
        knowledge: &knowledge,
        workspace: &NoWorkspace,
        today: Some("2026-11-25"),
        upcoming_minor: None,
    };
    let path = "keps/sig-node/1234-x/kep.yaml";
    let text = "title: X\nkep-number: 1234\nauthors:\n  - \"@alice\"\nowning-sig: sig-node\n\
                status: provisionl\ncreation-date: 2026-01-01\n";
    let offered = analyze(path, text, &ctx).findings;
    let status = offered
        .iter()
        .find(|f| f.code == Code::InvalidStatus)
        .expect("the typo is found");
    assert_eq!(status.fixes.len(), 1, "{status:?}");
    assert_eq!(status.fixes[0].edits[0].new_text, "provisional");
    let options = Options {
        findings_only: true,
        ..Options::default()
    };
    let shown = analyze_with(path, text, &ctx, &options).findings;
    let strip = |fs: &[crate::analysis::Finding]| -> Vec<_> {
        fs.iter()
            .map(|f| (f.code, f.range.clone(), f.message.clone(), f.severity))
            .collect()
    };
    assert_eq!(strip(&shown), strip(&offered));
    assert!(shown.iter().all(|f| f.fixes.is_empty()), "{shown:?}");
}
