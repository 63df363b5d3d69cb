//! `title-style`: a KEP title that does not read like a title. It ends with a period, is all
//! lower case (or a folder-name slug), is ALL CAPS, has leading, trailing or doubled spaces, or
//! is very long. Checked on kep.yaml's `title`, a legacy KEP's front-matter `title` and the
//! README H1's title part (after `KEP-NNNN: `).
//!
//! Not checked here, because other codes report it: an empty title (`missing-field`), the
//! template's placeholder (`template-leftover`, `template-guidance`), and the H1 against
//! kep.yaml (`title-mismatch`).
//!
//! On by default, as a hint: on the accepted tree it reports 51 titles in 49 files (22 slugs,
//! 11 all lower case, 9 final periods, 9 over the length limit), each a real blemish.

use std::ops::Range;

use crate::analysis::rules::readme::{h1_title_range, title_start};
use crate::analysis::{Code, Finding, Fix, Spanned, TextEdit};
use crate::knowledge::schema;
use crate::syntax::outline::Heading;

/// Titles longer than this many characters are reported. In the tree the 99th percentile of
/// kep.yaml titles is 83 characters; 3 of 589 are longer than 90 (longest 118).
pub(crate) const MAX_TITLE_CHARS: usize = 90;

/// The placeholders of the KEP templates, reported by other codes.
const PLACEHOLDERS: &[&str] = &["Your short, descriptive title", "KEP Template", "Title"];

/// A title as the rules see it: the source range of its text (without quotes) and whether the
/// source there is the title itself (so that fixes can edit it character for character).
struct Title<'a> {
    /// What a reader sees: the YAML value, or the H1 with links and code flattened.
    shown: &'a str,
    /// The source text of the title, `text[range]`, when `editable`; else the value.
    raw: &'a str,
    range: Range<usize>,
    /// Whether the source is the title character for character (false for YAML block or
    /// escaped scalars): then findings point into it and fixes edit it.
    editable: bool,
}

/// kep.yaml's (or legacy front matter's) `title`.
pub(crate) fn check_metadata_title(text: &str, title: Option<&Spanned<String>>) -> Vec<Finding> {
    let Some(t) = title else {
        return Vec::new();
    };
    let Some(raw) = text.get(t.span.clone()) else {
        return Vec::new();
    };
    if schema::is_template_leftover("title", &t.value) {
        return Vec::new();
    }
    // Inside the quotes of a quoted scalar; a plain scalar is its own text.
    let quoted = raw.len() >= 2
        && ((raw.starts_with('"') && raw.ends_with('"')) || (raw.starts_with('\'') && raw.ends_with('\'')));
    // A block scalar's span runs on over its final line break.
    let range = if quoted {
        t.span.start + 1..t.span.end - 1
    } else {
        t.span.start..t.span.start + raw.trim_end().len()
    };
    let inner = text.get(range.clone()).unwrap_or("");
    let editable = inner == t.value;
    let title = Title {
        shown: &t.value,
        raw: if editable { inner } else { &t.value },
        editable,
        range: if editable || quoted {
            range
        } else {
            t.span.start..range.end
        },
    };
    check(&title)
}

/// The title part of a README's H1.
pub(crate) fn check_h1(text: &str, h1: &Heading) -> Vec<Finding> {
    let range = h1_title_range(text, h1);
    let Some(raw) = text.get(range.clone()) else {
        return Vec::new();
    };
    let shown = h1.text.get(title_start(&h1.text)..).unwrap_or("");
    let title = Title {
        shown,
        raw,
        range,
        editable: true,
    };
    check(&title)
}

