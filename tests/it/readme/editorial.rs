//! Editorial checks: `heading-case` (opt-in) and `title-style` (on, hint), on real KEPs copied
//! under tests/fixtures/editorial (same repo-relative paths as in kubernetes/enhancements) and on
//! small made-up cases for what the tree does not show (quoted YAML titles, `(Optional)`).

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{MemWorkspace, line_col};
use kep_lsp::analysis::{
    Analysis, Code, Context, Finding, NoWorkspace, Options, Severity, WorkspaceView, analyze_with,
    apply_edits,
};
use kep_lsp::knowledge::Knowledge;

fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editorial")
}

/// The fixtures as a workspace (READMEs see their kep.yaml, as in the real tree).
fn workspace() -> MemWorkspace {
    MemWorkspace::new().load(&fixtures_dir(), "", false)
}

fn run_with(path: &str, text: &str, ws: &dyn WorkspaceView, codes: &[Code]) -> Analysis {
    let k = Knowledge::embedded();
    let ctx = Context {
        knowledge: &k,
        workspace: ws,
        today: Some(common::TODAY),
        upcoming_minor: None,
    };
    analyze_with(path, text, &ctx, &Options::enabling(codes))
}

fn of(a: &Analysis, code: Code) -> Vec<&Finding> {
    a.findings.iter().filter(|f| f.code == code).collect()
}

/// `line:col 'text under the range'` of each finding.
fn placed(text: &str, fs: &[&Finding]) -> Vec<String> {
    fs.iter()
        .map(|f| format!("{} '{}'", line_col(text, f.range.start), &text[f.range.clone()]))
        .collect()
}

/// Every edit of every fix of `fs`, applied at once (they do not overlap).
fn fix_all(text: &str, fs: &[&Finding]) -> String {
    let edits: Vec<_> = fs.iter().flat_map(|f| f.fixes[0].edits.clone()).collect();
    apply_edits(text, &edits)
}

/// The findings other than heading-case, to show that a fix changed nothing else (the TOC
/// entry is fixed with the heading, so no `toc-stale` appears). Messages are compared without
/// case: a `missing-section` message quotes the heading a section goes under, whose case the
/// fix changed.
fn others(a: &Analysis) -> Vec<(Code, String)> {
    a.findings
        .iter()
        .filter(|f| f.code != Code::HeadingCase)
        .map(|f| (f.code, f.message.to_lowercase()))
        .collect()
}

fn line(text: &str, n: usize) -> &str {
    text.lines().nth(n - 1).unwrap()
}

// ---------------------------------------------------------------- heading-case

#[test]
fn heading_case_is_off_by_default_and_fixes_a_real_test_plan_heading() {
    let ws = workspace();
    let path = "keps/sig-cli/2383-extend-kustomize-patches-to-multiple-targets/README.md";
    let text = ws.text(path).to_string();
    assert!(Code::HeadingCase.is_opt_in());
    let off = run_with(path, &text, &ws, &[]);
    assert!(of(&off, Code::HeadingCase).is_empty(), "{:#?}", off.findings);

    let on = run_with(path, &text, &ws, &[Code::HeadingCase]);
    let hits = of(&on, Code::HeadingCase);
    assert_eq!(placed(&text, &hits), vec!["157:3 'Test plan'"]);
    let f = hits[0];
    assert_eq!(f.severity, Severity::Hint);
    assert_eq!(f.message, "The template writes this heading \"Test Plan\".");
    assert_eq!(f.fixes[0].title, "Write \"Test Plan\"");
    let fixed = fix_all(&text, &hits);
    assert_eq!(line(&fixed, 157), "## Test Plan");
    assert_eq!(line(&fixed, 15), "- [Test Plan](#test-plan)");
    assert_eq!(fixed.len(), text.len());
    let again = run_with(path, &fixed, &ws, &[Code::HeadingCase]);
    assert!(of(&again, Code::HeadingCase).is_empty());
    assert_eq!(others(&again), others(&on));
}

