//! The hostile READMEs of tests/it/common/hostile.rs (20 000 headings, list items, links, table rows;
//! one 5 MB line; 10 000-deep lists and blockquotes): the analysis returns, every range is inside
//! the text on char boundaries, and the findings are exactly the ones the shape calls for. How
//! long they take is measured by `cargo bench --bench check -- hostile`, not here.

use crate::common;

use std::collections::BTreeMap;

use common::{MemWorkspace, hostile};
use kep_lsp::analysis::Analysis;

const README: &str = "keps/sig-node/1234-hostile/README.md";
const KEP_YAML: &str = "keps/sig-node/1234-hostile/kep.yaml";
/// Implementable at v1.30: the PRR sections are required too, so every README rule runs.
const KEP: &str = "title: Hostile\nkep-number: 1234\nauthors:\n  - \"@alice\"\nowning-sig: sig-node\nstatus: implementable\nstage: beta\nlatest-milestone: v1.30\napprovers:\n  - \"@bob\"\n";

fn counts(text: &str, a: &Analysis) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for f in &a.findings {
        assert!(
            f.range.start <= f.range.end
                && f.range.end <= text.len()
                && text.is_char_boundary(f.range.start)
                && text.is_char_boundary(f.range.end),
            "{f:?}"
        );
        for fix in &f.fixes {
            for e in &fix.edits {
                assert!(
                    e.range.end <= text.len() && text.is_char_boundary(e.range.start),
                    "{e:?}"
                );
            }
        }
        *out.entry(f.code.as_str()).or_insert(0) += 1;
    }
    out
}

#[test]
fn hostile_readmes_return_with_the_findings_their_shape_calls_for() {
    let m = hostile::MANY;
    // What a README that is only a title, a TOC and a Summary lacks beside an implementable
    // kep.yaml: Motivation, Proposal, Design Details, the PRR questionnaire; and the checklist.
    let lacks = [("missing-section", 4), ("release-checklist-missing", 1)];
    let expected: BTreeMap<&str, Vec<(&str, usize)>> = [
        // Every `## x` is empty, and so is the Summary they follow; the TOC lists none of them.
        (
            "headings",
            vec![
                ("empty-section", m + 1),
                ("missing-section", 4),
                ("release-checklist-missing", 1),
                ("toc-stale", 1),
            ],
        ),
        // The `### Heading i` are the Summary's children: it is not empty, they are.
        (
            "distinct_headings",
            vec![
                ("empty-section", m),
                ("missing-section", 4),
                ("release-checklist-missing", 1),
                ("toc-stale", 1),
            ],
        ),
        // Motivation holds Goals: not empty; Goals, Non-Goals and Proposal are, and the Summary.
        // Motivation and Proposal are present: only Design Details and the PRR are missing.
        (
            "template_headings",
            vec![
                ("empty-section", 3 * m / 4 + 1),
                ("missing-section", 2),
                ("release-checklist-missing", 1),
                ("toc-stale", 1),
            ],
        ),
        ("list_items", lacks.to_vec()),
        // The relative links name missing files; the https ones are not checked.
        ("links", [("broken-link", m)].into_iter().chain(lacks).collect()),
        // Each row links to an anchor no heading makes.
        (
            "table_rows",
            [("broken-link", m)].into_iter().chain(lacks).collect(),
        ),
        // Comments that are not the template's: nothing to say.
        ("comments", lacks.to_vec()),
        // The TOC misses the Summary (mdtoc lists it): stale, once.
        (
            "toc_entries",
            [("toc-stale", 1)].into_iter().chain(lacks).collect(),
        ),
        ("one_5mb_line", lacks.to_vec()),
        ("nested_lists", lacks.to_vec()),
        ("nested_quotes", lacks.to_vec()),
        ("nested_quote_lists", lacks.to_vec()),
        ("indented_lists", lacks.to_vec()),
    ]
    .into_iter()
    .collect();
    let cases = hostile::cases();
    let mut names: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        expected.keys().copied().collect::<Vec<_>>(),
        "one expectation per case"
    );
    for (name, text) in &cases {
        let ws = MemWorkspace::new().with(KEP_YAML, KEP).with(README, text);
        let a = common::run(README, text, &ws);
        let got = counts(text, &a);
        let want: BTreeMap<&str, usize> = expected[name].iter().copied().collect();
        assert_eq!(got, want, "{name}");
        // Alone (no kep.yaml): the same shape, fewer requirements, still in bounds.
        let alone = common::run_alone(README, text);
        counts(text, &alone);
    }
}
