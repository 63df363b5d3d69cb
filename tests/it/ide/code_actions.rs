//! Code actions on real KEPs: each action's edits are applied and the result checked (the
//! section or field is where the template puts it, the YAML still parses).

use crate::common::ide as ide_support;

use ide_support::{ctx, knowledge};
use kep_lsp::analysis::{Code, Finding, Fix, TextEdit, analyze, apply_edits};
use kep_lsp::ide::code_actions::{ActionKind, CodeAction, code_actions, fix_all};
use kep_lsp::syntax::headings::headings;
use saphyr::{LoadableYamlNode, Yaml};

const R1591: &str = "keps/sig-apps/1591-daemonset-surge/README.md";
const K1591: &str = "keps/sig-apps/1591-daemonset-surge/kep.yaml";
const K2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";

fn actions(
    ws: &crate::common::MemWorkspace,
    path: &str,
    text: &str,
    at: usize,
    findings: &[Finding],
) -> Vec<CodeAction> {
    let k = knowledge();
    code_actions(path, text, at..at, &ctx(&k, ws), findings)
}

fn titled<'a>(acts: &'a [CodeAction], title: &str) -> &'a CodeAction {
    acts.iter().find(|a| a.title == title).unwrap_or_else(|| {
        panic!(
            "no action {title:?} in {:?}",
            acts.iter().map(|a| &a.title).collect::<Vec<_>>()
        )
    })
}

fn parses(yaml: &str) -> bool {
    Yaml::load_from_str(yaml).is_ok()
}

/// The real analysis of `text` as the file at `path` in the fixture workspace.
fn findings(ws: &crate::common::MemWorkspace, path: &str, text: &str) -> Vec<Finding> {
    let k = knowledge();
    analyze(path, text, &ctx(&k, ws)).findings
}

/// Whether a finding of `code` whose message contains `needle` is reported.
fn has(fs: &[Finding], code: Code, needle: &str) -> bool {
    fs.iter().any(|f| f.code == code && f.message.contains(needle))
}

fn heading_titles(text: &str) -> Vec<String> {
    headings(text)
        .into_iter()
        .map(|h| format!("{} {}", "#".repeat(h.level), h.text))
        .collect()
}

#[test]
fn insert_missing_section_after_its_template_predecessor_with_guidance() {
    let ws = ide_support::fixture();
    let text = ws.text(R1591);
    let at = text.find("## Implementation History").unwrap() + 5;
    let acts = actions(&ws, R1591, text, at, &[]);
    let names: Vec<&str> = acts
        .iter()
        .filter(|a| a.title.starts_with("Insert"))
        .map(|a| a.title.as_str())
        .collect();
    // Only what follows Implementation History at its level (it has no template children).
    assert_eq!(
        names,
        [
            "Insert the \"Drawbacks\" section",
            "Insert the \"Alternatives\" section",
            "Insert the \"Infrastructure Needed\" section"
        ]
    );
    let a = titled(&acts, "Insert the \"Drawbacks\" section");
    assert_eq!(a.kind, ActionKind::QuickFix);
    let out = apply_edits(text, &a.edits);
    let hs = heading_titles(&out);
    let i = hs.iter().position(|h| h == "## Implementation History").unwrap();
    assert_eq!(hs[i + 1], "## Drawbacks");
    assert!(out.contains("\n## Drawbacks\n\n<!--\nWhy should this KEP _not_ be implemented?\n-->"));
    // Only the inserted text changed, and the TOC gained its entry (so that the fix does not
    // leave a stale TOC, which CI rejects).
    assert_eq!(a.edits.len(), 2);
    let entry = "- [Drawbacks](#drawbacks)\n";
    assert!(!text.contains(entry) && out.contains(entry));
    assert_eq!(out.len(), text.len() + a.edits[1].new_text.len() + entry.len());
    assert!(!has(&findings(&ws, R1591, &out), Code::TocStale, ""));
}

#[test]
fn insert_a_reported_missing_section_and_the_finding_is_gone() {
    let ws = ide_support::fixture();
    let text = ws.text(R1591);
    // 1591 has Goals but no Non-Goals: the README rules report it.
    let before = findings(&ws, R1591, text);
    let needle = "\"Non-Goals\" section is missing";
    let fi = before
        .iter()
        .position(|f| f.code == Code::MissingSection && f.message.contains(needle))
        .unwrap();
    let at = text.find("### Goals").unwrap() + 4;
    let acts = actions(&ws, R1591, text, at, &before);
    let a = titled(&acts, "Insert the \"Non-Goals\" section");
    // The same edit as the finding's fix, offered once.
    assert_eq!(a.fixes_findings, vec![fi]);
    assert_eq!(acts.iter().filter(|x| x.title == a.title).count(), 1);
    let out = apply_edits(text, &a.edits);
    let hs = heading_titles(&out);
    let g = hs.iter().position(|h| h == "### Goals").unwrap();
    assert_eq!(hs[g + 1], "### Non-Goals");
    let after = findings(&ws, R1591, &out);
    assert!(!has(&after, Code::MissingSection, needle), "{after:?}");
}

