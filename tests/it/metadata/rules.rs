//! One test per metadata rule (R1-R5, R7, R8, R17-R20 and the §8 additions): exact codes,
//! severities and ranges (as the text under the range or line:col), fixes applied and checked.
//! Where a test only reads the findings of one kep.yaml and its fixes, the file and what it
//! gives are data (`cases::check`, tests/fixtures/meta/cases/NAME/); the rest is code.

use crate::common;

use super::cases;

use common::*;
use kep_lsp::analysis::Severity;

fn codes(a: &kep_lsp::analysis::Analysis) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn minimal_kep_is_clean() {
    let a = run_alone(MINIMAL_PATH, MINIMAL);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
    let m = a.metadata.unwrap();
    assert_eq!(m.kep_number.unwrap().value, "753");
}

#[test]
fn r1_yaml_syntax_at_the_line_and_the_rest_still_checked() {
    cases::check(&["r1-yaml-syntax-and-the-rest-still-checked"]);
}

#[test]
fn r2_unknown_field_did_you_mean_editor() {
    cases::check(&["r2-unknown-field-did-you-mean-editor"]);
}

#[test]
fn r2_quirk_keys_are_warnings_and_nested_keys_are_checked() {
    cases::check(&["r2-quirk-keys-and-nested-keys"]);
}

#[test]
fn r3_duplicate_key_with_fix_removing_the_second() {
    cases::check(&["r3-duplicate-key"]);
}

#[test]
fn r4_wrong_types() {
    cases::check(&["r4-wrong-types"]);
}

#[test]
fn r5_missing_field_inserts_a_default() {
    cases::check(&[
        "r5-missing-status-inserts-a-default",
        "r5-missing-number-and-sig-from-the-folder",
    ]);
}

#[test]
fn r5_empty_values() {
    cases::check(&["r5-empty-values"]);
}

#[test]
fn empty_and_non_mapping_files() {
    cases::check(&["r1-empty-file", "r1-only-a-comment", "r4-a-list-not-a-mapping"]);
}

#[test]
fn r7_implementable_needs_stage_and_latest_milestone() {
    let t = MINIMAL.replace("provisional", "implementable") + "milestone:\n  alpha: \"v1.30\"\n";
    let a = run_alone(MINIMAL_PATH, &t);
    let lines = render(&t, &a);
    assert_eq!(
        lines,
        [
            "missing-milestone-or-stage error 'implementable'",
            "missing-milestone-or-stage error 'implementable'"
        ]
    );
    assert!(
        a.findings
            .iter()
            .any(|f| f.message.starts_with("missing the latest milestone field"))
    );
    assert!(
        a.findings
            .iter()
            .any(|f| f.message.starts_with("missing the stage field"))
    );
    let stage_fix = a
        .findings
        .iter()
        .find(|f| f.message.contains("stage field"))
        .unwrap();
    let t2 = fixed(&t, stage_fix);
    assert!(t2.contains("stage: alpha\nmilestone:"), "{t2}");
    let a2 = run_alone(MINIMAL_PATH, &t2);
    let latest_fix = only(&a2, "missing-milestone-or-stage");
    let t3 = fixed(&t2, latest_fix);
    assert!(t3.contains("latest-milestone: \"v1.30\"\nmilestone:"), "{t3}");
    assert!(
        run_alone(MINIMAL_PATH, &t3).findings.is_empty(),
        "{:#?}",
        run_alone(MINIMAL_PATH, &t3).findings
    );
}

#[test]
fn r8_latest_milestone_must_parse() {
    cases::check(&[
        "r8-unparsable-milestone-provisional",
        "r8-unparsable-milestone-implementable",
        "r8-empty-milestone-provisional",
        "r8-empty-milestone-implementable",
        "r8-tolerant-1-30",
        "r8-tolerant-v1-30-unquoted",
        "r8-tolerant-v1-30-0",
    ]);
}

#[test]
fn r17_invalid_status_with_did_you_mean() {
    let text = fixture("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml");
    let path = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";
    let a = run_alone(path, &text);
    let f = only(&a, "invalid-status");
    assert_eq!(
        (f.severity, &text[f.range.clone()]),
        (Severity::Error, "imlpemented")
    );
    assert_eq!(line_col(&text, f.range.start), "8:8");
    assert!(f.message.starts_with(
        "invalid status: imlpemented, should be one of [provisional implementable implemented deferred rejected withdrawn replaced]"
    ));
    let after = fixed(&text, f);
    assert!(after.contains("\nstatus: implemented\n"));
    let errors: Vec<_> = run_alone(path, &after)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn r17_legacy_statuses_are_history() {
    let t = "---\ntitle: Old\nauthors:\n  - \"@a\"\nowning-sig: sig-node\nstatus: accepted\n---\n# Old\n";
    let a = run_alone("keps/sig-node/20180101-old.md", t);
    let f = only(&a, "legacy-status");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Info, "accepted"));
}

