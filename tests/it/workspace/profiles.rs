//! Repository profiles, as data: each folder of tests/fixtures/profiles/ is a made-up repository
//! shaped like one kind of repo that runs the KEP process (no SIGs and a template without
//! owning-sig, an `NNNN-Template` folder, KEPs under `docs/keps/`, an old mdtoc pinned in
//! `hack/` (by commit, through a shell variable), no TOC convention, kubernetes/enhancements
//! itself, a `.kep-lsp.toml` with every key, one with bad values, KEPs under `kep/` with no
//! template of their own). Its `expected-findings.txt` holds the profile `check --verbose` prints
//! and every finding of `kep-lsp check` on the repository, exactly (path, range, severity,
//! code, message). KEPs that the repository's own tooling accepts have none; the real defects
//! (broken YAML, wrong types, unknown keys of their template, a TOC their CI would reject) do.
//!
//! `UPDATE_EXPECT=1 cargo test --test it workspace::profiles::` rewrites the files after a deliberate change.

use crate::common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kep_lsp::analysis::Options;
use kep_lsp::cli::check::check_paths;

const REPOS: &[&str] = &[
    "no-sigs",
    "capital-template",
    "docs-keps",
    "old-mdtoc",
    "no-toc",
    "enhancements",
    "configured",
    "bad-config",
    "kep-root",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profiles")
}

/// 1-based line and column (in chars) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// What `kep-lsp check` (no path) reports on the repository at `root`, as text.
fn render(root: &Path) -> String {
    let result = check_paths(
        &[root.to_path_buf()],
        root,
        &[],
        &Options::default(),
        Some(1),
        "2026-01-01",
    );
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let mut out = String::new();
    for (_, lines) in &result.profiles {
        for l in lines {
            writeln!(out, "# {l}").unwrap();
        }
    }
    for report in &result.reports {
        for f in &report.findings {
            let (l1, c1) = line_col(&report.text, f.range.start);
            let (l2, c2) = line_col(&report.text, f.range.end);
            writeln!(
                out,
                "{}:{l1}:{c1}-{l2}:{c2}: {}[{}]: {}",
                report.display,
                f.severity.as_str(),
                f.code.as_str(),
                f.message
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn each_repository_gets_exactly_its_expected_findings() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for name in REPOS {
        let root = fixtures().join(name);
        let got = render(&root);
        let file = root.join("expected-findings.txt");
        if update {
            std::fs::write(&file, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&file).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {name}: expected\n{want}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kubernetes_shaped_repositories_keep_every_rule() {
    // The shared copy of kubernetes/enhancements' keps/ (no go.mod, no hack/): recognised by its
    // sig-* folders.
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let detected = kep_lsp::workspace::profile::detect(&shared.join("enhancements"));
    assert_eq!(
        detected.profile.summary(),
        "kubernetes (KEP root keps, template embedded kubernetes/enhancements, SIG rules on, \
         PRR rules on, sig-node rules on, TOC mdtoc)"
    );
}

#[test]
fn check_without_a_path_checks_the_kep_root_of_the_repository_it_stands_in() {
    // From a folder inside the repository (docs/), not its root: the repository is found above.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .args([
            "check",
            "--verbose",
            "--no-color",
            "--today",
            "2026-01-01",
            "--format",
            "github",
        ])
        .current_dir(fixtures().join("docs-keps/docs"))
        .output()
        .expect("run kep-lsp");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    // Paths are shown relative to where the command runs.
    let files: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split("file=").nth(1))
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        files,
        [
            "keps/0006-queue-weights-follow-up/kep.yaml",
            "keps/0006-queue-weights-follow-up/kep.yaml"
        ],
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "  subproject (KEP root docs/keps, template docs/keps/NNNN-template, SIG rules off, \
             PRR rules off, sig-node rules off, TOC off)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_configured_template_folder_is_not_indexed_as_a_kep() {
    use kep_lsp::analysis::WorkspaceView;
    let (index, problems) = kep_lsp::workspace::WorkspaceIndex::scan(&fixtures().join("configured"));
    assert!(problems.is_empty(), "{problems:?}");
    let mut numbers: Vec<String> = index.keps().iter().map(|k| k.number.clone()).collect();
    numbers.sort();
    assert_eq!(numbers, ["201", "202"]);
}
