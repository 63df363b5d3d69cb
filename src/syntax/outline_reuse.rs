//! The outline of a README after an edit, from the outline before it: only the part of the
//! text around the edit is parsed again, by each of the two readers (GitHub's, pulldown-cmark;
//! mdtoc's, `mdtoc::Scan::after_edit`); what lies before and after is kept (moved by the
//! edit's length), and what depends on the whole text (sections, which headings mdtoc lists,
//! its anchors, the TOC markers) is derived again from the parts, as `outline` does.
//!
//! Why GitHub's part is exact: CommonMark's block parse reads forward, line by line, and a
//! `#` heading line at column 0 can only be read at the top level (no container holds an
//! unindented `#` line), where nothing is left open after it. So the part runs from such a
//! heading before the edited line (unchanged, so read as before) to such a heading after the
//! edit, which the part's parse must read as a heading again; the bytes before and after
//! are read as before. Inline content reads its block alone, except link reference
//! definitions (global): the part's own must be the same before and after the edit (the same
//! sources, in order), and the others' sources are given to the part's parse after it. Footnotes (`[^`) in the part, a
//! `\r` anywhere, or anything straddling a part's bounds: `None`, and the caller parses the
//! whole text.

use std::ops::Range;

use super::mdtoc;
use super::outline::{
    GithubPass, Heading, LinkRef, Outline, find_toc, finish, github_pass, mdtoc_view_of, view_moved,
};

/// The outline of `text` from `old`, the outline of `old_text`, when reuse can be shown exact
/// (see the module comment); `None` otherwise. Equal to `outline(text)` whenever it is `Some`.
pub(crate) fn outline_after_edit(old_text: &str, old: &Outline, text: &str) -> Option<Outline> {
    if memchr::memchr(b'\r', text.as_bytes()).is_some()
        || memchr::memchr(b'\r', old_text.as_bytes()).is_some()
    {
        return None;
    }
    let edit = Edit::between(old_text, text)?;
    let (scan, view) = mdtoc_after_edit(old_text, old, text, &edit)?;
    let part = GithubPart::read(old_text, old, text, &edit)?;
    let mut out = part.join(old, text, &edit)?;
    out.toc = find_toc(text);
    out.mdtoc = view;
    out.mdtoc_scan = Some(scan);
    finish(text, &mut out);
    Some(out)
}

/// Where two texts differ: bytes `start..old_end` of the old text became `start..new_end` of
/// the new one (byte offsets, 0-based, on char boundaries of both texts).
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
    /// Start of the line holding `start` in the new text.
    line: usize,
}

impl Edit {
    /// The smallest such edit (common prefix and suffix); `None` when the texts are equal.
    fn between(old_text: &str, text: &str) -> Option<Edit> {
        let (a, b) = (old_text.as_bytes(), text.as_bytes());
        let mut start = common_prefix(a, b);
        let max_suffix = a.len().min(b.len()) - start;
        let suffix = common_suffix(&a[start..], &b[start..]).min(max_suffix);
        let (mut old_end, mut new_end) = (a.len() - suffix, b.len() - suffix);
        if start == a.len() && start == b.len() {
            return None;
        }
        // On char boundaries of both texts (the edit then covers whole characters).
        while !old_text.is_char_boundary(start) || !text.is_char_boundary(start) {
            start -= 1;
        }
        while !old_text.is_char_boundary(old_end) || !text.is_char_boundary(new_end) {
            old_end += 1;
            new_end += 1;
        }
        let line = memchr::memrchr(b'\n', &b[..start]).map_or(0, |i| i + 1);
        Some(Edit {
            start,
            old_end,
            new_end,
            line,
        })
    }

    /// Where an old offset at or after the edit's end is in the new text.
    fn shift(&self, o: usize) -> usize {
        (o as isize + self.new_end as isize - self.old_end as isize) as usize
    }