/// KEPs of 2020 copied the PRR questionnaire when it wrote these headings in sentence case; the
/// `(optional)` of "User Stories (optional)" is kept as written and not reported.
#[test]
fn heading_case_on_the_2020_prr_headings() {
    let ws = workspace();
    let path = "keps/sig-apps/2255-pod-cost/README.md";
    let text = ws.text(path).to_string();
    assert_eq!(line(&text, 84), "### User Stories (optional)");
    let a = run_with(path, &text, &ws, &[Code::HeadingCase]);
    let hits = of(&a, Code::HeadingCase);
    assert_eq!(
        placed(&text, &hits),
        vec![
            "168:4 'Feature enablement and rollback'",
            "216:4 'Monitoring requirements'"
        ]
    );
    assert!(hits.iter().all(|f| f.severity == Severity::Hint));
    let fixed = fix_all(&text, &hits);
    assert_eq!(line(&fixed, 168), "### Feature Enablement and Rollback");
    assert_eq!(line(&fixed, 216), "### Monitoring Requirements");
    assert_eq!(
        line(&fixed, 23),
        "  - [Feature Enablement and Rollback](#feature-enablement-and-rollback)"
    );
    assert_eq!(
        line(&fixed, 25),
        "  - [Monitoring Requirements](#monitoring-requirements)"
    );
    let again = run_with(path, &fixed, &ws, &[Code::HeadingCase]);
    assert!(of(&again, Code::HeadingCase).is_empty());
    assert_eq!(others(&again), others(&a));
}

/// The template's own sentence-case headings (`##### Unit tests`, `##### e2e tests`) are the
/// reference too; a reworded heading (`## Testing Plan`) is not a case difference.
#[test]
fn heading_case_follows_the_template_down_to_lower_case() {
    let ws = workspace();
    let path = "keps/sig-scheduling/268-priority-preemption/README.md";
    let text = ws.text(path).to_string();
    let a = run_with(path, &text, &ws, &[Code::HeadingCase]);
    let hits = of(&a, Code::HeadingCase);
    assert_eq!(
        placed(&text, &hits),
        vec!["67:4 'Unit Tests'", "77:4 'E2E tests'"]
    );
    let msgs: Vec<_> = hits.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        msgs,
        vec![
            "The template writes this heading \"Unit tests\".",
            "The template writes this heading \"e2e tests\"."
        ]
    );
    let fixed = fix_all(&text, &hits);
    assert_eq!(line(&fixed, 67), "### Unit tests");
    assert_eq!(line(&fixed, 74), "### Integration tests");
    assert_eq!(line(&fixed, 77), "### e2e tests");
    assert_eq!(line(&fixed, 14), "  - [Unit tests](#unit-tests)");
    assert_eq!(line(&fixed, 16), "  - [e2e tests](#e2e-tests)");
    let again = run_with(path, &fixed, &ws, &[Code::HeadingCase]);
    assert!(of(&again, Code::HeadingCase).is_empty());
    assert_eq!(others(&again), others(&a));
}

/// Two headings with the same text: the fix edits the TOC entry of the one it fixes (the
/// second here: the template's Goals is the one under Motivation).
#[test]
fn heading_case_fixes_the_matching_toc_entry() {
    let text = "# KEP-1: Pod Overhead\n\n<!-- toc -->\n- [Context](#context)\n  - [goals](#goals)\n\
                - [Motivation](#motivation)\n  - [goals](#goals-1)\n<!-- /toc -->\n\n## Context\n\n### goals\n\nc\n\n\
                ## Motivation\n\n### goals\n\nm\n";
    let path = "keps/sig-node/1-pod-overhead/README.md";
    let a = run_with(path, text, &NoWorkspace, &[Code::HeadingCase]);
    let hits = of(&a, Code::HeadingCase);
    assert_eq!(placed(text, &hits), vec!["18:4 'goals'"]);
    let fixed = fix_all(text, &hits);
    assert_eq!(
        fixed,
        text.replace("[goals](#goals-1)", "[Goals](#goals-1)")
            .replace("## Motivation\n\n### goals", "## Motivation\n\n### Goals")
    );
}

