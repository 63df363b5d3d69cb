//! Template section rules: `missing-section` (stage-aware), `section-order`, `empty-section`,
//! `template-guidance` (the template's comments and placeholder title left in place) and
//! `release-checklist-missing`.
//!
//! Upstream checks none of this in CI (hack/verify-toc-vs-template.sh only prints the missing
//! headings), so nothing here is an error.

use std::ops::Range;

use super::Readme;
use crate::analysis::finding::Severity;
use crate::analysis::{Code, Context, Finding, Fix, TextEdit};
use crate::knowledge::template::{PrrTarget, Requirement, Template, TemplateSection};

/// `found` is `template.locate(&r.outline)`, shared with `heading-case`.
pub(super) fn check(r: &Readme<'_>, ctx: &Context<'_>, found: &[Option<usize>]) -> Vec<Finding> {
    let template = &ctx.knowledge.template;
    let mut out = Vec::new();
    missing(r, template, found, super::toc::dialect(ctx), &mut out);
    order(r, template, found, &mut out);
    empty(r, template, found, &mut out);
    guidance(r, template, &mut out);
    out
}

/// Where findings about the document as a whole point: the H1, else the first line.
fn anchor_range(r: &Readme<'_>) -> Range<usize> {
    r.outline
        .h1()
        .map(|h| h.line.clone())
        .unwrap_or_else(|| 0..r.text.find('\n').unwrap_or(r.text.len()))
}

/// Whether a template section is due at the KEP's phase.
fn due(r: &Readme<'_>, s: &TemplateSection) -> bool {
    due_as(r, s.requirement, s.prr_target)
}

fn due_as(r: &Readme<'_>, req: Requirement, prr_target: Option<PrrTarget>) -> bool {
    match req {
        Requirement::Provisional => true,
        Requirement::Implementable => r.phase.implementable,
        Requirement::ProductionReadiness | Requirement::ProductionReadinessQuestion => {
            r.phase.needs_prr && prr_target.is_none_or(|t| t <= r.phase.prr_target)
        }
        Requirement::Never => false,
    }
}

/// `missing-section`: a warning for an active KEP (provisional, implementable), an info for
/// the others; each missing PRR question an info, as hack/verify-toc-vs-template.sh lists it
/// (R15). A missing section is reported once, with the due subsections that go with it.
/// `dialect`: the repository's mdtoc, for the TOC edit that goes with each insertion.
fn missing(
    r: &Readme<'_>,
    t: &Template,
    found: &[Option<usize>],
    dialect: crate::syntax::mdtoc::MdtocDialect,
    out: &mut Vec<Finding>,
) {
    for s in &t.sections {
        let checklist = s.norm == "releasesignoffchecklist";
        let required = if checklist {
            r.phase.implementable
        } else {
            due(r, s)
        };
        // A missing parent is reported once, not with each of its children.
        let parent_missing = s.parent.is_some_and(|p| found[p].is_none());
        if !required || found[s.index].is_some() || parent_missing {
            continue;
        }
        let place = place(r, t, found, s.index);
        let title = s.title.replace(" (Optional)", "");
        let mut f = if checklist {
            Finding::new(
                Code::ReleaseChecklistMissing,
                anchor_range(r),
                format!(
                    "No Release Signoff Checklist: the release team tracks an implementable KEP with \
                     it; add the template's checklist ({place})."
                ),
            )
        } else if s.requirement == Requirement::ProductionReadinessQuestion {
            Finding::new(
                Code::MissingSection,
                anchor_range(r),
                format!(
                    "The PRR question \"{title}\" is missing (hack/verify-toc-vs-template.sh lists \
                     it); it goes {place}."
                ),
            )
            .with_severity(Severity::Info)
        } else {
            let why = match (s.requirement, s.prr_target) {
                (Requirement::ProductionReadiness, Some(PrrTarget::Beta)) => {
                    " (PRR reviewers read it from beta on)"
                }
                (Requirement::ProductionReadiness, _) => " (PRR reviewers read it from alpha on)",
                (Requirement::Implementable, _) => " (expected once the KEP is implementable)",
                _ => "",
            };
            // The due subsections that are missing with it (and come with its fix).
            let with: Vec<String> = t
                .missing_descendants(found, s.index)
                .into_iter()
                .map(|d| &t.sections[d])
                .filter(|d| due(r, d) && d.requirement != Requirement::ProductionReadinessQuestion)
                .map(|d| format!("\"{}\"", d.title.replace(" (Optional)", "")))
                .collect();
            let with = if with.is_empty() {
                String::new()
            } else {
                format!(" (with {})", with.join(", "))
            };
            let severity = if r.phase.active {
                Severity::Warning
            } else {
                Severity::Info
            };
            Finding::new(
                Code::MissingSection,
                anchor_range(r),
                format!("The template's \"{title}\" section{with} is missing{why}; it goes {place}."),
            )
            .with_severity(severity)
        };
        // No fix is shown with `findings_only`: skip the insertion and its TOC regeneration.
        if !r.findings_only
            && let Some(edits) = insert_section_edits(r.text, &r.outline, t, found, s.index, dialect)
        {
            f = f.with_fix(Fix::new(format!("Insert the \"{title}\" section"), edits));
        }
        out.push(f);
    }
}

