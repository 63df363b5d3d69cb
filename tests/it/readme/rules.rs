//! README rules on real KEPs copied under tests/fixtures/readme/ (and edited copies of them for
//! the negative cases): exact codes, severities and ranges, fixes applied and re-analysed.
//!
//! Until the metadata parser lands, the KEP's status/milestone/title are handed to
//! `check_readme` as a `KepMetadata` built here (`meta`), with the values of the fixture's
//! kep.yaml; the end-to-end path through `analyze` and the workspace is tested separately.

use kep_lsp::analysis::rules::readme::check_readme;
use kep_lsp::analysis::{
    Code, Context, Finding, KepMetadata, NoWorkspace, Severity, Spanned, analyze, apply_edits,
};
use kep_lsp::knowledge::Knowledge;

use crate::common::MemWorkspace;

const SCALE_FROM_ZERO: &str =
    include_str!("../../fixtures/readme/sig-autoscaling/2021-scale-from-zero/README.md");
const SCALE_PATH: &str = "keps/sig-autoscaling/2021-scale-from-zero/README.md";
const VALIDATION_GEN: &str = include_str!(
    "../../fixtures/readme/sig-api-machinery/5073-declarative-validation-with-validation-gen/README.md"
);
const KUBE_PROXY: &str =
    include_str!("../../fixtures/readme/sig-network/4004-deprecate-kube-proxy-version/README.md");
const CEPHFS: &str = include_str!("../../fixtures/readme/sig-storage/2924-csi-migration-cephfs/README.md");
const LEGACY: &str = include_str!("../../fixtures/readme/legacy/20190118-pod-dns-config.md");

/// The metadata fields the README rules read, as kep.yaml would give them.
fn meta(title: &str, status: &str, milestone: &str) -> KepMetadata {
    let s = |v: &str| Some(Spanned::new(v.to_string(), 0..0));
    KepMetadata {
        title: s(title),
        status: s(status),
        latest_milestone: if milestone.is_empty() { None } else { s(milestone) },
        ..KepMetadata::default()
    }
}

fn scale_meta(status: &str) -> KepMetadata {
    meta(
        "HPA supports scaling to/from zero pods for object/external metrics",
        status,
        "v1.37",
    )
}

fn check(path: &str, text: &str, m: Option<&KepMetadata>) -> Vec<Finding> {
    let k = Knowledge::embedded();
    let ctx = Context {
        knowledge: &k,
        workspace: &NoWorkspace,
        today: None,
        upcoming_minor: None,
    };
    check_readme(path, text, &ctx, m, false, false)
}

