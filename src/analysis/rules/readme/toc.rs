//! `toc-missing` and `toc-stale`: what `mdtoc --inplace --max-depth=5 --dryrun` (hack/verify-toc.sh)
//! would reject, with the fix `make update-toc` would make.
//!
//! CI runs it on every `keps/**/*.md` (except a few index files, none of them a KEP README), and
//! mdtoc fails on a file without markers ("missing opening TOC tag"); every KEP README of the
//! real tree has them. So both are errors for a README under `keps/`; elsewhere (a draft outside
//! the repo) a missing block is only a warning.

use super::Readme;
use crate::analysis::finding::Severity;
use crate::analysis::outline::{TOC_END, TOC_START};
use crate::analysis::toc::{self, KEP_TOC_MAX_DEPTH, MarkerProblem, TocCheck};
use crate::analysis::{Code, Finding, Fix, TextEdit};
use crate::syntax::mdtoc::MdtocDialect;

/// Whether hack/verify-toc.sh would check the file: `find keps -name '*.md'` from the root, so
/// a repo-relative path must start with `keps/`. Without a root the path may be absolute: then
/// any `keps` folder counts, except inside Go test data (upstream's own validator fixtures).
fn under_keps(path: &str, has_root: bool) -> bool {
    if has_root {
        return path.starts_with("keps/");
    }
    let parts: Vec<&str> = path.split('/').collect();
    parts.contains(&"keps") && !parts.contains(&"testdata")
}

pub(super) fn check(r: &Readme<'_>, has_root: bool) -> Option<Finding> {
    match toc::check(r.text, MdtocDialect::default(), KEP_TOC_MAX_DEPTH) {
        TocCheck::Current => None,
        TocCheck::Stale { body, replacement } => Some(
            Finding::new(
                Code::TocStale,
                // The whole block, markers included, so that editors underline something visible.
                body.start - TOC_START.len()..(body.end + TOC_END.len()).min(r.text.len()),
                "The table of contents is not what mdtoc generates (CI: \"Table of content not up to \
                 date\"); regenerate it (make update-toc).",
            )
            .with_fix(Fix::new(
                "Regenerate the table of contents",
                vec![TextEdit::new(body, replacement)],
            )),
        ),
        TocCheck::Markers { problem, at } => {
            let severity = if under_keps(r.path, has_root) {
                Severity::Error
            } else {
                Severity::Warning
            };
            let (message, fix) = match problem {
                MarkerProblem::NoMarkers => {
                    // Where the template has it: under a "Table of Contents" heading if there
                    // is one, else under the H1.
                    let anchor = r
                        .outline
                        .headings
                        .iter()
                        .find(|h| h.text.trim().eq_ignore_ascii_case("table of contents"))
                        .or_else(|| r.outline.h1());
                    let at = anchor.map_or(0, |h| {
                        r.text[h.line.end..]
                            .find('\n')
                            .map_or(r.text.len(), |i| h.line.end + i + 1)
                    });
                    let generated = toc::generate_for_insertion(r.text, at, MdtocDialect::default());
                    let lead = if at == 0 || r.text[..at].ends_with("\n\n") {
                        ""
                    } else if r.text[..at].ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    let block = format!("{lead}{TOC_START}\n{generated}{TOC_END}\n\n");
                    (
                        "No <!-- toc --> ... <!-- /toc --> block: mdtoc fails with \"missing opening TOC tag\".",
                        Some(Fix::new(
                            "Add a table of contents",
                            vec![TextEdit::insert(at, block)],
                        )),
                    )
                }
                MarkerProblem::NoStart => ("<!-- /toc --> without an opening <!-- toc -->.", None),
                MarkerProblem::NoEnd => ("<!-- toc --> without a closing <!-- /toc -->.", None),
                MarkerProblem::EndBeforeStart => ("<!-- /toc --> comes before <!-- toc -->.", None),
            };
            let range = if at.is_empty() {
                r.outline.h1().map_or(0..0, |h| h.line.clone())
            } else {
                at
            };
            let mut f = Finding::new(Code::TocMissing, range, message).with_severity(severity);
            if let Some(fix) = fix {
                f = f.with_fix(fix);
            }
            Some(f)
        }
    }
}