#[test]
fn heading_case_keeps_optional_and_attributes_as_written() {
    let text = "# KEP-1: Pod Overhead\n\n## summary\n\ns\n\n### User stories (Optional)\n\nu\n\n\
                ## design details {#dd}\n\nd\n\n## Design  Details\n\n### Notes/Constraints/Caveats (optional)\n\nn\n";
    let path = "keps/sig-node/1-pod-overhead/README.md";
    let a = run_with(path, text, &NoWorkspace, &[Code::HeadingCase]);
    let hits = of(&a, Code::HeadingCase);
    // "Design  Details" (two spaces) is not a case difference; the exact
    // "Notes/Constraints/Caveats (optional)" is not reported for its suffix.
    assert_eq!(
        placed(text, &hits),
        vec!["3:3 'summary'", "7:4 'User stories'", "11:3 'design details'"]
    );
    let fixed = fix_all(text, &hits);
    assert_eq!(
        fixed,
        "# KEP-1: Pod Overhead\n\n## Summary\n\ns\n\n### User Stories (Optional)\n\nu\n\n\
         ## Design Details {#dd}\n\nd\n\n## Design  Details\n\n### Notes/Constraints/Caveats (optional)\n\nn\n"
    );
}

/// Legacy single-file KEPs followed another template: no heading-case there.
#[test]
fn heading_case_skips_legacy_keps() {
    let text = "---\ntitle: Pod Overhead\nauthors:\n  - \"@a\"\nowning-sig: sig-node\nstatus: provisional\n---\n\n# Pod Overhead\n\n## summary\n\ns\n";
    let a = run_with(
        "keps/sig-node/20190101-pod-overhead.md",
        text,
        &NoWorkspace,
        &[Code::HeadingCase],
    );
    assert_eq!(a.kind, Some(kep_lsp::analysis::DocumentKind::LegacyKep));
    assert!(of(&a, Code::HeadingCase).is_empty(), "{:#?}", a.findings);
}

// ---------------------------------------------------------------- title-style

#[test]
fn title_style_period_in_a_real_kep_yaml_and_readme() {
    let ws = workspace();
    let yaml_path = "keps/sig-storage/5040-remove-gitrepo-driver/kep.yaml";
    let yaml = ws.text(yaml_path).to_string();
    assert!(!Code::TitleStyle.is_opt_in());
    let a = run_with(yaml_path, &yaml, &ws, &[]);
    let hits = of(&a, Code::TitleStyle);
    assert_eq!(placed(&yaml, &hits), vec!["1:36 '.'"]);
    assert_eq!(hits[0].severity, Severity::Hint);
    assert_eq!(
        hits[0].message,
        "The title ends with a period; a title is not a sentence."
    );
    assert_eq!(hits[0].fixes[0].title, "Remove the period");
    let fixed = fix_all(&yaml, &hits);
    assert_eq!(line(&fixed, 1), "title: Remove gitRepo volumes driver");
    let again = run_with(yaml_path, &fixed, &ws, &[]);
    assert!(of(&again, Code::TitleStyle).is_empty());
    assert_eq!(again.findings.len(), a.findings.len() - 1);

    let md_path = "keps/sig-storage/5040-remove-gitrepo-driver/README.md";
    let md = ws.text(md_path).to_string();
    let a = run_with(md_path, &md, &ws, &[]);
    let hits = of(&a, Code::TitleStyle);
    assert_eq!(placed(&md, &hits), vec!["61:40 '.'"]);
    let fixed = fix_all(&md, &hits);
    assert_eq!(line(&fixed, 61), "# KEP-5040: Remove gitRepo volume driver");
    assert!(of(&run_with(md_path, &fixed, &ws, &[]), Code::TitleStyle).is_empty());
}

