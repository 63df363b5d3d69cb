//! `toc-missing` and `toc-stale`: what `mdtoc --inplace --max-depth=5 --dryrun` (hack/verify-toc.sh)
//! would reject, with the fix `make update-toc` would make. The verdict is mdtoc v1.4.0's own,
//! from its view of the document (`syntax::mdtoc`), not from GitHub's outline.
//!
//! CI runs it on every `keps/**/*.md` except the paths listed in hack/.notableofcontents, and
//! mdtoc fails on a file without markers ("missing opening TOC tag"). So both are errors for a
//! file under `keps/`; elsewhere (a draft outside the repo) a missing block is only a warning.

use super::Readme;
use crate::analysis::finding::Severity;
use crate::analysis::{Code, Context, Finding, Fix, TextEdit};
use crate::syntax::mdtoc::MdtocDialect;
use crate::syntax::outline::{self, Outline, TOC_END, TOC_START};
use crate::syntax::toc::{self, KEP_TOC_MAX_DEPTH, MarkerProblem, TocCheck};

/// hack/.notableofcontents of kubernetes/enhancements at 64765b4b: the files CI does not run
/// mdtoc on. Used when the workspace has no such file of its own (no root known, or a copy of
/// the tree without hack/).
const UPSTREAM_NO_TOC: &[&str] = &[
    "keps/README.md",
    "keps/prod-readiness/README.md",
    "keps/sig-cli/FAQ.md",
    "keps/sig-cluster-lifecycle/clusterapi/FAQ.md",
    "keps/sig-cluster-lifecycle/kubeadm/970-kubeadm-config/documentation-for-images.md",
];

/// The mdtoc the repository pins (its profile): v1.4.0 unless an older one drops code spans from
/// anchors.
pub fn dialect(ctx: &Context<'_>) -> MdtocDialect {
    match ctx.profile().toc {
        crate::knowledge::profile::TocCheck::Mdtoc {
            pre_inline_code: true,
        } => MdtocDialect::PreInlineCode,
        _ => MdtocDialect::V1_4_0,
    }
}

/// Where the repository lists the files mdtoc skips.
const NO_TOC_LIST: &str = "hack/.notableofcontents";

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

/// Whether the file is one that hack/verify-toc.sh leaves out: its repo-relative path is a
/// whole line of hack/.notableofcontents (`grep -Fxv`), or of upstream's list when the
/// repository has none.
fn not_checked(path: &str, ctx: &Context<'_>) -> bool {
    if ctx.workspace.has_root() {
        if let Some(list) = ctx.workspace.file_text(NO_TOC_LIST) {
            return list.split('\n').any(|line| line == path);
        }
        return UPSTREAM_NO_TOC.contains(&path);
    }
    // An absolute path: from its `keps` folder on.
    let tail = path
        .rmatch_indices("/keps/")
        .next()
        .map_or(path, |(i, _)| &path[i + 1..]);
    UPSTREAM_NO_TOC.contains(&tail)
}

/// A file whose whole text is one relative path to another `.md` file: a Git symlink checked
/// out as a plain file (Git with `core.symlinks=false`, as in copies of the tree such as
/// ../shared/enhancements). In a real checkout it is a link and mdtoc reads its target, which
/// is checked as a file of its own.
fn symlink_stub(text: &str) -> bool {
    let t = text.strip_suffix('\n').unwrap_or(text);
    !t.is_empty() && t.ends_with(".md") && !t.contains(char::is_whitespace) && !t.starts_with(['#', '<', '/'])
}

/// The TOC rules on a KEP README.
pub(super) fn check(r: &Readme<'_>, ctx: &Context<'_>) -> Vec<Finding> {
    check_file(r.path, r.text, &r.outline, ctx)
}

/// The TOC rules, alone, on any other Markdown file under `keps/` (`DocumentKind::KepMarkdown`).
pub fn check_toc_only(path: &str, text: &str, ctx: &Context<'_>) -> Vec<Finding> {
    let path = path.replace('\\', "/");
    check_file(&path, text, &outline::outline(text), ctx)
}

/// `toc-missing` or `toc-stale`, and `render-mismatch` where mdtoc and GitHub disagree.
fn check_file(path: &str, text: &str, outline: &Outline, ctx: &Context<'_>) -> Vec<Finding> {
    // The repository's profile says whether its CI runs mdtoc at all.
    if !ctx.profile().toc.is_on() || not_checked(path, ctx) || symlink_stub(text) {
        return Vec::new();
    }
    let mut out: Vec<Finding> = verdict(path, text, outline, ctx).into_iter().collect();
    out.extend(super::render_mismatch::check(text, outline));
    out
}

fn verdict(path: &str, text: &str, outline: &Outline, ctx: &Context<'_>) -> Option<Finding> {
    let dialect = dialect(ctx);
    match toc::check_scanned(text, dialect, KEP_TOC_MAX_DEPTH, Some(outline)) {
        TocCheck::Current => None,
        TocCheck::Crash { at } => {
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            Some(
                Finding::new(
                    Code::TocStale,
                    at..line_end,
                    "mdtoc crashes on this file (CI: \"panic: runtime error: index out of range\"): this \
                     line opens an mmark title block, no `---` closes it, and the file ends in `-`, so \
                     mdtoc reads past its end. End the file with a newline, or close the block.",
                )
                .with_fix(Fix::new(
                    "Add a newline at the end of the file",
                    vec![TextEdit::insert(text.len(), "\n".to_string())],
                )),
            )
        }
        TocCheck::Stale { body, replacement } => Some(
            Finding::new(
                Code::TocStale,
                // The whole block, markers included, so that editors underline something visible.
                body.start - TOC_START.len()..(body.end + TOC_END.len()).min(text.len()),
                "The table of contents is not what mdtoc generates (CI: \"Table of content not up to \
                 date\"); regenerate it (make update-toc).",
            )
            .with_fix(Fix::new(
                "Regenerate the table of contents",
                vec![TextEdit::new(body, replacement)],
            )),
        ),
        TocCheck::Markers { problem, at } => {
            let severity = if under_keps(path, ctx.workspace.has_root()) {
                Severity::Error
            } else {
                Severity::Warning
            };
            let (message, fix) = match problem {
                MarkerProblem::NoMarkers => {
                    // Where the template has it: under a "Table of Contents" heading if there
                    // is one, else under the H1.
                    let anchor = outline
                        .headings
                        .iter()
                        .find(|h| h.text.trim().eq_ignore_ascii_case("table of contents"))
                        .or_else(|| outline.h1());
                    let at = anchor.map_or(0, |h| {
                        text[h.line.end..]
                            .find('\n')
                            .map_or(text.len(), |i| h.line.end + i + 1)
                    });
                    let generated = toc::generate_for_insertion(text, at, dialect);
                    let lead = if at == 0 || text[..at].ends_with("\n\n") {
                        ""
                    } else if text[..at].ends_with('\n') {
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
                MarkerProblem::NoStart => (
                    "mdtoc fails with \"missing opening TOC tag\": <!-- /toc --> without an opening <!-- toc -->.",
                    None,
                ),
                MarkerProblem::NoEnd => (
                    "mdtoc fails with \"missing closing TOC tag\": <!-- toc --> without a closing <!-- /toc -->.",
                    None,
                ),
                MarkerProblem::EndBeforeStart => (
                    "mdtoc fails with \"TOC closing tag before start tag\": <!-- /toc --> comes before <!-- toc -->.",
                    None,
                ),
            };
            let range = if at.is_empty() {
                outline.h1().map_or(0..0, |h| h.line.clone())
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