#[test]
fn insert_missing_child_section_after_present_sibling() {
    let ws = ide_support::fixture();
    let text = ws.text(R1591);
    let at = text.find("## Design Details").unwrap() + 3;
    let acts = actions(&ws, R1591, text, at, &[]);
    let a = titled(&acts, "Insert the \"Version Skew Strategy\" section");
    let out = apply_edits(text, &a.edits);
    let hs = heading_titles(&out);
    let i = hs.iter().position(|h| h == "### Version Skew Strategy").unwrap();
    // 1591's Graduation Criteria ends with `#### Beta -> GA`; the PRR questionnaire follows.
    assert_eq!(hs[i - 1], "#### Beta -> GA");
    assert_eq!(hs[i + 1], "## Production Readiness Review Questionnaire");
    assert!(out.contains(
        "### Version Skew Strategy\n\n<!--\nIf applicable, how will the component handle version skew"
    ));
}

#[test]
fn add_missing_required_fields_with_defaults() {
    let ws = ide_support::fixture();
    let text = ws
        .text(K1591)
        .replacen("owning-sig: sig-apps\n", "", 1)
        .replacen("status: implementable\n", "", 1)
        .replacen("kep-number: 1591\n", "kep-number:\n", 1);
    let acts = actions(&ws, K1591, &text, 0, &[]);
    let own = titled(&acts, "Add missing field `owning-sig`");
    let out = apply_edits(&text, &own.edits);
    assert!(
        out.contains("authors:\n  - \"@smarterclayton\"\nowning-sig: sig-apps\nparticipating-sigs:"),
        "{out}"
    );
    assert!(parses(&out));
    let st = titled(&acts, "Add missing field `status`");
    let out = apply_edits(&text, &st.edits);
    // Template order: status comes after participating-sigs.
    assert!(
        out.contains("  - sig-node\nstatus: provisional\nreviewers:"),
        "{out}"
    );
    let kn = titled(&acts, "Add missing field `kep-number`");
    let out = apply_edits(&text, &kn.edits);
    assert!(out.starts_with(
        "title: Allow DaemonSets to surge during update like Deployments\nkep-number: 1591\nauthors:"
    ));
    assert!(parses(&out));
    // Nothing offered for present fields.
    assert!(!acts.iter().any(|a| a.title == "Add missing field `title`"));
}

/// The `missing-field` finding's quick fix and the editor's "Add missing field" action put the
/// field in the same place with the same text (`model::field_insert`): after the entry that
/// precedes it in template order, not between a comment and the field it introduces.
#[test]
fn the_missing_field_fix_and_the_add_field_action_insert_the_same_edit() {
    let ws = ide_support::fixture();
    let text = ws.text(K1591).replacen("owning-sig: sig-apps\n", "", 1).replacen(
        "participating-sigs:",
        "\n# who else takes part\nparticipating-sigs:",
        1,
    );
    let found = findings(&ws, K1591, &text);
    let fix = found
        .iter()
        .filter(|f| f.code == Code::MissingField && f.message.contains("'OwningSIG'"))
        .flat_map(|f| &f.fixes)
        .next()
        .unwrap_or_else(|| panic!("no missing-field fix for owning-sig in {found:?}"));
    let acts = actions(&ws, K1591, &text, 0, &[]);
    let action = titled(&acts, "Add missing field `owning-sig`");
    let by_fix = apply_edits(&text, &fix.edits);
    assert_eq!(by_fix, apply_edits(&text, &action.edits));
    assert!(
        by_fix.contains(
            "  - \"@smarterclayton\"\nowning-sig: sig-apps\n\n# who else takes part\nparticipating-sigs:"
        ),
        "{by_fix}"
    );
    assert!(parses(&by_fix));
}

