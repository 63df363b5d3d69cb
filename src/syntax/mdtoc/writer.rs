//! The TOC mdtoc writes and its `--dryrun` verdict (mdtoc's pkg/mdtoc): the markers are the
//! first case-insensitive `<!-- toc -->` and `<!-- /toc -->` anywhere in the raw bytes; with
//! `--skip-prefix` (its default) the document parsed is the text from the closing marker on;
//! entries are indented two spaces per level below the shallowest heading (of all of them,
//! even those deeper than `--max-depth`); anchors are the lower-cased anchor text with
//! everything but ASCII `[0-9A-Za-z_\- ]` dropped and spaces turned to `-`, then `-1`, `-2`...
//! for a repeated text; the old TOC and the new one are compared after trimming whitespace.

use std::collections::HashMap;
use std::ops::Range;

use super::block::Construct;
use super::{MdtocDialect, block, inline};

/// The opening and closing markers (matched ASCII-case-insensitively).
pub const TOC_START: &str = "<!-- toc -->";
pub const TOC_END: &str = "<!-- /toc -->";

/// mdtoc's anchor for an anchor text (before de-duplication).
pub fn anchor_base(text: &str) -> String {
    if text.is_ascii() {
        // Every listed heading takes an anchor on each analysis (twice: the view and the TOC
        // check); for ASCII, lower-casing is byte for byte, without the Unicode tables.
        return ascii_anchor_base(text);
    }
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// `anchor_base` of ASCII text, where mdtoc's and GitHub's sluggers agree.
pub(crate) fn ascii_anchor_base(text: &str) -> String {
    // Sized up front: a filtered iterator's size hint is 0, so `collect` grew it char by char.
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') {
            out.push(b.to_ascii_lowercase() as char);
        } else if b == b' ' {
            out.push('-');
        }
    }
    out
}

fn dedup(seen: &mut HashMap<String, usize>, base: String) -> String {
    let n = seen.entry(base.clone()).or_insert(0);
    let out = if *n > 0 { format!("{base}-{n}") } else { base };
    *n += 1;
    out
}

/// The TOC mdtoc generates for `doc` (each entry ends with `\n`; empty without headings).
pub fn toc(doc: &str, dialect: MdtocDialect, max_depth: u8) -> String {
    generate(doc, dialect, max_depth).0
}

/// gomarkdown's block reading of one document (newline-normalized), which `view` and `check`
/// both start from: an analysis that needs both scans once (`view_of`, `check_with`).
#[derive(Debug, Default)]
pub struct Scan {
    pub(super) blocks: block::Blocks,
    /// Byte `i` of the normalized copy is byte `map[i]` of the document (`None`: no `\r`, the
    /// same offsets).
    pub(super) map: Option<Vec<usize>>,
    /// The TOC `generate_from` wrote from this scan (for a dialect and depth), kept: the
    /// TOC check asks for it on every analysis, and a scan re-read after an edit that left
    /// the headings as they were (`Scan::after_edit`, `same_headings`) takes its
    /// predecessor's, since the TOC is made of nothing else.
    pub(super) generated: std::sync::OnceLock<(MdtocDialect, u8, String)>,
    /// Every heading's inline parse and its v1.4.0 anchor base, made by the first of
    /// `view_of` and the TOC writer that needs them: an analysis runs both, and each parsed
    /// every heading's inlines.
    pub(super) inlines: std::sync::OnceLock<Vec<HeadingInline>>,
}

/// One heading's inline content as `Scan::inlines` keeps it.
#[derive(Debug)]
pub(super) struct HeadingInline {
    nodes: Vec<inline::Node>,
    /// `anchor_base` of its v1.4.0 anchor text (code spans included).
    base_v1_4_0: String,
}

impl Scan {
    /// Every heading's `HeadingInline`, in order (parsed on first use).
    fn inlines(&self) -> &[HeadingInline] {
        self.inlines.get_or_init(|| {
            let blocks = &self.blocks;
            blocks
                .headings
                .iter()
                .map(|h| {
                    let nodes = inline::parse(&h.content, &blocks.refs);
                    let base_v1_4_0 = anchor_text_base(&nodes, MdtocDialect::V1_4_0);
                    HeadingInline { nodes, base_v1_4_0 }
                })
                .collect()
        })
    }
}