#[test]
fn r19_groups() {
    cases::check(&["r19-groups"]);
}

#[test]
fn r20_implemented_feature_needs_stable_but_removals_may_end_earlier() {
    cases::check(&["r20-implemented-at-beta"]);

    let path = "keps/sig-network/4004-deprecate-kube-proxy-version/kep.yaml";
    let text = fixture(path);
    let a = run_alone(path, &text);
    assert!(
        a.findings.iter().all(|f| f.severity != Severity::Error),
        "{:#?}",
        a.findings
    );
    assert!(!codes(&a).contains(&"implemented-not-stable"));
}

#[test]
fn milestones_order_and_stage() {
    cases::check(&[
        "milestones-out-of-order-and-stage",
        "milestones-stage-without-its-milestone",
    ]);
}

#[test]
fn dates() {
    let path = "keps/sig-scheduling/5075-dra-consumable-capacity/kep.yaml";
    let text = fixture(path);
    let a = run_alone(path, &text);
    let f = only(&a, "invalid-date");
    assert_eq!(
        (f.severity, &text[f.range.clone()]),
        (Severity::Warning, "2025-30-01")
    );
    assert!(!codes(&a).contains(&"yaml-syntax"));
    assert!(fixed(&text, f).contains("creation-date: 2025-01-30\n"));

    let t = MINIMAL.to_string() + "creation-date: 2026-09-01\nlast-updated: \"2020-01-01\"\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        [
            "date-order warning '2026-09-01'",
            "date-order warning '\"2020-01-01\"'"
        ]
    );
    assert!(a.findings[0].message.contains("in the future"));
}

#[test]
fn handles() {
    let path = "keps/sig-apps/19-Graduate-CronJob-to-Stable/kep.yaml";
    let text = fixture(path);
    let a = run_alone(path, &text);
    let quotes: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "invalid-handle")
        .collect();
    assert!(!quotes.is_empty());
    for f in &quotes {
        assert_eq!(f.severity, Severity::Warning);
        assert!(text[f.range.clone()].starts_with('“'));
    }
    let after = fixed(&text, quotes[0]);
    assert!(!after[quotes[0].range.start..].starts_with('“'));
    assert!(after[quotes[0].range.start..].starts_with("\"@"));

    let t = MINIMAL.replace(
        "\"@bob\"",
        "\"@quinton_hoole\"\n  - \"@kubernetes/sig-x\"\n  - \"@deads2k - for the API part\"\n  - TBD",
    );
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        [
            "invalid-handle warning '\"@quinton_hoole\"'",
            "invalid-handle warning '\"@kubernetes/sig-x\"'",
            "invalid-handle warning '\"@deads2k - for the API part\"'",
            "template-leftover hint 'TBD'"
        ]
    );
}

#[test]
fn duplicate_entries() {
    let t = MINIMAL.replace("  - \"@bob\"\n", "  - \"@bob\"\n  - bob # again\n");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "duplicate-entry");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Warning, "bob"));
    assert_eq!(fixed(&t, f), MINIMAL);
}

#[test]
fn template_leftovers_in_a_real_kep() {
    let text = fixture("template/kep.yaml");
    let path = "keps/sig-api-machinery/5000-api-linting/kep.yaml";
    let a = run_alone(path, &text);
    let lines = render(&text, &a);
    for expected in [
        "template-leftover warning 'KEP Template'",
        "template-leftover warning 'NNNN'",
        "template-leftover warning '\"@jane.doe\"'",
        "template-leftover warning 'sig-xyz'",
        "unknown-sig error 'sig-xyz'",
        "template-leftover warning 'provisional|implementable|implemented|deferred|rejected|withdrawn|replaced'",
        "invalid-status error 'provisional|implementable|implemented|deferred|rejected|withdrawn|replaced'",
        "template-leftover warning 'alpha|beta|stable'",
        "invalid-stage error 'alpha|beta|stable'",
        "template-leftover warning 'yyyy-mm-dd'",
        "template-leftover warning 'MyFeature'",
        "template-leftover warning 'my_feature_metric'",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing {expected} in {lines:#?}"
        );
    }
    // The template itself, at its own path, is lenient.
    let a = run_alone("keps/NNNN-kep-template/kep.yaml", &text);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn replaced_without_successor() {
    let t = MINIMAL.replace("provisional", "replaced");
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(render(&t, &a), ["replaced-without-successor warning 'replaced'"]);
}

#[test]
fn legacy_kep_1_has_no_errors() {
    let text = fixture("legacy/keps__0001-kubernetes-enhancement-proposal-process.md");
    let path = "keps/0001-kubernetes-enhancement-proposal-process.md";
    let a = run_alone(path, &text);
    assert_eq!(a.kind, Some(kep_lsp::analysis::DocumentKind::LegacyKep));
    let meta_findings: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.range.end <= text.find("\n---\n").unwrap() + 1)
        .map(|f| {
            format!(
                "{} {} '{}'",
                f.code.as_str(),
                f.severity.as_str(),
                &text[f.range.clone()]
            )
        })
        .collect();
    assert_eq!(meta_findings, ["retired-sig warning 'kubernetes-wide'"]);
    let m = a.metadata.unwrap();
    assert_eq!(m.reviewers[0].value, "@timothysc");
    assert_eq!(m.editor.unwrap().value, "@jbeda");
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error));
}

