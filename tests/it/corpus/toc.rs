//! The TOC rules on every `keps/**/*.md` of the real trees (../shared/enhancements and
//! ../shared/corpus), through the real entry point with a disk-backed workspace: upstream CI
//! (hack/verify-toc.sh: mdtoc --dryrun on every `keps/**/*.md` not named in
//! hack/.notableofcontents) accepted all of them, so none may get `toc-stale` or `toc-missing`.
//! The copies may lack hack/ (then upstream's list applies) and hold Git symlinks as one-line
//! files (a real checkout has links, whose targets are checked on their own).
//!
//! Skips with a note when ../shared is absent.

use crate::common;

use kep_lsp::analysis::{Context, DocumentKind, analyze};
use kep_lsp::knowledge::Knowledge;

use common::disk::Disk;

#[test]
fn every_keps_markdown_file_passes_mdtoc() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let knowledge = Knowledge::embedded();
    let mut checked = 0;
    let mut other_md = 0;
    let mut bad = Vec::new();
    let mut mismatches = Vec::new();
    for root in ["enhancements", "corpus"] {
        let base = shared.join(root);
        let ws = Disk { root: base.clone() };
        let ctx = Context {
            knowledge: &knowledge,
            workspace: &ws,
            today: Some(common::TODAY),
            upcoming_minor: None,
        };
        for entry in walkdir::WalkDir::new(base.join("keps")).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") || !entry.file_type().is_file() {
                continue;
            }
            let rel = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let a = analyze(&rel, &text, &ctx);
            checked += 1;
            if a.kind == Some(DocumentKind::KepMarkdown) {
                other_md += 1;
            }
            for f in &a.findings {
                if f.code.as_str() == "render-mismatch" {
                    mismatches.push(format!(
                        "{root}/{rel}:{}: {}",
                        common::line_col(&text, f.range.start),
                        f.message
                    ));
                }
                if matches!(f.code.as_str(), "toc-stale" | "toc-missing") {
                    bad.push(format!("{root}/{rel}: {} {}", f.code.as_str(), f.message));
                }
            }
        }
    }
    eprintln!(
        "keps/**/*.md checked: {checked} (of them, non-README Markdown: {other_md}); TOC findings: {}",
        bad.len()
    );
    eprintln!(
        "render-mismatch warnings (mdtoc and GitHub disagree): {}",
        mismatches.len()
    );
    for m in &mismatches {
        eprintln!("  {m}");
    }
    for b in &bad {
        eprintln!("  {b}");
    }
    assert!(checked > 500, "only {checked} files checked");
    assert!(
        other_md > 10,
        "only {other_md} non-README files classified as KEP Markdown"
    );
    assert!(
        bad.is_empty(),
        "{} TOC findings on files upstream accepts",
        bad.len()
    );
}

/// hack/.notableofcontents, when the repository has one, is the list (whole lines, as
/// `grep -Fxv` matches them); without it, upstream's list applies.
#[test]
fn the_repository_list_of_unchecked_files() {
    let ws = common::MemWorkspace::new().with(
        "hack/.notableofcontents",
        "keps/sig-x/notes.md\nkeps/README.md \n",
    );
    let no_tags = "# Notes\n\nNo table of contents.\n";
    let run = |path: &str| common::render(no_tags, &common::run(path, no_tags, &ws));
    assert_eq!(run("keps/sig-x/notes.md"), Vec::<String>::new());
    // `keps/README.md ` (trailing space) is not the line `keps/README.md`.
    assert_eq!(run("keps/README.md"), ["toc-missing error '# Notes'"]);
    let alone = |path: &str| common::render(no_tags, &common::run_alone(path, no_tags));
    assert_eq!(alone("keps/README.md"), Vec::<String>::new());
    assert_eq!(alone("keps/sig-x/notes.md"), ["toc-missing error '# Notes'"]);
}
