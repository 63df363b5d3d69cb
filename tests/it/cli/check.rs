//! `kep-lsp check` as users run it: the real binary on examples/ (a tiny repository of real
//! KEPs, one broken on purpose) and on tests/fixtures, checking each output format, exit codes,
//! paths shown relative to the current directory, and paths that cannot be checked.

use crate::common;

use std::path::PathBuf;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use common::check_cli::{Run, check};

#[test]
fn human_output_on_examples() {
    let run = check(&manifest_dir(), &["examples"]);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(run.stderr, "");
    // The broken KEP has errors (unknown key, bad status, unknown SIG, stale TOC).
    assert_eq!(run.code, 1);
}

#[test]
fn json_output_on_examples() {
    let run = check(&manifest_dir(), &["--format", "json", "examples"]);
    insta::assert_snapshot!(run.stdout);
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let codes: Vec<&str> = parsed
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["toc-stale", "unknown-sig", "unknown-field", "invalid-status"]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn github_output_on_examples() {
    let run = check(&manifest_dir(), &["--format", "github", "examples"]);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stdout.lines().all(|l| l.starts_with("::error file=")
        || l.starts_with("::warning file=")
        || l.starts_with("::notice file=")));
    assert_eq!(run.code, 1);
}

#[test]
fn the_correct_kep_passes_at_every_level() {
    let run = check(
        &manifest_dir(),
        &[
            "--deny",
            "hint",
            "examples/keps/sig-autoscaling",
            "examples/keps/prod-readiness",
        ],
    );
    assert_eq!(run.stdout, "0 errors, 0 warnings, 0 infos, 0 hints in 3 files\n");
    assert_eq!(run.code, 0);
}

#[test]
fn deny_sets_the_level_that_fails() {
    // The legacy KEP has warnings (broken TOC anchors) and a hint, no error.
    let legacy = "examples/keps/sig-network";
    assert_eq!(check(&manifest_dir(), &[legacy]).code, 0);
    assert_eq!(check(&manifest_dir(), &["--deny", "error", legacy]).code, 0);
    assert_eq!(check(&manifest_dir(), &["--deny", "warning", legacy]).code, 1);
    assert_eq!(check(&manifest_dir(), &["--deny", "hint", legacy]).code, 1);
    // Disabling the warnings' code leaves only the hint.
    let run = check(
        &manifest_dir(),
        &["--deny", "warning", "--disable", "broken-link", legacy],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.lines().last(),
        Some("0 errors, 0 warnings, 0 infos, 1 hint in 1 file")
    );
}

#[test]
fn paths_are_shown_relative_to_the_current_directory() {
    let files = |run: &Run| -> Vec<String> {
        let parsed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut files: Vec<String> = parsed
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_owned())
            .collect();
        files.dedup();
        files
    };
    let keps = manifest_dir().join("examples/keps");
    let inside = check(&keps, &["--format", "json", "sig-storage"]);
    assert_eq!(
        files(&inside),
        [
            "sig-storage/2924-csi-migration-cephfs/README.md",
            "sig-storage/2924-csi-migration-cephfs/kep.yaml"
        ]
    );
    // An absolute path under the current directory is shown relative to it.
    let absolute = keps.join("sig-storage/2924-csi-migration-cephfs/kep.yaml");
    let run = check(&keps, &["--format", "json", absolute.to_str().unwrap()]);
    assert_eq!(files(&run), ["sig-storage/2924-csi-migration-cephfs/kep.yaml"]);
    // Outside the current directory: as given.
    let outside = check(
        &manifest_dir().join("tests"),
        &["--format", "json", "../examples/keps/sig-storage"],
    );
    assert_eq!(
        files(&outside),
        [
            "../examples/keps/sig-storage/2924-csi-migration-cephfs/README.md",
            "../examples/keps/sig-storage/2924-csi-migration-cephfs/kep.yaml"
        ]
    );
    // The same findings whichever way the files were named: the repository is found each time.
    assert_eq!(
        inside.stdout.matches("\"code\"").count(),
        outside.stdout.matches("\"code\"").count()
    );
}

