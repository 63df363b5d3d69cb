//! `new_kep` and `promote` on the fixture repository: the files and edits they produce, applied
//! and read back.

use crate::common::ide as ide_support;

use ide_support::{TODAY, ctx, knowledge};
use kep_lsp::analysis::apply_edits;
use kep_lsp::ide::scaffold::{NewKep, Promote, PrrChange, ScaffoldError, new_kep, promote, slug};
use saphyr::{LoadableYamlNode, Yaml};

fn req(sig: &str, title: &str) -> NewKep {
    NewKep {
        sig: sig.into(),
        title: title.into(),
        number: None,
        authors: vec!["alice".into(), "@bob".into()],
        today: TODAY.into(),
    }
}

#[test]
fn slugs() {
    assert_eq!(
        slug("Pod-level Checkpoint/Restore: Part 2!"),
        "pod-level-checkpoint-restore-part-2"
    );
    assert_eq!(slug("  ü  "), "");
}

#[test]
fn new_kep_fills_template_and_takes_next_number() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let files = new_kep(&req("sig-node", "Pod checkpoint: part two"), &ctx(&k, &ws)).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    // 5823 is the highest kep-number in the fixture.
    assert_eq!(
        paths,
        [
            "keps/sig-node/5824-pod-checkpoint-part-two/README.md",
            "keps/sig-node/5824-pod-checkpoint-part-two/kep.yaml"
        ]
    );
    let readme = &files[0].1;
    assert!(readme.contains("\n# KEP-5824: Pod checkpoint: part two\n"));
    assert!(!readme.contains("# KEP-NNNN"));
    let template = kep_lsp::knowledge::EMBEDDED_TEMPLATE_README;
    assert_eq!(
        readme,
        &template.replacen(
            "# KEP-NNNN: Your short, descriptive title",
            "# KEP-5824: Pod checkpoint: part two",
            1
        )
    );
    let yaml = &files[1].1;
    assert!(Yaml::load_from_str(yaml).is_ok());
    insta::assert_snapshot!("new_kep_yaml", yaml);
}

#[test]
fn new_kep_refuses_unknown_sig_existing_dir_and_empty_title() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let c = ctx(&k, &ws);
    assert_eq!(
        new_kep(&req("sig-nodes", "X"), &c),
        Err(ScaffoldError::UnknownSig(
            "sig-nodes".into(),
            Some("sig-node".into())
        ))
    );
    assert_eq!(
        new_kep(&req("sig-node", "  "), &c),
        Err(ScaffoldError::EmptyTitle)
    );
    let mut r = req("sig-apps", "DaemonSet Surge");
    r.number = Some(1591);
    assert_eq!(
        new_kep(&r, &c),
        Err(ScaffoldError::Exists("keps/sig-apps/1591-daemonset-surge".into()))
    );
}

#[test]
fn promote_rewrites_stage_and_milestones_keeping_comments() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let path = "keps/sig-node/5823-pod-level-checkpoint-restore/kep.yaml";
    let text = ws.text(path).to_string();
    let p = promote(
        &Promote {
            path: path.into(),
            text: text.clone(),
            stage: "beta".into(),
            milestone: Some("1.38".into()),
            today: TODAY.into(),
        },
        &ctx(&k, &ws),
    )
    .unwrap();
    let out = apply_edits(&text, &p.kep_yaml_edits);
    let expected = text
        .replacen(
            "creation-date: 2026-01-21\n",
            "creation-date: 2026-01-21\nlast-updated: 2026-11-25\n",
            1,
        )
        .replacen("stage: alpha", "stage: beta", 1)
        .replacen("latest-milestone: \"v1.37\"", "latest-milestone: \"v1.38\"", 1)
        .replacen(
            "  alpha: \"v1.37\"\n",
            "  alpha: \"v1.37\"\n  beta: \"v1.38\"\n",
            1,
        );
    assert_eq!(out, expected);
    assert!(Yaml::load_from_str(&out).is_ok());
    assert_eq!(p.prr_path, "keps/prod-readiness/sig-node/5823.yaml");
    let prr = ws.text(&p.prr_path);
    let PrrChange::Edit(edits) = &p.prr else {
        panic!("{:?}", p.prr)
    };
    assert_eq!(apply_edits(prr, edits), format!("{prr}beta:\n  approver: \"\"\n"));
    // 5823's README has the whole PRR questionnaire; nothing in kep.yaml is missing for beta.
    let stage_lacks: Vec<&str> = p
        .lacks
        .iter()
        .filter(|l| l.finding.message.starts_with("Stage"))
        .map(|l| l.finding.message.as_str())
        .collect();
    assert!(stage_lacks.is_empty(), "{stage_lacks:?}");
}

#[test]
fn promote_new_kep_creates_prr_file_and_lists_lacks() {
    let mut ws = ide_support::fixture();
    let k = knowledge();
    let files = new_kep(&req("sig-apps", "Faster rollouts"), &ctx(&k, &ws)).unwrap();
    for (p, t) in &files {
        ws.insert(p, t);
    }
    let (path, text) = files[1].clone();
    let p = promote(
        &Promote {
            path: path.clone(),
            text: text.clone(),
            stage: "alpha".into(),
            milestone: None,
            today: TODAY.into(),
        },
        &ctx(&k, &ws),
    )
    .unwrap();
    let out = apply_edits(&text, &p.kep_yaml_edits);
    // No milestone given: the release after the newest in the workspace (v1.37 -> v1.38).
    assert!(out.contains("\nstatus: implementable\n"));
    assert!(
        out.contains("\nlatest-milestone: \"v1.38\"\n") && out.contains("\nmilestone:\n  alpha: \"v1.38\"\n")
    );
    assert_eq!(p.prr_path, "keps/prod-readiness/sig-apps/5824.yaml");
    let PrrChange::Create(prr) = &p.prr else { panic!() };
    assert!(
        prr.contains("kep-number: 5824\nalpha:\n  approver: \"\"\n"),
        "{prr}"
    );
    let msgs: Vec<&str> = p.lacks.iter().map(|l| l.finding.message.as_str()).collect();
    assert!(
        msgs.contains(&"The PRR asks for the feature gates from alpha on."),
        "{msgs:?}"
    );
    assert!(msgs.contains(&"The PRR asks for disable-supported from alpha on."));
    // The new entry's approver is empty (R11): the PRR file's finding is listed.
    assert!(
        p.lacks
            .iter()
            .any(|l| l.finding.code == kep_lsp::analysis::Code::PrrApproverEmpty
                && l.path == "keps/prod-readiness/sig-apps/5824.yaml"),
        "{:?}",
        p.lacks
    );
    assert!(
        !msgs.iter().any(|m| m.starts_with("Stage alpha needs")),
        "the template has every section: {msgs:?}"
    );
    assert_eq!(
        promote(
            &Promote {
                path,
                text,
                stage: "gamma".into(),
                milestone: None,
                today: TODAY.into()
            },
            &ctx(&k, &ws)
        ),
        Err(ScaffoldError::NoStage("gamma".into()))
    );
}