fn of(findings: &[Finding], code: Code) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// 1-based line of a byte offset.
fn line(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_real_implementable_kep_has_no_toc_title_or_section_findings() {
    let f = check(SCALE_PATH, SCALE_FROM_ZERO, Some(&scale_meta("implementable")));
    for code in [
        Code::TocStale,
        Code::TocMissing,
        Code::MissingSection,
        Code::TitleMismatch,
        Code::MissingTitle,
        Code::ReleaseChecklistMissing,
        Code::UnresolvedBlock,
    ] {
        assert!(of(&f, code).is_empty(), "{code:?}: {:?}", of(&f, code));
    }
    // The authors kept the template's guidance comments: each one is a hint on the comment.
    let guidance = of(&f, Code::TemplateGuidance);
    assert!(guidance.len() > 40, "{}", guidance.len());
    assert!(guidance.iter().all(|g| g.severity == Severity::Hint));
    let summary = guidance
        .iter()
        .find(|g| SCALE_FROM_ZERO[g.range.clone()].contains("incredibly important"))
        .expect("the Summary guidance");
    assert_eq!(line(SCALE_FROM_ZERO, summary.range.start), 165);
    assert!(SCALE_FROM_ZERO[summary.range.clone()].starts_with("<!--\nThis section is incredibly"));
    assert!(SCALE_FROM_ZERO[summary.range.clone()].ends_with("-->"));
}

#[test]
fn template_guidance_fix_removes_the_comment_and_its_blank_line() {
    let f = check(SCALE_PATH, SCALE_FROM_ZERO, Some(&scale_meta("implementable")));
    let g = of(&f, Code::TemplateGuidance)
        .into_iter()
        .find(|g| SCALE_FROM_ZERO[g.range.clone()].contains("incredibly important"))
        .unwrap();
    let fixed = apply_edits(SCALE_FROM_ZERO, &g.fixes[0].edits);
    assert!(fixed.contains("run-application/horizontal-pod-autoscale/\n\n## Motivation\n"));
    assert_eq!(SCALE_FROM_ZERO.len() - fixed.len(), g.range.len() + 2);
    let after = check(SCALE_PATH, &fixed, Some(&scale_meta("implementable")));
    assert_eq!(
        of(&after, Code::TemplateGuidance).len(),
        of(&f, Code::TemplateGuidance).len() - 1
    );
}

#[test]
fn toc_stale_after_renaming_a_heading_and_the_fix_regenerates_it() {
    let text = SCALE_FROM_ZERO.replace("### Non-Goals\n", "### Non-Goals and `Limits`\n");
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let stale = of(&f, Code::TocStale);
    assert_eq!(stale.len(), 1);
    let s = stale[0];
    assert_eq!(s.severity, Severity::Error);
    let start = text.find("<!-- toc -->").unwrap();
    let end = text.find("<!-- /toc -->").unwrap() + "<!-- /toc -->".len();
    assert_eq!(s.range, start..end);
    // The fix replaces what lies between the markers.
    assert_eq!(
        s.fixes[0].edits[0].range,
        start + "<!-- toc -->".len()..end - "<!-- /toc -->".len()
    );
    let fixed = apply_edits(&text, &s.fixes[0].edits);
    assert!(fixed.contains("  - [Non-Goals and <code>Limits</code>](#non-goals-and-limits)\n"));
    assert!(!fixed.contains("  - [Non-Goals](#non-goals)\n"));
    // Only the TOC changed, and it is now current.
    assert_eq!(
        fixed.len() - text.len(),
        "and <code>Limits</code>".len() + "-and-limits".len() + 1
    );
    assert!(of(&check(SCALE_PATH, &fixed, None), Code::TocStale).is_empty());
}

#[test]
fn toc_missing_is_an_error_under_keps_and_the_fix_adds_a_current_toc() {
    let start = CEPHFS.find("<!-- toc -->").unwrap();
    let end = CEPHFS.find("<!-- /toc -->").unwrap() + "<!-- /toc -->\n".len();
    let text = format!("{}{}", &CEPHFS[..start], &CEPHFS[end..]);
    let path = "keps/sig-storage/2924-csi-migration-cephfs/README.md";
    let f = check(path, &text, None);
    let missing = of(&f, Code::TocMissing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].severity, Severity::Error);
    assert_eq!(
        &text[missing[0].range.clone()],
        "# In-tree Storage Plugin to CSI Migration - Ceph Cephfs Design Doc"
    );
    let fixed = apply_edits(&text, &missing[0].fixes[0].edits);
    let after = check(path, &fixed, None);
    assert!(of(&after, Code::TocMissing).is_empty() && of(&after, Code::TocStale).is_empty());
    // Outside a keps/ tree (a draft), a missing TOC is only a warning.
    let draft = check("drafts/1-x/README.md", &text, None);
    assert_eq!(of(&draft, Code::TocMissing)[0].severity, Severity::Warning);
}

#[test]
fn toc_of_the_largest_readme_with_code_spans_is_current() {
    let path = "keps/sig-api-machinery/5073-declarative-validation-with-validation-gen/README.md";
    let f = check(path, VALIDATION_GEN, None);
    assert!(of(&f, Code::TocStale).is_empty() && of(&f, Code::TocMissing).is_empty());
    // And emoji in headings (4004) are dropped from anchors as mdtoc does.
    let f = check(
        "keps/sig-network/4004-deprecate-kube-proxy-version/README.md",
        KUBE_PROXY,
        None,
    );
    assert!(of(&f, Code::TocStale).is_empty());
}