#[test]
fn stage_stable_when_implemented_and_bump_last_updated() {
    let ws = ide_support::fixture();
    let text = ws
        .text(K2625)
        .replacen("status: imlpemented", "status: implemented", 1)
        .replacen("stage: stable", "stage: beta", 1);
    let acts = actions(&ws, K2625, &text, 0, &[]);
    let s = titled(&acts, "Set stage to `stable` (the KEP is implemented)");
    assert!(s.preferred);
    let out = apply_edits(&text, &s.edits);
    assert!(out.contains("\nstage: stable\n"));
    assert!(parses(&out));
    assert!(
        findings(&ws, K2625, &text)
            .iter()
            .any(|f| f.code == Code::ImplementedNotStable)
    );
    assert!(
        !findings(&ws, K2625, &out)
            .iter()
            .any(|f| f.code == Code::ImplementedNotStable)
    );
    let b = titled(&acts, "Set last-updated to today (2026-11-25)");
    let out = apply_edits(&text, &b.edits);
    // 2625 quotes its dates; the quotes stay.
    assert!(out.contains("\nlast-updated: \"2026-11-25\"\n"));
    // The removal KEP 4004 is implemented at stage disabled: no stage action there.
    let f = "keps/sig-network/4004-deprecate-kube-proxy-version/kep.yaml";
    let acts = actions(&ws, f, ws.text(f), 0, &[]);
    assert!(!acts.iter().any(|a| a.title.starts_with("Set stage")));
}

#[test]
fn title_sync_both_ways_from_both_files() {
    let mut ws = ide_support::fixture();
    let kp = K1591;
    let rp = R1591;
    let yaml = ws.text(kp).replacen(
        "title: Allow DaemonSets to surge during update like Deployments",
        "title: DaemonSet surge",
        1,
    );
    ws.insert(kp, &yaml);
    let readme = ws.text(rp).to_string();
    // From the README's H1.
    let acts = actions(&ws, rp, &readme, 3, &[]);
    let a = titled(&acts, "Set title to kep.yaml's: DaemonSet surge");
    let fixed = apply_edits(&readme, &a.edits);
    assert!(fixed.starts_with("# DaemonSet surge\n\n## Table of Contents"));
    assert!(
        findings(&ws, rp, &readme)
            .iter()
            .any(|f| f.code == Code::TitleMismatch)
    );
    assert!(
        !findings(&ws, rp, &fixed)
            .iter()
            .any(|f| f.code == Code::TitleMismatch)
    );
    let b = titled(
        &acts,
        "Set kep.yaml's title to this one: Allow DaemonSets to surge during update like Deployments",
    );
    assert!(b.edits.is_empty());
    let (p, edits) = &b.other_file_edits[0];
    assert_eq!(p, kp);
    let y = apply_edits(&yaml, edits);
    assert!(
        y.starts_with("title: Allow DaemonSets to surge during update like Deployments\nkep-number: 1591\n")
    );
    // From kep.yaml's title line.
    let acts = actions(&ws, kp, &yaml, 3, &[]);
    let c = titled(&acts, "Set the README's title to kep.yaml's: DaemonSet surge");
    assert_eq!(c.other_file_edits[0].0, rp);
    assert!(apply_edits(&readme, &c.other_file_edits[0].1).starts_with("# DaemonSet surge\n"));
    let d = titled(
        &acts,
        "Set title to the README's: Allow DaemonSets to surge during update like Deployments",
    );
    assert_eq!(
        apply_edits(&yaml, &d.edits),
        ws.text("keps/sig-apps/1591-daemonset-surge/kep.yaml").replacen(
            "DaemonSet surge",
            "Allow DaemonSets to surge during update like Deployments",
            1
        )
    );
}

#[test]
fn findings_fixes_become_quick_fixes_and_fix_all_skips_overlaps_and_prose() {
    let ws = ide_support::fixture();
    let text = "title: x\neditors: \"@a\"\nstatus: imlpemented\n";
    let f = |code, r: std::ops::Range<usize>, title: &str, edits: Vec<TextEdit>| {
        Finding::new(code, r, "m").with_fix(Fix::new(title, edits))
    };
    let findings = vec![
        f(
            Code::UnknownField,
            9..16,
            "Replace with `editor`",
            vec![TextEdit::new(9..16, "editor")],
        ),
        f(
            Code::InvalidStatus,
            31..42,
            "Replace with `implemented`",
            vec![TextEdit::new(31..42, "implemented")],
        ),
        // Overlaps the first: left out of fix-all.
        f(
            Code::TemplateLeftover,
            9..20,
            "Other",
            vec![TextEdit::new(10..12, "zz")],
        ),
        f(
            Code::MissingSection,
            0..0,
            "Insert",
            vec![TextEdit::insert(0, "## X\n")],
        ),
    ];
    let acts = actions(&ws, "keps/sig-x/1-x/kep.yaml", text, 10, &findings);
    let q = titled(&acts, "Replace with `editor`");
    assert_eq!(
        (q.kind, q.preferred, q.fixes_findings.clone()),
        (ActionKind::QuickFix, true, vec![0])
    );
    // The status fix is not at the cursor.
    assert!(!acts.iter().any(|a| a.title == "Replace with `implemented`"));
    let all = fix_all(&findings).unwrap();
    assert_eq!(all.kind, ActionKind::SourceFixAll);
    assert_eq!(all.fixes_findings, vec![0, 1]);
    assert_eq!(
        apply_edits(text, &all.edits),
        "title: x\neditor: \"@a\"\nstatus: implemented\n"
    );
    assert!(fix_all(&findings[3..]).is_none());
}