#[test]
fn quiet_prints_one_line_per_finding() {
    let run = check(
        &manifest_dir(),
        &[
            "--quiet",
            "examples/keps/sig-storage/2924-csi-migration-cephfs/kep.yaml",
        ],
    );
    assert_eq!(
        run.stdout,
        "\
examples/keps/sig-storage/2924-csi-migration-cephfs/kep.yaml:5:13: error[unknown-sig]: invalid owning-sig: sig-nodes is not a group in sigs.yaml: did you mean `sig-node`?
examples/keps/sig-storage/2924-csi-migration-cephfs/kep.yaml:13:1: error[unknown-field]: field editors not found in type api.Proposal: did you mean `editor`?
examples/keps/sig-storage/2924-csi-migration-cephfs/kep.yaml:17:9: error[invalid-status]: invalid status: implementd, should be one of [provisional implementable implemented deferred rejected withdrawn replaced]: did you mean `implemented`?
"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn a_missing_path_is_exit_2_and_the_others_are_still_checked() {
    let run = check(
        &manifest_dir(),
        &[
            "examples/keps/does-not-exist",
            "examples/keps/sig-network/20190118-pod-dns-config.md",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: examples/keps/does-not-exist: No such file or directory"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.ends_with(" in 1 file\n"), "{}", run.stdout);
}

#[test]
fn usage_errors_are_exit_2() {
    let run = check(&manifest_dir(), &["--deny", "fatal", "examples"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`fatal` is not one of error, warning, info, hint"),
        "{}",
        run.stderr
    );
    let run = check(&manifest_dir(), &["--disable", "unknown-feild", "examples"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `unknown-field`?"),
        "{}",
        run.stderr
    );
    let run = check(&manifest_dir(), &["--today", "2026-13-01", "examples"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_non_kep_file_named_explicitly_is_checked_and_clean() {
    let run = check(&manifest_dir(), &["examples/README.md"]);
    assert_eq!(run.stdout, "0 errors, 0 warnings, 0 infos, 0 hints in 1 file\n");
    assert_eq!(run.code, 0);
}

/// The codes of a JSON run, in output order.
fn codes(run: &Run) -> Vec<String> {
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_single_file_is_checked_against_its_repository() {
    // The README alone on the command line: the index finds the kep.yaml beside it (title compared,
    // no "metadata file missing") and the PRR file of the repository.
    let readme =
        "tests/fixtures/workspace-repo/keps/sig-node/2625-cpumanager-policies-thread-placement/README.md";
    let run = check(&manifest_dir(), &["--format", "json", readme]);
    assert_eq!(
        codes(&run),
        [
            "info:title-mismatch",
            "hint:template-guidance",
            "warning:broken-link",
            "warning:broken-link"
        ]
    );
    assert_eq!(run.code, 0);

    // The same README in a repository without its kep.yaml: no title to compare with, and
    // upstream CI's R6 error (`metadata file missing for KEP`).
    let dir = std::env::temp_dir().join(format!("kep-lsp-cli-r6-{}", std::process::id()));
    let kep = dir.join("keps/sig-node/2625-cpumanager-policies-thread-placement");
    std::fs::create_dir_all(&kep).unwrap();
    std::fs::copy(manifest_dir().join(readme), kep.join("README.md")).unwrap();
    let run = check(&dir, &["--format", "json", "keps"]);
    assert!(
        !codes(&run).contains(&"info:title-mismatch".to_owned()),
        "{}",
        run.stdout
    );
    assert!(
        codes(&run).contains(&"error:readme-without-metadata".to_owned()),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("\"file\": \"keps/sig-node/2625-cpumanager-policies-thread-placement/README.md\"")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
