//! The table of contents exactly as upstream CI wants it: sigs.k8s.io/mdtoc v1.4.0 with
//! `--inplace --max-depth=5 --dryrun` (hack/verify-toc.sh), and the heading anchor sluggers
//! that links are checked against.
//!
//! The verdict and the TOC text come from mdtoc's own view of the document
//! (`crate::syntax::mdtoc`: gomarkdown's block and inline rules, the markers, the TOC writer);
//! this module maps them to what the rules report. The sluggers work on GitHub's outline
//! (`outline`), for hand-written links.

use std::collections::HashMap;
use std::ops::Range;

use super::outline::Outline;
use crate::syntax::mdtoc::{self, MdtocDialect, TocVerdict};

/// The depth hack/verify-toc.sh passes to mdtoc.
pub(crate) const KEP_TOC_MAX_DEPTH: u8 = 5;

/// mdtoc's anchor for a heading text (before de-duplication). Go's `\w` is ASCII-only, so
/// accented letters, CJK and emoji all vanish, as they do in mdtoc.
pub(crate) fn mdtoc_slug(text: &str) -> String {
    if text.is_ascii() {
        return crate::syntax::mdtoc::ascii_anchor_base(text);
    }
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// GitHub's own anchor for a heading text (before de-duplication): like mdtoc's, but letters
/// and digits of any script are kept. Links written by hand follow this one.
pub(crate) fn github_slug(text: &str) -> String {
    if text.is_ascii() {
        return crate::syntax::mdtoc::ascii_anchor_base(text);
    }
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Hands out anchors with mdtoc's de-duplication (`x`, `x-1`, `x-2`).
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
    github: bool,
}

impl Slugger {
    /// mdtoc's slugger.
    pub(crate) fn mdtoc() -> Slugger {
        Slugger::default()
    }

    /// GitHub's slugger (Unicode letters kept).
    pub(crate) fn github() -> Slugger {
        Slugger {
            github: true,
            ..Slugger::default()
        }
    }

    pub(crate) fn slug(&mut self, text: &str) -> String {
        let base = if self.github {
            github_slug(text)
        } else {
            mdtoc_slug(text)
        };
        self.dedup(base)
    }

    /// The anchor for a base slug already computed with this slugger's rule.
    fn dedup(&mut self, base: String) -> String {
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n > 0 { format!("{base}-{n}") } else { base };
        *n += 1;
        out
    }
}

/// Every anchor the document's headings get on GitHub and in mdtoc's TOC (both sluggers over
/// GitHub's headings, and mdtoc's own anchors of the headings it lists).
pub(crate) fn anchors(outline: &Outline) -> Vec<String> {
    // Sized for every heading: growing the maps re-hashed each anchor already in them.
    let mut mdtoc = Slugger::mdtoc();
    let mut github = Slugger::github();
    mdtoc.seen.reserve(outline.headings.len());
    github.seen.reserve(outline.headings.len());
    let mut out = Vec::with_capacity(outline.headings.len() * 2);
    for h in &outline.headings {
        if h.text.is_ascii() {
            // One base for both sluggers (they agree on ASCII); each de-duplicates its own.
            let base = crate::syntax::mdtoc::ascii_anchor_base(&h.text);
            out.push(mdtoc.dedup(base.clone()));
            out.push(github.dedup(base));
        } else {
            out.push(mdtoc.slug(&h.text));
            out.push(github.slug(&h.text));
        }
    }
    out.extend(outline.mdtoc.anchors.iter().cloned());
    out
}

/// The TOC text the "Regenerate the table of contents" fix writes after the opening marker's
/// `\n` (each entry ends with `\n`; empty when there are no headings): what `mdtoc --inplace
/// --max-depth=5` puts between the markers, less that first `\n`.
pub fn regenerated(text: &str) -> String {
    regenerated_with(text, MdtocDialect::default())
}

/// `regenerated` for a given mdtoc.
pub(crate) fn regenerated_with(text: &str, dialect: MdtocDialect) -> String {
    let doc = match mdtoc::find_markers(text) {
        (Some(_), Some(e)) => &text[e..],
        _ => text,
    };
    mdtoc::toc(doc, dialect, KEP_TOC_MAX_DEPTH)
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
    /// mdtoc panics on the file (exit 2, so CI fails): `at` is the `---` that opens the mmark
    /// title block it reads past the end of the file for.
    Crash { at: usize },
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

/// Run mdtoc's check on a document (`mdtoc --inplace --max-depth=N --dryrun`, as the given
/// mdtoc would).
pub fn check(text: &str, dialect: MdtocDialect, max_depth: u8) -> TocCheck {
    check_scanned(text, dialect, max_depth, None)
}

/// `check`, reusing the outline's block scan of the text (`Outline::mdtoc_scan`) when given.
pub(crate) fn check_scanned(
    text: &str,
    dialect: MdtocDialect,
    max_depth: u8,
    outline: Option<&crate::syntax::outline::Outline>,
) -> TocCheck {
    let marker = |at: usize, len: usize| at..(at + len).min(text.len());
    let scanned = outline
        .and_then(|o| o.mdtoc_scan.as_ref())
        .map(|(from, scan)| (*from, &**scan));
    match mdtoc::check_with(text, dialect, max_depth, scanned) {
        TocVerdict::Current => TocCheck::Current,
        TocVerdict::Stale { body, replacement } => TocCheck::Stale { body, replacement },
        TocVerdict::Crash { at } => TocCheck::Crash { at },
        TocVerdict::Markers { error, start, end } => {
            let (problem, at) = match (error, start, end) {
                (mdtoc::MarkerError::MissingStart, _, None) => (MarkerProblem::NoMarkers, 0..0),
                (mdtoc::MarkerError::MissingStart, _, Some(e)) => {
                    (MarkerProblem::NoStart, marker(e, mdtoc::TOC_END.len()))
                }
                (mdtoc::MarkerError::MissingEnd, s, _) => (
                    MarkerProblem::NoEnd,
                    s.map_or(0..0, |s| marker(s, mdtoc::TOC_START.len())),
                ),
                (mdtoc::MarkerError::EndBeforeStart, _, e) => (
                    MarkerProblem::EndBeforeStart,
                    e.map_or(0..0, |e| marker(e, mdtoc::TOC_END.len())),
                ),
            };
            TocCheck::Markers { problem, at }
        }
    }
}

/// The TOC mdtoc will generate once a block (`<!-- toc -->` ... `<!-- /toc -->` and a blank
/// line) is inserted at byte `at`: it parses from the closing marker on.
pub(crate) fn generate_for_insertion(text: &str, at: usize, dialect: MdtocDialect) -> String {
    let doc = format!("{}\n\n{}", mdtoc::TOC_END, &text[at.min(text.len())..]);
    mdtoc::toc(&doc, dialect, KEP_TOC_MAX_DEPTH)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for t in ["Non-Goals", "A `b` & C_d (Optional) 1.2", "  x--Y  ", ""] {
            let unicode = |keep: fn(&char) -> bool| -> String {
                t.to_lowercase()
                    .chars()
                    .filter(|c| keep(c) || matches!(c, '_' | '-' | ' '))
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect()
            };
            assert_eq!(mdtoc_slug(t), unicode(|c| c.is_ascii_alphanumeric()));
            assert_eq!(github_slug(t), unicode(|c| c.is_alphanumeric()));
        }
        let mut s = Slugger::mdtoc();
        assert_eq!(
            [s.slug("Beta"), s.slug("Beta"), s.slug("beta")],
            ["beta", "beta-1", "beta-2"]
        );
    }

    #[test]
    fn generates_below_the_closing_marker() {
        let text = "# KEP-1: T\n\n## Table of Contents\n\n<!-- toc -->\n<!-- /toc -->\n\n## A `b`\n### C & D\n###### Deep\n## A `b`\n";
        assert_eq!(
            regenerated(text),
            "- [A <code>b</code>](#a-b)\n  - [C &amp; D](#c--d)\n- [A <code>b</code>](#a-b-1)\n"
        );
        let d = MdtocDialect::default();
        let TocCheck::Stale { body, replacement } = check(text, d, KEP_TOC_MAX_DEPTH) else {
            panic!("expected a stale TOC");
        };
        let fixed = format!("{}{}{}", &text[..body.start], replacement, &text[body.end..]);
        assert_eq!(check(&fixed, d, KEP_TOC_MAX_DEPTH), TocCheck::Current);
    }

    #[test]
    fn marker_problems() {
        let t = "# T\n## A\n";
        assert!(matches!(
            check(t, MdtocDialect::default(), 5),
            TocCheck::Markers {
                problem: MarkerProblem::NoMarkers,
                ..
            }
        ));
        let t = "# T\n<!-- /toc -->\n<!-- toc -->\n";
        assert!(matches!(
            check(t, MdtocDialect::default(), 5),
            TocCheck::Markers {
                problem: MarkerProblem::EndBeforeStart,
                ..
            }
        ));
    }
}