#[test]
fn real_findings_quick_fixes_and_fix_all_then_reanalyzed() {
    let ws = ide_support::fixture();
    // 2625 with a typo'd key added: unknown-field (did-you-mean) and invalid-status (did-you-mean).
    let text = ws
        .text(K2625)
        .replacen("reviewers:", "editors: TBD\nreviewers:", 1);
    let before = findings(&ws, K2625, &text);
    assert!(before.iter().any(|f| f.code == Code::UnknownField));
    assert!(before.iter().any(|f| f.code == Code::InvalidStatus));
    let at = text.find("imlpemented").unwrap();
    let acts = actions(&ws, K2625, &text, at, &before);
    let q = titled(&acts, "Change status to `implemented`");
    assert_eq!(q.kind, ActionKind::QuickFix);
    let out = apply_edits(&text, &q.edits);
    assert!(
        !findings(&ws, K2625, &out)
            .iter()
            .any(|f| f.code == Code::InvalidStatus)
    );
    let all = acts
        .iter()
        .find(|a| a.kind == ActionKind::SourceFixAll)
        .expect("fix-all");
    let out = apply_edits(&text, &all.edits);
    assert!(parses(&out));
    let after = findings(&ws, K2625, &out);
    for code in [Code::UnknownField, Code::InvalidStatus] {
        assert!(
            !after.iter().any(|f| f.code == code),
            "{code:?} left after fix-all: {after:?}"
        );
    }
    assert!(out.contains("\neditor: TBD\n") && out.contains("\nstatus: implemented\n"));
}

#[test]
fn regenerate_a_stale_toc() {
    let ws = ide_support::fixture();
    let text = ws.text(R1591).replacen("  - [Goals](#goals)\n", "", 1);
    let before = findings(&ws, R1591, &text);
    let stale = before
        .iter()
        .position(|f| f.code == Code::TocStale)
        .expect("toc-stale");
    let at = before[stale].range.start;
    let acts = actions(&ws, R1591, &text, at, &before);
    let a = acts
        .iter()
        .find(|a| a.fixes_findings == [stale])
        .expect("toc action");
    let out = apply_edits(&text, &a.edits);
    assert_eq!(out, ws.text(R1591));
    assert!(
        !findings(&ws, R1591, &out)
            .iter()
            .any(|f| f.code == Code::TocStale)
    );
}

#[test]
fn add_a_table_of_contents_marks_the_hand_written_one_and_adds_no_second() {
    // The README of the hand-written-TOC case (tests/fixtures/readme/cases), with no markers.
    let dir = "tests/fixtures/readme/cases/9003-hand-written-toc";
    let read =
        |f: &str| std::fs::read_to_string(format!("{}/{dir}/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let (text, want) = (read("README.md"), read("fixed.md"));
    let ws = ide_support::fixture();
    let path = "keps/sig-testing/9003-hand-written-toc/README.md";
    let fs = findings(&ws, path, &text);
    let at = text.find("# KEP").unwrap();
    let acts = actions(&ws, path, &text, at, &fs);
    let add: Vec<&CodeAction> = acts
        .iter()
        .filter(|a| a.title.starts_with("Add a table of contents"))
        .collect();
    assert_eq!(
        add.len(),
        1,
        "{:?}",
        acts.iter().map(|a| &a.title).collect::<Vec<_>>()
    );
    let out = apply_edits(&text, &add[0].edits);
    assert_eq!(out, want);
    assert_eq!(out.matches("<!-- toc -->").count(), 1);
    assert_eq!(out.matches("- [Summary](#summary)").count(), 1);
    let after = findings(&ws, path, &out);
    assert!(
        !has(&after, Code::TocMissing, "") && !has(&after, Code::TocStale, ""),
        "{after:?}"
    );
}
