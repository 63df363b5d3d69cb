//! The README's title against kep.yaml (`missing-title`, `title-mismatch`) and unresolved
//! debate markers (`unresolved-block`).

use std::ops::Range;

use super::Readme;
use crate::analysis::finding::Severity;
use crate::analysis::{Code, Finding, Fix, TextEdit};
use crate::syntax::outline::Heading;

/// The title part of an H1 like `KEP-1287: In-Place Update of Pod Resources`: the byte offset
/// (into `h1`) where the title starts after a `KEP-NNNN:` / `KEP NNNN -` prefix.
pub(crate) fn title_start(h1: &str) -> usize {
    let b = h1.as_bytes();
    let mut i = 0;
    if !h1.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("kep")) {
        return 0;
    }
    i += 3;
    while i < b.len() && matches!(b[i], b'-' | b' ' | b'_') {
        i += 1;
    }
    let digits = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'N') {
        i += 1;
    }
    if i == digits {
        return 0;
    }
    while i < b.len() && matches!(b[i], b':' | b' ' | b'-' | b'.') {
        i += 1;
    }
    // An en or em dash used as the separator.
    for dash in ["\u{2013}", "\u{2014}"] {
        if h1[i..].starts_with(dash) {
            i += dash.len();
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
        }
    }
    i
}

/// Titles compared the way a reader would: case, spacing, punctuation (`Dual-Stack`,
/// `PlacementDecision`, a kebab-case kep.yaml title) and a plural `s` do not matter, and a title
/// that only adds words to the other (`Gang Scheduling` / `Gang Scheduling using Workload
/// Object`) is the same KEP named more or less fully. Measured on the tree: strict comparison
/// flags 177 of 634 READMEs, mostly such variants; this leaves the real disagreements.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .map(|w| w.strip_suffix('s').filter(|w| w.len() > 2).unwrap_or(w))
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a == b || a.contains(&b) || b.contains(&a))
}

/// The source range of the title part of an H1: after `KEP-NNNN: `, or after the `:` that
/// follows a `[KEP-4815](https://...)` link.
pub(crate) fn h1_title_range(text: &str, h1: &Heading) -> Range<usize> {
    let written = &text[h1.text_range.clone()];
    let prefix_end = if written.starts_with("[KEP") {
        written.find("):").map_or(0, |i| i + 2)
    } else {
        0
    };
    let after_prefix = &written[prefix_end..];
    let skip = if prefix_end > 0 {
        after_prefix.len() - after_prefix.trim_start().len()
    } else {
        title_start(written)
    };
    h1.text_range.start + prefix_end + skip..h1.text_range.end
}

pub(super) fn check_title(r: &Readme<'_>) -> Vec<Finding> {
    let Some(h1) = r.outline.h1() else {
        return vec![Finding::new(
            Code::MissingTitle,
            0..r.text.find('\n').unwrap_or(r.text.len()),
            "No `# KEP-NNNN: Title` heading: start the README with the KEP's number and title.",
        )];
    };
    let mut out = Vec::new();
    if let Some(f) = number_mismatch(r, h1) {
        out.push(f);
    }
    let Some(title) = r.meta.as_ref().and_then(|m| m.title.as_ref()) else {
        return out;
    };
    let want = title.value.trim();
    let start = h1_title_range(r.text, h1).start;
    let got = &r.text[start..h1.text_range.end];
    // Compare what a reader sees (links, code and emphasis flattened).
    let shown = &h1.text[title_start(&h1.text)..];
    if want.is_empty() || want == "KEP Template" || same_title(shown, want) || same_title(got, want) {
        return out;
    }
    let range = start..h1.text_range.end;
    // Info, not warning: 93 of the 634 accepted READMEs word their title differently from
    // kep.yaml on purpose ("Suspend Job" / "Suspend Jobs" and the like are already accepted).
    out.push(
        Finding::new(
            Code::TitleMismatch,
            if range.is_empty() {
                h1.line.clone()
            } else {
                range.clone()
            },
            format!("The title here differs from kep.yaml's title \"{want}\"."),
        )
        .with_severity(Severity::Info)
        .with_fix(Fix::new(
            "Use kep.yaml's title",
            vec![TextEdit::new(range, want.to_string())],
        )),
    );
    out
}