#[test]
fn title_style_slug_in_kep_yaml_and_h1() {
    let ws = workspace();
    let msg = "The title reads like a folder name: write it in words, capitalised like a title.";
    for (path, at) in [
        ("keps/sig-cli/2381-future-of-kubectl-cp/kep.yaml", "1:7"),
        ("keps/sig-cli/2381-future-of-kubectl-cp/README.md", "1:2"),
    ] {
        let text = ws.text(path).to_string();
        let a = run_with(path, &text, &ws, &[]);
        let hits = of(&a, Code::TitleStyle);
        assert_eq!(
            placed(&text, &hits),
            vec![format!("{at} 'future-of-kubectl-cp'")],
            "{path}"
        );
        assert_eq!(hits[0].message, msg);
        // Rewording is for the author: no fix.
        assert!(hits[0].fixes.is_empty());
    }
}

#[test]
fn title_style_long_titles() {
    let ws = workspace();
    let path = "keps/sig-node/4540-strict-cpu-reservation/kep.yaml";
    let text = ws.text(path).to_string();
    let hits_a = run_with(path, &text, &ws, &[]);
    let hits = of(&hits_a, Code::TitleStyle);
    assert_eq!(hits.len(), 1);
    assert_eq!(line_col(&text, hits[0].range.start), "1:7");
    assert_eq!(
        &text[hits[0].range.clone()],
        "Add CPUManager policy option to restrict reservedSystemCPUs to system daemons and interrupt processing"
    );
    assert_eq!(
        hits[0].message,
        "The title is 102 characters long (over 90): keep the title short and leave the details to the summary."
    );
    // A quoted title: the range is inside the quotes.
    let path = "keps/sig-scheduling/964-binpacking-priority/kep.yaml";
    let text = ws.text(path).to_string();
    let a = run_with(path, &text, &ws, &[]);
    let hits = of(&a, Code::TitleStyle);
    assert_eq!(hits.len(), 1);
    assert_eq!(line_col(&text, hits[0].range.start), "1:8");
    assert!(text[hits[0].range.clone()].starts_with("Extending"));
    assert!(text[hits[0].range.clone()].ends_with("@sudeshsh"));
    assert!(hits[0].message.starts_with("The title is 118 characters long"));
}

#[test]
fn title_style_accepts_lower_case_commands() {
    let ws = workspace();
    let path = "keps/sig-cli/1441-kubectl-debug/kep.yaml";
    let text = ws.text(path).to_string();
    assert_eq!(line(&text, 1), "title: kubectl debug");
    assert!(of(&run_with(path, &text, &ws, &[]), Code::TitleStyle).is_empty());
}

/// A legacy KEP has its title twice, in the front matter and the H1: each is checked.
#[test]
fn title_style_in_a_legacy_kep() {
    let text =
        std::fs::read_to_string(fixtures_dir().join("legacy/keps/sig-architecture/2019-03-19-go-modules.md"))
            .unwrap();
    let path = "keps/sig-architecture/2019-03-19-go-modules.md";
    let a = run_with(path, &text, &NoWorkspace, &[]);
    assert_eq!(a.kind, Some(kep_lsp::analysis::DocumentKind::LegacyKep));
    let hits = of(&a, Code::TitleStyle);
    assert_eq!(
        placed(&text, &hits),
        vec!["2:7 'go modules'", "23:2 'go modules'"]
    );
    assert!(
        hits.iter()
            .all(|f| f.message == "The title is all lower case: capitalise it like a title.")
    );
}