    fn shift_range(&self, r: &Range<usize>) -> Range<usize> {
        self.shift(r.start)..self.shift(r.end)
    }
}

/// Where mdtoc's reading starts (byte offset) and its block scan, as `Outline::mdtoc_scan` keeps them.
type MdtocScan = (usize, std::sync::Arc<mdtoc::Scan>);

/// mdtoc's view after the edit: it reads from the closing TOC marker on when both markers are
/// there. An edit before that text (inside the TOC) moves the old scan; an edit inside it
/// re-scans around the edit (`mdtoc::Scan::after_edit`); anything else (a marker typed or
/// removed): `None`.
fn mdtoc_after_edit(
    old_text: &str,
    old: &Outline,
    text: &str,
    edit: &Edit,
) -> Option<(MdtocScan, mdtoc::View)> {
    let old_scan = old.mdtoc_scan.as_ref()?;
    let old_from = old_scan.0;
    let from = match mdtoc::find_markers(text) {
        (Some(_), Some(e)) => e,
        _ => 0,
    };
    if edit.old_end <= old_from && from == edit.shift(old_from) && old_from > 0 {
        // Before the text mdtoc reads (the TOC itself): its scan holds, moved.
        let mut view = old.mdtoc.clone();
        for h in &mut view.headings {
            h.1 = edit.shift(h.1);
        }
        for (_, r) in &mut view.hidden {
            *r = edit.shift_range(r);
        }
        return Some(((from, old_scan.1.clone()), view));
    }
    if from != old_from || edit.start < from + mdtoc::TOC_END.len() * usize::from(from > 0) {
        return None;
    }
    let scan = old_scan.1.after_edit(
        &old_text[from..],
        &text[from..],
        edit.start - from,
        edit.old_end - from,
        edit.new_end - from,
    )?;
    // Headings as before (prose was typed): their anchors are too.
    let view = if scan.same_headings(&old_scan.1) {
        view_moved(
            mdtoc::view_with(&text[from..], &scan, old.mdtoc.anchors.clone()),
            from,
        )
    } else {
        mdtoc_view_of(text, from, &scan)
    };
    Some(((from, std::sync::Arc::new(scan)), view))
}

/// GitHub's view of the part between two unindented `#` heading lines around the edit, parsed
/// again: the part runs from `start` to `old_stop` in the old text and is `limit` bytes long
/// in the new one (byte offsets); `pass` read the part, its stop heading's line and the other
/// parts' reference definitions.
struct GithubPart {
    start: usize,
    old_stop: usize,
    limit: usize,
    pass: GithubPass,
}