#[test]
fn missing_section_points_at_the_h1_and_the_fix_inserts_it_in_place() {
    let goals = SCALE_FROM_ZERO.find("### Non-Goals\n").unwrap();
    let proposal = SCALE_FROM_ZERO.find("## Proposal\n").unwrap();
    let text = format!("{}{}", &SCALE_FROM_ZERO[..goals], &SCALE_FROM_ZERO[proposal..]);
    let m = scale_meta("provisional");
    let f = check(SCALE_PATH, &text, Some(&m));
    let missing = of(&f, Code::MissingSection);
    assert_eq!(missing.len(), 1, "{missing:?}");
    let ms = missing[0];
    // A provisional KEP is being written: a missing section is a warning.
    assert_eq!(ms.severity, Severity::Warning);
    assert_eq!(
        &text[ms.range.clone()],
        "# KEP-2021: HPA supports scaling to/from zero pods for object/external metrics"
    );
    assert_eq!(
        ms.message,
        "The template's \"Non-Goals\" section is missing; it goes after \"Goals\"."
    );
    let edit = &ms.fixes[0].edits[0];
    assert_eq!(edit.range.start, goals);
    assert_eq!(
        edit.new_text,
        "### Non-Goals\n\n<!--\nWhat is out of scope for this KEP? Listing non-goals helps to focus discussion\nand make progress.\n-->\n\n"
    );
    let fixed = apply_edits(&text, &ms.fixes[0].edits);
    assert!(of(&check(SCALE_PATH, &fixed, Some(&m)), Code::MissingSection).is_empty());
}

#[test]
fn missing_sections_depend_on_the_stage() {
    // Drop the PRR questionnaire and the Test Plan.
    let prr = SCALE_FROM_ZERO
        .find("## Production Readiness Review Questionnaire")
        .unwrap();
    let history = SCALE_FROM_ZERO.find("## Implementation History").unwrap();
    let text = format!("{}{}", &SCALE_FROM_ZERO[..prr], &SCALE_FROM_ZERO[history..]);
    let tp = text.find("### Test Plan").unwrap();
    let gc = text.find("### Graduation Criteria").unwrap();
    let text = format!("{}{}", &text[..tp], &text[gc..]);
    let titles = |m: &KepMetadata| -> Vec<String> {
        of(&check(SCALE_PATH, &text, Some(m)), Code::MissingSection)
            .iter()
            .map(|f| f.message.split('"').nth(1).unwrap_or("").to_string())
            .collect()
    };
    // Provisional: neither is due yet.
    assert!(titles(&scale_meta("provisional")).is_empty());
    // Implementable at v1.37: both (the questionnaire once, not each of its subsections).
    assert_eq!(
        titles(&scale_meta("implementable")),
        vec!["Test Plan", "Production Readiness Review Questionnaire"]
    );
    // Implemented before PRR existed (v1.20): the test plan only.
    let old = meta(
        "HPA supports scaling to/from zero pods for object/external metrics",
        "implemented",
        "v1.20",
    );
    assert_eq!(titles(&old), vec!["Test Plan"]);
    // The inserted questionnaire lands before Implementation History, at level 2.
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let prr_fix = of(&f, Code::MissingSection)[1].fixes[0].clone();
    let fixed = apply_edits(&text, &prr_fix.edits);
    assert!(
        fixed
            .contains("## Production Readiness Review Questionnaire\n\n<!--\n\nProduction readiness reviews")
    );
    let at = fixed
        .find("## Production Readiness Review Questionnaire")
        .unwrap();
    assert!(fixed[at..].contains("## Implementation History"));
    assert!(!fixed[..at].contains("## Implementation History"));
}

