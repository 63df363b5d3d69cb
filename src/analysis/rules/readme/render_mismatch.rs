//! `render-mismatch`: mdtoc (gomarkdown, what CI runs) and GitHub (CommonMark, what readers
//! see) disagree on whether a line is a heading. The TOC must follow mdtoc, so `toc-stale`
//! does; this warning says where GitHub's page will differ, once per construct that causes it
//! (an HTML block, a title block, a fence GitHub never closes...), at the construct's first line.
//!
//! Only the part mdtoc lists is compared (after `<!-- /toc -->`, levels 1-5), and only when the
//! markers are in order (else `toc-missing` says all there is to say).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::analysis::{Code, Finding};
use crate::syntax::mdtoc::{self, Construct};
use crate::syntax::outline::{Outline, heading_lines};
use crate::syntax::toc::KEP_TOC_MAX_DEPTH;

/// What makes a group of headings differ: the block that hides them from one of the views.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    /// mdtoc reads these lines as one block (index into the view's `hidden`).
    HiddenFromMdtoc(usize),
    /// GitHub renders these lines as code (the code block's range).
    CodeOnGitHub(usize, usize),
    /// No block: a line GitHub shows as a heading and mdtoc does not list (its start).
    GitHubOnly(usize),
    /// No block: a line mdtoc lists and GitHub does not show as a heading (its start).
    MdtocOnly(usize),
}

/// The warnings for `text` (with the GitHub `outline` of it).
pub(super) fn check(text: &str, outline: &Outline) -> Vec<Finding> {
    let (Some(start), Some(end)) = mdtoc::find_markers(text) else {
        return Vec::new();
    };
    if end < start {
        return Vec::new();
    }
    // The outline holds mdtoc's view from the closing marker on, in offsets of the text.
    let hidden = &outline.mdtoc.hidden;
    let listed: Vec<usize> = outline
        .mdtoc
        .headings
        .iter()
        .filter(|(level, _)| *level <= KEP_TOC_MAX_DEPTH)
        .map(|(_, at)| *at)
        .collect();
    let mut claimed = vec![false; listed.len()];
    // cause -> the headings' lines (start of line) it affects.
    let mut groups: BTreeMap<Cause, Vec<usize>> = BTreeMap::new();
    let mut github_only = Vec::new();
    for h in outline
        .headings
        .iter()
        .filter(|h| h.line.start >= end && h.level <= KEP_TOC_MAX_DEPTH)
    {
        let span = heading_lines(text, h.line.start);
        // Both lists are in text order: the first listed line at or after the span's start.
        let i = listed.partition_point(|&at| at < span.start);
        match listed.get(i) {
            Some(at) if span.contains(at) => claimed[i] = true,
            _ => github_only.push(span.start),
        }
    }
    for ls in github_only {
        // The hiding blocks are top-level, so in order and disjoint.
        let k = hidden.partition_point(|(_, r)| r.end <= ls);
        let cause = match hidden.get(k) {
            Some((_, r)) if r.start <= ls => Cause::HiddenFromMdtoc(k),
            _ => Cause::GitHubOnly(ls),
        };
        groups.entry(cause).or_default().push(ls);
    }
    for (i, &at) in listed.iter().enumerate() {
        if claimed[i] {
            continue;
        }
        // `code` is sorted and disjoint.
        let k = outline.code.partition_point(|r| r.end <= at);
        let cause = match outline.code.get(k) {
            Some(r) if r.start <= at => Cause::CodeOnGitHub(r.start, r.end),
            _ => Cause::MdtocOnly(at),
        };
        groups.entry(cause).or_default().push(at);
    }
    groups
        .into_iter()
        .map(|(cause, lines)| finding(text, hidden, cause, &lines))
        .collect()
}

fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i)
}

/// 1-based line number of the last line of `r` that holds something (blank lines a block
/// takes with it are not shown).
fn last_line_no(text: &str, r: &Range<usize>) -> usize {
    let body = text.get(r.clone()).unwrap_or("");
    let trimmed = body.trim_end_matches(['\n', '\r', ' ', '\t']);
    line_no(text, r.start + trimmed.len().saturating_sub(1))
}

/// 1-based line number of a byte offset.
fn line_no(text: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..at.min(text.len())]).count() + 1
}

/// The visible first line at `at` (without its line end), as the finding's range.
fn first_line(text: &str, at: usize) -> Range<usize> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = line_end(text, at);
    let end = if text[..end].ends_with('\r') { end - 1 } else { end };
    at..end.max(at)
}