#[test]
fn title_style_spaces_in_a_quoted_title_and_all_fixes_together() {
    let text = common::MINIMAL.replace("title: Sidecar containers", "title: \"  Sidecar  containers. \"");
    let path = "keps/sig-node/753-sidecar-containers/kep.yaml";
    let a = run_with(path, &text, &NoWorkspace, &[]);
    let hits = of(&a, Code::TitleStyle);
    let got: Vec<_> = hits
        .iter()
        .map(|f| {
            format!(
                "{} '{}' {}",
                line_col(&text, f.range.start),
                &text[f.range.clone()],
                f.message
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "1:8 '  ' The title starts with a space.",
            "1:17 '  ' The title has doubled spaces.",
            "1:29 '.' The title ends with a period; a title is not a sentence.",
            "1:30 ' ' The title ends with a space.",
        ]
    );
    // Each fix alone, then all of them.
    let one = |i: usize| apply_edits(&text, &hits[i].fixes[0].edits);
    assert!(one(0).starts_with("title: \"Sidecar  containers. \"\n"));
    assert!(one(1).starts_with("title: \"  Sidecar containers. \"\n"));
    assert!(one(2).starts_with("title: \"  Sidecar  containers \"\n"));
    assert!(one(3).starts_with("title: \"  Sidecar  containers.\"\n"));
    let fixed = fix_all(&text, &hits);
    // The quotes stay.
    assert_eq!(
        fixed,
        common::MINIMAL.replace("title: Sidecar containers", "title: \"Sidecar containers\"")
    );
    assert!(of(&run_with(path, &fixed, &NoWorkspace, &[]), Code::TitleStyle).is_empty());
}

/// Where the source is not the title character for character (escapes, block scalars), the
/// finding stays on the whole value and no fix is offered.
#[test]
fn title_style_no_fix_when_the_yaml_is_not_the_text() {
    let path = "keps/sig-node/753-sidecar-containers/kep.yaml";
    for (title, under) in [
        (
            "title: \"Sidecar\\u0020containers.\"",
            "Sidecar\\u0020containers.",
        ),
        ("title: >-\n  Sidecar\n  containers.", "Sidecar\n  containers."),
    ] {
        let text = common::MINIMAL.replace("title: Sidecar containers", title);
        let a = run_with(path, &text, &NoWorkspace, &[]);
        let hits = of(&a, Code::TitleStyle);
        assert_eq!(hits.len(), 1, "{title}: {:#?}", a.findings);
        assert_eq!(&text[hits[0].range.clone()], under);
        assert!(hits[0].fixes.is_empty(), "{title}");
    }
}

#[test]
fn title_style_capitals_and_acronyms() {
    let path = "keps/sig-network/1-x/README.md";
    let cases = [
        (
            "# KEP-1: SUPPORT HTTP3 IN INGRESS\n",
            Some("SUPPORT HTTP3 IN INGRESS"),
        ),
        ("# KEP-1: KYAML\n", None),
        ("# KEP-1: CSI API\n", None),
        ("# KEP-1: Support HTTP3 in Ingress\n", None),
        (
            "# KEP-1: dynamic resource allocation\n",
            Some("dynamic resource allocation"),
        ),
        // The template's placeholder is template-guidance's business.
        ("# KEP-NNNN: Your short, descriptive title\n", None),
        ("# KEP-1: Etc. and so on etc.\n", None),
    ];
    for (text, want) in cases {
        let a = run_with(path, text, &NoWorkspace, &[]);
        let got: Vec<_> = of(&a, Code::TitleStyle)
            .iter()
            .map(|f| &text[f.range.clone()])
            .collect();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{text}");
    }
    let a = run_with(path, cases[0].0, &NoWorkspace, &[]);
    assert_eq!(
        of(&a, Code::TitleStyle)[0].message,
        "The title is in capitals: write it in title case (acronyms stay in capitals)."
    );
}

/// The template files keep their placeholders: no title-style there.
#[test]
fn title_style_not_on_templates() {
    let text = "title: KEP Template\nkep-number: NNNN\n";
    let a = run_with("keps/NNNN-kep-template/kep.yaml", text, &NoWorkspace, &[]);
    assert!(of(&a, Code::TitleStyle).is_empty());
    let a = run_with("keps/sig-node/753-x/kep.yaml", text, &NoWorkspace, &[]);
    assert!(
        of(&a, Code::TitleStyle).is_empty(),
        "the leftover is template-leftover's"
    );
}

// ---------------------------------------------------------------- severity policy, CLI

/// Neither code is ever above hint, on every fixture and (when ../shared is there) on the whole
/// accepted tree, which this reads as `CARGO_MANIFEST_DIR/../shared/enhancements`. Where a file
/// has fixable editorial findings, all their fixes applied together leave no such finding and
/// change no other finding (a heading fix that forgot its TOC entry would add `toc-stale`).
#[test]
fn editorial_codes_are_never_above_hint_and_their_fixes_are_clean() {
    let mut trees = vec![("fixtures", workspace())];
    if let Some(shared) = common::shared_dir() {
        let tree = shared.join("enhancements");
        trees.push(("enhancements", MemWorkspace::new().load(&tree, "", false)));
    }
    let editorial = |f: &&Finding| matches!(f.code, Code::HeadingCase | Code::TitleStyle);
    let rest = |a: &Analysis| -> Vec<(Code, String)> {
        a.findings
            .iter()
            .filter(|f| !editorial(f))
            // Messages quote headings, whose case the fix changes.
            .map(|f| (f.code, f.message.to_lowercase()))
            .collect()
    };
    for (name, ws) in &trees {
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        let mut fixed_files = 0;
        for path in ws.paths() {
            let text = ws.text(&path).to_string();
            // Legacy files are read at their historical place (keps/...).
            let at = path.strip_prefix("legacy/").unwrap_or(&path);
            let a = run_with(at, &text, ws, &[Code::HeadingCase]);
            let found: Vec<&Finding> = a.findings.iter().filter(editorial).collect();
            for f in &found {
                assert_eq!(f.severity, Severity::Hint, "{path}: {f:?}");
                assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
                *counts.entry(f.code.as_str()).or_default() += 1;
            }
            let fixable: Vec<&Finding> = found.into_iter().filter(|f| !f.fixes.is_empty()).collect();
            if fixable.is_empty() {
                continue;
            }
            fixed_files += 1;
            let fixed = fix_all(&text, &fixable);
            let again = run_with(at, &fixed, ws, &[Code::HeadingCase]);
            let left: Vec<_> = again
                .findings
                .iter()
                .filter(editorial)
                .filter(|f| !f.fixes.is_empty())
                .collect();
            assert!(left.is_empty(), "{path}: {left:#?}");
            assert_eq!(rest(&again), rest(&a), "{path}");
        }
        eprintln!("editorial findings in {name}: {counts:?}; {fixed_files} files fixed cleanly");
        if *name == "fixtures" {
            // 2383: 1, 2255: 2, 268: 2; two titles each for 5040, 2381 and go-modules, 4540, 964.
            assert_eq!(counts.get("heading-case"), Some(&5), "{counts:?}");
            assert_eq!(counts.get("title-style"), Some(&8), "{counts:?}");
        } else {
            assert!(counts.len() == 2, "{counts:?}");
        }
    }
}

#[test]
fn check_enable_heading_case_and_disable_title_style() {
    let dir = std::env::temp_dir().join(format!("kep-lsp-editorial-{}", std::process::id()));
    let kep = "keps/sig-cli/2381-future-of-kubectl-cp";
    std::fs::create_dir_all(dir.join(kep)).unwrap();
    for f in ["kep.yaml", "README.md"] {
        std::fs::copy(fixtures_dir().join(kep).join(f), dir.join(kep).join(f)).unwrap();
    }
    let readme = std::fs::read_to_string(dir.join(kep).join("README.md")).unwrap();
    std::fs::write(
        dir.join(kep).join("README.md"),
        readme.replace("## Summary", "## summary"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
            .current_dir(&dir)
            .args(["check", "--format", "json", "--quiet", "--today", common::TODAY])
            .args(extra)
            .arg(kep)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut codes: Vec<String> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .filter(|c| c == "heading-case" || c == "title-style")
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(run(&[]), vec!["title-style", "title-style"]);
    assert_eq!(
        run(&["--enable", "heading-case"]),
        vec!["heading-case", "title-style", "title-style"]
    );
    assert_eq!(
        run(&["--enable", "heading-case", "--disable", "title-style"]),
        vec!["heading-case"]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn server_config_enables_heading_case() {
    use kep_lsp::lsp::config::Config;
    let (c, problems) = Config::from_json(&serde_json::json!({"enable": ["heading-case"]}));
    assert!(problems.is_empty(), "{problems:?}");
    assert!(c.options().heading_case);
    let (_, problems) = Config::from_json(&serde_json::json!({"enable": ["title-style"]}));
    assert_eq!(problems, vec!["enable: title-style is on by default".to_string()]);
}