#[test]
fn older_heading_names_count_as_present() {
    let text = SCALE_FROM_ZERO
        .replace("### Non-Goals\n", "### Non goals\n")
        .replace("### Risks and Mitigations\n", "### Risks & Mitigations\n")
        .replace("## Alternatives\n", "## Alternatives Considered\n")
        .replace(
            "### Upgrade / Downgrade Strategy\n",
            "### Upgrade/downgrade strategy\n",
        );
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    assert!(
        of(&f, Code::MissingSection).is_empty(),
        "{:?}",
        of(&f, Code::MissingSection)
    );
    assert!(of(&f, Code::SectionOrder).is_empty());
}

#[test]
fn section_order_flags_the_one_moved_section() {
    // Move "## Drawbacks" (with its content) in front of "## Summary".
    let d = SCALE_FROM_ZERO.find("## Drawbacks\n").unwrap();
    let a = SCALE_FROM_ZERO.find("## Alternatives\n").unwrap();
    let drawbacks = &SCALE_FROM_ZERO[d..a];
    let without = format!("{}{}", &SCALE_FROM_ZERO[..d], &SCALE_FROM_ZERO[a..]);
    let s = without.find("## Summary\n").unwrap();
    let text = format!("{}{}{}", &without[..s], drawbacks, &without[s..]);
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let order = of(&f, Code::SectionOrder);
    assert_eq!(order.len(), 1);
    assert_eq!(&text[order[0].range.clone()], "## Drawbacks");
    assert_eq!(order[0].severity, Severity::Hint);
    assert_eq!(
        order[0].message,
        "\"Drawbacks\" comes after \"Summary\" in the template."
    );
}

#[test]
fn empty_sections_only_where_the_phase_needs_content() {
    let text = SCALE_FROM_ZERO.replace(
        "## Drawbacks\n",
        "## Drawbacks\n\n<!-- nothing yet -->\n\n## Open Questions\n\n",
    );
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let empty: Vec<&str> = of(&f, Code::EmptySection)
        .iter()
        .map(|e| &text[e.range.clone()])
        .collect();
    assert!(empty.contains(&"## Open Questions"), "{empty:?}");
    assert!(
        of(&f, Code::EmptySection)
            .iter()
            .all(|e| e.severity == Severity::Info)
    );
    // The real KEP left "## Drawbacks" with only the template's comment in it.
    assert!(empty.contains(&"## Drawbacks"));
    // A provisional KEP need not have written its Drawbacks yet.
    let f = check(SCALE_PATH, &text, Some(&scale_meta("provisional")));
    let empty: Vec<&str> = of(&f, Code::EmptySection)
        .iter()
        .map(|e| &text[e.range.clone()])
        .collect();
    assert!(
        empty.contains(&"## Open Questions") && !empty.contains(&"## Drawbacks"),
        "{empty:?}"
    );
}

#[test]
fn title_mismatch_and_its_fix() {
    let m = meta("HPA scales to and from zero", "implementable", "v1.37");
    let f = check(SCALE_PATH, SCALE_FROM_ZERO, Some(&m));
    let t = of(&f, Code::TitleMismatch);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].severity, Severity::Info);
    assert_eq!(
        &SCALE_FROM_ZERO[t[0].range.clone()],
        "HPA supports scaling to/from zero pods for object/external metrics"
    );
    let fixed = apply_edits(SCALE_FROM_ZERO, &t[0].fixes[0].edits);
    assert!(fixed.contains("\n# KEP-2021: HPA scales to and from zero\n"));
    assert!(of(&check(SCALE_PATH, &fixed, Some(&m)), Code::TitleMismatch).is_empty());
    // Case, spacing and backticks are not a mismatch.
    let lenient = meta(
        "HPA supports  scaling to/from zero pods for `object/external` Metrics",
        "implementable",
        "",
    );
    assert!(
        of(
            &check(SCALE_PATH, SCALE_FROM_ZERO, Some(&lenient)),
            Code::TitleMismatch
        )
        .is_empty()
    );
}

