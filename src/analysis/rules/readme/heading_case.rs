//! `heading-case`: a README heading that stands for a template section and differs from the
//! template's heading only in letter case (`### Test plan` for `### Test Plan`). The fix writes
//! the template's spelling; a trailing `(Optional)` is left as the author wrote it.
//!
//! Which heading stands for which section is `Template::locate`'s lenient matching, the same the
//! section rules use; only headings whose written text equals the template's but for case are
//! reported, so reworded or re-punctuated headings (`Upgrade/Downgrade Strategy`) are not.

use crate::analysis::outline::Outline;
use crate::analysis::{Code, Finding, Fix, TextEdit};
use crate::knowledge::template::Template;

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
pub(crate) fn check(
    text: &str,
    outline: &Outline,
    template: &Template,
    found: &[Option<usize>],
) -> Vec<Finding> {
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
        out.push(
            Finding::new(
                Code::HeadingCase,
                range.clone(),
                format!("The template writes this heading \"{want}\"."),
            )
            .with_fix(Fix::new(
                format!("Write \"{want}\""),
                vec![TextEdit::new(range, want.to_string())],
            )),
        );
    }
    out
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