/// The edits inserting template section `index` (with its missing subsections) where it goes,
/// and regenerating the table of contents so that it lists the new headings (a fix must not
/// leave `toc-stale`, a CI failure). Shared by the `missing-section` fix and the "insert
/// section" code action, so the two are the same edit.
pub(crate) fn insert_section_edits(
    text: &str,
    outline: &crate::syntax::outline::Outline,
    t: &Template,
    found: &[Option<usize>],
    index: usize,
    dialect: crate::syntax::mdtoc::MdtocDialect,
) -> Option<Vec<TextEdit>> {
    let (at, new) = t.insertion_edit(text, outline, found, index)?;
    Some(super::toc_fixes::insertion_with_toc(text, at, new, dialect))
}

/// Where a missing section goes, in words: under its present parent, after the present section
/// that precedes it (at its own level), or before the first present one.
fn place(r: &Readme<'_>, t: &Template, found: &[Option<usize>], index: usize) -> String {
    let s = &t.sections[index];
    let name = |h: usize| r.outline.headings[h].text.clone();
    if let Some((ti, hi)) = (0..index).rev().find_map(|i| found[i].map(|h| (i, h))) {
        if t.is_ancestor(ti, index) {
            return format!("under \"{}\"", name(hi));
        }
        if let Some(next) = t.next_placed_before(&r.outline, found, index, hi) {
            return format!("before \"{}\"", name(next));
        }
        let mut at = hi;
        while let Some(parent) = r.outline.parent_of(at) {
            if r.outline.headings[parent].level < s.level {
                break;
            }
            at = parent;
        }
        return format!("after \"{}\"", name(at));
    }
    match (index + 1..found.len()).find_map(|i| found[i]) {
        Some(h) => format!("before \"{}\"", name(h)),
        None => "after the title".to_string(),
    }
}

/// Sections out of the template's order: those outside the longest run that is in order
/// (so one moved section gives one finding, not one per section it jumped over).
fn order(r: &Readme<'_>, t: &Template, found: &[Option<usize>], out: &mut Vec<Finding>) {
    let present: Vec<(usize, usize)> = found
        .iter()
        .enumerate()
        .filter_map(|(ti, h)| h.map(|h| (ti, h)))
        .collect();
    let n = present.len();
    // Longest increasing subsequence of heading positions, O(n^2): n is at most ~60.
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if present[j].1 < present[i].1 && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut k) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return;
    };
    let mut keep = vec![false; n];
    loop {
        keep[k] = true;
        if prev[k] == usize::MAX {
            break;
        }
        k = prev[k];
    }
    for (i, &(ti, hi)) in present.iter().enumerate() {
        if keep[i] {
            continue;
        }
        let h = &r.outline.headings[hi];
        // The first kept section that the template puts after this one but the README before.
        let later = present
            .iter()
            .enumerate()
            .find(|&(j, &(tj, hj))| keep[j] && tj > ti && hj < hi)
            .map(|(_, &(tj, _))| t.sections[tj].title.replace(" (Optional)", ""));
        let earlier = || {
            present
                .iter()
                .enumerate()
                .find(|&(j, &(tj, hj))| keep[j] && tj < ti && hj > hi)
                .map(|(_, &(tj, _))| t.sections[tj].title.replace(" (Optional)", ""))
        };
        let message = match (later, earlier()) {
            (Some(l), _) => format!("\"{}\" comes before \"{l}\" in the template.", h.text),
            (None, Some(e)) => format!("\"{}\" comes after \"{e}\" in the template.", h.text),
            (None, None) => format!("\"{}\" is out of the template's order.", h.text),
        };
        out.push(Finding::new(Code::SectionOrder, h.line.clone(), message));
    }
}

