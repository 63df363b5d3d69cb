//! Properties of the analysis on arbitrary mutations of real KEPs (every file kind): every
//! finding's range and every fix edit lies inside the text on char boundaries, fix edits do not
//! overlap, and a fix applied to YAML that parsed never makes it unparsable
//! (fuzz/src/invariants.rs, the same checks the fuzz targets make).
//!
//! Mutations are the things an author's editor produces mid-typing: deleted spans, inserted YAML
//! and Markdown syntax, duplicated and swapped lines, odd line breaks, non-ASCII. Case counts
//! are fixed so CI stays at a few seconds.

use crate::common;
#[path = "../../../fuzz/src/invariants.rs"]
mod invariants;

use std::path::Path;

use common::MemWorkspace;
use proptest::prelude::*;

const CASES: u32 = 64;

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/robust")
}

fn workspace() -> MemWorkspace {
    MemWorkspace::new().load(&repo(), "", false)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).expect("fixture")
}

const KEP_YAMLS: &[&str] = &[
    "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
    "keps/sig-api-machinery/5000-api-linting-crd-schema-tooling/kep.yaml",
    "keps/sig-instrumentation/1753-logs-sanitization/kep.yaml",
    "keps/sig-storage/2924-csi-migration-cephfs/kep.yaml",
    "keps/sig-release/0000-anago-to-krel-migration/kep.yaml",
];
const READMES: &[&str] = &[
    "keps/sig-storage/2924-csi-migration-cephfs/README.md",
    "keps/sig-release/0000-anago-to-krel-migration/README.md",
];
const LEGACY: &[&str] = &[
    "keps/sig-network/20190118-pod-dns-config.md",
    "keps/sig-storage/20190709-csi-snapshot.md",
];
const PRR: &[&str] = &[
    "keps/prod-readiness/sig-node/281.yaml",
    "keps/prod-readiness/sig-network/4004.yaml",
];

