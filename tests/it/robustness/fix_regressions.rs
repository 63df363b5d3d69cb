//! Fixes found unsafe by the property tests: applying any fix to YAML that parses must leave YAML
//! that parses.

use kep_lsp::analysis::{Context, NoWorkspace, analyze, apply_edits};
use kep_lsp::knowledge::Knowledge;
use kep_lsp::syntax::front_matter;
use kep_lsp::syntax::yaml;

/// How many findings the analysis of `text` at `path` has, and every fix it offers: (title, the
/// text with it applied).
fn fixed_texts(path: &str, text: &str) -> (usize, Vec<(String, String)>) {
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        knowledge: &knowledge,
        workspace: &NoWorkspace,
        today: None,
        upcoming_minor: None,
    };
    let findings = analyze(path, text, &ctx).findings;
    let fixes = findings
        .iter()
        .flat_map(|f| &f.fixes)
        .map(|fix| (fix.title.clone(), apply_edits(text, &fix.edits)))
        .collect();
    (findings.len(), fixes)
}

#[test]
fn missing_field_fix_is_not_offered_where_it_would_break_a_scalar_document() {
    // From tests/it/robustness/prop_findings.rs: the document is one plain scalar, so appending
    // `title: ...` made it unparsable.
    let text = "#### Summary\n  !!str kep-number: ";
    assert!(yaml::parse(text).errors.is_empty());
    let path = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";
    let (findings, fixes) = fixed_texts(path, text);
    assert!(findings > 0, "the scalar document is reported");
    for (title, fixed) in fixes {
        assert!(yaml::parse(&fixed).errors.is_empty(), "{title}: {fixed:?}");
    }
}

#[test]
fn fuzz_crash_kep_yaml_fixes_keep_the_yaml_parsable() {
    // tests/fixtures/crashes/: the input on which cargo-fuzz (fuzz/fuzz_targets/analyze_kep_yaml)
    // saw "Make it a one-item list" break parsable YAML.
    let bytes =
        include_bytes!("../../fixtures/crashes/kep_yaml-crash-62660dc65ba52324894e667defa7e10f5b19831f");
    let text = String::from_utf8_lossy(bytes);
    assert!(yaml::parse(&text).errors.is_empty(), "the crash input parses");
    for (title, fixed) in fixed_texts("keps/sig-node/1-x/kep.yaml", &text).1 {
        assert!(yaml::parse(&fixed).errors.is_empty(), "{title}: {fixed:?}");
    }
}

#[test]
fn fuzz_crash_legacy_fixes_keep_the_front_matter_parsable() {
    // tests/fixtures/crashes/: the input on which cargo-fuzz (fuzz/fuzz_targets/analyze_legacy)
    // saw "Make it a one-item list" break a legacy KEP's parsable front matter. The check that
    // guards fixes parsed the whole Markdown (never YAML, so it let every fix through); it now
    // parses the front matter alone.
    let bytes =
        include_bytes!("../../fixtures/crashes/legacy-crash-e7428316dff8372a7cabcbd1758ce503e3214929");
    let text = String::from_utf8_lossy(bytes);
    let block = front_matter::closed_block(&text).expect("the crash input has closed front matter");
    let yaml_of = |t: &str, grown: isize| {
        let end = (block.end as isize + grown) as usize;
        yaml::parse(&t[block.start..end]).errors.is_empty()
    };
    assert!(yaml_of(&text, 0), "the crash input's front matter parses");
    let (_, fixes) = fixed_texts("keps/sig-node/20190101-fuzzed-kep.md", &text);
    for (title, fixed) in &fixes {
        let grown = fixed.len() as isize - text.len() as isize;
        assert!(yaml_of(fixed, grown), "{title}: {fixed:?}");
    }
    assert!(!fixes.is_empty(), "the other fixes are still offered");
}
