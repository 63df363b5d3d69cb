//! `broken-link`: relative links and images that point at no file of the repository (only when
//! the repository root is known), and `#anchor` links that match no heading of this file.
//!
//! Also bracketed text GitHub does not render as a link although it reads like one: a
//! `[text][label]` reference with no definition and an inline destination holding a space.
//!
//! Anchors are accepted from either slugger (mdtoc's ASCII-only one, which the TOC uses, and
//! GitHub's, which keeps accented letters) and from explicit `<a name=...>` / `id=...` tags.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag};

use super::{Readme, dir_of};
use crate::analysis::{Code, Context, Finding, Fix, TextEdit};
use crate::model::repo_link::{percent_decode, resolve};
use crate::syntax::mdtoc::{self, MdtocDialect};
use crate::syntax::outline::markdown_options;
use crate::syntax::toc::{anchors, github_slug};

pub(super) fn check(r: &Readme<'_>, ctx: &Context<'_>) -> Vec<Finding> {
    // mdtoc's anchors first (those the TOC links to, most `#` links): a subset of
    // `anchor_set`, which slugs every heading twice and scans the text for explicit anchors,
    // built only for a link they do not hold.
    // A TOC lists them in its links' order: a cursor meets most of them without hashing.
    let listed = &r.outline.mdtoc.anchors;
    let (mut next_listed, mut misses) = (0, 0);
    let mut listed_set: Option<HashSet<&str>> = None;
    let mut known: Option<std::sync::Arc<HashSet<String>>> = None;
    let mut out = unrendered(r);
    for link in &r.outline.links {
        let dest = link.dest.trim();
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            continue;
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            // Most anchors are written decoded and in lower case already: no copy for them.
            let anchor: std::borrow::Cow<'_, str> = if anchor
                .bytes()
                .all(|b| b.is_ascii() && b != b'%' && !b.is_ascii_uppercase())
            {
                std::borrow::Cow::Borrowed(anchor)
            } else {
                std::borrow::Cow::Owned(percent_decode(anchor).to_lowercase())
            };
            if anchor.is_empty() {
                continue;
            }
            let is_listed = if listed.get(next_listed).is_some_and(|a| *a == *anchor) {
                next_listed += 1;
                true
            } else if misses < 16 {
                // A few links out of the TOC's order: a scan costs less than hashing them all.
                misses += 1;
                listed.iter().any(|a| *a == *anchor)
            } else {
                listed_set
                    .get_or_insert_with(|| listed.iter().map(String::as_str).collect())
                    .contains(anchor.as_ref())
            };
            if !is_listed
                && !known
                    .get_or_insert_with(|| anchor_set(r, ctx))
                    .contains(anchor.as_ref())
            {
                out.push(Finding::new(
                    Code::BrokenLink,
                    link.range.clone(),
                    format!("No heading here has the anchor #{anchor}."),
                ));
            }
            continue;
        }
        if !ctx.workspace.has_root() {
            continue;
        }
        let file = dest.split(['#', '?']).next().unwrap_or("");
        let Some(target) = resolve(dir_of(r.path), &percent_decode(file)) else {
            continue;
        };
        if !target.is_empty() && !ctx.workspace.exists(&target) {
            let what = if link.image { "image" } else { "link" };
            out.push(Finding::new(
                Code::BrokenLink,
                link.range.clone(),
                format!("The {what} target {target} does not exist in the repository."),
            ));
        }
    }
    out
}

/// Bracketed text that GitHub shows as plain text although its author meant a link: a full
/// reference `[text][label]` (or `![alt][label]`) whose label has no `[label]: ...` definition,
/// and an inline `[text](dest with spaces)`. CommonMark (GitHub) renders both literally.
///
/// The first kind needs a parse whose broken-link callback resolves full references; the
/// second is read from the source where that parse saw plain text. Both only yield findings
/// outside code and HTML.
///
/// The outline's parse of the text (`Outline::undefined_refs`) met no undefined full
/// reference in most READMEs. Then the resolving parse is the outline's parse event for
/// event: the two callbacks answer differently only for a full reference, and the parses
/// agree up to the first answer that differs. So the first kind has no finding and the
/// outline's text stretches (`bracket_texts`, those holding a `](`) are that parse's; the
/// other stretches hold no `](`, so no finding of the second kind either.
fn unrendered(r: &Readme<'_>) -> Vec<Finding> {
    let o = &r.outline;
    if o.fences_rewritten || !o.undefined_refs.is_empty() {
        return unrendered_by_a_second_parse(r);
    }
    let mut out = Vec::new();
    for t in &o.bracket_texts {
        out.extend(spaced_destinations(r, t.clone()));
    }
    out
}

