//! R16: the upstream pkg/nodeapprovers fixtures (tests/fixtures/meta/nodeapprovers), each case
//! placed at keps/sig-node/<case>/ of an in-memory repository; expected results as upstream's
//! verify_test.go states them.

mod common;

use std::path::Path;

use common::*;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta/nodeapprovers")
}

/// `sig-node-approvers` findings of one case: "text under range: message".
fn r16(ws: &MemWorkspace, case: &str) -> Vec<String> {
    let path = format!("keps/sig-node/{case}/kep.yaml");
    let text = ws.text(&path).to_string();
    let a = run(&path, &text, ws);
    a.findings
        .iter()
        .filter(|f| f.code.as_str() == "sig-node-approvers")
        .map(|f| {
            assert_eq!(f.severity, kep_lsp::analysis::Severity::Error);
            format!("{}: {}", &text[f.range.clone()], f.message)
        })
        .collect()
}

#[test]
fn markers_match_the_owners_file() {
    let ws = MemWorkspace::new().load(&root(), "keps/sig-node/", false);
    assert_eq!(r16(&ws, "valid"), Vec::<String>::new());
    assert_eq!(r16(&ws, "mixed-case"), Vec::<String>::new());
    assert_eq!(
        r16(&ws, "missing-reviewer"),
        [
            "reviewers: assigned reviewer \"tallclair\" listed in OWNERS but not annotated as sig-node-assigned-reviewer in kep.yaml: add `- \"@tallclair\" # sig-node-assigned-reviewer`",
            "\"@someoneelse\": assigned reviewer \"someoneelse\" not listed under reviewers in OWNERS: add them there",
        ]
    );
    assert_eq!(
        r16(&ws, "missing-approver"),
        [
            "approvers: assigned approver \"tallclair\" listed in OWNERS but not annotated as sig-node-assigned-approver in kep.yaml: add `- \"@tallclair\" # sig-node-assigned-approver`",
            "\"@someoneelse\": assigned approver \"someoneelse\" not listed under approvers in OWNERS: add them there",
        ]
    );
    assert_eq!(
        r16(&ws, "no-owners"),
        [
            "\"@tallclair\": assigned reviewer \"tallclair\": OWNERS file not found: add keps/sig-node/no-owners/OWNERS listing them",
            "\"@dchen1107\": assigned approver \"dchen1107\": OWNERS file not found: add keps/sig-node/no-owners/OWNERS listing them",
        ]
    );
    let extra = r16(&ws, "extra-in-owners");
    assert_eq!(extra.len(), 2, "{extra:#?}");
    assert!(
        extra[0].starts_with("reviewers: assigned reviewer \"mrunalp\" listed in OWNERS but not annotated")
    );
    assert!(
        extra[1].starts_with(
            "approvers: assigned approver \"derekwaynecarr\" listed in OWNERS but not annotated"
        )
    );
    let none = r16(&ws, "no-markers");
    assert_eq!(none.len(), 2, "{none:#?}");
    assert!(none[0].contains("\"tallclair\" listed in OWNERS"));
    assert!(none[1].contains("\"dchen1107\" listed in OWNERS"));
}

#[test]
fn tech_lead_rules() {
    let dir = root().join("techleads");
    let aliases = std::fs::read_to_string(dir.join("OWNERS_ALIASES")).unwrap();
    let ws = MemWorkspace::new()
        .load(&dir, "keps/sig-node/", false)
        .with("OWNERS_ALIASES", &aliases);
    let alpha_lead = "approvers: alpha-stage KEP must list at least one sig-node-tech-leads member as approver (dchen1107, mrunalp)";
    let non_alpha = "approvers: non-alpha KEP must list a sig-node-tech-leads member or an approver marked # sig-node-assigned-approver";
    for (case, expected) in [
        ("alpha-valid", vec![]),
        ("alpha-missing-techlead", vec![alpha_lead.to_string()]),
        (
            "alpha-marker-not-allowed",
            vec!["\"@tallclair\": alpha-stage KEP must not use # sig-node-assigned-approver marker (\"tallclair\")".to_string()],
        ),
        ("alpha-alias-invalid", vec![alpha_lead.to_string()]),
        ("beta-alias-invalid", vec![non_alpha.to_string()]),
        ("beta-techlead-valid", vec![]),
        ("beta-marker-valid", vec![]),
        ("beta-missing", vec![non_alpha.to_string()]),
        ("no-stage", vec![non_alpha.to_string()]),
    ] {
        assert_eq!(r16(&ws, case), expected, "{case}");
    }
    let path = "keps/sig-node/no-approvers/kep.yaml";
    let text = ws.text(path).to_string();
    let a = run(path, &text, &ws);
    let f = only(&a, "sig-node-approvers");
    assert!(f.message.starts_with("no approvers listed"), "{}", f.message);
}

#[test]
fn single_file_mode_and_other_sigs_are_silent() {
    let ws = MemWorkspace::new().load(&root(), "keps/sig-node/", false);
    let text = ws.text("keps/sig-node/no-owners/kep.yaml").to_string();
    let a = run_alone("keps/sig-node/no-owners/kep.yaml", &text);
    assert!(a.findings.iter().all(|f| f.code.as_str() != "sig-node-approvers"));
    let a = run("keps/sig-apps/1-x/kep.yaml", &text, &ws);
    assert!(a.findings.iter().all(|f| f.code.as_str() != "sig-node-approvers"));
}