#[test]
fn kep_number_in_the_title_must_be_kep_yaml_s() {
    let mut m = scale_meta("implementable");
    m.kep_number = Some(Spanned::new("2022".to_string(), 0..0));
    let f = check(SCALE_PATH, SCALE_FROM_ZERO, Some(&m));
    let t = of(&f, Code::TitleMismatch);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].severity, Severity::Warning);
    assert_eq!(&SCALE_FROM_ZERO[t[0].range.clone()], "2021");
    assert_eq!(line(SCALE_FROM_ZERO, t[0].range.start), 61);
    assert_eq!(
        t[0].message,
        "The title says KEP-2021; kep.yaml's kep-number is 2022."
    );
    let fixed = apply_edits(SCALE_FROM_ZERO, &t[0].fixes[0].edits);
    assert!(fixed.contains("\n# KEP-2022: HPA supports scaling"));
    assert!(of(&check(SCALE_PATH, &fixed, Some(&m)), Code::TitleMismatch).is_empty());
}

#[test]
fn missing_title_and_template_placeholder_title() {
    let no_h1 = SCALE_FROM_ZERO.replace(
        "# KEP-2021: HPA supports scaling to/from zero pods for object/external metrics\n",
        "",
    );
    let f = check(SCALE_PATH, &no_h1, None);
    assert_eq!(of(&f, Code::MissingTitle).len(), 1);
    let placeholder = SCALE_FROM_ZERO.replace(
        "# KEP-2021: HPA supports scaling to/from zero pods for object/external metrics",
        "# KEP-NNNN: Your short, descriptive title",
    );
    let f = check(SCALE_PATH, &placeholder, None);
    let p: Vec<(&str, Severity)> = of(&f, Code::TemplateGuidance)
        .iter()
        .filter(|g| g.severity == Severity::Info)
        .map(|g| (&placeholder[g.range.clone()], g.severity))
        .collect();
    assert_eq!(
        p,
        vec![
            ("Your short, descriptive title", Severity::Info),
            ("KEP-NNNN", Severity::Info)
        ]
    );
}

#[test]
fn release_checklist_missing_for_implementable_keps() {
    let c = SCALE_FROM_ZERO.find("## Release Signoff Checklist").unwrap();
    let s = SCALE_FROM_ZERO.find("## Summary").unwrap();
    let text = format!("{}{}", &SCALE_FROM_ZERO[..c], &SCALE_FROM_ZERO[s..]);
    let f = check(SCALE_PATH, &text, Some(&scale_meta("provisional")));
    assert!(of(&f, Code::ReleaseChecklistMissing).is_empty());
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let r = of(&f, Code::ReleaseChecklistMissing);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].severity, Severity::Info);
    let fixed = apply_edits(&text, &r[0].fixes[0].edits);
    assert!(fixed.contains("## Release Signoff Checklist\n\n<!--\n**ACTION REQUIRED:**"));
    assert!(fixed.contains("- [ ] (R) Production readiness review approved\n"));
    assert!(fixed.find("## Release Signoff Checklist").unwrap() < fixed.find("## Summary").unwrap());
    let after = check(SCALE_PATH, &fixed, Some(&scale_meta("implementable")));
    assert!(of(&after, Code::ReleaseChecklistMissing).is_empty());
}

