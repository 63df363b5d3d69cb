//! Opt-in rules: `misspelling` (R14) is off by default and turned on by `check --enable
//! misspelling` (the server's `enable` setting does the same through `analysis::Options`).

use std::process::Command;

use kep_lsp::analysis::{Code, Context, NoWorkspace, Options, analyze, analyze_with};
use kep_lsp::knowledge::Knowledge;

const README: &str = "# KEP-42: The Answer\n\n## Summary\n\nPods will recieve the answer.\n";

#[test]
fn misspellings_only_when_enabled() {
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        knowledge: &knowledge,
        workspace: &NoWorkspace,
        today: None,
        upcoming_minor: None,
    };
    let path = "keps/sig-foo/42-the-answer/README.md";
    let off = analyze(path, README, &ctx);
    assert!(off.findings.iter().all(|f| f.code != Code::Misspelling));
    let on = analyze_with(path, README, &ctx, &Options::enabling(&[Code::Misspelling]));
    let found: Vec<_> = on
        .findings
        .iter()
        .filter(|f| f.code == Code::Misspelling)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(&README[found[0].range.clone()], "recieve");
    let fixed = kep_lsp::analysis::apply_edits(README, &found[0].fixes[0].edits);
    assert!(fixed.contains("Pods will receive the answer."), "{fixed}");
}

#[test]
fn check_enable_misspelling() {
    let dir = std::env::temp_dir().join(format!("kep-lsp-opt-in-{}", std::process::id()));
    let kep = dir.join("keps/sig-foo/42-the-answer");
    std::fs::create_dir_all(&kep).unwrap();
    std::fs::write(kep.join("README.md"), README).unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
            .current_dir(&dir)
            .args(["check", "--format", "json", "--quiet"])
            .args(extra)
            .arg("keps/sig-foo/42-the-answer/README.md")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!run(&[]).contains("\"misspelling\""));
    let on = run(&["--enable", "misspelling"]);
    assert!(
        on.contains("\"code\": \"misspelling\"") || on.contains("\"code\":\"misspelling\""),
        "{on}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
