//! PRR rules: the PRR file itself (R10, R11, number vs name) and the kep.yaml side (R9, R11),
//! over in-memory workspaces built from the real sig-node/2625 and sig-network/4004 files.

use crate::common;

use common::*;
use kep_lsp::analysis::Severity;

const KEP_2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";
const PRR_2625: &str = "keps/prod-readiness/sig-node/2625.yaml";
const KEP_4004: &str = "keps/sig-network/4004-deprecate-kube-proxy-version/kep.yaml";
const PRR_4004: &str = "keps/prod-readiness/sig-network/4004.yaml";

/// 2625 with its status typo fixed (so PRR applies), plus its PRR file.
fn ws_2625(prr: Option<&str>) -> (MemWorkspace, String) {
    let kep = fixture(KEP_2625).replace("status: imlpemented", "status: implemented");
    let mut ws = MemWorkspace::new().with(KEP_2625, &kep);
    if let Some(p) = prr {
        ws = ws.with(PRR_2625, p);
    }
    (ws, kep)
}

#[test]
fn real_prr_files_are_clean() {
    let prr = fixture(PRR_2625);
    let (ws, kep) = ws_2625(Some(&prr));
    assert!(run(PRR_2625, &prr, &ws).findings.is_empty());
    let a = run(KEP_2625, &kep, &ws);
    assert!(
        a.findings.iter().all(|f| !f.code.as_str().starts_with("prr-")),
        "{:#?}",
        a.findings
    );

    let (kep, prr) = (fixture(KEP_4004), fixture(PRR_4004));
    let ws = MemWorkspace::new().with(KEP_4004, &kep).with(PRR_4004, &prr);
    assert!(run(PRR_4004, &prr, &ws).findings.is_empty());
    assert!(
        run(KEP_4004, &kep, &ws)
            .findings
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
}

#[test]
fn r9_prr_file_missing() {
    let (ws, kep) = ws_2625(None);
    let a = run(KEP_2625, &kep, &ws);
    let f = only(&a, "prr-missing");
    assert_eq!(
        (f.severity, &kep[f.range.clone()]),
        (Severity::Error, "implemented")
    );
    assert!(
        f.message
            .starts_with("open keps/prod-readiness/sig-node/2625.yaml: no such file or directory")
    );
    // Single-file mode cannot know: silent.
    assert!(
        run_alone(KEP_2625, &kep)
            .findings
            .iter()
            .all(|f| f.code.as_str() != "prr-missing")
    );
    // Before v1.21 no PRR is needed.
    let old = kep.replace("latest-milestone: \"v1.33\"", "latest-milestone: \"v1.20\"");
    let a = run(KEP_2625, &old, &ws);
    assert!(a.findings.iter().all(|f| f.code.as_str() != "prr-missing"));
}

#[test]
fn r11_stage_entry_and_approver() {
    let prr =
        "kep-number: 2625\nalpha:\n  approver: \"@johnbelamaric\"\nbeta:\n  approver: \"@johnbelamaric\"\n";
    let (ws, kep) = ws_2625(Some(prr));
    let a = run(KEP_2625, &kep, &ws);
    let f = only(&a, "prr-stage-missing");
    assert_eq!((f.severity, &kep[f.range.clone()]), (Severity::Error, "stable"));
    let a = run(PRR_2625, prr, &ws);
    assert_eq!(render(prr, &a), ["prr-stage-missing error '2625'"]);

    let prr = "kep-number: 2625\nstable:\n  approver: \"@someone-else\"\n";
    let (ws, kep) = ws_2625(Some(prr));
    let a = run(PRR_2625, prr, &ws);
    assert_eq!(
        render(prr, &a),
        ["prr-approver-not-allowed error '\"@someone-else\"'"]
    );
    assert!(
        a.findings[0]
            .message
            .starts_with("this contributor (someone-else) is not a PRR approver (")
    );
    let a = run(KEP_2625, &kep, &ws);
    assert_eq!(&kep[only(&a, "prr-approver-not-allowed").range.clone()], "stable");

    let prr = "kep-number: 2625\nstable:\n  approver: \"\"\n";
    let (ws, kep) = ws_2625(Some(prr));
    assert_eq!(
        render(prr, &run(PRR_2625, prr, &ws)),
        ["prr-approver-empty error '\"\"'"]
    );
    assert_eq!(
        only(&run(KEP_2625, &kep, &ws), "prr-approver-empty").severity,
        Severity::Error
    );
}

#[test]
fn past_stage_approvers_may_have_moved_on() {
    // ehashman is emeritus (accepted); an unknown past approver is only a warning.
    let prr = "kep-number: 2625\nalpha:\n  approver: \"@ehashman\"\nbeta:\n  approver: \"@nobody\"\nstable:\n  approver: \"@wojtek-t\"\n";
    let (ws, _) = ws_2625(Some(prr));
    assert_eq!(
        render(prr, &run(PRR_2625, prr, &ws)),
        ["prr-approver-not-allowed warning '\"@nobody\"'"]
    );
}

#[test]
fn r10_strict_prr_file() {
    let prr = "kep-number: 2625\nalpha:\n  approvers: \"@wojtek-t\"\nbeta: \"@wojtek-t\"\nprr-approvers: x\n";
    let a = run_alone(PRR_2625, prr);
    assert_eq!(
        render(prr, &a),
        [
            "prr-approver-empty warning 'alpha'",
            "unknown-field error 'approvers'",
            "wrong-type error '\"@wojtek-t\"'",
            "unknown-field error 'prr-approvers'",
        ]
    );
    let rename = &a.findings[1];
    assert!(fixed(prr, rename).contains("  approver: \"@wojtek-t\"\n"));

    let prr = "alpha:\n  approver: \"@wojtek-t\"\n";
    let a = run_alone(PRR_2625, prr);
    assert_eq!(render(prr, &a), ["prr-invalid error 'alpha'"]);
    assert!(
        a.findings[0]
            .message
            .contains("kep-number is required: add `kep-number: 2625`")
    );
}

#[test]
fn prr_number_must_match_the_file_name() {
    let prr = "kep-number: 2652\nstable:\n  approver: \"@wojtek-t\"\n";
    let a = run_alone(PRR_2625, prr);
    let f = only(&a, "prr-number-mismatch");
    assert_eq!((f.severity, &prr[f.range.clone()]), (Severity::Warning, "2652"));
    assert_eq!(fixed(prr, f), prr.replace("2652", "2625"));
}

#[test]
fn prr_yaml_syntax_and_template() {
    let prr = "kep-number: 1\nalpha: [\n";
    let a = run_alone(PRR_2625, prr);
    assert!(
        a.findings.iter().any(|f| f.code.as_str() == "yaml-syntax"),
        "{:#?}",
        a.findings
    );
    let t = fixture("template/prr-nnnn.yaml");
    assert!(
        run_alone("keps/prod-readiness/template/nnnn.yaml", &t)
            .findings
            .is_empty()
    );
    let dup = "kep-number: 1\nkep-number: 2\n";
    let a = run_alone("keps/prod-readiness/template/nnnn.yaml", dup);
    assert_eq!(render(dup, &a), ["duplicate-key error 'kep-number'"]);
}