/// `unrendered` with its own pulldown-cmark pass, for the texts where the outline's parse is
/// not the one it needs: a broken-link callback resolving full references to find those with
/// no definition (the outline's parse reads them as text).
fn unrendered_by_a_second_parse(r: &Readme<'_>) -> Vec<Finding> {
    // Cheap exits, read from the source before any parse: each is a necessary condition of a
    // finding of its kind, so skipping the pass when both fail changes no finding.
    let has_ref = may_hold_undefined_reference(r.text);
    let has_inline = may_hold_spaced_destination(r.text);
    if !has_ref && !has_inline {
        return Vec::new();
    }
    // Resolve only full references (`[text][label]`): shortcut `[x]` and collapsed `[x][]`
    // forms are everyday prose (checkboxes, `[UNRESOLVED]`), and resolving them would change
    // how the rest of the line parses.
    let mut callback = |link: pulldown_cmark::BrokenLink<'_>| {
        (link.link_type == LinkType::Reference).then(|| (CowStr::from(UNDEFINED), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(r.text, markdown_options(), Some(&mut callback));
    let mut out = Vec::new();
    let mut texts: Vec<Range<usize>> = Vec::new();
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::ReferenceUnknown,
                ..
            })
            | Event::Start(Tag::Image {
                link_type: LinkType::ReferenceUnknown,
                ..
            }) => {
                if let Some(f) = undefined_reference(r, range) {
                    out.push(f);
                }
            }
            Event::Text(_) if has_inline => match texts.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => texts.push(range),
            },
            _ => {}
        }
    }
    for t in texts {
        out.extend(spaced_destinations(r, t));
    }
    out
}

/// Whether `text` may hold a `[text][label]` that `undefined_reference` reports: one needs a
/// `][` followed by a label with an alphanumeric character and no whitespace, then its `]`
/// (`meant_as_link`). A superset: the scan runs to the next whitespace and ignores escapes.
/// `[x][]` (collapsed references, 32 of them in the largest README) never passes.
fn may_hold_undefined_reference(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"][").any(|p| {
        let mut alnum = false;
        for c in text[p + 2..].chars() {
            if c.is_whitespace() {
                return false;
            }
            if c == ']' && alnum {
                return true;
            }
            alnum |= c.is_alphanumeric();
        }
        false
    })
}

/// Whether `text` may hold an inline link that `spaced_destinations` reports: a `](` whose
/// destination, read on the whole line, is one it reports. The stretches of plain text it
/// reads are parts of lines, so a destination it finds in one is found here too.
fn may_hold_spaced_destination(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"](")
        .any(|close| spaced_destination(&text[close + 2..]).is_some())
}

