//! `heading-case`: a README heading that stands for a template section and differs from the
//! template's heading only in letter case (`### Test plan` for `### Test Plan`). The fix writes
//! the template's spelling; a trailing `(Optional)` is left as the author wrote it.
//!
//! Which heading stands for which section is `Template::locate`'s lenient matching, the same the
//! section rules use; only headings whose written text equals the template's but for case are
//! reported, so reworded or re-punctuated headings (`Upgrade/Downgrade Strategy`) are not.
//!
//! Opt-in (`Code::is_opt_in`): on the accepted tree it reports 101 headings in 64 of 592 READMEs,
//! 58 of them `Feature enablement and rollback` / `Monitoring requirements` as the 2020 PRR
//! template wrote them: faithful copies of an older template, noise unless asked for.

use crate::analysis::{Code, Finding, Fix, TextEdit};
use crate::knowledge::template::Template;
use crate::syntax::outline::Outline;

const OPTIONAL: &str = "(optional)";

/// `title` without a trailing `(Optional)` (any case) and the spaces before it.
fn core(title: &str) -> &str {
    let t = title.trim_end();
    let n = t.len();
    match t.get(n.saturating_sub(OPTIONAL.len())..) {
        Some(tail) if n >= OPTIONAL.len() && tail.eq_ignore_ascii_case(OPTIONAL) => {
            t[..n - OPTIONAL.len()].trim_end()
        }
        _ => t,
    }
}

/// Case-insensitive equality that is not byte equality.
fn differs_only_in_case(a: &str, b: &str) -> bool {
    a != b && a.chars().count() == b.chars().count() && a.to_lowercase() == b.to_lowercase()
}

/// The findings of `text`, whose outline is `outline`, against `template`. `found` is
/// `template.locate(outline)` (the caller has it already).
pub fn check(text: &str, outline: &Outline, template: &Template, found: &[Option<usize>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (section, hit) in template.sections.iter().zip(found) {
        let Some(h) = hit.and_then(|i| outline.headings.get(i)) else {
            continue;
        };
        let Some(raw) = text.get(h.text_range.clone()) else {
            continue;
        };
        let lead = raw.len() - raw.trim_start().len();
        let written = core(raw.trim_start());
        let want = core(&section.title);
        if !differs_only_in_case(written, want) {
            continue;
        }
        let start = h.text_range.start + lead;
        let range = start..start + written.len();
        let mut edits = vec![TextEdit::new(range.clone(), want.to_string())];
        edits.extend(toc_edit(text, outline, hit.unwrap_or(0), written, want));
        out.push(
            Finding::new(
                Code::HeadingCase,
                range,
                format!("The template writes this heading \"{want}\"."),
            )
            .with_fix(Fix::new(format!("Write \"{want}\""), edits)),
        );
    }
    out
}

/// The same change in the heading's table-of-contents entry, so that the fix does not leave the
/// TOC stale (`toc-stale`, an error in CI). The anchor is lower case and stays; the entry is the
/// k-th `[text](#` of the TOC when the heading is the k-th TOC heading with that text.
fn toc_edit(text: &str, outline: &Outline, index: usize, written: &str, want: &str) -> Option<TextEdit> {
    let body = outline.toc.as_ref()?.body()?;
    let h = outline.headings.get(index)?;
    if !h.in_toc {
        return None;
    }
    let nth = outline.headings[..index]
        .iter()
        .filter(|o| o.in_toc && o.html == h.html)
        .count();
    let needle = format!("[{written}](#");
    let toc = text.get(body.clone())?;
    let at = toc.match_indices(&needle).nth(nth)?.0;
    let start = body.start + at + 1;
    Some(TextEdit::new(start..start + written.len(), want.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_suffix_is_not_compared() {
        assert_eq!(core("User Stories (Optional)"), "User Stories");
        assert_eq!(core("User stories (optional) "), "User stories");
        assert_eq!(core("Summary"), "Summary");
        assert_eq!(core("(optional)"), "");
        assert!(differs_only_in_case("Test plan", "Test Plan"));
        assert!(!differs_only_in_case("Test Plan", "Test Plan"));
        assert!(!differs_only_in_case("Testing Plan", "Test Plan"));
    }
}