#[test]
fn unresolved_blocks_outside_comments_by_phase() {
    // The fixture's only marker is inside the template's opening comment: not reported.
    assert!(
        of(
            &check(SCALE_PATH, SCALE_FROM_ZERO, Some(&scale_meta("implementable"))),
            Code::UnresolvedBlock
        )
        .is_empty()
    );
    let text = SCALE_FROM_ZERO.replace(
        "## Drawbacks\n",
        "## Drawbacks\n\n<<[UNRESOLVED @alice: is zero safe? ]>>\nMaybe.\n<<[/UNRESOLVED]>>\n",
    );
    let f = check(SCALE_PATH, &text, Some(&scale_meta("implementable")));
    let u = of(&f, Code::UnresolvedBlock);
    assert_eq!(u.len(), 1);
    assert_eq!(
        &text[u[0].range.clone()],
        "<<[UNRESOLVED @alice: is zero safe? ]>>"
    );
    assert_eq!(u[0].severity, Severity::Warning);
    assert_eq!(
        u[0].message,
        "Unresolved: @alice: is zero safe. Resolve it before the KEP is implementable."
    );
    let f = check(SCALE_PATH, &text, Some(&scale_meta("provisional")));
    assert_eq!(of(&f, Code::UnresolvedBlock)[0].severity, Severity::Hint);
}

/// The codes of the README family.
const README_CODES: &[Code] = &[
    Code::TocStale,
    Code::TocMissing,
    Code::MissingSection,
    Code::SectionOrder,
    Code::EmptySection,
    Code::TemplateGuidance,
    Code::TitleMismatch,
    Code::MissingTitle,
    Code::ReleaseChecklistMissing,
    Code::UnresolvedBlock,
    Code::BrokenLink,
    Code::Misspelling,
];

#[test]
fn broken_links_and_anchors_through_analyze() {
    let text = SCALE_FROM_ZERO.replace(
        "## Drawbacks\n",
        "## Drawbacks\n\nSee [the old KEP](../117-hpa-v2/README.md), [design](design.md), \
         ![diagram](img/flow.png), [CRDs](/keps/sig-api-machinery), [goals](#goals), \
         [nowhere](#no-such-heading) and [web](https://example.com/x.md).\n",
    );
    let ws = MemWorkspace::new()
        .with(SCALE_PATH, &text)
        .with("keps/sig-autoscaling/2021-scale-from-zero/design.md", "")
        .with("keps/sig-api-machinery/5073-x/README.md", "")
        .with(
            "keps/sig-autoscaling/2021-scale-from-zero/kep.yaml",
            include_str!("../../fixtures/readme/sig-autoscaling/2021-scale-from-zero/kep.yaml"),
        );
    let k = Knowledge::embedded();
    let ctx = Context {
        knowledge: &k,
        workspace: &ws,
        today: None,
        upcoming_minor: None,
    };
    let a = analyze(SCALE_PATH, &text, &ctx);
    let broken: Vec<(&str, Severity)> = a
        .findings
        .iter()
        .filter(|f| f.code == Code::BrokenLink)
        .map(|f| (&text[f.range.clone()], f.severity))
        .collect();
    assert_eq!(
        broken,
        vec![
            ("[the old KEP](../117-hpa-v2/README.md)", Severity::Warning),
            ("![diagram](img/flow.png)", Severity::Warning),
            ("[nowhere](#no-such-heading)", Severity::Warning),
        ]
    );
    // Without a repository root only the anchors can be checked.
    let ctx = Context {
        knowledge: &k,
        workspace: &NoWorkspace,
        today: None,
        upcoming_minor: None,
    };
    let a = analyze(SCALE_PATH, &text, &ctx);
    assert_eq!(
        a.findings.iter().filter(|f| f.code == Code::BrokenLink).count(),
        1
    );
}

#[test]
fn legacy_keps_get_only_link_and_unresolved_rules() {
    let k = Knowledge::embedded();
    let ctx = Context {
        knowledge: &k,
        workspace: &NoWorkspace,
        today: None,
        upcoming_minor: None,
    };
    let text = LEGACY.replace("## Summary\n", "## Summary\n\n<<[UNRESOLVED]>>\n[x](#nope)\n");
    let a = analyze("keps/sig-network/20190118-pod-dns-config.md", &text, &ctx);
    // The front matter's own findings (metadata rules) are not this file's concern.
    let got: Vec<(Code, &str)> = a
        .findings
        .iter()
        .filter(|f| README_CODES.contains(&f.code))
        .map(|f| (f.code, &text[f.range.clone()]))
        .collect();
    // No TOC or section rules; the two anchors an old mdtoc wrote without the code spans'
    // text (kubernetes/enhancements PR 4437) are broken on GitHub too.
    assert_eq!(
        got,
        vec![
            (Code::BrokenLink, "[Host <code>/etc/resolv.conf</code>](#host-)"),
            (Code::BrokenLink, "[Overriding <code>ndots</code>](#overriding-)"),
            (Code::UnresolvedBlock, "<<[UNRESOLVED]>>"),
            (Code::BrokenLink, "[x](#nope)"),
        ]
    );
    // The front matter says implementable: the unresolved block is a warning.
    let u = a
        .findings
        .iter()
        .find(|f| f.code == Code::UnresolvedBlock)
        .unwrap();
    assert_eq!(u.severity, Severity::Warning);
}

