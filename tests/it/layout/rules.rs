//! Layout rules across the tree: folder vs owning-sig and kep-number, duplicate numbers and
//! references that do not resolve (none checked upstream: warnings).

use crate::common;

use common::*;
use kep_lsp::analysis::Severity;

#[test]
fn folder_sig_mismatch_with_fix() {
    let t = MINIMAL.replace("owning-sig: sig-node", "owning-sig: sig-apps");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "folder-sig-mismatch");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Warning, "sig-apps"));
    assert_eq!(fixed(&t, f), MINIMAL);
    // provider-aws folders are owned by sig-cloud-provider by design: information only.
    let t = MINIMAL.replace("owning-sig: sig-node", "owning-sig: sig-cloud-provider");
    let a = run_alone("keps/provider-aws/753-x/kep.yaml", &t);
    let f = only(&a, "folder-sig-mismatch");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.fixes.is_empty());
    // Nested subproject folders: the SIG is the folder under keps/.
    let t = MINIMAL.replace("owning-sig: sig-node", "owning-sig: sig-cluster-lifecycle");
    let a = run_alone("keps/sig-cluster-lifecycle/kubeadm/753-x/kep.yaml", &t);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn folder_number_mismatch_with_fix() {
    let t = MINIMAL.replace("kep-number: 753", "kep-number: \"1884\"");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "folder-number-mismatch");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Warning, "\"1884\""));
    assert_eq!(
        fixed(&t, f),
        MINIMAL.replace("kep-number: 753", "kep-number: \"753\"")
    );
    // Leading zeros of old folders are the same number.
    let t = MINIMAL.replace("kep-number: 753", "kep-number: 34");
    assert!(run_alone("keps/sig-node/0034-x/kep.yaml", &t).findings.is_empty());
}

#[test]
fn duplicate_kep_number_in_the_tree() {
    let other = MINIMAL.replace("Sidecar containers", "Other");
    let ws = MemWorkspace::new()
        .with(MINIMAL_PATH, MINIMAL)
        .with("keps/sig-node/753-other/kep.yaml", &other);
    let a = run(MINIMAL_PATH, MINIMAL, &ws);
    let f = only(&a, "duplicate-kep-number");
    assert_eq!(
        (f.severity, &MINIMAL[f.range.clone()]),
        (Severity::Warning, "753")
    );
    assert!(f.message.contains("keps/sig-node/753-other"), "{}", f.message);
}

#[test]
fn references_resolve_in_every_form() {
    let target = MINIMAL
        .replace("753", "1287")
        .replace("Sidecar containers", "In-place resize");
    let ws_base = MemWorkspace::new().with(
        "keps/sig-node/1287-in-place-update-pod-resources/kep.yaml",
        &target,
    );
    let t = MINIMAL.to_string()
        + "see-also:\n  - \"/keps/sig-node/1287-in-place-update-pod-resources\"\n  - keps/sig-node/1287-in-place-update-pod-resources/README.md\n  - \"KEP-1287\"\n  - https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/1287-in-place-update-pod-resources\n  - https://github.com/kubernetes/community/blob/master/x.md\n  - \"/keps/sig-node/1287-old-name\"\n  - \"KEP-9999\"\n  - \"/keps/sig-node/20190101-gone.md\"\n";
    let ws = ws_base.with(MINIMAL_PATH, &t).with(
        "keps/sig-node/1287-in-place-update-pod-resources/README.md",
        "# KEP-1287: x\n",
    );
    let a = run(MINIMAL_PATH, &t, &ws);
    assert_eq!(
        render(&t, &a),
        [
            "unresolved-reference warning '\"/keps/sig-node/1287-old-name\"'",
            "unresolved-reference warning '\"KEP-9999\"'",
            "unresolved-reference warning '\"/keps/sig-node/20190101-gone.md\"'",
        ]
    );
    let moved = &a.findings[0];
    assert!(
        moved
            .message
            .contains("is at keps/sig-node/1287-in-place-update-pod-resources")
    );
    assert!(
        fixed(&t, moved)
            .contains("  - \"/keps/sig-node/1287-in-place-update-pod-resources\"\n  - \"KEP-9999\"")
    );
    assert!(a.findings[2].fixes.is_empty());
}

#[test]
fn legacy_single_file_paths_point_to_the_migrated_folder() {
    let target = MINIMAL
        .replace("753", "575")
        .replace("Sidecar containers", "CRD defaulting");
    let t = MINIMAL.to_string() + "see-also:\n  - \"/keps/sig-node/20190426-crd-defaulting.md\"\n";
    let ws = MemWorkspace::new()
        .with("keps/sig-node/575-crd-defaulting/kep.yaml", &target)
        .with(MINIMAL_PATH, &t);
    let a = run(MINIMAL_PATH, &t, &ws);
    let f = only(&a, "unresolved-reference");
    assert!(
        f.message
            .contains("KEP 575 is at keps/sig-node/575-crd-defaulting"),
        "{}",
        f.message
    );
    assert!(fixed(&t, f).ends_with("  - \"/keps/sig-node/575-crd-defaulting\"\n"));
}
