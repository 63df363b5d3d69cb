//! The table of contents exactly as upstream CI wants it: sigs.k8s.io/mdtoc with
//! `--inplace --max-depth=5 --dryrun` (hack/verify-toc.sh), and the heading anchor sluggers.
//!
//! mdtoc's rules, from its pkg/mdtoc/mdtoc.go: the markers are found case-insensitively anywhere
//! in the raw text; with `--skip-prefix` (its default) only the headings after `<!-- /toc -->`
//! are listed (so the H1 and a `## Table of Contents` above the block are not); the shallowest
//! of those levels is the base and each entry is indented two spaces per level below it;
//! an entry is `- [<heading rendered as HTML>](#<anchor>)`; the anchor is the heading's text
//! (text and code spans) lower-cased, with every character outside ASCII `[0-9A-Za-z_\- ]`
//! removed and spaces turned to `-`, then `-1`, `-2`... for repeats. The old and new TOCs are
//! compared after trimming surrounding whitespace.

use std::collections::HashMap;
use std::ops::Range;

use super::outline::{Heading, Outline, TocBlock};

/// The depth hack/verify-toc.sh passes to mdtoc.
pub const KEP_TOC_MAX_DEPTH: u8 = 5;

/// mdtoc's anchor for a heading text (before de-duplication). Go's `\w` is ASCII-only, so
/// accented letters, CJK and emoji all vanish, as they do in mdtoc.
pub fn mdtoc_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// GitHub's own anchor for a heading text (before de-duplication): like mdtoc's, but letters
/// and digits of any script are kept. Links written by hand follow this one.
pub fn github_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Hands out anchors with mdtoc's de-duplication (`x`, `x-1`, `x-2`).
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
    github: bool,
}

impl Slugger {
    /// mdtoc's slugger.
    pub fn mdtoc() -> Slugger {
        Slugger::default()
    }

    /// GitHub's slugger (Unicode letters kept).
    pub fn github() -> Slugger {
        Slugger {
            github: true,
            ..Slugger::default()
        }
    }

    pub fn slug(&mut self, text: &str) -> String {
        let base = if self.github {
            github_slug(text)
        } else {
            mdtoc_slug(text)
        };
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n > 0 { format!("{base}-{n}") } else { base };
        *n += 1;
        out
    }
}

/// Every anchor the document's headings get on GitHub and in mdtoc's TOC (both sluggers).
pub fn anchors(outline: &Outline) -> Vec<String> {
    let mut mdtoc = Slugger::mdtoc();
    let mut github = Slugger::github();
    let mut out = Vec::with_capacity(outline.headings.len() * 2);
    for h in &outline.headings {
        out.push(mdtoc.slug(&h.text));
        out.push(github.slug(&h.text));
    }
    out
}

/// The headings mdtoc lists: those that start at or after `after`.
fn listed(outline: &Outline, after: usize) -> impl Iterator<Item = &Heading> + '_ {
    outline
        .headings
        .iter()
        .filter(move |h| h.in_toc && h.line.start >= after)
}

/// The TOC mdtoc generates for this document (each entry ends with a newline): with both
/// markers present, of the headings after the closing one; else of all of them.
pub fn generate(outline: &Outline, max_depth: u8) -> String {
    let after = match &outline.toc {
        Some(TocBlock {
            start: Some(_),
            end: Some(e),
        }) => *e,
        _ => 0,
    };
    generate_after(outline, after, max_depth)
}

/// The TOC text the "Regenerate the table of contents" fix writes after the opening marker's
/// `\n` (each entry ends with `\n`; empty when there are no headings): what `mdtoc --inplace
/// --max-depth=5` puts between the markers, less that first `\n`.
pub fn regenerated(text: &str) -> String {
    generate(&super::outline::outline(text), KEP_TOC_MAX_DEPTH)
}

/// The TOC of the headings from byte `after` on: what mdtoc will generate once a block is
/// inserted at `after`.
pub fn generate_after(outline: &Outline, after: usize, max_depth: u8) -> String {
    let base = listed(outline, after).map(|h| h.level).min().unwrap_or(1);
    let mut slugger = Slugger::mdtoc();
    let mut toc = String::new();
    for h in listed(outline, after) {
        if max_depth > 0 && h.level > max_depth {
            continue;
        }
        let anchor = slugger.slug(&h.text);
        for _ in base..h.level {
            toc.push_str("  ");
        }
        toc.push_str("- [");
        toc.push_str(&h.html);
        toc.push_str("](#");
        toc.push_str(&anchor);
        toc.push_str(")\n");
    }
    toc
}