/// `` `## Foo` `` for the first heading and `and N more` for the rest.
fn names(text: &str, lines: &[usize]) -> String {
    let first = text[first_line(text, lines[0])].trim();
    let first: String = first.chars().take(60).collect();
    match lines.len() {
        1 => format!("`{first}`"),
        n => format!("`{first}` and {} more", n - 1),
    }
}

fn finding(text: &str, hidden: &[(Construct, Range<usize>)], cause: Cause, lines: &[usize]) -> Finding {
    let heads = names(text, lines);
    let one = lines.len() == 1;
    let (them, headings, show) = if one {
        ("it", "a heading", "shows")
    } else {
        ("them", "headings", "show")
    };
    let (at, message) = match cause {
        Cause::HiddenFromMdtoc(i) => {
            let (kind, r) = &hidden[i];
            let what = match kind {
                Construct::HtmlBlock => {
                    "one HTML block (gomarkdown: a block tag such as <details> or <div> runs to its \
                     closing tag followed by a blank line)"
                }
                Construct::HtmlComment => "an HTML comment",
                Construct::TitleBlock => {
                    "an mmark title block (a `---` line that starts a block runs to the next `---` \
                     anywhere, even inside a line)"
                }
                Construct::FencedCode => {
                    "a fenced code block (a fence closes only with exactly its opening marker)"
                }
                Construct::IndentedCode => "indented code (a tab or four spaces)",
                Construct::MathBlock => "a `$$` math block (the next `$$` anywhere closes it)",
                Construct::Table => "a table (every line holding a `|` after a table continues it)",
            };
            (
                r.start,
                format!(
                    "mdtoc, which CI runs, reads lines {}-{} as {what}, so it leaves {heads} out of \
                     the table of contents, though GitHub shows {them} as {headings}.",
                    line_no(text, r.start),
                    last_line_no(text, r),
                ),
            )
        }
        Cause::CodeOnGitHub(s, e) => (
            s,
            format!(
                "GitHub (CommonMark) renders lines {}-{} as code, so {heads} {show} as code there and \
                 links to {them} do not work on GitHub; mdtoc, which CI runs, reads {them} as {headings} \
                 and lists {them} in the table of contents.",
                line_no(text, s),
                last_line_no(text, &(s..e)),
            ),
        ),
        Cause::GitHubOnly(ls) => {
            let line = &text[first_line(text, ls)];
            let trimmed = line.trim_start_matches(' ');
            let reason = if !line.starts_with('#') && trimmed.starts_with('#') {
                "mdtoc needs the `#` in the first column"
            } else if line.trim_start_matches('#').starts_with('\t') {
                "mdtoc needs a space, not a tab, after the `#`s"
            } else if trimmed.starts_with(['-', '*', '+'])
                || trimmed.starts_with(|c: char| c.is_ascii_digit())
            {
                "in a list item, mdtoc reads a heading only when the item also holds a blank line"
            } else {
                "its parser (gomarkdown) reads the line otherwise"
            };
            (
                ls,
                format!(
                    "GitHub shows {heads} as a heading, but mdtoc, which CI runs, does not list it in \
                     the table of contents: {reason}."
                ),
            )
        }
        Cause::MdtocOnly(ls) => (
            ls,
            format!(
                "mdtoc, which CI runs, lists {heads} as a heading in the table of contents, but GitHub \
                 does not show it as one."
            ),
        ),
    };
    Finding::new(Code::RenderMismatch, first_line(text, at), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::outline::outline;

    fn messages(text: &str) -> Vec<(String, String)> {
        check(text, &outline(text))
            .into_iter()
            .map(|f| (text[f.range.clone()].to_string(), f.message))
            .collect()
    }

    #[test]
    fn a_table_row_that_github_reads_as_a_heading() {
        // gomarkdown continues a table with every line holding a `|`; GitHub starts a heading.
        // The block's last line ends in a multi-byte character (once a slicing panic).
        let text = "# T\n<!-- toc -->\n<!-- /toc -->\n\n| a | b |\n|---|---|\n## x |\n| é | é\n\nend\n";
        assert_eq!(
            messages(text),
            [(
                "| a | b |".to_string(),
                "mdtoc, which CI runs, reads lines 5-8 as a table (every line holding a `|` after a \
                 table continues it), so it leaves `## x |` out of the table of contents, though \
                 GitHub shows it as a heading."
                    .to_string()
            )]
        );
    }

    #[test]
    fn no_warning_without_markers_or_when_the_views_agree() {
        assert!(messages("# T\n<details>\n\n## x\n\n</details>\n\n").is_empty());
        assert!(messages("# T\n<!-- toc -->\n<!-- /toc -->\n## a\n\n1. ### b\n\n    c\n").is_empty());
    }
}
