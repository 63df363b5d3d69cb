//! R16: the upstream pkg/nodeapprovers fixtures (tests/fixtures/meta/nodeapprovers), each case
//! placed at keps/sig-node/<case>/ of an in-memory repository; expected results as upstream's
//! verify_test.go states them (it runs with upcoming minor 37, as `TODAY`'s release calendar
//! gives). `release/` holds our cases for the upcoming release: pinned through
//! `Context::upcoming_minor`, taken from the calendar, or unknown.

use crate::common;

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
    let alpha_lead = "approvers: alpha-stage KEP must list at least one sig-node-tech-leads member as approver (dchen1107, mrunalp); assuming the upcoming release is v1.37";
    let non_alpha = "approvers: non-alpha KEP must list a sig-node-tech-leads member or an approver marked # sig-node-assigned-approver";
    for (case, expected) in [
        ("alpha-valid", vec![]),
        ("alpha-missing-techlead", vec![alpha_lead.to_string()]),
        (
            "alpha-marker-not-allowed",
            vec!["\"@tallclair\": alpha-stage KEP must not use # sig-node-assigned-approver marker (\"tallclair\"); assuming the upcoming release is v1.37".to_string()],
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

/// `sig-node-approvers` findings as `line:col-line:col text: message`, with the upcoming release
/// pinned (`Some(minor)`) or left to `today` (`None`, with `today` possibly absent).
fn r16_with(ws: &MemWorkspace, case: &str, upcoming_minor: Option<u64>, today: Option<&str>) -> Vec<String> {
    let path = format!("keps/sig-node/{case}/kep.yaml");
    let text = ws.text(&path).to_string();
    let knowledge = kep_lsp::knowledge::Knowledge::embedded().with_owners_aliases(ws.text("OWNERS_ALIASES"));
    let ctx = kep_lsp::analysis::Context {
        knowledge: &knowledge,
        workspace: ws,
        today,
        upcoming_minor,
    };
    kep_lsp::analysis::analyze(&path, &text, &ctx)
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "sig-node-approvers")
        .map(|f| {
            format!(
                "{}-{} {}: {}",
                line_col(&text, f.range.start),
                line_col(&text, f.range.end),
                &text[f.range.clone()],
                f.message
            )
        })
        .collect()
}

fn release_ws() -> MemWorkspace {
    let techleads = root().join("techleads");
    let release = root().join("release");
    MemWorkspace::new()
        .load(&techleads, "keps/sig-node/", false)
        .load(&release, "keps/sig-node/", false)
        .with(
            "OWNERS_ALIASES",
            &std::fs::read_to_string(release.join("OWNERS_ALIASES")).unwrap(),
        )
}

#[test]
fn the_upcoming_release_decides_what_actively_alpha_means() {
    let ws = release_ws();
    // An alpha KEP of a past cycle (v1.36 while v1.37 is upcoming) may carry a marked approver
    // already, and without one is told so as an alpha KEP, naming the release assumed.
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", Some(37), None),
        Vec::<String>::new()
    );
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-none", Some(37), None),
        [
            "5:0-5:9 approvers: alpha-stage KEP from a past cycle (latest-milestone v1.36, before the upcoming release) must list a sig-node-tech-leads member or an approver marked # sig-node-assigned-approver; assuming the upcoming release is v1.37"
        ]
    );
    // The same KEP while v1.36 is upcoming is actively alpha.
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", Some(36), None),
        [
            "5:0-5:9 approvers: alpha-stage KEP must list at least one sig-node-tech-leads member as approver (dchen1107, mrunalp); assuming the upcoming release is v1.36",
            "6:4-6:16 \"@tallclair\": alpha-stage KEP must not use # sig-node-assigned-approver marker (\"tallclair\"); assuming the upcoming release is v1.36",
        ]
    );
    // Upstream's case with a marker on an alpha v1.37 KEP passes once v1.38 is upcoming.
    assert_eq!(
        r16_with(&ws, "alpha-marker-not-allowed", Some(38), None),
        Vec::<String>::new()
    );
    // From the calendar: 2026-06-01 is in the v1.37 cycle; 2026-10-01 in v1.38's (estimated).
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", None, Some("2026-03-01")).len(),
        2
    );
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", None, Some("2026-06-01")),
        Vec::<String>::new()
    );
    assert_eq!(
        r16_with(&ws, "alpha-missing-techlead", None, Some("2026-10-01")),
        [
            "5:0-5:9 approvers: alpha-stage KEP from a past cycle (latest-milestone v1.37, before the upcoming release) must list a sig-node-tech-leads member or an approver marked # sig-node-assigned-approver; assuming the upcoming release is v1.38 (estimated by the release calendar)"
        ]
    );
    // A pinned release wins over the calendar.
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", Some(37), Some("2026-03-01")),
        Vec::<String>::new()
    );
}