/// What mdtoc --dryrun would say about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocCheck {
    /// Up to date.
    Current,
    /// mdtoc fails with "missing opening TOC tag" / "missing closing TOC tag" / "TOC closing tag
    /// before start tag". `at` is where to point: the marker that is there, or the text start.
    Markers {
        problem: MarkerProblem,
        at: Range<usize>,
    },
    /// The block differs from the generated TOC: `body` is the bytes between the markers,
    /// `replacement` what `mdtoc --inplace` writes there.
    Stale { body: Range<usize>, replacement: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerProblem {
    NoMarkers,
    NoStart,
    NoEnd,
    EndBeforeStart,
}

/// Run mdtoc's check on a document.
pub fn check(text: &str, outline: &Outline, max_depth: u8) -> TocCheck {
    let toc = outline.toc.clone().unwrap_or(TocBlock {
        start: None,
        end: None,
    });
    let marker = |at: usize, len: usize| at..(at + len).min(text.len());
    let (start, end) = match (toc.start, toc.end) {
        (None, None) => {
            return TocCheck::Markers {
                problem: MarkerProblem::NoMarkers,
                at: 0..0,
            };
        }
        (None, Some(e)) => {
            return TocCheck::Markers {
                problem: MarkerProblem::NoStart,
                at: marker(e, super::outline::TOC_END.len()),
            };
        }
        (Some(s), None) => {
            return TocCheck::Markers {
                problem: MarkerProblem::NoEnd,
                at: marker(s, super::outline::TOC_START.len()),
            };
        }
        (Some(s), Some(e)) => (s, e),
    };
    let Some(body) = toc.body() else {
        return TocCheck::Markers {
            problem: MarkerProblem::EndBeforeStart,
            at: marker(end, super::outline::TOC_END.len()),
        };
    };
    let _ = start;
    let generated = generate(outline, max_depth);
    let old = text.get(body.clone()).unwrap_or("");
    if old.trim() == generated.trim() {
        TocCheck::Current
    } else {
        TocCheck::Stale {
            body,
            replacement: format!("\n{generated}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::outline::outline;

    #[test]
    fn slugs_follow_mdtoc() {
        assert_eq!(mdtoc_slug("Non-Goals"), "non-goals");
        assert_eq!(
            mdtoc_slug("Upgrade / Downgrade Strategy"),
            "upgrade--downgrade-strategy"
        );
        assert_eq!(
            mdtoc_slug("Forcing traffic on HealthCheckNodePorts to be accepted"),
            "forcing-traffic-on-healthchecknodeports-to-be-accepted"
        );
        assert_eq!(mdtoc_slug("Story 1 🚀 (Optional)"), "story-1--optional");
        assert_eq!(mdtoc_slug("Käldström_x"), "kldstrm_x");
        assert_eq!(github_slug("Käldström_x"), "käldström_x");
        let mut s = Slugger::mdtoc();
        assert_eq!(
            [s.slug("Beta"), s.slug("Beta"), s.slug("beta")],
            ["beta", "beta-1", "beta-2"]
        );
    }

    #[test]
    fn generates_below_the_closing_marker() {
        let text = "# KEP-1: T\n\n## Table of Contents\n\n<!-- toc -->\n<!-- /toc -->\n\n## A `b`\n### C & D\n###### Deep\n## A `b`\n";
        let o = outline(text);
        assert_eq!(
            generate(&o, KEP_TOC_MAX_DEPTH),
            "- [A <code>b</code>](#a-b)\n  - [C &amp; D](#c--d)\n- [A <code>b</code>](#a-b-1)\n"
        );
        let TocCheck::Stale { body, replacement } = check(text, &o, KEP_TOC_MAX_DEPTH) else {
            panic!("expected a stale TOC");
        };
        let fixed = format!("{}{}{}", &text[..body.start], replacement, &text[body.end..]);
        assert_eq!(
            check(&fixed, &outline(&fixed), KEP_TOC_MAX_DEPTH),
            TocCheck::Current
        );
    }

    #[test]
    fn marker_problems() {
        let t = "# T\n## A\n";
        assert!(matches!(
            check(t, &outline(t), 5),
            TocCheck::Markers {
                problem: MarkerProblem::NoMarkers,
                ..
            }
        ));
        let t = "# T\n<!-- /toc -->\n<!-- toc -->\n";
        assert!(matches!(
            check(t, &outline(t), 5),
            TocCheck::Markers {
                problem: MarkerProblem::EndBeforeStart,
                ..
            }
        ));
    }
}
