//! The README's title against kep.yaml (`missing-title`, `title-mismatch`) and unresolved
//! debate markers (`unresolved-block`).

use super::Readme;
use crate::analysis::finding::Severity;
use crate::analysis::{Code, Finding, Fix, TextEdit};

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

/// Titles compared the way a reader would: case, spacing, quotes/backticks and trailing
/// punctuation do not matter.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        let s: String = s
            .chars()
            .filter(|c| !matches!(c, '`' | '"' | '\'' | '\u{201c}' | '\u{201d}' | '*' | '_'))
            .collect();
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(['.', ':', ' '])
            .to_lowercase()
    };
    norm(a) == norm(b)
}

pub(super) fn check_title(r: &Readme<'_>) -> Vec<Finding> {
    let Some(h1) = r.outline.h1() else {
        return vec![Finding::new(
            Code::MissingTitle,
            0..r.text.find('\n').unwrap_or(r.text.len()),
            "No `# KEP-NNNN: Title` heading: start the README with the KEP's number and title.",
        )];
    };
    let Some(title) = r.meta.as_ref().and_then(|m| m.title.as_ref()) else {
        return Vec::new();
    };
    let want = title.value.trim();
    let written = &r.text[h1.text_range.clone()];
    let start = h1.text_range.start + title_start(written);
    let got = &r.text[start..h1.text_range.end];
    if want.is_empty() || want == "KEP Template" || same_title(got, want) {
        return Vec::new();
    }
    let range = start..h1.text_range.end;
    vec![
        Finding::new(
            Code::TitleMismatch,
            if range.is_empty() {
                h1.line.clone()
            } else {
                range.clone()
            },
            format!("The title here differs from kep.yaml's title \"{want}\"."),
        )
        .with_fix(Fix::new(
            "Use kep.yaml's title",
            vec![TextEdit::new(range, want.to_string())],
        )),
    ]
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
        assert!(!same_title("Pod Overhead v2", "Pod Overhead"));
    }
}
