//! One test per metadata rule (R1-R5, R7, R8, R17-R20 and the §8 additions): exact codes,
//! severities and ranges (as the text under the range or line:col), fixes applied and checked.

use crate::common;

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
    let t = MINIMAL.replace(
        "status: provisional",
        "status: imlpemented\nbad: [unclosed: x\n  - y",
    );
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "yaml-syntax");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.starts_with("yaml: line "), "{}", f.message);
    assert!(!f.range.is_empty());
    // The status before the error is still read and checked.
    assert_eq!(&t[only(&a, "invalid-status").range.clone()], "imlpemented");
}

#[test]
fn r2_unknown_field_did_you_mean_editor() {
    let t = format!("{MINIMAL}editors: \"@carol\"\n");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "unknown-field");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Error, "editors"));
    assert_eq!(line_col(&t, f.range.start), "9:0");
    assert!(f.message.contains("field editors not found in type api.Proposal"));
    assert_eq!(fixed(&t, f), format!("{MINIMAL}editor: \"@carol\"\n"));
    assert!(run_alone(MINIMAL_PATH, &fixed(&t, f)).findings.is_empty());
}

#[test]
fn r2_quirk_keys_are_warnings_and_nested_keys_are_checked() {
    let t = format!(
        "{MINIMAL}name: x\nmilestone:\n  alpha: \"v1.30\"\n  gamma: \"v1.31\"\nfeature-gates:\n  - name: Foo\n    component: [kubelet]\n"
    );
    let a = run_alone(MINIMAL_PATH, &t);
    let lines = render(&t, &a);
    assert_eq!(
        lines,
        [
            "unknown-field warning 'name'",
            "unknown-field error 'gamma'",
            "unknown-field error 'component'",
        ]
    );
    let comp = a
        .findings
        .iter()
        .find(|f| &t[f.range.clone()] == "component")
        .unwrap();
    assert!(fixed(&t, comp).contains("    components: [kubelet]"));
}

#[test]
fn r3_duplicate_key_with_fix_removing_the_second() {
    let t = MINIMAL.replace("status: provisional\n", "status: provisional\ntitle: Again\n");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "duplicate-key");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(line_col(&t, f.range.start), "7:0");
    assert_eq!(&t[f.range.clone()], "title");
    assert!(f.message.contains("already defined at line 1"), "{}", f.message);
    assert_eq!(fixed(&t, f), MINIMAL);
}

#[test]
fn r4_wrong_types() {
    let t = MINIMAL
        .replace("authors:\n  - \"@alice\"", "authors: \"@alice\"")
        .replace("title: Sidecar containers", "title: [a, b]")
        + "disable-supported: maybe\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        [
            "wrong-type error '[a, b]'",
            "wrong-type error '\"@alice\"'",
            "wrong-type error 'maybe'"
        ]
    );
    assert!(
        a.findings[0]
            .message
            .contains("cannot unmarshal !!seq into string")
    );
    assert!(
        a.findings[1]
            .message
            .contains("cannot unmarshal !!str `@alice` into []string")
    );
    let fixed_authors = fixed(&t, &a.findings[1]);
    assert!(
        fixed_authors.contains("authors:\n  - \"@alice\"\n"),
        "{fixed_authors}"
    );
}

#[test]
fn r5_missing_field_inserts_a_default() {
    let t = MINIMAL.replace("status: provisional\n", "");
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "missing-field");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(&t[f.range.clone()], "title", "points at the first key");
    assert!(
        f.message.contains("'Status' failed on the 'required' tag"),
        "{}",
        f.message
    );
    let after = fixed(&t, f);
    assert_eq!(
        after,
        MINIMAL
            .replace("approvers:", "status: provisional\napprovers:")
            .replace("status: provisional\nstatus: provisional", "status: provisional")
    );
    assert!(run_alone(MINIMAL_PATH, &after).findings.is_empty());

    // kep-number and owning-sig come from the folder.
    let t = MINIMAL
        .replace("kep-number: 753\n", "")
        .replace("owning-sig: sig-node\n", "");
    let a = run_alone(MINIMAL_PATH, &t);
    let fixes: Vec<String> = a.findings.iter().map(|f| f.fixes[0].title.clone()).collect();
    assert_eq!(fixes, ["Add `kep-number: 753`", "Add `owning-sig: sig-node`"]);
}