/// `anchor_base` of the anchor text mdtoc (`dialect`) reads from a heading's nodes.
fn anchor_text_base(nodes: &[inline::Node], dialect: MdtocDialect) -> String {
    let mut text = Vec::new();
    inline::plain_text(nodes, dialect == MdtocDialect::V1_4_0, &mut text);
    anchor_base(&String::from_utf8_lossy(&text))
}

impl HeadingInline {
    /// The anchor base for `dialect`.
    fn base(&self, dialect: MdtocDialect) -> std::borrow::Cow<'_, str> {
        match dialect {
            MdtocDialect::V1_4_0 => std::borrow::Cow::Borrowed(&self.base_v1_4_0),
            _ => std::borrow::Cow::Owned(anchor_text_base(&self.nodes, dialect)),
        }
    }
}

/// Scan `doc` (the text mdtoc parses).
pub fn scan(doc: &str) -> Scan {
    let norm = normalize_newlines(doc.as_bytes());
    let blocks = block::scan(&norm);
    // Offsets in the normalized copy back to `doc` (they differ only after a `\r`).
    let map: Option<Vec<usize>> = doc.contains('\r').then(|| {
        let d = doc.as_bytes();
        let mut m = Vec::with_capacity(norm.len() + 1);
        let mut i = 0;
        while i < d.len() {
            m.push(i);
            if d[i] == b'\r' && d.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            i += 1;
        }
        m.push(d.len());
        m
    });
    Scan {
        blocks,
        map,
        generated: std::sync::OnceLock::new(),
        inlines: std::sync::OnceLock::new(),
    }
}

/// The TOC, and where mdtoc panics on `doc` instead of writing it (a byte offset of `doc`; the
/// TOC is then what it would be without the panic).
fn generate(doc: &str, dialect: MdtocDialect, max_depth: u8) -> (String, Option<usize>) {
    generate_from(doc, &scan(doc), dialect, max_depth)
}

/// `generate` from `doc`'s scan.
fn generate_from(doc: &str, scan: &Scan, dialect: MdtocDialect, max_depth: u8) -> (String, Option<usize>) {
    if scan.blocks.crash.is_some() {
        return write_toc(doc, scan, dialect, max_depth);
    }
    if let Some((d, m, toc)) = scan.generated.get()
        && (*d, *m) == (dialect, max_depth)
    {
        return (toc.clone(), None);
    }
    let (toc, crash) = write_toc(doc, scan, dialect, max_depth);
    let _ = scan.generated.set((dialect, max_depth, toc.clone()));
    (toc, crash)
}

/// `generate_from`, written out.
fn write_toc(doc: &str, scan: &Scan, dialect: MdtocDialect, max_depth: u8) -> (String, Option<usize>) {
    let blocks = &scan.blocks;
    let base = blocks.headings.iter().map(|h| h.level).min().unwrap_or(1);
    // Sized for every heading: growing it re-hashed each anchor already in it.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(blocks.headings.len());
    let mut out = String::new();
    let mut html = Vec::new();
    for (h, parsed) in blocks.headings.iter().zip(scan.inlines()) {
        // The depth filter comes before the anchor: a skipped heading takes no anchor.
        if max_depth > 0 && h.level > max_depth {
            continue;
        }
        html.clear();
        inline::render(&parsed.nodes, false, &mut html);
        let anchor = dedup(&mut seen, parsed.base(dialect).into_owned());
        for _ in base..h.level {
            out.push_str("  ");
        }
        out.push_str("- [");
        out.push_str(String::from_utf8_lossy(&html).trim());
        out.push_str("](#");
        out.push_str(&anchor);
        out.push_str(")\n");
    }
    // The offset in `doc`: the normalized copy is shorter only by the `\r` of CRLF pairs.
    let crash = blocks.crash.map(|at| source_offset(doc, at));
    (out, crash)
}

