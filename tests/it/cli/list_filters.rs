//! `kep-lsp list` with kepctl query's filters and outputs, run as a user runs it, on the
//! hand-written repository tests/fixtures/ws-repo (three KEPs, two SIGs, PRR files; read only)
//! with exact output, and a count on ../shared/enhancements (skipped when absent).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ws-repo")
}

/// Exit code and stdout of `kep-lsp list <root> <args>`.
fn list(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("list")
        .arg(root)
        .args(args)
        .output()
        .expect("run kep-lsp");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const HEADER: &str = "NUMBER  SIG       STATUS         STAGE   MILESTONE  TITLE\n";

#[test]
fn several_values_per_flag_are_alternatives_and_flags_combine() {
    let r = repo();
    // Repeated and comma-separated values: OR (handles with or without `@`, any case).
    let (code, out) = list(&r, &["--author", "@BOB", "--author", "carol,nobody"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "NUMBER  SIG       STATUS         STAGE   MILESTONE  TITLE\n\
         1001    sig-node  implementable  alpha   v1.36      Pod things\n\
         1002    sig-node  implemented    stable  v1.35      Node stuff\n"
    );
    // Across flags: AND. alice wrote 1001 and 1003; only 1003 has a PRR approved by gina.
    let (_, out) = list(&r, &["--author", "alice", "--prr", "gina"]);
    assert_eq!(
        out,
        "NUMBER  SIG       STATUS      STAGE  MILESTONE  TITLE\n\
         1003    sig-apps  unheard-of  beta   v1.34      Apps work\n"
    );
    // A milestone of any stage counts, not only latest-milestone; `v` optional.
    let (_, out) = list(&r, &["--milestone", "1.33", "--participating-sig", "sig-node"]);
    assert_eq!(
        out,
        "NUMBER  SIG       STATUS      STAGE  MILESTONE  TITLE\n\
         1003    sig-apps  unheard-of  beta   v1.34      Apps work\n"
    );
    let (_, out) = list(&r, &["--approver", "dave,carol", "--sig", "sig-node,sig-apps"]);
    assert_eq!(
        out,
        format!(
            "{HEADER}\
             1001    sig-node  implementable  alpha   v1.36      Pod things\n\
             1002    sig-node  implemented    stable  v1.35      Node stuff\n"
        )
    );
    let (code, out) = list(&r, &["--prr", "nobody"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "NUMBER  SIG  STATUS  STAGE  MILESTONE  TITLE\n")
    );
}

#[test]
fn csv_yaml_and_json_outputs() {
    let r = repo();
    let (_, out) = list(&r, &["--participating-sig", "sig-apps", "--format", "csv"]);
    assert_eq!(
        out,
        "number,title,owning_sig,status,stage,latest_milestone,path,authors,approvers,participating_sigs,prr_approvers\n\
         1001,Pod things,sig-node,implementable,alpha,v1.36,keps/sig-node/1001-pod-things/kep.yaml,\"alice;Bob\",carol,sig-apps,dave\n"
    );
    let (_, out) = list(&r, &["--prr", "@gina", "--sig", "sig-node", "--format", "yaml"]);
    assert_eq!(
        out,
        "- approvers:\n    - \"dave\"\n  authors:\n    - \"carol\"\n  latest_milestone: \"v1.35\"\n  \
         number: \"1002\"\n  owning_sig: \"sig-node\"\n  participating_sigs: []\n  \
         path: \"keps/sig-node/1002-node-stuff/kep.yaml\"\n  prr_approvers:\n    - \"dave\"\n    - \"gina\"\n  \
         stage: \"stable\"\n  status: \"implemented\"\n  title: \"Node stuff\"\n"
    );
    let (_, out) = list(&r, &["--author", "alice", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let got: Vec<(&str, &serde_json::Value)> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|k| (k["number"].as_str().unwrap(), &k["participating_sigs"]))
        .collect();
    assert_eq!(
        got,
        [
            ("1001", &serde_json::json!(["sig-apps"])),
            ("1003", &serde_json::json!(["sig-node"]))
        ]
    );
}

/// Counted independently with PyYAML over keps/**/kep.yaml of ../shared/enhancements (12 KEPs
/// write `v1.30`/`v1.31`; 1029-ephemeral-storage-quotas writes `beta: "1.31"`, which the filter
/// takes as v1.31), and over keps/prod-readiness/sig-apps/*.yaml for the PRR count.
#[test]
fn counts_on_the_enhancements_corpus() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let root = shared.join("enhancements");
    if !root.join("keps").is_dir() {
        eprintln!("note: {} is absent: skipping", root.display());
        return;
    }
    let rows = |args: &[&str]| {
        let mut all = vec!["--format", "csv"];
        all.extend_from_slice(args);
        list(&root, &all).1.lines().count() - 1
    };
    assert_eq!(
        rows(&["--participating-sig", "sig-node", "--milestone", "v1.30,v1.31"]),
        13
    );
    assert_eq!(rows(&["--prr", "wojtek-t", "--sig", "sig-apps"]), 21);
}
