//! Never panic, and every range inside the text on char boundaries, whatever the input: random
//! bytes, and real KEPs mangled (lines cut, characters inserted), as kep.yaml, legacy and PRR.

use crate::common;

use common::*;
use proptest::prelude::*;

fn check_ranges(path: &str, text: &str) {
    let a = run(path, text, &MemWorkspace::new().with(path, text));
    for f in &a.findings {
        assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
        for fix in &f.fixes {
            let _ = kep_lsp::analysis::apply_edits(text, &fix.edits);
        }
    }
    if let Some(m) = &a.metadata {
        for s in m.fields.iter().map(|f| &f.key.span) {
            assert!(s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
}

const PATHS: [&str; 3] = [
    "keps/sig-node/753-sidecar-containers/kep.yaml",
    "keps/prod-readiness/sig-node/753.yaml",
    "keps/sig-node/20180101-old.md",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn random_text(s in "(?s).{0,200}", p in 0usize..3) {
        check_ranges(PATHS[p], &s);
        check_ranges(PATHS[2], &format!("---\n{s}\n---\n# x\n"));
    }

    #[test]
    fn mangled_real_kep(cut in 0usize..2000, ins in "[\\[\\]{}:'\"\\-# \n\té😀]{0,6}", p in 0usize..2) {
        let text = fixture("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml");
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        let mangled = format!("{}{}{}", &text[..at], ins, &text[at..]);
        check_ranges(PATHS[p], &mangled);
        check_ranges(PATHS[0], &text[..at]);
    }
}

#[test]
fn huge_and_binary_inputs() {
    let big = fixture("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml").repeat(200);
    check_ranges(PATHS[0], &big);
    check_ranges(PATHS[0], "\u{0}\u{1}\u{feff}title: \u{7f}\n");
    check_ranges(PATHS[0], &"[".repeat(5000));
    check_ranges(PATHS[0], &"- ".repeat(3000));
    // Multi-byte text where dates, handles and numbers are sliced.
    check_ranges(
        PATHS[0],
        "creation-date: 2025-é-01x\nlast-updated: 20é5-01-0\nkep-number: é\n",
    );
    check_ranges(
        PATHS[0],
        "authors:\n  - “@é”\n  - \"@ü_x y\"\nowning-sig: sïg-node\n",
    );
}