#[test]
fn never_panics_and_ranges_stay_in_bounds() {
    let cases = [
        String::new(),
        "\u{0}\u{1}binary\u{fffd}".to_string(),
        "# KEP-1: é😀\n<!-- toc -->\n".to_string(),
        "<!-- /toc -->\n# x\n<!-- toc -->".to_string(),
        "<!--".repeat(100),
        "#".repeat(10_000),
        format!("{}\n", "## a\n".repeat(2000)),
        SCALE_FROM_ZERO[..SCALE_FROM_ZERO.len() / 2].to_string(),
    ];
    let m = scale_meta("implementable");
    for text in &cases {
        for f in check(SCALE_PATH, text, Some(&m)) {
            assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{f:?}");
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
            for fix in &f.fixes {
                let _ = apply_edits(text, &fix.edits);
            }
        }
    }
}

#[test]
fn the_stage_comes_from_the_sibling_kep_yaml() {
    let prr = SCALE_FROM_ZERO
        .find("## Production Readiness Review Questionnaire")
        .unwrap();
    let history = SCALE_FROM_ZERO.find("## Implementation History").unwrap();
    let text = format!("{}{}", &SCALE_FROM_ZERO[..prr], &SCALE_FROM_ZERO[history..]);
    let kep_yaml = include_str!("../../fixtures/readme/sig-autoscaling/2021-scale-from-zero/kep.yaml");
    let k = Knowledge::embedded();
    let run = |kep_yaml: &str| -> Vec<String> {
        let ws = MemWorkspace::new().with("keps/sig-autoscaling/2021-scale-from-zero/kep.yaml", kep_yaml);
        let ctx = Context {
            knowledge: &k,
            workspace: &ws,
            today: None,
            upcoming_minor: None,
        };
        analyze(SCALE_PATH, &text, &ctx)
            .findings
            .iter()
            .filter(|f| f.code == Code::MissingSection)
            .map(|f| f.message.clone())
            .collect()
    };
    // kep.yaml: implementable, latest-milestone v1.37: the questionnaire is expected.
    assert_eq!(
        run(kep_yaml),
        vec![
            "The template's \"Production Readiness Review Questionnaire\" section (with \"Feature \
             Enablement and Rollback\", \"Rollout, Upgrade and Rollback Planning\", \"Monitoring \
             Requirements\", \"Dependencies\", \"Scalability\", \"Troubleshooting\") is missing (PRR reviewers read it from alpha on); it goes after \
             \"Design Details\"."
        ]
    );
    // The same KEP while provisional: not yet.
    let provisional = kep_yaml.replace("status: implementable", "status: provisional");
    assert_ne!(provisional, kep_yaml);
    assert!(run(&provisional).is_empty());
}