/// `# KEP-123: ...` where kep.yaml says another number: a copy-paste slip (warning).
fn number_mismatch(r: &Readme<'_>, h1: &Heading) -> Option<Finding> {
    let want = r
        .meta
        .as_ref()?
        .kep_number
        .as_ref()?
        .value
        .trim()
        .trim_matches('"');
    if want.is_empty() || !want.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let written = &r.text[h1.text_range.clone()];
    let w = written.trim_start_matches('[');
    if !w.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("kep")) {
        return None;
    }
    let lead = written.len() - w.len() + 3;
    let rest = &written[lead..];
    let sep = rest.len() - rest.trim_start_matches(['-', ' ', '_']).len();
    let digits = rest[sep..].bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let start = h1.text_range.start + lead + sep;
    let got = &r.text[start..start + digits];
    if got.trim_start_matches('0') == want.trim_start_matches('0') {
        return None;
    }
    Some(
        Finding::new(
            Code::TitleMismatch,
            start..start + digits,
            format!("The title says KEP-{got}; kep.yaml's kep-number is {want}."),
        )
        .with_fix(Fix::new(
            format!("Use KEP-{want}"),
            vec![TextEdit::new(start..start + digits, want.to_string())],
        )),
    )
}

const OPEN: &str = "<<[UNRESOLVED";

/// `<<[UNRESOLVED ...]>>` markers outside comments and code: a warning once the KEP is
/// implementable (the debate should be settled), a hint before.
pub(super) fn check_unresolved(r: &Readme<'_>) -> Vec<Finding> {
    let severity = if r.phase.implementable {
        Severity::Warning
    } else {
        Severity::Hint
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = r.text[pos..].find(OPEN) {
        let start = pos + i;
        pos = start + OPEN.len();
        if r.outline.in_comment(start) || r.outline.in_code(start) {
            continue;
        }
        let line_end = r.text[start..].find('\n').map_or(r.text.len(), |j| start + j);
        let end = r.text[start..line_end]
            .find("]>>")
            .map_or(line_end, |j| start + j + 3);
        let what = r.text[start + OPEN.len()..end]
            .trim_end_matches("]>>")
            .trim()
            .trim_end_matches(['.', ':', '?', ' ']);
        let message = if what.is_empty() {
            "An unresolved debate is left in the KEP: resolve it before the KEP is implementable.".to_string()
        } else {
            format!("Unresolved: {what}. Resolve it before the KEP is implementable.")
        };
        out.push(Finding::new(Code::UnresolvedBlock, start..end, message).with_severity(severity));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_prefixes() {
        fn t(h: &str) -> &str {
            &h[title_start(h)..]
        }
        assert_eq!(t("KEP-1287: In-Place Update"), "In-Place Update");
        assert_eq!(t("KEP 2625 - cpu manager"), "cpu manager");
        assert_eq!(
            t("KEP-NNNN: Your short, descriptive title"),
            "Your short, descriptive title"
        );
        assert_eq!(t("Kep-12 \u{2014} Dash"), "Dash");
        assert_eq!(t("Keplers law"), "Keplers law");
        assert_eq!(t("KEP-"), "KEP-");
        assert!(same_title("Pod `Overhead`.", "pod overhead"));
        assert!(same_title("Dual-Stack API Server", "Dual Stack API Server"));
        assert!(same_title(
            "doc-policies-for-third-party-content",
            "Doc policies for third party content"
        ));
        assert!(same_title("Suspend Jobs", "Suspend Job"));
        assert!(same_title(
            "Gang Scheduling using Workload Object",
            "Gang Scheduling"
        ));
        assert!(!same_title(
            "Network Policy to support Port Ranges",
            "Allow a Network Policy to contemplate a set of ports"
        ));
        assert!(!same_title("", "x"));
    }
}