fn check(t: &Title<'_>) -> Vec<Finding> {
    let shown = t.shown.trim();
    if shown.is_empty() || PLACEHOLDERS.iter().any(|p| shown.eq_ignore_ascii_case(p)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let what = "The title";
    // Offsets into `raw` to the source; where `raw` is not the source, the whole value.
    let at = |r: Range<usize>| {
        if t.editable {
            t.range.start + r.start..t.range.start + r.end
        } else {
            t.range.clone()
        }
    };

    // Leading and trailing spaces (only a quoted YAML title can keep them).
    let lead = t.raw.len() - t.raw.trim_start().len();
    let trail = t.raw.len() - t.raw.trim_end().len();
    if lead > 0 && lead < t.raw.len() {
        out.push(fixed(
            Finding::new(
                Code::TitleStyle,
                at(0..lead),
                format!("{what} starts with a space."),
            ),
            t.editable,
            "Remove the leading space",
            vec![TextEdit::new(at(0..lead), "")],
        ));
    }
    if trail > 0 && trail < t.raw.len() {
        let r = at(t.raw.len() - trail..t.raw.len());
        out.push(fixed(
            Finding::new(Code::TitleStyle, r.clone(), format!("{what} ends with a space.")),
            t.editable,
            "Remove the trailing space",
            vec![TextEdit::new(r, "")],
        ));
    }
    let body = t.raw.trim();
    let body_start = lead;

    // Runs of two or more spaces inside: one finding on the first, a fix for all.
    let runs = space_runs(body);
    if let Some(first) = runs.first() {
        let edits = runs
            .iter()
            .map(|r| TextEdit::new(at(body_start + r.start..body_start + r.end), " "))
            .collect();
        out.push(fixed(
            Finding::new(
                Code::TitleStyle,
                at(body_start + first.start..body_start + first.end),
                format!("{what} has doubled spaces."),
            ),
            t.editable,
            "Collapse the spaces",
            edits,
        ));
    }

    // A final period (an ellipsis and "etc." are meant).
    if body.ends_with('.') && !body.ends_with("..") && !body.ends_with("etc.") {
        let dot = at(body_start + body.len() - 1..body_start + body.len());
        out.push(fixed(
            Finding::new(
                Code::TitleStyle,
                dot.clone(),
                format!("{what} ends with a period; a title is not a sentence."),
            ),
            t.editable,
            "Remove the period",
            vec![TextEdit::new(dot, "")],
        ));
    }

    let whole = at(body_start..body_start + body.len());
    if let Some(message) = case_problem(shown) {
        out.push(Finding::new(
            Code::TitleStyle,
            whole.clone(),
            format!("{what} {message}"),
        ));
    }
    let chars = shown.chars().count();
    if chars > MAX_TITLE_CHARS {
        out.push(Finding::new(
            Code::TitleStyle,
            whole,
            format!(
                "{what} is {chars} characters long (over {MAX_TITLE_CHARS}): keep the title short and \
                 leave the details to the summary."
            ),
        ));
    }
    out
}

/// A finding with its fix when the source can be edited as text.
fn fixed(f: Finding, editable: bool, title: &str, edits: Vec<TextEdit>) -> Finding {
    if editable {
        f.with_fix(Fix::new(title, edits))
    } else {
        f
    }
}

/// Byte ranges of runs of two or more spaces.
fn space_runs(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            let start = i;
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i - start > 1 {
                out.push(start..i);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// All lower case (a slug when it has dashes and no spaces), or ALL CAPS. Accepted: a title
/// that starts with a lower-case command or component (`kubectl debug`, `kube-apiserver
/// identity`: sentence case, and sig-cli's and sig-cluster-lifecycle's habit), a one-word name
/// (`etcdadm`), a lone acronym (`KYAML`, `HTTP3`) and a run of short acronyms (`CSI API`).
fn case_problem(shown: &str) -> Option<&'static str> {
    let has_lower = shown.chars().any(char::is_lowercase);
    let has_upper = shown.chars().any(char::is_uppercase);
    let first = shown.split_whitespace().next().unwrap_or("");
    let one_word = !shown.contains(char::is_whitespace);
    if has_lower && !has_upper {
        if is_command(first) {
            return None;
        }
        if one_word && shown.contains('-') {
            return Some("reads like a folder name: write it in words, capitalised like a title.");
        }
        if one_word {
            return None;
        }
        return Some("is all lower case: capitalise it like a title.");
    }
    if has_upper && !has_lower {
        let words: Vec<&str> = shown
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        let long_word = words.iter().any(|w| w.chars().count() >= 5);
        if words.len() >= 2 && long_word {
            return Some("is in capitals: write it in title case (acronyms stay in capitals).");
        }
    }
    None
}

/// A Kubernetes command or component name, written in lower case even at a title's start:
/// `kubectl`, `kubeadm`, `kubelet`, `kube-proxy`, `etcdadm` (at most one dash, so that a slug
/// like `kubernetes-csi-release-process` is still one).
fn is_command(word: &str) -> bool {
    (word.starts_with("kube") || word.starts_with("etcd")) && word.matches('-').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(case_problem("KYAML"), None);
        assert_eq!(case_problem("CSI API"), None);
        assert_eq!(case_problem("Pod Overhead"), None);
        assert_eq!(case_problem("kubectl debug"), None);
        assert_eq!(case_problem("kube-apiserver identity"), None);
        assert_eq!(case_problem("etcdadm"), None);
        assert!(
            case_problem("kubernetes-csi-release-process")
                .unwrap()
                .contains("folder name")
        );
        assert!(
            case_problem("graduate-ipv6-to-beta")
                .unwrap()
                .contains("folder name")
        );
        assert!(case_problem("SUPPORT HTTP3").is_some());
        assert!(
            case_problem("dynamic resource allocation")
                .unwrap()
                .contains("lower case")
        );
        assert_eq!(space_runs("a  b c   d"), vec![1..3, 6..9]);
    }
}