#[test]
fn r5_empty_values() {
    let t = MINIMAL
        .replace("title: Sidecar containers", "title: \"\"")
        .replace("approvers:\n  - \"@bob\"", "approvers: []");
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        ["missing-field error 'title'", "empty-field warning '[]'"]
    );
}

#[test]
fn empty_and_non_mapping_files() {
    // yaml.v3's Decoder finds no document in an empty file: `unmarshalling YAML: EOF`.
    let a = run_alone(MINIMAL_PATH, "");
    assert_eq!(codes(&a), ["yaml-syntax"]);
    assert!(a.findings[0].message.starts_with("unmarshalling YAML: EOF"));
    assert_eq!(a.findings[0].range, 0..0);
    let a = run_alone(MINIMAL_PATH, "# only a comment\n");
    assert_eq!(codes(&a), ["yaml-syntax"]);
    let a = run_alone(MINIMAL_PATH, "- a\n- b\n");
    assert_eq!(render("- a\n- b\n", &a), ["wrong-type error '- a\n- b'"]);
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
    let base = MINIMAL.to_string() + "stage: alpha\nlatest-milestone: \"v1.3x\"\n";
    let a = run_alone(MINIMAL_PATH, &base);
    assert_eq!(render(&base, &a), ["invalid-milestone warning '\"v1.3x\"'"]);
    let t = base.replace("provisional", "implementable");
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(render(&t, &a), ["invalid-milestone error '\"v1.3x\"'"]);
    assert!(
        a.findings[0]
            .message
            .starts_with("creating a SemVer object for latest milestone")
    );
    // An empty value is unset: nothing on a provisional KEP, R7 on an implementable one.
    let empty = base.replace("\"v1.3x\"", "\"\"");
    assert!(run_alone(MINIMAL_PATH, &empty).findings.is_empty());
    let empty = empty.replace("provisional", "implementable");
    let a = run_alone(MINIMAL_PATH, &empty);
    assert_eq!(
        render(&empty, &a),
        ["missing-milestone-or-stage error 'implementable'"]
    );
    // Tolerant forms pass.
    for ok in ["\"1.30\"", "v1.30", "\"v1.30.0\""] {
        let t = base.replace("\"v1.3x\"", ok);
        assert!(run_alone(MINIMAL_PATH, &t).findings.is_empty(), "{ok}");
    }
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
    let t = MINIMAL.replace("owning-sig: sig-node", "owning-sig: sig-nodes")
        + "participating-sigs:\n  - wg-multitenancy\n  - not-a-group\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        [
            "unknown-sig error 'sig-nodes'",
            "retired-sig error 'wg-multitenancy'",
            "unknown-sig error 'not-a-group'"
        ]
    );
    assert!(a.findings[0].message.contains("did you mean `sig-node`?"));
    assert!(fixed(&t, &a.findings[0]).contains("owning-sig: sig-node\n"));
    assert!(a.findings[2].fixes.is_empty());
}

#[test]
fn r20_implemented_feature_needs_stable_but_removals_may_end_earlier() {
    let t = MINIMAL.replace("provisional", "implemented")
        + "stage: \"beta\"\nlatest-milestone: \"v1.30\"\nmilestone:\n  beta: \"v1.30\"\n";
    let a = run_alone(MINIMAL_PATH, &t);
    let f = only(&a, "implemented-not-stable");
    assert_eq!((f.severity, &t[f.range.clone()]), (Severity::Error, "\"beta\""));
    assert_eq!(
        f.message,
        "status:implemented implies stage:stable but found: beta"
    );
    assert!(fixed(&t, f).contains("stage: \"stable\"\n"));

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
    let t = MINIMAL.to_string()
        + "stage: beta\nlatest-milestone: \"v1.29\"\nmilestone:\n  alpha: \"v1.31\"\n  beta: \"v1.30\"\n  stable: TBD\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(
        render(&t, &a),
        [
            "milestone-stage-mismatch warning '\"v1.29\"'",
            "milestone-order warning '\"v1.30\"'",
            "invalid-milestone hint 'TBD'"
        ]
    );
    let t = MINIMAL.to_string() + "stage: beta\nmilestone:\n  alpha: \"v1.31\"\n";
    let a = run_alone(MINIMAL_PATH, &t);
    assert_eq!(render(&t, &a), ["milestone-stage-mismatch warning 'beta'"]);
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