/// YAML, Markdown and Unicode syntax that rules react to.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    ": ",
    "- ",
    "  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    "---\n",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">-\n",
    "? ",
    "%YAML 1.2\n",
    "😀",
    "é",
    "\u{301}",
    "\0",
    "\u{feff}",
    "<!-- ",
    " -->",
    "## ",
    "# ",
    "### Summary\n",
    "```\n",
    "<!-- toc -->\n",
    "<!-- /toc -->\n",
    "- [ ] ",
    "[x](#summary)",
    "[l](../../sig-node/1-x/README.md)",
    "kep-number: ",
    "status: ",
    "stage: ",
    "latest-milestone: ",
    "milestone:\n  alpha: ",
    "owning-sig: sig-nope\n",
    "@",
    "v1.",
    "2019-13-45",
    "UNRESOLVED",
    "<<[UNRESOLVED]>>\n",
    "approver: \"@x\"\n",
    "alpha:\n",
    "feature-gates:\n  - name: ",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, &'static str),
    DuplicateLine(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let idx = any::<prop::sample::Index>;
    prop_oneof![
        3 => (idx(), 0usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        5 => (idx(), prop::sample::select(PIECES)).prop_map(|(i, p)| Mutation::Insert(i, p)),
        1 => idx().prop_map(Mutation::DuplicateLine),
        1 => (idx(), idx()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => idx().prop_map(Mutation::Truncate),
    ]
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(text: &str, m: &Mutation) -> String {
    let at = |i: &prop::sample::Index| floor(text, i.index(text.len() + 1));
    match m {
        Mutation::Delete(i, n) => {
            let s = at(i);
            let e = floor(text, s + n);
            format!("{}{}", &text[..s], &text[e..])
        }
        Mutation::Insert(i, p) => {
            let s = at(i);
            format!("{}{p}{}", &text[..s], &text[s..])
        }
        Mutation::DuplicateLine(i) => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let k = i.index(lines.len());
            let mut out: Vec<&str> = lines.clone();
            out.insert(k, lines[k]);
            out.concat()
        }
        Mutation::SwapLines(a, b) => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let (x, y) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(x, y);
            lines.concat()
        }
        Mutation::Truncate(i) => text[..at(i)].to_string(),
    }
}

fn check(path: &str, text: &str, ws: &MemWorkspace) -> Result<(), TestCaseError> {
    let a = common::run(path, text, ws);
    invariants::check_analysis(text, &a).map_err(|e| TestCaseError::fail(format!("{path}: {e}")))
}

fn mutated(files: &'static [&'static str]) -> impl Strategy<Value = (&'static str, String)> {
    (
        prop::sample::select(files),
        prop::collection::vec(mutation(), 1..8),
    )
        .prop_map(|(path, ms)| {
            let mut text = read(path);
            for m in &ms {
                text = mutate(&text, m);
            }
            (path, text)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn mutated_kep_yaml_keeps_the_invariants((path, text) in mutated(KEP_YAMLS)) {
        check(path, &text, &workspace())?;
    }

    #[test]
    fn mutated_readme_keeps_the_invariants((path, text) in mutated(READMES)) {
        check(path, &text, &workspace())?;
    }

    #[test]
    fn mutated_legacy_kep_keeps_the_invariants((path, text) in mutated(LEGACY)) {
        check(path, &text, &workspace())?;
    }

    #[test]
    fn mutated_prr_file_keeps_the_invariants((path, text) in mutated(PRR)) {
        check(path, &text, &workspace())?;
    }

    /// Arbitrary text (not only mutations) under every kind of path, with and without a root.
    #[test]
    fn arbitrary_text_keeps_the_invariants(
        text in prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat()),
        noise in ".{0,40}",
    ) {
        let text = format!("{text}{noise}");
        let ws = workspace();
        for path in [KEP_YAMLS[0], READMES[0], LEGACY[0], PRR[0], "keps/NNNN-kep-template/kep.yaml"] {
            check(path, &text, &ws)?;
            let a = kep_lsp::analysis::analyze(path, &text, &kep_lsp::analysis::Context {
                knowledge: &kep_lsp::knowledge::Knowledge::embedded(),
                workspace: &kep_lsp::analysis::NoWorkspace,
                today: None,
        upcoming_minor: None,
            });
            invariants::check_analysis(&text, &a).map_err(TestCaseError::fail)?;
        }
    }
}

/// Values that parse as YAML but break rules, so fixes are offered: replacing a field's value
/// keeps the file parsable, and every fix then applied must keep it so.
const VALUES: &[&str] = &[
    "implementd",
    "imlpemented",
    "Implemented",
    "provisionl",
    "alpah",
    "Beta",
    "stable",
    "\"\"",
    "~",
    "v1.3o",
    "\"v1.30\"",
    "1.30",
    "sig-nodee",
    "sig-node",
    "2019-13-45",
    "[a, b]",
    "{}",
    "42",
    "yes",
    "\"@nobody\"",
    "- x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn fixes_never_break_yaml_that_parsed(
        path in prop::sample::select(KEP_YAMLS),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(VALUES)), 1..5),
    ) {
        let mut text = read(path);
        for (line, value) in &edits {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let k = line.index(lines.len());
            // Keep the key and its indentation, replace the value.
            let new_line = match lines[k].split_once(": ") {
                Some((key, _)) if !key.trim_start().starts_with('#') => format!("{key}: {value}\n"),
                _ => continue,
            };
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[k] = new_line;
            text = out.concat();
        }
        prop_assume!(invariants::yaml_parses(&text));
        check(path, &text, &workspace())?;
    }
}

/// The fix property on the real files themselves: every fix offered for them keeps the YAML
/// parsable (and there ARE fixes to check, or the test would prove nothing).
#[test]
fn every_fix_on_the_real_fixtures_keeps_yaml_parsable() {
    let ws = workspace();
    let mut fixes = 0;
    for path in KEP_YAMLS.iter().chain(LEGACY).chain(PRR) {
        let text = read(path);
        let a = common::run(path, &text, &ws);
        fixes += a.findings.iter().map(|f| f.fixes.len()).sum::<usize>();
        invariants::check_analysis(&text, &a).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    assert!(fixes >= 3, "only {fixes} fixes offered on the fixtures");
}