/// The offset in `doc` of byte `at` of its newline-normalized copy.
fn source_offset(doc: &str, at: usize) -> usize {
    let d = doc.as_bytes();
    let (mut src, mut norm) = (0, 0);
    while src < d.len() && norm < at {
        if d[src] == b'\r' && d.get(src + 1) == Some(&b'\n') {
            src += 1;
        }
        src += 1;
        norm += 1;
    }
    src
}

/// Where mdtoc's parser puts headings and hiding blocks, in byte offsets of the text given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Every heading (any level), in order: its level and the start of its line.
    pub headings: Vec<(u8, usize)>,
    /// The top-level blocks that hide lines from the heading rules, in order.
    pub hidden: Vec<(Construct, Range<usize>)>,
    /// The de-duplicated anchor of every heading, in order.
    pub anchors: Vec<String>,
}

/// mdtoc's view of `doc` (the text it parses), for comparing with another reader's.
pub fn view(doc: &str, dialect: MdtocDialect) -> View {
    view_of(doc, &scan(doc), dialect)
}

/// `view` from `doc`'s scan.
pub fn view_of(doc: &str, scan: &Scan, dialect: MdtocDialect) -> View {
    let blocks = &scan.blocks;
    // Sized for every heading: growing it re-hashed each anchor already in it.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(blocks.headings.len());
    let anchors = scan
        .inlines()
        .iter()
        .map(|parsed| dedup(&mut seen, parsed.base(dialect).into_owned()))
        .collect();
    view_with(doc, scan, anchors)
}

/// `view_of` with the anchors known (those of a scan with the same headings and references,
/// `Scan::same_headings`).
pub(crate) fn view_with(doc: &str, scan: &Scan, anchors: Vec<String>) -> View {
    let (blocks, map) = (&scan.blocks, &scan.map);
    let at = |o: usize| map.as_ref().map_or(o, |m| m.get(o).copied().unwrap_or(doc.len()));
    View {
        anchors,
        headings: blocks.headings.iter().map(|h| (h.level, at(h.at))).collect(),
        hidden: blocks
            .hidden
            .iter()
            .map(|(k, r)| (*k, at(r.start)..at(r.end)))
            .collect(),
    }
}