impl GithubPart {
    /// The part's parse, when it reads as the whole text's parse would (see the module
    /// comment); `None` otherwise.
    fn read(old_text: &str, old: &Outline, text: &str, edit: &Edit) -> Option<GithubPart> {
        let (a, b) = (old_text.as_bytes(), text.as_bytes());
        let bound = |h: &Heading| {
            let at = h.line.start;
            a.get(at) == Some(&b'#') && (at == 0 || a[at - 1] == b'\n')
        };
        let start = old
            .headings
            .iter()
            .filter(|h| bound(h) && h.line.start < edit.line)
            .map(|h| h.line.start)
            .next_back()
            .unwrap_or(0);
        let old_stop = old
            .headings
            .iter()
            .find(|h| bound(h) && h.line.start >= edit.old_end)
            .map(|h| h.line.start);
        let stop = old_stop.map_or(b.len(), |s| edit.shift(s));
        let old_stop = old_stop.unwrap_or(a.len());
        for part in [&a[start..old_stop], &b[start..stop]] {
            if memchr::memmem::find(part, b"[^").is_some() {
                return None;
            }
        }
        // The part, its stop heading's line, then the other parts' reference definitions.
        let stop_line_end = memchr::memchr(b'\n', &b[stop..]).map_or(b.len(), |i| stop + i);
        let mut src = String::with_capacity(stop_line_end - start + 256);
        src.push_str(&text[start..stop_line_end]);
        src.push_str("\n\n");
        let in_part = |d: &&Range<usize>| d.start >= start && d.start < old_stop;
        let mut others = 0;
        for d in old.ref_defs.iter().filter(|d| !in_part(d)) {
            // One line each (a definition's span ends with its line's newline).
            let def = old_text.get(d.clone())?.trim_end();
            if def.contains('\n') {
                return None;
            }
            src.push_str(def);
            src.push_str("\n\n");
            others += 1;
        }
        let limit = stop - start;
        let pass = github_pass(&src);
        // The part's own definitions must be what they were (the same sources, in order): then
        // every link elsewhere resolves as before. And every other part's definition must have
        // been read as one (not swallowed by a block the part left open at the end of the text,
        // nor shadowed by a definition of the part with the same label: the counts tell).
        let old_own: Vec<&str> = old
            .ref_defs
            .iter()
            .filter(in_part)
            .map(|d| old_text[d.clone()].trim_end())
            .collect();
        let own: Vec<&str> = pass
            .ref_defs
            .iter()
            .filter(|d| d.start < limit)
            .map(|d| src[d.clone()].trim_end())
            .collect();
        if own != old_own || pass.ref_defs.len() != others + own.len() {
            return None;
        }
        if stop < b.len() && !pass.headings.iter().any(|h| h.line.start == limit) {
            return None;
        }
        let within = |r: &Range<usize>| r.end <= limit;
        let straddles = |r: &Range<usize>| r.start < limit && !within(r);
        if pass.comments.iter().any(straddles)
            || pass.code.iter().any(straddles)
            || pass.links.iter().any(|l| straddles(&l.range))
            || pass.undefined_refs.iter().any(straddles)
            || pass.bracket_texts.iter().any(straddles)
            || pass.fences_rewritten
            || old.fences_rewritten
        {
            return None;
        }
        Some(GithubPart {
            start,
            old_stop,
            limit,
            pass,
        })
    }

    /// Does `r` (an old range) cross one of the part's bounds?
    fn straddled(&self, r: &Range<usize>) -> bool {
        (r.start < self.start && r.end > self.start) || (r.start < self.old_stop && r.end > self.old_stop)
    }

    /// A range of the part's parse, in the new text.
    fn moved(&self, r: &Range<usize>) -> Range<usize> {
        r.start + self.start..r.end + self.start
    }

    /// The old outline's GitHub view before the part, the part's, and the old after it
    /// (moved); `None` when an old range crosses a bound. mdtoc's view, the TOC and what
    /// `finish` derives are left to the caller.
    fn join(self, old: &Outline, text: &str, edit: &Edit) -> Option<Outline> {
        let mut out = Outline::default();
        out.comments = self.ranges(&old.comments, self.in_part(&self.pass.comments), edit)?;
        let mut code = self.in_part(&self.pass.code);
        code.sort_by_key(|r| r.start);
        out.code = self.ranges(&old.code, code, edit)?;
        out.undefined_refs =
            self.ranges(&old.undefined_refs, self.in_part(&self.pass.undefined_refs), edit)?;
        out.bracket_texts = self.ranges(&old.bracket_texts, self.in_part(&self.pass.bracket_texts), edit)?;
        if old.links.iter().any(|l| self.straddled(&l.range)) {
            return None;
        }
        // Links, headings, definitions: by where they start.
        out.links = self.by_start(
            &old.links,
            &self.pass.links,
            |l| l.range.start,
            |l| LinkRef {
                range: self.moved(&l.range),
                ..l.clone()
            },
            |l| LinkRef {
                range: edit.shift_range(&l.range),
                ..l.clone()
            },
        );
        out.headings = self.by_start(
            &old.headings,
            &self.pass.headings,
            |h| h.line.start,
            |h| Heading {
                line: self.moved(&h.line),
                text_range: self.moved(&h.text_range),
                section: h.line.start + self.start..text.len(),
                ..h.clone()
            },
            |h| Heading {
                line: edit.shift_range(&h.line),
                text_range: edit.shift_range(&h.text_range),
                section: edit.shift(h.line.start)..text.len(),
                ..h.clone()
            },
        );
        out.ref_defs = self.by_start(
            &old.ref_defs,
            &self.pass.ref_defs,
            |d| d.start,
            |d| self.moved(d),
            |d| edit.shift_range(d),
        );
        Some(out)
    }