/// A heading with nothing under it (blank lines and comments only) and no subsections.
/// Optional sections, and sections the KEP's phase does not call for yet (the PRR questions of
/// a provisional KEP), may stay empty.
fn empty(r: &Readme<'_>, t: &Template, found: &[Option<usize>], out: &mut Vec<Finding>) {
    let hs = &r.outline.headings;
    // The template requirement a README heading stands for, if any.
    let mut stands_for: Vec<Option<(Requirement, Option<PrrTarget>)>> = vec![None; hs.len()];
    for (ti, h) in found.iter().enumerate() {
        if let Some(h) = h {
            let s = &t.sections[ti];
            // Sections never reported missing (Drawbacks, Alternatives...) are still for an
            // implementable KEP to fill in, not a provisional one.
            let req = match s.requirement {
                Requirement::Never if !s.optional && s.level <= 3 => Requirement::Implementable,
                r => r,
            };
            stands_for[*h] = Some((req, s.prr_target));
        }
    }
    let not_due = |mut i: usize| loop {
        if let Some((req, target)) = stands_for[i]
            && req != Requirement::Never
            && !due_as(r, req, target)
        {
            return true;
        }
        match r.outline.parent_of(i) {
            Some(p) => i = p,
            None => return false,
        }
    };
    for (i, h) in hs.iter().enumerate() {
        if h.level == 1 || h.text.to_lowercase().contains("optional") || not_due(i) {
            continue;
        }
        let next = hs.get(i + 1);
        if next.is_some_and(|n| n.level > h.level) {
            continue;
        }
        let end = next.map_or(r.text.len(), |n| n.line.start);
        if only_comments(r, h.line.end..end) {
            out.push(Finding::new(
                Code::EmptySection,
                h.line.clone(),
                format!(
                    "\"{}\" has no content: fill it in, or remove it if it does not apply.",
                    h.text
                ),
            ));
        }
    }
}

/// Whether a range holds nothing but whitespace and HTML comments.
fn only_comments(r: &Readme<'_>, range: Range<usize>) -> bool {
    let mut pos = range.start;
    for c in &r.outline.comments {
        if c.end <= range.start || c.start < pos {
            continue;
        }
        if c.start >= range.end {
            break;
        }
        if !r.text[pos..c.start].trim().is_empty() {
            return false;
        }
        pos = c.end.min(range.end);
    }
    r.text.get(pos..range.end).is_none_or(|s| s.trim().is_empty())
}

fn guidance(r: &Readme<'_>, t: &Template, out: &mut Vec<Finding>) {
    for c in &r.outline.comments {
        let Some(comment) = r.text.get(c.clone()) else {
            continue;
        };
        if r.outline.in_code(c.start) || !t.is_guidance(comment) {
            continue;
        }
        let del = deletion_range(r.text, c.clone());
        out.push(
            Finding::new(
                Code::TemplateGuidance,
                c.clone(),
                "The template's guidance comment is still here; remove it once the section is written.",
            )
            .with_fix(Fix::new(
                "Remove the template comment",
                vec![TextEdit::new(del, "")],
            )),
        );
    }
    if let Some(h1) = r.outline.h1() {
        for placeholder in ["Your short, descriptive title", "KEP-NNNN"] {
            if let Some(i) = r.text[h1.line.clone()].find(placeholder) {
                let start = h1.line.start + i;
                out.push(
                    Finding::new(
                        Code::TemplateGuidance,
                        start..start + placeholder.len(),
                        format!("\"{placeholder}\" is the template's placeholder: put the KEP's number and title here."),
                    )
                    .with_severity(Severity::Info),
                );
            }
        }
    }
}

/// A comment's range widened to its whole line(s) and one blank line after it, when it stands
/// on lines of its own, so that removing it leaves no hole.
fn deletion_range(text: &str, c: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut start = c.start;
    while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    let own_line = start == 0 || bytes[start - 1] == b'\n';
    if !own_line {
        return c;
    }
    let mut end = c.end;
    while end < bytes.len() && matches!(bytes[end], b' ' | b'\t' | b'\r') {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'\n' {
        end += 1;
        // Preceded by a blank line and followed by one: take the one after.
        let blank_before = start >= 2 && bytes[start - 2] == b'\n' || start == 0;
        if blank_before && end < bytes.len() && bytes[end] == b'\n' {
            end += 1;
        }
    } else if end < bytes.len() {
        return c;
    }
    start..end
}
