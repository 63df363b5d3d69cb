//! Document formatting (`textDocument/formatting`): for Markdown, the table of contents
//! regenerated exactly as `mdtoc --inplace --max-depth=5` writes it (what `make update-toc`
//! does upstream), so that format-on-save keeps hack/verify-toc.sh green. Nothing else in a
//! Markdown file is touched, and kep.yaml / PRR files get no edits: no upstream tool rewrites
//! them, so any reformatting there would only be ours.
//!
//! The TOC text comes from the same entry the `toc-stale` fix uses (`analysis::toc::check`),
//! so formatting and the fix cannot disagree.

use crate::analysis::TextEdit;
use crate::knowledge::profile::TocCheck as ProfileToc;
use crate::syntax::mdtoc::MdtocDialect;
use crate::syntax::toc::{self, KEP_TOC_MAX_DEPTH, TocCheck};

/// The edits that format `text` (the file at `path`) under the repository's TOC setting
/// `profile_toc`. Byte ranges into `text`, sorted, non-overlapping; empty when the file is not
/// Markdown, the profile runs no mdtoc, the TOC markers are missing or broken (that is the
/// `toc-missing` finding's business), mdtoc would crash on the file, or the TOC is current.
/// At most one edit: the changed lines of the TOC block (unchanged leading and trailing
/// entries are left out, so an editor keeps its cursor and folding there).
pub fn format_document(path: &str, text: &str, profile_toc: ProfileToc) -> Vec<TextEdit> {
    let Some(dialect) = dialect(profile_toc) else {
        return Vec::new();
    };
    if !is_markdown(path) {
        return Vec::new();
    }
    match toc::check(text, dialect, KEP_TOC_MAX_DEPTH) {
        TocCheck::Stale { body, replacement } => {
            vec![minimal_edit(body.start, &text[body], &replacement)]
        }
        _ => Vec::new(),
    }
}

/// The mdtoc a profile runs; `None` when it runs none.
fn dialect(profile_toc: ProfileToc) -> Option<MdtocDialect> {
    match profile_toc {
        ProfileToc::Off => None,
        ProfileToc::Mdtoc {
            pre_inline_code: true,
        } => Some(MdtocDialect::PreInlineCode),
        ProfileToc::Mdtoc {
            pre_inline_code: false,
        } => Some(MdtocDialect::V1_4_0),
    }
}

/// hack/verify-toc.sh runs mdtoc on `*.md`; editors also call `.markdown` Markdown.
fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// One edit that turns `old` (at byte `at`) into `new`, leaving out the whole lines both
/// share at the start and at the end.
fn minimal_edit(at: usize, old: &str, new: &str) -> TextEdit {
    // Common prefix, cut back to the end of the last shared line.
    let same = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    let prefix = old[..same].rfind('\n').map_or(0, |i| i + 1);
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    // Common suffix of what is left, cut forward to the start of a shared line (a line start
    // in both, so the edit ends on a line boundary).
    let same_end = old_rest
        .bytes()
        .rev()
        .zip(new_rest.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut suffix = same_end;
    while suffix > 0 {
        let o = old_rest.len() - suffix;
        let n = new_rest.len() - suffix;
        let line_start = |s: &str, i: usize| i == 0 || s.as_bytes()[i - 1] == b'\n';
        if line_start(old_rest, o) && line_start(new_rest, n) {
            break;
        }
        suffix -= 1;
    }
    TextEdit::new(
        at + prefix..at + old.len() - suffix,
        &new_rest[..new_rest.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ON: ProfileToc = ProfileToc::Mdtoc {
        pre_inline_code: false,
    };

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    const STALE: &str = "# KEP-1: T\n\n<!-- toc -->\n- [Summary](#summary)\n- [Old](#old)\n- [Goals](#goals)\n<!-- /toc -->\n\n## Summary\n## New `x`\n## Goals\n";

    #[test]
    fn regenerates_only_the_changed_entries() {
        let edits = format_document("keps/sig-x/1-a/README.md", STALE, ON);
        assert_eq!(edits.len(), 1);
        assert_eq!(&STALE[edits[0].range.clone()], "- [Old](#old)\n");
        assert_eq!(edits[0].new_text, "- [New <code>x</code>](#new-x)\n");
        let after = apply(STALE, &edits);
        // The same text the toc-stale fix writes, and then nothing left to do.
        let TocCheck::Stale { body, replacement } = toc::check(STALE, MdtocDialect::V1_4_0, 5) else {
            panic!("stale expected");
        };
        let fixed = format!("{}{replacement}{}", &STALE[..body.start], &STALE[body.end..]);
        assert_eq!(after, fixed);
        assert!(format_document("keps/sig-x/1-a/README.md", &after, ON).is_empty());
    }

    #[test]
    fn nothing_when_off_current_yaml_or_broken_markers() {
        let p = "keps/sig-x/1-a/README.md";
        assert!(format_document(p, STALE, ProfileToc::Off).is_empty());
        assert!(format_document("keps/sig-x/1-a/kep.yaml", STALE, ON).is_empty());
        assert!(format_document(p, "# T\n## A\n", ON).is_empty());
        assert!(format_document(p, "# T\n<!-- /toc -->\n<!-- toc -->\n## A\n", ON).is_empty());
        let current = "# T\n<!-- toc -->\n- [A](#a)\n<!-- /toc -->\n## A\n";
        assert!(format_document(p, current, ON).is_empty());
    }

    #[test]
    fn pre_inline_code_anchors_follow_the_profile() {
        let text = "# T\n<!-- toc -->\n<!-- /toc -->\n## The `foo` plugin\n";
        let pre = ProfileToc::Mdtoc {
            pre_inline_code: true,
        };
        let edits = format_document("x.md", text, pre);
        assert_eq!(
            edits[0].new_text,
            "- [The <code>foo</code> plugin](#the--plugin)\n"
        );
    }

    #[test]
    fn minimal_edits_cover_whole_lines() {
        let e = minimal_edit(10, "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!((e.range, e.new_text.as_str()), (12..14, "B\n"));
        let e = minimal_edit(0, "a\n", "a\nb\n");
        assert_eq!((e.range, e.new_text.as_str()), (2..2, "b\n"));
        let e = minimal_edit(0, "a\nb\n", "");
        assert_eq!((e.range, e.new_text.as_str()), (0..4, ""));
        // A shared tail that starts mid-line is not cut there.
        let e = minimal_edit(0, "xab\n", "yab\n");
        assert_eq!((e.range, e.new_text.as_str()), (0..4, "yab\n"));
        let e = minimal_edit(0, "\n", "- [A](#a)\n");
        assert_eq!(apply("\n", &[e]), "- [A](#a)\n");
    }
}