    /// Items by where they start (`start`, a byte offset): the old ones before the part as
    /// they were, the part's (`in_part` puts one in the new text), the old ones after it
    /// (`after` moves one by the edit).
    fn by_start<T: Clone>(
        &self,
        old: &[T],
        part: &[T],
        start: impl Fn(&T) -> usize,
        in_part: impl Fn(&T) -> T,
        after: impl Fn(&T) -> T,
    ) -> Vec<T> {
        let mut out: Vec<T> = old.iter().filter(|x| start(x) < self.start).cloned().collect();
        out.extend(part.iter().filter(|x| start(x) < self.limit).map(&in_part));
        out.extend(old.iter().filter(|x| start(x) >= self.old_stop).map(&after));
        out
    }

    /// The part's ranges that start inside it, in the new text.
    fn in_part(&self, part: &[Range<usize>]) -> Vec<Range<usize>> {
        part.iter()
            .filter(|r| r.start < self.limit)
            .map(|r| self.moved(r))
            .collect()
    }

    /// Old ranges kept before the part, `mine` (the part's, in the new text), old ranges moved
    /// after it; `None` when an old one crosses a bound.
    fn ranges(
        &self,
        old: &[Range<usize>],
        mine: Vec<Range<usize>>,
        edit: &Edit,
    ) -> Option<Vec<Range<usize>>> {
        if old.iter().any(|r| self.straddled(r)) {
            return None;
        }
        let mut v = Vec::with_capacity(old.len() + mine.len());
        v.extend(
            old.iter()
                .filter(|r| r.end <= self.start && r.start < self.start)
                .cloned(),
        );
        v.extend(mine);
        v.extend(
            old.iter()
                .filter(|r| r.start >= self.old_stop)
                .map(|r| edit.shift_range(r)),
        );
        Some(v)
    }
}

