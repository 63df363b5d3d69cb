//! R6: a KEP README.md without a kep.yaml beside it is an error (upstream: `metadata file
//! missing for KEP`), reported only when the repository is known.

use crate::common;

use common::MemWorkspace;
use kep_lsp::analysis::{Code, Context, NoWorkspace, Severity, analyze};
use kep_lsp::knowledge::Knowledge;

const README: &str = "# KEP-42: The Answer\n\n## Summary\n";

fn findings(
    ws: &dyn kep_lsp::analysis::WorkspaceView,
) -> Vec<(Code, Severity, std::ops::Range<usize>, String)> {
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        knowledge: &knowledge,
        workspace: ws,
        today: None,
        upcoming_minor: None,
    };
    analyze("keps/sig-foo/42-the-answer/README.md", README, &ctx)
        .findings
        .into_iter()
        .filter(|f| f.code == Code::ReadmeWithoutMetadata)
        .map(|f| (f.code, f.severity, f.range, f.message))
        .collect()
}

#[test]
fn readme_without_kep_yaml_is_an_error_on_its_first_line() {
    let ws = MemWorkspace::new().with("keps/sig-foo/42-the-answer/README.md", README);
    let got = findings(&ws);
    assert_eq!(
        got,
        vec![(
            Code::ReadmeWithoutMetadata,
            Severity::Error,
            0..20,
            "metadata file missing for KEP: keps/sig-foo/42-the-answer/kep.yaml: create it beside this README"
                .to_string()
        )]
    );
    assert_eq!(&README[0..20], "# KEP-42: The Answer");
}

#[test]
fn readme_with_kep_yaml_or_without_a_root_is_fine() {
    let ws = MemWorkspace::new()
        .with("keps/sig-foo/42-the-answer/README.md", README)
        .with("keps/sig-foo/42-the-answer/kep.yaml", "title: The Answer\n");
    assert!(findings(&ws).is_empty());
    assert!(findings(&NoWorkspace).is_empty());
}