#[test]
fn without_a_release_only_what_fails_for_any_release_is_reported() {
    let ws = release_ws();
    // Passes when the KEP is of a past cycle, fails when actively alpha: unknown, so silent.
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-marked", None, None),
        Vec::<String>::new()
    );
    assert_eq!(
        r16_with(&ws, "alpha-marker-not-allowed", None, None),
        Vec::<String>::new()
    );
    // Neither a tech lead nor a marker fails either way.
    assert_eq!(
        r16_with(&ws, "alpha-past-cycle-none", None, None),
        [
            "5:0-5:9 approvers: alpha-stage KEP must list a sig-node-tech-leads member as approver (dchen1107, mrunalp), or, once its latest-milestone is before the upcoming release, an approver marked # sig-node-assigned-approver"
        ]
    );
    // Non-alpha KEPs do not depend on the release.
    assert_eq!(
        r16_with(&ws, "beta-missing", None, None),
        [
            "5:0-5:9 approvers: non-alpha KEP must list a sig-node-tech-leads member or an approver marked # sig-node-assigned-approver"
        ]
    );
    // Another KEP's later latest-milestone changes nothing (the tree is not asked).
    let later = ws.clone().with(
        "keps/sig-node/99-future/kep.yaml",
        "title: Future\nkep-number: 99\nowning-sig: sig-node\nstage: beta\napprovers:\n  - \"@dchen1107\"\nlatest-milestone: \"v1.40\"\n",
    );
    assert_eq!(
        r16_with(&later, "alpha-past-cycle-marked", Some(37), None),
        Vec::<String>::new()
    );
}

/// `check --release` pins the upcoming release; without it `--today` picks it from the calendar;
/// a release that is not one is a usage error.
#[test]
fn check_takes_the_release_from_the_flag_or_the_date() {
    let dir = std::env::temp_dir().join(format!("kep-lsp-release-flag-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let kep = dir.join("keps/sig-node/11-alpha-past-cycle-marked");
    std::fs::create_dir_all(&kep).unwrap();
    let case = root().join("release/alpha-past-cycle-marked");
    std::fs::copy(case.join("kep.yaml"), kep.join("kep.yaml")).unwrap();
    std::fs::copy(case.join("OWNERS"), kep.join("OWNERS")).unwrap();
    std::fs::copy(root().join("release/OWNERS_ALIASES"), dir.join("OWNERS_ALIASES")).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
            .args(["check", "--quiet", "--disable", "readme-without-metadata"])
            .args(args)
            .arg("keps/sig-node/11-alpha-past-cycle-marked/kep.yaml")
            .current_dir(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let r16: Vec<String> = stdout
            .lines()
            .filter(|l| l.contains("[sig-node-approvers]"))
            .map(str::to_owned)
            .collect();
        (out.status.code(), r16, String::from_utf8(out.stderr).unwrap())
    };
    let file = "keps/sig-node/11-alpha-past-cycle-marked/kep.yaml";
    let (_, r16, _) = run(&["--today", "2026-03-01", "--release", "v1.37"]);
    assert_eq!(r16, Vec::<String>::new());
    let (code, r16, _) = run(&["--today", "2026-07-01", "--release", "v1.36"]);
    assert_eq!(
        r16,
        [
            format!(
                "{file}:5:1: error[sig-node-approvers]: alpha-stage KEP must list at least one sig-node-tech-leads member as approver (dchen1107, mrunalp); assuming the upcoming release is v1.36"
            ),
            format!(
                "{file}:6:5: error[sig-node-approvers]: alpha-stage KEP must not use # sig-node-assigned-approver marker (\"tallclair\"); assuming the upcoming release is v1.36"
            ),
        ]
    );
    assert_eq!(code, Some(1));
    // 2026-03-01 is in the v1.36 cycle by the calendar.
    let (_, by_date, _) = run(&["--today", "2026-03-01"]);
    assert_eq!(by_date, r16);
    let (code, _, stderr) = run(&["--release", "v2.0"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("`v2.0` is not a Kubernetes release like v1.37"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