/// How many bytes `a` and `b` share at their start: blocks compared with `==` (a vectorised
/// memcmp), then the differing block byte by byte (a byte loop over a 150 KB README was a
/// third of a re-read).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n].iter().zip(&b[i..n]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` share at their end (as `common_prefix`).
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[ea - i - BLOCK..ea - i] == b[eb - i - BLOCK..eb - i] {
        i += BLOCK;
    }
    i + a[..ea - i]
        .iter()
        .rev()
        .zip(b[..eb - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::outline::outline;

    /// Everything an outline holds that a full parse decides (the scan's `top_reach` is an
    /// upper bound after an edit, not compared).
    fn parts(o: &Outline) -> String {
        let scan = o
            .mdtoc_scan
            .as_ref()
            .map(|(from, s)| format!("{from} {}", s.comparable()));
        format!(
            "{:#?}\n{:?}\n{:?}\n{:#?}\n{:?}\n{:#?}\n{:?}\n{:?}\n{:?}\n{}\n{scan:?}",
            o.headings,
            o.comments,
            o.code,
            o.links,
            o.toc,
            o.mdtoc,
            o.ref_defs,
            o.undefined_refs,
            o.bracket_texts,
            o.fences_rewritten
        )
    }

    #[test]
    fn common_ends_count_what_a_byte_loop_counts() {
        let base: Vec<u8> = (0..1000u32).map(|i| (i % 7) as u8).collect();
        for (at, len, piece) in [
            (0, 0, &b"x"[..]),
            (999, 1, b""),
            (500, 3, b"yy"),
            (256, 0, b"z"),
            (0, 1000, b""),
        ] {
            let mut other = base.clone();
            other.splice(at..at + len, piece.iter().copied());
            let prefix = base.iter().zip(&other).take_while(|(x, y)| x == y).count();
            let suffix = base
                .iter()
                .rev()
                .zip(other.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            assert_eq!(common_prefix(&base, &other), prefix);
            assert_eq!(common_suffix(&base, &other), suffix);
        }
    }

    const PIECES: &[&str] = &[
        "x",
        "é 字",
        "\n",
        "\n\n",
        "# ",
        "## ",
        "\n## New\n\n",
        "```\n",
        "`",
        "~~~\n",
        "<div>\n",
        "</div>\n\n",
        "<!-- ",
        " -->",
        "<!-- toc -->\n",
        "<!-- /toc -->\n",
        "[l](#design-details)",
        "[text][label]",
        "[l](./my file.md)",
        "```\t\n",
        "\n[label]: http://x\n",
        "[^1]",
        "| a | b |\n|---|---|\n",
        "- ",
        "1. ",
        "> ",
        "    ",
        "---\n",
        "$$",
        "<details>\n",
        "</details>\n",
        "===\n",
        "\t",
    ];

    fn scale_of_run() -> usize {
        std::env::var("KEP_REUSE_EDITS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    /// Random edit scripts (a fixed seed) on real READMEs: whenever the outline is reused it
    /// equals a full parse, and the edits typing makes (letters in prose) do reuse it.
    #[test]
    fn reuse_equals_a_full_parse() {
        let Some(root) = crate::test_corpus::enhancements().map(|r| r.join("keps")) else {
            return;
        };
        let files = [
            "sig-api-machinery/1040-priority-and-fairness/README.md",
            "sig-node/688-pod-overhead/README.md",
            "sig-release/3000-artifact-distribution/README.md",
            "sig-scheduling/268-priority-preemption/README.md",
            "sig-node/2043-pod-resource-concrete-assigments/README.md",
        ];
        let mut seed: u64 = std::env::var("KEP_REUSE_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let (mut reused, mut letters, mut letters_reused) = (0, 0, 0);
        for (k, f) in files.iter().enumerate() {
            let Ok(mut text) = std::fs::read_to_string(root.join(f)) else {
                continue;
            };
            let mut old = outline(&text);
            // KEP_REUSE_EDITS: a longer run by hand (the default keeps the test quick).
            let edits = scale_of_run() * if k == 0 { 40 } else { 60 };
            for _ in 0..edits {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let letter = next(3) == 0;
                let (len, piece) = if letter {
                    (0, "a")
                } else {
                    (
                        if next(2) == 0 { 0 } else { next(40) },
                        PIECES[next(PIECES.len())],
                    )
                };
                let mut end = (at + len).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                let mut new = text.clone();
                new.replace_range(at..end, piece);
                let full = outline(&new);
                let got = outline_after_edit(&text, &old, &new);
                if let Some(got) = &got {
                    let (g, w) = (parts(got), parts(&full));
                    if g != w {
                        let diff: Vec<String> = g
                            .lines()
                            .zip(w.lines())
                            .enumerate()
                            .filter(|(_, (x, y))| x != y)
                            .take(4)
                            .map(|(i, (x, y))| format!("line {i}:\n got  {:.300}\n want {:.300}", x, y))
                            .collect();
                        panic!("{f}: {piece:?} at {at}, {len} bytes\n{}", diff.join("\n"));
                    }
                    reused += 1;
                }
                if letter {
                    letters += 1;
                    letters_reused += usize::from(got.is_some());
                }
                old = got.unwrap_or(full);
                text = new;
            }
        }
        eprintln!("reused {reused}; letters {letters_reused} of {letters}");
        assert!(
            scale_of_run() > 1 || letters_reused * 2 > letters,
            "letters reused {letters_reused} of {letters}"
        );
    }
}