/// gomarkdown's `NormalizeNewlines`: CRLF and lone CR become LF.
fn normalize_newlines(d: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // Most files have no `\r`: no copy then.
    if memchr::memchr(b'\r', d).is_none() {
        return std::borrow::Cow::Borrowed(d);
    }
    let mut out = Vec::with_capacity(d.len());
    let mut i = 0;
    while i < d.len() {
        if d[i] == b'\r' {
            out.push(b'\n');
            if d.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else {
            out.push(d[i]);
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// Byte offsets of the first opening and first closing marker (ASCII case-insensitive).
pub fn find_markers(raw: &str) -> (Option<usize>, Option<usize>) {
    (find_ci(raw, TOC_START), find_ci(raw, TOC_END))
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if h.len() < n.len() {
        return None;
    }
    // Every marker starts with `<`: look only there.
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'<', &h[from..]).map(|i| from + i) {
        if h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// mdtoc's marker errors, in the order it checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerError {
    /// "missing opening TOC tag" (no `<!-- toc -->`; possibly no markers at all).
    MissingStart,
    /// "missing closing TOC tag".
    MissingEnd,
    /// "TOC closing tag before start tag".
    EndBeforeStart,
}

impl MarkerError {
    /// mdtoc's own message (the findings word it their own way; the tests compare with mdtoc).
    #[cfg(test)]
    pub(crate) fn message(self) -> &'static str {
        match self {
            MarkerError::MissingStart => "missing opening TOC tag",
            MarkerError::MissingEnd => "missing closing TOC tag",
            MarkerError::EndBeforeStart => "TOC closing tag before start tag",
        }
    }
}

/// What `mdtoc --inplace --max-depth=N --dryrun` says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocVerdict {
    /// Exit 0.
    Current,
    /// "changes found": `body` is the bytes between the markers (after the opening one, up to
    /// the closing one); `replacement` is what `mdtoc --inplace` writes there (`\n` + TOC).
    Stale { body: Range<usize>, replacement: String },
    /// mdtoc panics (exit 2): `at` is the `---` (or `%%%`) that opens the title block it reads
    /// past the end of the file for.
    Crash { at: usize },
    /// A marker error; `start`/`end` are the markers found.
    Markers {
        error: MarkerError,
        start: Option<usize>,
        end: Option<usize>,
    },
}

/// mdtoc's verdict on `raw` (the whole file).
pub fn check(raw: &str, dialect: MdtocDialect, max_depth: u8) -> TocVerdict {
    check_with(raw, dialect, max_depth, None)
}

/// `check`, reusing `scanned`: `(from, scan)` with `scan` the scan of `raw[from..]`, used when
/// that is the document mdtoc parses (`from` is the closing marker).
pub fn check_with(
    raw: &str,
    dialect: MdtocDialect,
    max_depth: u8,
    scanned: Option<(usize, &Scan)>,
) -> TocVerdict {
    let (start, end) = find_markers(raw);
    let error = match (start, end) {
        (None, _) => Some(MarkerError::MissingStart),
        (_, None) => Some(MarkerError::MissingEnd),
        (Some(s), Some(e)) if e < s => Some(MarkerError::EndBeforeStart),
        _ => None,
    };
    let (Some(s), Some(e), None) = (start, end, error) else {
        return TocVerdict::Markers {
            error: error.unwrap_or(MarkerError::MissingStart),
            start,
            end,
        };
    };
    let (generated, crash) = match scanned {
        Some((from, scan)) if from == e => generate_from(&raw[e..], scan, dialect, max_depth),
        _ => generate(&raw[e..], dialect, max_depth),
    };
    if let Some(at) = crash {
        return TocVerdict::Crash { at: e + at };
    }
    let body = s + TOC_START.len()..e;
    if raw[body.clone()].trim() == generated.trim() {
        TocVerdict::Current
    } else {
        TocVerdict::Stale {
            body,
            replacement: format!("\n{generated}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: MdtocDialect = MdtocDialect::V1_4_0;

    #[test]
    fn entries_and_anchors() {
        let doc = "<!-- /toc -->\n## A `b` &amp; C#\n### ![img](x.png) $x$ [l](http://e.com)\n###### deep\n## A `b` &amp; C\n";
        assert_eq!(
            toc(doc, V, 5),
            "- [A <code>b</code> &amp; C](#a-b--c)\n  - [<img src=\"x.png\" alt=\"img\" /> <span class=\"math inline\">\\(x\\)</span> <a href=\"http://e.com\">l</a>](#img--l)\n- [A <code>b</code> &amp; C](#a-b--c-1)\n"
        );
        assert_eq!(
            toc(
                "## Description of the `foo` plugin\n",
                MdtocDialect::PreInlineCode,
                5
            ),
            "- [Description of the <code>foo</code> plugin](#description-of-the--plugin)\n"
        );
    }

    #[test]
    fn verdicts() {
        let ok = "# T\n<!-- TOC -->\n- [A](#a)\n<!-- /toc -->\n## A\n";
        assert_eq!(check(ok, V, 5), TocVerdict::Current);
        let stale = "# T\n<!-- toc -->\n<!-- /toc -->\n## A\n";
        assert_eq!(
            check(stale, V, 5),
            TocVerdict::Stale {
                body: 16..17,
                replacement: "\n- [A](#a)\n".into()
            }
        );
        let m = |t: &str| match check(t, V, 5) {
            TocVerdict::Markers { error, .. } => Some(error.message()),
            _ => None,
        };
        assert_eq!(m("# x\n"), Some("missing opening TOC tag"));
        assert_eq!(m("<!-- /toc -->"), Some("missing opening TOC tag"));
        assert_eq!(m("<!-- toc -->"), Some("missing closing TOC tag"));
        assert_eq!(
            m("<!-- /toc --><!-- toc -->"),
            Some("TOC closing tag before start tag")
        );
    }
}