/// The destination after a `](` (`rest` starts right after it) when it is one GitHub does not
/// render and we report: up to the `)` that balances on the same line, holding whitespace
/// once trimmed, not `<...>`, written like a link target. Its length in bytes and its trimmed
/// text.
fn spaced_destination(rest: &str) -> Option<(usize, &str)> {
    let mut depth = 0usize;
    let mut end = None;
    for (j, c) in rest.char_indices() {
        match c {
            '\n' => break,
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = Some(j);
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let end = end?;
    let trimmed = rest[..end].trim();
    (trimmed.contains(char::is_whitespace) && !trimmed.starts_with('<') && looks_like_destination(trimmed))
        .then_some((end, trimmed))
}

/// The destination the broken-link callback hands back for an undefined label (never shown).
const UNDEFINED: &str = "\u{0}undefined";

/// `[text][label]` with no definition for `label`; the fix `[text](label)` when the label is
/// written like a destination (`#anchor`, a path, a URL).
fn undefined_reference(r: &Readme<'_>, range: Range<usize>) -> Option<Finding> {
    let written = r.text.get(range.clone())?;
    // The `][` that opens the label: the last one, as a label cannot hold brackets.
    let open = written.strip_suffix(']')?.rfind("][")?;
    let label_written = &written[open + 2..written.len() - 1];
    let lead = if written.starts_with('!') { 2 } else { 1 };
    let text_written = written.get(lead..open).unwrap_or("");
    if !meant_as_link(text_written, label_written) {
        return None;
    }
    let mut f = Finding::new(
        Code::BrokenLink,
        range.clone(),
        format!(
            "[{label_written}] is not defined anywhere (no `[{label_written}]: ...` line), so GitHub \
             shows this as plain text, not a link."
        ),
    );
    if looks_like_destination(label_written) && !label_written.contains(char::is_whitespace) {
        let start = range.start + open;
        f = f.with_fix(Fix::new(
            format!("Make it an inline link to {label_written}"),
            vec![TextEdit::new(start..range.end, format!("]({label_written})"))],
        ));
    }
    Some(f)
}

/// Whether `[text][label]` reads as a link whose definition is missing rather than bracketed
/// prose. Measured on ../shared/enhancements: e2e test tags (`[Serial] [Disruptive][NodeFeature:Eviction]`,
/// `[Feature:SCTPConnectivity][Disruptive]`), option syntax (`[cpu=100m][,]`), citation marks
/// (`[1][2]`) and labelled list items (`[Stretch Goal][Push left]`) are such prose; the labels
/// of the links that lost their definition were single tokens (`deprecation-policy`,
/// `execRemoval`, `#proposal`, a URL).
fn meant_as_link(text: &str, label: &str) -> bool {
    if looks_like_destination(label) && !label.contains(char::is_whitespace) {
        return true;
    }
    // `Feature:X`, `NodeFeature:X`: e2e test tags, not a URL scheme.
    let tag = |s: &str| {
        let s = s.trim();
        s.contains(':') && !s.contains("://") && !s.contains(char::is_whitespace)
    };
    const E2E_TAGS: &[&str] = &[
        "Conformance",
        "Disruptive",
        "Flaky",
        "LinuxOnly",
        "Serial",
        "Slow",
        "Privileged",
    ];
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    !label.contains(char::is_whitespace)
        && label.chars().any(char::is_alphanumeric)
        && !tag(label)
        && !tag(text)
        && !E2E_TAGS.contains(&label)
        && !E2E_TAGS.contains(&text)
        && !(numeric(text) && numeric(label))
}

/// Whether a reference label or an inline destination is written as a link target: an anchor,
/// a relative or rooted path, a URL, or a file name with an extension GitHub links to.
fn looks_like_destination(s: &str) -> bool {
    let s = s.trim();
    s.starts_with('#')
        || s.starts_with("./")
        || s.starts_with("../")
        || s.starts_with('/')
        || s.starts_with("http://")
        || s.starts_with("https://")
        || s.split(char::is_whitespace).next().is_some_and(|w| {
            [".md", ".png", ".svg", ".jpg", ".yaml"]
                .iter()
                .any(|e| w.ends_with(e))
        })
}

/// Inline links whose destination holds a space inside one stretch of plain text (`t`, a byte
/// range of the source that the parser saw as text): `[text](#my anchor)`.
fn spaced_destinations(r: &Readme<'_>, t: Range<usize>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(src) = r.text.get(t.clone()) else {
        return out;
    };
    let mut from = 0;
    while let Some(i) = src[from..].find("](") {
        let close = from + i;
        from = close + 2;
        let Some((end, trimmed)) = spaced_destination(&src[close + 2..]) else {
            continue;
        };
        // The `[` that opens the text: the nearest unbalanced one before, on the same line.
        let before = &src[..close];
        let mut depth = 0usize;
        let mut open = None;
        for (j, c) in before.char_indices().rev() {
            match c {
                '\n' => break,
                ']' => depth += 1,
                '[' if depth == 0 => {
                    open = Some(j);
                    break;
                }
                '[' => depth -= 1,
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let start = t.start + open;
        let dest_start = t.start + close + 2;
        let range = start..dest_start + end + 1;
        let mut f = Finding::new(
            Code::BrokenLink,
            range,
            format!(
                "The link destination \"{trimmed}\" holds a space, so GitHub shows this as plain \
                 text, not a link."
            ),
        );
        if let Some(anchor) = trimmed.strip_prefix('#')
            && let Some(fixed) = likely_anchor(r, anchor)
        {
            f = f.with_fix(Fix::new(
                format!("Link to #{fixed}"),
                vec![TextEdit::new(dest_start..dest_start + end, format!("#{fixed}"))],
            ));
        }
        out.push(f);
        from = close + 2 + end + 1;
    }
    out
}

/// The anchor of the one heading an anchor written with spaces (`#Design Details`,
/// `#my anchor`) most likely means: the headings whose GitHub anchor, before de-duplication,
/// is the written text slugged. `None` unless exactly one heading matches.
fn likely_anchor(r: &Readme<'_>, written: &str) -> Option<String> {
    let want = github_slug(written.trim());
    if want.is_empty() {
        return None;
    }
    // Exactly one heading with that base anchor is the first of its kind, so its anchor
    // carries no `-1` suffix.
    let hits = r
        .outline
        .headings
        .iter()
        .filter(|h| github_slug(&h.text) == want)
        .count();
    (hits == 1).then_some(want)
}

fn anchor_set(r: &Readme<'_>, ctx: &Context<'_>) -> std::sync::Arc<HashSet<String>> {
    // The explicit anchors (<a name="x">, id="x"), read from the text on every analysis.
    let mut explicit: Vec<String> = Vec::new();
    for key in ["name=\"", "id=\""] {
        let finder = memchr::memmem::Finder::new(key);
        let mut pos = 0;
        while let Some(i) = finder.find(&r.text.as_bytes()[pos..]) {
            let start = pos + i + key.len();
            let end = memchr::memchr(b'"', &r.text.as_bytes()[start..]).map_or(r.text.len(), |j| start + j);
            explicit.push(r.text[start..end].to_lowercase());
            pos = end;
        }
    }
    let dialect = super::toc::dialect(ctx);
    if !r.reuse {
        return std::sync::Arc::new(anchor_set_of(r, dialect, explicit));
    }
    // What the set is made of: the headings' texts, mdtoc's anchors, the dialect (when it is
    // not the default, its own view of the text: then not reused) and the explicit anchors.
    type Inputs = (Vec<String>, Vec<String>, Vec<String>);
    static RECENT: crate::analysis::recent::Recent<Inputs, std::sync::Arc<HashSet<String>>> =
        crate::analysis::recent::Recent::new();
    if dialect != MdtocDialect::default() {
        return std::sync::Arc::new(anchor_set_of(r, dialect, explicit));
    }
    let o = &r.outline;
    let same = |(texts, mdtoc, known_explicit): &Inputs| {
        texts.len() == o.headings.len()
            && texts.iter().zip(&o.headings).all(|(t, h)| *t == h.text)
            && *mdtoc == o.mdtoc.anchors
            && *known_explicit == explicit
    };
    RECENT.get(r.path, same, || {
        let texts = o.headings.iter().map(|h| h.text.clone()).collect();
        let inputs = (texts, o.mdtoc.anchors.clone(), explicit.clone());
        (
            inputs,
            std::sync::Arc::new(anchor_set_of(r, dialect, explicit.clone())),
        )
    })
}

/// Every anchor a `#` link of the README may name: both sluggers' anchors of its headings,
/// mdtoc's, an older mdtoc's (`dialect`), and `explicit` ones.
fn anchor_set_of(r: &Readme<'_>, dialect: MdtocDialect, explicit: Vec<String>) -> HashSet<String> {
    let list = anchors(&r.outline);
    // Room for the explicit anchors too: growing the set re-hashed every anchor in it.
    let mut set: HashSet<String> = HashSet::with_capacity(list.len() + 64);
    set.extend(list);
    // An older mdtoc pinned by the repository writes other anchors into the TOC (code spans
    // dropped); CI demands them, so a TOC link to one is not the author's mistake.
    if dialect != MdtocDialect::default() {
        let from = match mdtoc::find_markers(r.text) {
            (Some(_), Some(e)) => e,
            _ => 0,
        };
        set.extend(mdtoc::view(&r.text[from..], dialect).anchors);
    }
    set.extend(explicit);
    set
}

/// `http:`, `mailto:`... (a scheme is letters, digits, `+-.` before a `:` and no `/` before it).
fn has_scheme(dest: &str) -> bool {
    match memchr::memchr(b':', dest.as_bytes()) {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && !has_scheme("./a:b/c"));
    }

    #[test]
    fn the_cheap_exits_pass_only_text_that_may_hold_an_unrendered_link() {
        assert!(may_hold_undefined_reference(
            "see [the policy][deprecation-policy] here"
        ));
        assert!(may_hold_undefined_reference("[a][b\\]c]"));
        assert!(!may_hold_undefined_reference("[x][] and [y][] and [1][ ]"));
        assert!(!may_hold_undefined_reference(
            "[Serial] [Disruptive][ not a label]"
        ));
        assert!(may_hold_spaced_destination("[Design](#design details)"));
        assert!(may_hold_spaced_destination("a ](#x) [b](./my file.md) c"));
        assert!(!may_hold_spaced_destination("[Design](#design-details) [x](y z)"));
        assert!(!may_hold_spaced_destination("[Design](#design\n details)"));
    }

    /// The findings of `unrendered` (from the outline's parse where it can) and of its own
    /// second parse, as text.
    fn both_ways(text: &str) -> (String, String) {
        let r = Readme {
            path: "keps/sig-x/1-x/README.md",
            text,
            outline: std::sync::Arc::new(crate::syntax::outline::outline(text)),
            meta: None,
            phase: super::super::Phase::of(None, true),
            findings_only: false,
            reuse: false,
        };
        let show = |v: Vec<Finding>| format!("{v:#?}");
        (show(unrendered(&r)), show(unrendered_by_a_second_parse(&r)))
    }

    #[test]
    fn the_outline_parse_finds_what_the_second_parse_finds() {
        let cases = [
            "see [the policy][deprecation-policy] here\n",
            "[Design](#design details) and `[x](a b)` and\n\n    [y](#c d)\n",
            "# [a][b] heading\n\n[x][y][z] [[a][b]][c] [a][b](./my file.md)\n",
            "[Serial] [Disruptive][NodeFeature:Eviction]\n\n[q]: ./q.md\n[x][q] [y](z w.md)\n",
            "```\t\n[a](b c.md)\n```\n[d](#e f)\n",
            "[a]\n(#b c)\n\n*[x](#y z)* [p](#q r)(s)\n",
            "<!-- [a](#b c) -->\n<div>[a][b]</div>\n",
        ];
        let mut texts: Vec<String> = cases.iter().map(|c| c.to_string()).collect();
        // Every README of the corpus when it is beside the repository (skipped otherwise).
        texts.extend(crate::test_corpus::kep_texts(|p| {
            p.file_name().is_some_and(|n| n == "README.md")
        }));
        // The fast path has findings to compare.
        assert!(both_ways(cases[1]).0.contains("holds a space"));
        let mut fast = 0;
        for t in &texts {
            let o = crate::syntax::outline::outline(t);
            fast += usize::from(!o.fences_rewritten && o.undefined_refs.is_empty());
            let (a, b) = both_ways(t);
            assert_eq!(a, b, "{}", &t[..t.len().min(200)]);
        }
        eprintln!("{} texts, {fast} without a second parse", texts.len());
    }

    #[test]
    fn which_bracketed_text_is_a_link_missing_its_definition() {
        assert!(meant_as_link("proposal", "#proposal"));
        assert!(meant_as_link(
            "Kubernetes deprecation policy",
            "deprecation-policy"
        ));
        assert!(meant_as_link("692", "execRemoval"));
        assert!(meant_as_link("docs", "https://k8s.io/docs"));
        assert!(!meant_as_link("Disruptive", "NodeFeature:Eviction"));
        assert!(!meant_as_link("Feature:SCTPConnectivity", "Disruptive"));
        assert!(!meant_as_link("cpu=100m", ","));
        assert!(!meant_as_link("1", "2"));
        assert!(!meant_as_link("Stretch Goal", "Push left"));
    }
}
