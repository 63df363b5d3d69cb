//! Table-of-contents edits that go with other fixes, so that no fix leaves a TOC that
//! hack/verify-toc.sh rejects: the TOC regenerated after a section is inserted, and a
//! hand-written TOC list (no `<!-- toc -->` markers) wrapped in markers and regenerated rather
//! than a second TOC added above it.
//!
//! Both go through the TOC check's public entry (`toc::check`, what `make update-toc` writes),
//! run on the text as it will be after the fix: the generation itself lives in one place.

use std::ops::Range;

use crate::analysis::{Fix, TextEdit};
use crate::syntax::mdtoc::MdtocDialect;
use crate::syntax::outline::{self, TOC_END, TOC_START};
use crate::syntax::toc::{self, KEP_TOC_MAX_DEPTH, TocCheck};

/// What mdtoc writes between the markers of `text` (`body` range, new bytes) when that
/// differs from what is there; `None` when the TOC is current or the markers are not usable.
fn regenerate(text: &str, dialect: MdtocDialect) -> Option<(Range<usize>, String)> {
    match toc::check(text, dialect, KEP_TOC_MAX_DEPTH) {
        TocCheck::Stale { body, replacement } => Some((body, replacement)),
        _ => None,
    }
}

/// The edits of inserting `new` at byte `at` of `text`, plus the TOC edit that keeps the
/// table of contents what mdtoc generates for the result. The TOC edit is left out when the
/// TOC block would overlap the insertion (never the case for a section inserted below it).
/// `dialect` is the mdtoc the repository pins (its profile).
pub(crate) fn insertion_with_toc(text: &str, at: usize, new: String, dialect: MdtocDialect) -> Vec<TextEdit> {
    let at = at.min(text.len());
    // Headings deeper than mdtoc's depth (the PRR questions, `######`) do not change the TOC:
    // when it is current, skip re-reading the whole README for them (a KEP missing 25
    // questions has 25 such fixes); when it is stale, the fix regenerates it all the same.
    let listed = new.lines().any(|l| {
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        (1..=KEP_TOC_MAX_DEPTH as usize).contains(&hashes) && l[hashes..].starts_with(' ')
    });
    let stale = || {
        matches!(
            toc::check(text, dialect, KEP_TOC_MAX_DEPTH),
            TocCheck::Stale { .. }
        )
    };
    let after = (listed || stale()).then(|| format!("{}{new}{}", &text[..at], &text[at..]));
    let toc_edit = after
        .as_deref()
        .and_then(|after| regenerate(after, dialect))
        .and_then(|(body, replacement)| {
            // Map the body back into `text`.
            let range = if body.end <= at {
                body
            } else if body.start >= at + new.len() {
                body.start - new.len()..body.end - new.len()
            } else {
                return None;
            };
            Some(TextEdit::new(range, replacement))
        });
    let mut edits = vec![TextEdit::insert(at, new)];
    edits.extend(toc_edit);
    edits.sort_by_key(|e| e.range.start);
    edits
}

/// A list of `[...](#anchor)` entries written by hand where the TOC goes: before any heading
/// other than the title and a "Table of Contents" heading, outside code, at least two items.
/// Returns the byte range of its whole lines (with the last newline).
pub(crate) fn hand_written_toc(text: &str) -> Option<Range<usize>> {
    let o = outline::outline(text);
    // Where the body starts: the first heading below the H1 that is not the TOC's own.
    let limit = o
        .headings
        .iter()
        .find(|h| h.level > 1 && !is_toc_heading(&h.text))
        .map_or(text.len(), |h| h.line.start);
    let mut pos = 0;
    let mut block: Option<Range<usize>> = None;
    let mut items = 0;
    while pos < limit {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        let is_entry = !o.in_code(pos) && !o.in_comment(pos) && toc_entry(line);
        match (&mut block, is_entry) {
            (Some(b), true) => {
                b.end = end;
                items += 1;
            }
            (None, true) => {
                block = Some(pos..end);
                items = 1;
            }
            (Some(_), false) if items >= 2 => break,
            (Some(_), false) => block = None,
            (None, false) => {}
        }
        pos = end;
    }
    block.filter(|b| items >= 2 && b.start < limit)
}

/// "Table of Contents", "Contents", "TOC" (any case).
fn is_toc_heading(title: &str) -> bool {
    let t = title.trim().to_lowercase();
    matches!(t.as_str(), "table of contents" | "contents" | "toc")
}

/// A list item holding only a link to an anchor: `  - [Goals](#goals)`, `1. [A](#a)`.
fn toc_entry(line: &str) -> bool {
    let t = line.trim();
    let rest = if let Some(r) = t.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        match t[digits..].strip_prefix(['.', ')']) {
            Some(r) if digits > 0 => r,
            _ => return false,
        }
    };
    if !rest.starts_with([' ', '\t']) {
        return false;
    }
    let rest = rest.trim();
    rest.starts_with('[') && rest.ends_with(')') && rest.contains("](#")
}

/// The "Add a table of contents" fix for a README with a hand-written TOC list and no
/// markers: the list wrapped in `<!-- toc -->` / `<!-- /toc -->` and regenerated, as
/// `make update-toc` would leave it. `None` when there is no such list.
pub(crate) fn wrap_hand_written_toc(text: &str, dialect: MdtocDialect) -> Option<Fix> {
    let list = hand_written_toc(text)?;
    let old = &text[list.clone()];
    let wrapped = format!("{TOC_START}\n{old}{TOC_END}\n");
    let after = format!("{}{wrapped}{}", &text[..list.start], &text[list.end..]);
    let block = match regenerate(&after, dialect) {
        Some((_, replacement)) => format!("{TOC_START}{replacement}{TOC_END}\n"),
        None => wrapped,
    };
    Some(Fix::new(
        "Add a table of contents (mark the hand-written one)",
        vec![TextEdit::new(list, block)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_entries() {
        assert!(toc_entry("- [Goals](#goals)\n"));
        assert!(toc_entry("    * [A `b`](#a-b)"));
        assert!(toc_entry("1. [A](#a)"));
        assert!(!toc_entry("-[A](#a)"));
        assert!(!toc_entry("- [A](https://x)"));
        assert!(!toc_entry("- see [A](#a) for more"));
        assert!(!toc_entry("12 [A](#a)"));
    }

    #[test]
    fn a_list_below_the_body_start_is_not_a_toc() {
        let text = "# T\n\n## Summary\n\n- [A](#a)\n- [B](#b)\n";
        assert_eq!(hand_written_toc(text), None);
        let text = "# T\n\n## Table of Contents\n\n- [Summary](#summary)\n  - [X](#x)\n\n## Summary\n";
        let r = hand_written_toc(text).unwrap();
        assert_eq!(&text[r], "- [Summary](#summary)\n  - [X](#x)\n");
    }
}
