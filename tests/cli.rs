//! `kep-lsp check` as users run it: the real binary on examples/ (a tiny repository of real
//! KEPs, one broken on purpose) and on tests/fixtures, checking each output format, exit codes,
//! paths shown relative to the current directory, and paths that cannot be checked.

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `kep-lsp check ARGS` in `cwd` with a fixed date and no colour.
fn check(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("check")
        .args(["--today", "2026-11-25"])
        .args(args)
        .current_dir(cwd)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run kep-lsp");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn human_output_on_examples() {
    let run = check(&manifest_dir(), &["examples"]);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 0);
}

#[test]
fn json_output_on_examples() {
    let run = check(&manifest_dir(), &["--format", "json", "examples"]);
    insta::assert_snapshot!(run.stdout);
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert!(parsed.is_array());
    assert_eq!(run.code, 0);
}

#[test]
fn github_output_on_examples() {
    let run = check(&manifest_dir(), &["--format", "github", "examples"]);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stdout.lines().all(|l| l.starts_with("::error file=")
        || l.starts_with("::warning file=")
        || l.starts_with("::notice file=")));
    assert_eq!(run.code, 0);
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

#[test]
fn a_non_utf8_file_is_exit_2_with_a_message() {
    let dir = std::env::temp_dir().join(format!("kep-lsp-cli-utf8-{}", std::process::id()));
    let kep = dir.join("keps/sig-node/1-x");
    std::fs::create_dir_all(&kep).unwrap();
    std::fs::write(kep.join("kep.yaml"), b"title: caf\xe9\n").unwrap();
    let run = check(&dir, &["."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("keps/sig-node/1-x/kep.yaml: not UTF-8 text"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