/// The whole report for the template's kep.yaml dropped into a real KEP folder, messages and
/// fixes included (read the snapshot: it is the behaviour).
#[test]
fn snapshot_template_in_a_real_folder() {
    let text = fixture("template/kep.yaml");
    let path = "keps/sig-node/753-sidecar-containers/kep.yaml";
    let a = run_alone(path, &text);
    let report: Vec<String> = a
        .findings
        .iter()
        .map(|f| {
            let fixes: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
            format!(
                "{} {} {} '{}': {}{}",
                line_col(&text, f.range.start),
                f.severity.as_str(),
                f.code.as_str(),
                &text[f.range.clone()],
                f.message,
                if fixes.is_empty() {
                    String::new()
                } else {
                    format!(" [fix: {}]", fixes.join("; "))
                }
            )
        })
        .collect();
    insta::assert_snapshot!(report.join("\n"));
}

/// The 2017 draft of KEP-1 wrote people as maps (`- name: Caleb Miles` / `github: calebamiles` /
/// `slack: ...`): the handle is `github`, so `name` (a person's name) is not "not a handle".
#[test]
fn draft_2017_people_maps_take_the_github_handle() {
    let text = fixture("legacy/keps__0001-kep-process-2017-draft.md");
    let path = "keps/0001-kubernetes-enhancement-proposal-process.md";
    let a = run_alone(path, &text);
    assert_eq!(a.kind, Some(kep_lsp::analysis::DocumentKind::LegacyKep));
    let end = text.find("\n---\n").unwrap() + 1;
    let meta_findings: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.range.end <= end)
        .map(|f| {
            format!(
                "{}-{} {} {} '{}'",
                line_col(&text, f.range.start),
                line_col(&text, f.range.end),
                f.code.as_str(),
                f.severity.as_str(),
                &text[f.range.clone()]
            )
        })
        .collect();
    // No invalid-handle on `Caleb Miles`; the draft's placeholders and status are what they are.
    assert_eq!(
        meta_findings,
        [
            "14:4-14:19 retired-sig warning 'kubernetes-wide'",
            "16:10-16:13 template-leftover hint 'TBD'",
            "18:10-18:13 template-leftover hint 'TBD'",
            "20:8-20:11 template-leftover hint 'TBD'",
            "22:8-22:13 legacy-status info 'draft'",
        ]
    );
    let m = a.metadata.unwrap();
    let authors: Vec<&str> = m.authors.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(authors, ["calebamiles", "jbeda"]);
    assert_eq!(line_col(&text, m.authors[0].span.start), "6:12");
}

/// A group written without its `sig-` prefix gets the prefixed group as did-you-mean and fix.
#[test]
fn group_without_its_prefix_gets_did_you_mean() {
    let t = MINIMAL.replace(
        "owning-sig: sig-node",
        "owning-sig: api-machinery\nparticipating-sigs:\n  - node",
    );
    let a = run_alone(MINIMAL_PATH, &t);
    let unknown: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "unknown-sig")
        .map(|f| {
            // The message's start is upstream's words (`invalid owning-sig: ...`); the hint ends it.
            let hint = f.message.rsplit_once(": ").map_or("", |(_, h)| h);
            format!(
                "{}-{} {} '{}': {hint} / {}",
                line_col(&t, f.range.start),
                line_col(&t, f.range.end),
                f.severity.as_str(),
                &t[f.range.clone()],
                f.fixes[0].title
            )
        })
        .collect();
    assert_eq!(
        unknown,
        [
            "5:12-5:25 error 'api-machinery': did you mean `sig-api-machinery`? / Change to `sig-api-machinery`",
            "7:4-7:8 error 'node': did you mean `sig-node`? / Change to `sig-node`",
        ]
    );
    let fixed = fixed(
        &t,
        a.findings
            .iter()
            .find(|f| f.code.as_str() == "unknown-sig")
            .unwrap(),
    );
    assert!(fixed.contains("owning-sig: sig-api-machinery\n"), "{fixed}");
}

#[test]
fn anchors_aliases_and_merge_keys_read_as_yaml_v3() {
    let t = MINIMAL.replace("approvers:\n  - \"@bob\"\n", "approvers: &people\n  - \"@bob\"\n")
        + "reviewers: *people\nmilestone:\n  <<: {alpha: \"v1.30\"}\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(render(&t, &a), Vec::<String>::new());
    let t = MINIMAL.to_string() + "milestone:\n  <<: 5\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(render(&t, &a), ["wrong-type error '<<'"]);
    assert!(
        a.findings[0]
            .message
            .starts_with("map merge requires map or sequence of maps")
    );
}
