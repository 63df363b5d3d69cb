//! `kep-lsp readiness` on a small fixture repository (tests/fixtures/readiness/repo): exact
//! output per format, compared with the data files beside it; and a run over
//! ../shared/enhancements that must not fail.

use crate::common;

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("readiness")
        .args(args)
        .output()
        .expect("run kep-lsp");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/readiness")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn repo() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/readiness/repo")
        .display()
        .to_string()
}

#[test]
fn every_format_matches_its_expected_output() {
    let repo = repo();
    let cases: [(&[&str], &str); 5] = [
        // The default release is the calendar's upcoming one on --today.
        (&["--today", "2026-06-01"], "v1.37.table.txt"),
        (
            &["--release", "v1.37", "--format", "markdown"],
            "v1.37.markdown.md",
        ),
        (&["--release", "v1.37", "--format", "csv"], "v1.37.csv"),
        (&["--release", "v1.37", "--format", "json"], "v1.37.json"),
        (
            &["--release", "v1.38", "--sig", "sig-apps"],
            "v1.38.sig-apps.table.txt",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec![repo.as_str()];
        all.extend_from_slice(args);
        let (code, out) = run(&all);
        assert_eq!(code, 0, "{args:?}");
        // `KEP_LSP_BLESS=1` rewrites the expected files after a deliberate change (review the diff).
        if std::env::var_os("KEP_LSP_BLESS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/readiness")
                .join(expected);
            std::fs::write(path, &out).expect("write the expected output");
            continue;
        }
        assert_eq!(out, fixture(expected), "{args:?} vs {expected}");
    }
}

#[test]
fn no_release_and_no_repository_exit_2() {
    assert_eq!(run(&[&repo(), "--release", "v2"]).0, 2);
    assert_eq!(run(&["/", "--release", "v1.37"]).0, 2);
}

#[test]
fn shared_enhancements_v1_37_runs() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let repo = shared.join("enhancements");
    let (code, out) = run(&[repo.to_str().unwrap(), "--release", "v1.37"]);
    assert_eq!(code, 0);
    let total = out.lines().last().unwrap_or("");
    assert!(
        total.starts_with("total: ") && total.contains(" tracked, "),
        "{total}"
    );
}