/// Every README finding on a real KEP that breaks several template expectations (2924, a
/// withdrawn vendor-specific KEP), as `line:col severity code: text under the range`.
#[test]
fn snapshot_of_a_sparse_real_readme() {
    let path = "keps/sig-storage/2924-csi-migration-cephfs/README.md";
    let m = meta(
        "In-tree Storage Plugin to CSI Migration - Ceph Cephfs",
        "implementable",
        "v1.28",
    );
    let mut f = check(path, CEPHFS, Some(&m));
    f.sort_by_key(|f| (f.range.start, f.code));
    let lines: Vec<String> = f
        .iter()
        .map(|f| {
            let line = line(CEPHFS, f.range.start);
            let col = f.range.start - CEPHFS[..f.range.start].rfind('\n').map_or(0, |i| i + 1) + 1;
            let under: String = CEPHFS[f.range.clone()].chars().take(60).collect();
            format!(
                "{line}:{col} {} {}: {} | {}",
                f.severity.as_str(),
                f.code.as_str(),
                f.message,
                under.replace('\n', "\\n")
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Markdown-ish noise (headings, comments, TOC markers, links, code, multi-byte text): no
    /// panic, ranges and fix edits inside the text and on char boundaries.
    #[test]
    fn random_markdown_never_panics(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("# KEP-1: T\n".to_string()),
                proptest::strategy::Just("## Summary\n".to_string()),
                proptest::strategy::Just("### Goals\n".to_string()),
                proptest::strategy::Just("<!-- toc -->\n".to_string()),
                proptest::strategy::Just("<!-- /toc -->\n".to_string()),
                proptest::strategy::Just("<!--\n".to_string()),
                proptest::strategy::Just("-->\n".to_string()),
                proptest::strategy::Just("```\t\n".to_string()),
                proptest::strategy::Just("- ##### é\n".to_string()),
                proptest::strategy::Just("[x](#y) ![i](a/b.png)\n".to_string()),
                proptest::strategy::Just("<<[UNRESOLVED x ]>>\n".to_string()),
                "[a-zé😀 `*_\\[\\]()#<>!-]{0,12}\n",
            ],
            0..40,
        )
    ) {
        let text: String = parts.concat();
        let m = scale_meta("implementable");
        for f in check(SCALE_PATH, &text, Some(&m)) {
            proptest::prop_assert!(f.range.start <= f.range.end && f.range.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
            for fix in &f.fixes {
                for e in &fix.edits {
                    proptest::prop_assert!(e.range.end <= text.len() && text.is_char_boundary(e.range.start));
                    proptest::prop_assert!(text.is_char_boundary(e.range.end));
                }
                let _ = apply_edits(&text, &fix.edits);
            }
        }
        let _ = kep_lsp::analysis::rules::readme::check_misspellings(&text);
    }
}

#[test]
fn toc_missing_is_an_error_only_where_verify_toc_looks() {
    let start = CEPHFS.find("<!-- toc -->").unwrap();
    let end = CEPHFS.find("<!-- /toc -->").unwrap() + "<!-- /toc -->\n".len();
    let text = format!("{}{}", &CEPHFS[..start], &CEPHFS[end..]);
    let sev = |path: &str| of(&check(path, &text, None), Code::TocMissing)[0].severity;
    // Single-file mode with an absolute path into a checkout.
    assert_eq!(
        sev("/home/me/enhancements/keps/sig-storage/2924-x/README.md"),
        Severity::Error
    );
    // Upstream's validator fixtures live under testdata/: verify-toc.sh never sees them.
    assert_eq!(
        sev("/src/enhancements/pkg/repo/testdata/repos/valid/keps/sig-architecture/123-newstyle/README.md"),
        Severity::Warning
    );
    // With a root, only keps/ at the top counts.
    let k = Knowledge::embedded();
    let ws = MemWorkspace::new();
    let ctx = Context {
        knowledge: &k,
        workspace: &ws,
        today: None,
        upcoming_minor: None,
    };
    let at = |path: &str| {
        check_readme(path, &text, &ctx, None, false, false)
            .into_iter()
            .find(|f| f.code == Code::TocMissing)
            .map(|f| f.severity)
    };
    assert_eq!(at("keps/sig-storage/2924-x/README.md"), Some(Severity::Error));
    assert_eq!(at("docs/keps/2924-x/README.md"), Some(Severity::Warning));
}
