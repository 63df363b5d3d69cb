//! The Markdown outline of a README: headings (level, flattened text, byte ranges, section
//! extents), HTML comments and the `<!-- toc -->` block. Built once per analysis from one
//! pulldown-cmark pass and shared by every README rule, so the 150 KB READMEs stay cheap.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The markers mdtoc looks for (case-insensitively, anywhere in the raw text).
pub const TOC_START: &str = "<!-- toc -->";
pub const TOC_END: &str = "<!-- /toc -->";

/// One heading of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1..=6.
    pub level: u8,
    /// The text as GitHub and mdtoc flatten it: text and inline-code contents, in order
    /// (emphasis, links and images reduced to their text; inline HTML dropped).
    pub text: String,
    /// The heading's inline content rendered as HTML from GitHub's parse, close to what mdtoc
    /// writes inside `[...]` of a TOC entry (`<code>`, `<em>`, links...); the TOC itself comes
    /// from `syntax::mdtoc`, which renders exactly as mdtoc does.
    pub html: String,
    /// The whole heading line(s), from the first `#` to the end of the line (no newline).
    pub line: Range<usize>,
    /// The heading's inline text as written (after `## `, before any closing `#`s).
    pub text_range: Range<usize>,
    /// From the heading's start to the next heading of the same or a higher level (or EOF).
    pub section: Range<usize>,
    /// Whether mdtoc lists it: its parser (gomarkdown, from `<!-- /toc -->` on when both
    /// markers are there) reads a heading of level 1-5 on this line (`syntax::mdtoc`). GitHub
    /// may render headings mdtoc does not list (indented, in an HTML block, in a list item
    /// without a blank line...) and the other way round.
    pub in_toc: bool,
}

/// A `<!-- toc -->` ... `<!-- /toc -->` block as mdtoc finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocBlock {
    /// Byte offset of the opening marker (`<`); `None` when absent.
    pub start: Option<usize>,
    /// Byte offset of the closing marker (`<`); `None` when absent.
    pub end: Option<usize>,
}

impl TocBlock {
    /// The bytes between the two markers (what mdtoc compares and replaces), when both are
    /// present and in order.
    pub(crate) fn body(&self) -> Option<Range<usize>> {
        match (self.start, self.end) {
            (Some(s), Some(e)) if e >= s + TOC_START.len() => Some(s + TOC_START.len()..e),
            _ => None,
        }
    }
}

/// An inline or block link/image destination as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    /// The whole link or image element.
    pub range: Range<usize>,
    pub image: bool,
}

/// Everything the README rules need from the Markdown, from one parse.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    /// Byte ranges of HTML comments (`<!--` .. `-->` inclusive), in block or inline HTML.
    pub comments: Vec<Range<usize>>,
    /// Byte ranges of code (fenced/indented blocks and inline code spans): prose rules skip them.
    pub code: Vec<Range<usize>>,
    pub links: Vec<LinkRef>,
    pub toc: Option<TocBlock>,
    /// mdtoc's view of the text it parses (from `<!-- /toc -->` on when both markers are
    /// there, else all of it), with offsets into the whole text (`syntax::mdtoc::view`). Its
    /// anchors are those the TOC links to, even where GitHub renders no such heading
    /// (`render-mismatch` says so at the cause; a `broken-link` for each link would repeat it).
    pub mdtoc: crate::syntax::mdtoc::View,
    /// The block scan `mdtoc` was read from, and where in the text it starts: the TOC check
    /// reuses it instead of scanning the same text again.
    pub(crate) mdtoc_scan: Option<(usize, std::sync::Arc<crate::syntax::mdtoc::Scan>)>,
    /// The spans of the link reference definitions GitHub's parse took (the first of each
    /// label), in order: an outline re-read after an edit (`outline_reuse`) gives them to
    /// the part it parses again.
    pub(crate) ref_defs: Vec<Range<usize>>,
    /// The spans of the full references (`[text][label]`, `![alt][label]`) whose label GitHub's
    /// parse found no definition for, as pulldown-cmark's broken-link callback gives them (a
    /// callback that records and resolves nothing: the parse is the one without a callback).
    /// The links rule parses again, resolving them, only when there are some.
    pub(crate) undefined_refs: Vec<Range<usize>>,
    /// The stretches of adjacent plain-text events of GitHub's parse (byte ranges, each event
    /// touching the one before) that hold a `](`: where an inline link GitHub did not render
    /// (`[text](dest with spaces)`) can be. Every other stretch holds none.
    pub(crate) bracket_texts: Vec<Range<usize>>,
    /// Whether GitHub's parse read a copy with fence lines rewritten (`normalize_fences`), not
    /// the text itself: then the two fields above are not the text's own parse.
    pub(crate) fences_rewritten: bool,
    /// Each heading's parent, computed once on first use: a backwards scan per call made rules
    /// that ask for every heading's parent quadratic (20 000 `## x` lines took 44 s). Valid as
    /// long as `headings` is not changed after the first `parent_of`, which only `outline` builds.
    parents: std::sync::OnceLock<Vec<Option<usize>>>,
}

impl Outline {
    /// The first level-1 heading, the KEP's title.
    pub(crate) fn h1(&self) -> Option<&Heading> {
        self.headings.iter().find(|h| h.level == 1)
    }

    /// Whether `offset` lies in a code block or code span.
    pub(crate) fn in_code(&self, offset: usize) -> bool {
        contains(&self.code, offset)
    }

    /// Whether `offset` lies in an HTML comment.
    pub(crate) fn in_comment(&self, offset: usize) -> bool {
        contains(&self.comments, offset)
    }

    /// The headings whose section directly contains `h` (its parent), by index.
    pub(crate) fn parent_of(&self, index: usize) -> Option<usize> {
        let parents = self.parents.get_or_init(|| {
            // One pass with the stack of open ancestors.
            let mut stack: Vec<usize> = Vec::new();
            let mut parents = Vec::with_capacity(self.headings.len());
            for (i, h) in self.headings.iter().enumerate() {
                while stack.last().is_some_and(|&a| self.headings[a].level >= h.level) {
                    stack.pop();
                }
                parents.push(stack.last().copied());
                stack.push(i);
            }
            parents
        });
        parents.get(index).copied().flatten()
    }
}

/// Whether a sorted list of disjoint ranges contains `offset`.
fn contains(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= offset);
    ranges.get(i).is_some_and(|r| r.start <= offset)
}

/// The parser options shared with every Markdown reader of the crate: GitHub's tables,
/// strikethrough and `{#id}` heading attributes (gomarkdown's HeadingIDs, which mdtoc enables).
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
}

/// Build the outline of `text`.
pub fn outline(text: &str) -> Outline {
    let mut out = Outline {
        toc: find_toc(text),
        ..Outline::default()
    };
    let (view, scan) = mdtoc_view(text);
    out.mdtoc = view;
    out.mdtoc_scan = Some((scan.0, std::sync::Arc::new(scan.1)));
    let pass = github_pass(text);
    out.headings = pass.headings;
    out.comments = pass.comments;
    out.code = pass.code;
    out.links = pass.links;
    out.ref_defs = pass.ref_defs;
    out.undefined_refs = pass.undefined_refs;
    out.bracket_texts = pass.bracket_texts;
    out.fences_rewritten = pass.fences_rewritten;
    finish(text, &mut out);
    out
}

/// What one pulldown-cmark pass over a text yields for the outline (offsets of that text):
/// headings without their sections and `in_toc`, comments (an unclosed one ends at
/// `usize::MAX`), code (unsorted), links, the spans of the reference definitions, and what
/// the links rule reads (`Outline::undefined_refs`, `bracket_texts`, `fences_rewritten`).
#[derive(Default)]
pub(crate) struct GithubPass {
    pub headings: Vec<Heading>,
    pub comments: Vec<Range<usize>>,
    pub code: Vec<Range<usize>>,
    pub links: Vec<LinkRef>,
    pub ref_defs: Vec<Range<usize>>,
    pub undefined_refs: Vec<Range<usize>>,
    pub bracket_texts: Vec<Range<usize>>,
    pub fences_rewritten: bool,
}

/// The pulldown-cmark pass of the outline over `text`.
pub(crate) fn github_pass(text: &str) -> GithubPass {
    let mut out = GithubPass::default();
    // The heading being read: (level, line range, inline ranges, flat text, html).
    type Open = (u8, Range<usize>, Option<Range<usize>>, String, String);
    let mut current: Option<Open> = None;
    let mut code_block_start: Option<usize> = None;
    let mut link_stack: Vec<(String, usize, bool)> = Vec::new();
    let parsed = normalize_fences(text);
    out.fences_rewritten = matches!(parsed, std::borrow::Cow::Owned(_));
    // Records the undefined full references and resolves none: pulldown-cmark 0.13 only maps
    // the callback's answer (`fetch_link_type_url_title`), so `None` parses as no callback.
    let undefined_refs = std::cell::RefCell::new(Vec::new());
    let mut record = |link: pulldown_cmark::BrokenLink<'_>| {
        if link.link_type == LinkType::Reference {
            undefined_refs.borrow_mut().push(link.span);
        }
        None
    };
    let mut events = Parser::new_with_broken_link_callback(&parsed, markdown_options(), Some(&mut record))
        .into_offset_iter();
    // The stretch of adjacent text events being read (as the links rule joins them).
    let mut stretch: Option<Range<usize>> = None;
    for (event, range) in events.by_ref() {
        if let Event::Text(_) = event {
            match stretch.as_mut() {
                Some(s) if s.end == range.start => s.end = range.end,
                _ => {
                    if let Some(done) = stretch.replace(range.clone()) {
                        keep_bracket_text(text, done, &mut out.bracket_texts);
                    }
                }
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level_number(level), range, None, String::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, line, inner, flat, html)) = current.take() {
                    let line = trim_line_end(text, line);
                    let text_range = inner.unwrap_or(line.end..line.end);
                    // Set from mdtoc's view once every heading is known.
                    let in_toc = false;
                    out.headings.push(Heading {
                        in_toc,
                        level,
                        text: flat,
                        html: html.trim().to_string(),
                        section: line.start..text.len(),
                        line,
                        text_range,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => code_block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                let start = code_block_start.take().unwrap_or(range.start);
                out.code.push(start..range.end);
            }
            Event::Start(Tag::Link { dest_url, title, .. }) => {
                link_stack.push((dest_url.to_string(), range.start, false));
                if let Some(h) = current.as_mut() {
                    extend(&mut h.2, &range);
                    h.4.push_str("<a href=\"");
                    escape_html_into(&mut h.4, &dest_url);
                    h.4.push('"');
                    if !title.is_empty() {
                        h.4.push_str(" title=\"");
                        escape_html_into(&mut h.4, &title);
                        h.4.push('"');
                    }
                    h.4.push('>');
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                link_stack.push((dest_url.to_string(), range.start, true));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if let Some((dest, start, image)) = link_stack.pop() {
                    out.links.push(LinkRef {
                        dest,
                        range: start..range.end,
                        image,
                    });
                }
                if let (Some(h), Event::End(TagEnd::Link)) = (current.as_mut(), &event) {
                    h.4.push_str("</a>");
                }
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                collect_comments(text, &range, html, &mut out.comments);
                if let (Some(h), Event::InlineHtml(_)) = (current.as_mut(), &event) {
                    extend(&mut h.2, &range);
                    h.4.push_str(html);
                }
            }
            Event::Code(ref code) => {
                out.code.push(range.clone());
                if let Some(h) = current.as_mut() {
                    // gomarkdown trims all the spaces around a code span (CommonMark only one).
                    let code = code.trim_matches(' ');
                    extend(&mut h.2, &range);
                    h.3.push_str(code);
                    h.4.push_str("<code>");
                    escape_html_into(&mut h.4, code);
                    h.4.push_str("</code>");
                }
            }
            Event::Text(ref t) => {
                if let Some(h) = current.as_mut() {
                    extend(&mut h.2, &range);
                    h.3.push_str(t);
                    // Image alt text is part of the flat text but rendered as an <img> by
                    // mdtoc's renderer; KEP headings have no images, so keep it simple.
                    if link_stack.is_empty() {
                        autolink_html_into(&mut h.4, t);
                    } else {
                        escape_html_into(&mut h.4, t);
                    }
                }
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
                if let Some(h) = current.as_mut() {
                    extend(&mut h.2, &range);
                    h.4.push_str(match tag {
                        Tag::Emphasis => "<em>",
                        Tag::Strong => "<strong>",
                        _ => "<del>",
                    });
                }
            }
            Event::End(tag @ (TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)) => {
                if let Some(h) = current.as_mut() {
                    h.4.push_str(match tag {
                        TagEnd::Emphasis => "</em>",
                        TagEnd::Strong => "</strong>",
                        _ => "</del>",
                    });
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = current.as_mut() {
                    h.3.push(' ');
                    h.4.push('\n');
                }
            }
            _ => {}
        }
    }
    out.ref_defs = events
        .reference_definitions()
        .iter()
        .map(|(_, d)| d.span.clone())
        .collect();
    out.ref_defs.sort_by_key(|r| r.start);
    drop(events);
    if let Some(done) = stretch {
        keep_bracket_text(text, done, &mut out.bracket_texts);
    }
    out.undefined_refs = undefined_refs.into_inner();
    out
}

/// Keeps the text stretch `t` when it holds a `](` (memchr for the `]`: no searcher to set
/// up per stretch).
fn keep_bracket_text(text: &str, t: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(bytes) = text.as_bytes().get(t.clone()) else {
        return;
    };
    if memchr::memchr_iter(b']', bytes).any(|i| bytes.get(i + 1) == Some(&b'(')) {
        out.push(t);
    }
}

/// What the outline derives from its parts once they are all known: which headings mdtoc
/// lists, the comments clamped to the text, the code sorted and disjoint, the sections.
pub(crate) fn finish(text: &str, out: &mut Outline) {
    let listed: Vec<usize> = out
        .mdtoc
        .headings
        .iter()
        .filter(|(level, _)| *level <= crate::syntax::toc::KEP_TOC_MAX_DEPTH)
        .map(|(_, at)| *at)
        .collect();
    for h in &mut out.headings {
        let span = heading_lines(text, h.line.start);
        // Both lists are in text order: the first listed line at or after the span's start.
        let i = listed.partition_point(|&at| at < span.start);
        h.in_toc = listed.get(i).is_some_and(|at| span.contains(at));
    }
    for c in &mut out.comments {
        c.end = c.end.min(text.len());
    }
    out.comments.sort_by_key(|r| r.start);
    out.code.sort_by_key(|r| r.start);
    merge_nested(&mut out.code);
    // Section ends: the next heading at the same or a higher level.
    let n = out.headings.len();
    for i in 0..n {
        let level = out.headings[i].level;
        let end = out.headings[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(text.len(), |h| h.line.start);
        out.headings[i].section.end = end;
    }
}

/// mdtoc's view of the text, with offsets into the whole text: it parses from the closing
/// marker on when both markers are there (`--skip-prefix`), else the whole text. Also the scan
/// it was read from, with its start.
fn mdtoc_view(text: &str) -> (crate::syntax::mdtoc::View, (usize, crate::syntax::mdtoc::Scan)) {
    use crate::syntax::mdtoc;
    let from = match mdtoc::find_markers(text) {
        (Some(_), Some(e)) => e,
        _ => 0,
    };
    let scan = mdtoc::scan(&text[from..]);
    (mdtoc_view_of(text, from, &scan), (from, scan))
}

/// mdtoc's view of `text` from its scan of `text[from..]`, with offsets into the whole text.
pub(crate) fn mdtoc_view_of(
    text: &str,
    from: usize,
    scan: &crate::syntax::mdtoc::Scan,
) -> crate::syntax::mdtoc::View {
    use crate::syntax::mdtoc;
    let v = mdtoc::view_of(&text[from..], scan, mdtoc::MdtocDialect::default());
    view_moved(v, from)
}

/// A view of `text[from..]` with offsets into the whole text.
pub(crate) fn view_moved(mut v: crate::syntax::mdtoc::View, from: usize) -> crate::syntax::mdtoc::View {
    for h in &mut v.headings {
        h.1 += from;
    }
    for (_, r) in &mut v.hidden {
        *r = r.start + from..r.end + from;
    }
    v
}

/// The lines of the heading whose text starts at `at`, as a byte range of whole lines: its own
/// line for an ATX heading; for a setext heading its text lines up to the underline (mdtoc
/// takes only the last text line, GitHub all of them).
pub(crate) fn heading_lines(text: &str, at: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let line_start = |at: usize| memchr::memrchr(b'\n', &bytes[..at.min(text.len())]).map_or(0, |i| i + 1);
    let line_end = |at: usize| {
        let at = at.min(text.len());
        memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i)
    };
    let ls = line_start(at);
    let own = ls..line_end(ls) + 1;
    if bytes[ls..line_end(ls)].iter().find(|&&b| b != b' ') == Some(&b'#') {
        return own;
    }
    let mut pos = ls;
    while pos < text.len() {
        let next = line_end(pos) + 1;
        if next >= text.len() {
            break;
        }
        let t = bytes[next..line_end(next)].trim_ascii();
        if !t.is_empty() && (t.iter().all(|&b| b == b'=') || t.iter().all(|&b| b == b'-')) {
            return ls..next;
        }
        pos = next;
    }
    own
}

/// pulldown-cmark 0.13 does not take "```" followed by a tab as a closing fence (CommonMark and
/// gomarkdown do; sig-api-machinery/4460 has one), which flips every later code block. Such tabs
/// become spaces in the copy that is parsed: same length, so every offset still holds.
fn normalize_fences(text: &str) -> std::borrow::Cow<'_, str> {
    let is_fence_with_tab = |line: &str| {
        let t = line.trim_start_matches(' ');
        let fence = t.starts_with("```") || t.starts_with("~~~");
        let rest = t.trim_start_matches(['`', '~']);
        fence && line.len() - t.len() <= 3 && rest.contains('\t') && rest.trim().is_empty()
    };
    // Only lines holding a tab can need it: find those with memchr instead of splitting every
    // line (this pre-scan was a seventh of the outline of a 150 KB README).
    let bytes = text.as_bytes();
    let mut needed = false;
    let mut from = 0;
    while let Some(tab) = memchr::memchr(b'\t', &bytes[from..]).map(|i| from + i) {
        let start = memchr::memrchr(b'\n', &bytes[..tab]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[tab..]).map_or(text.len(), |i| tab + i);
        if is_fence_with_tab(&text[start..end]) {
            needed = true;
            break;
        }
        from = end;
    }
    if !needed {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if is_fence_with_tab(line) {
            out.push_str(&line.replace('\t', " "));
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Render text as gomarkdown does with its Autolink extension: bare `http(s)://` and `ftp://`
/// URLs become links; trailing punctuation and an unbalanced `)` stay outside. Appended to `out`.
fn autolink_html_into(out: &mut String, t: &str) {
    let mut rest = t;
    while let Some(i) = url_start(rest) {
        escape_html_into(out, &rest[..i]);
        let tail = &rest[i..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(tail.len());
        loop {
            let url = &tail[..end];
            let Some(last) = url.chars().last() else { break };
            let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'') || unbalanced {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        let url = escape_html(&tail[..end]);
        out.push_str("<a href=\"");
        out.push_str(&url);
        out.push_str("\">");
        out.push_str(&url);
        out.push_str("</a>");
        rest = &tail[end..];
    }
    escape_html_into(out, rest);
}

/// Where the first `https://`, `http://` or `ftp://` in `t` starts (the smallest start of the
/// three, as three `find`s would give it). Each holds `://` right after its scheme, and two
/// `://` never overlap, so the first `://` preceded by one of the schemes is the first match:
/// one memchr per `:` instead of three substring searchers per heading text event.
fn url_start(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut from = 0;
    while let Some(colon) = memchr::memchr(b':', &b[from..]).map(|i| from + i) {
        if b[colon..].starts_with(b"://") {
            let before = &b[..colon];
            for scheme in [&b"https"[..], b"http", b"ftp"] {
                if before.ends_with(scheme) {
                    return Some(colon - scheme.len());
                }
            }
        }
        from = colon + 1;
    }
    None
}

/// Drop ranges nested in an earlier one so that the list stays disjoint (binary search).
fn merge_nested(ranges: &mut Vec<Range<usize>>) {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    *ranges = merged;
}

fn extend(slot: &mut Option<Range<usize>>, range: &Range<usize>) {
    match slot {
        Some(r) => {
            r.start = r.start.min(range.start);
            r.end = r.end.max(range.end);
        }
        None => *slot = Some(range.clone()),
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's block range ends after its newline; keep only the visible line.
fn trim_line_end(text: &str, mut r: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    while r.end > r.start && matches!(bytes.get(r.end - 1), Some(b'\n' | b'\r')) {
        r.end -= 1;
    }
    // Setext headings span two lines; the first is the one to point at.
    if let Some(nl) = text.get(r.clone()).and_then(|s| s.find('\n')) {
        r.end = r.start + nl;
        if r.end > r.start && bytes.get(r.end - 1) == Some(&b'\r') {
            r.end -= 1;
        }
    }
    r
}

/// Record the `<!-- ... -->` comments inside one HTML event. Block HTML arrives line by line,
/// so a comment that spans lines is closed by a later event: the open start is kept in the
/// last pushed range until its end is seen.
fn collect_comments(text: &str, range: &Range<usize>, html: &str, out: &mut Vec<Range<usize>>) {
    // The event's text is the source slice for HTML; use offsets into the source.
    let base = range.start;
    let src = text.get(range.clone()).unwrap_or(html);
    let mut pos = 0;
    // An unterminated comment from an earlier line: its range ends at usize::MAX.
    if let Some(last) = out.last_mut()
        && last.end == usize::MAX
    {
        match find_short(src, "-->") {
            Some(i) => {
                last.end = base + i + 3;
                pos = i + 3;
            }
            None => return,
        }
    }
    while let Some(i) = find_short(&src[pos..], "<!--") {
        let start = pos + i;
        match find_short(&src[start + 4..], "-->") {
            Some(j) => {
                let end = start + 4 + j + 3;
                out.push(base + start..base + end);
                pos = end;
            }
            None => {
                out.push(base + start..usize::MAX);
                return;
            }
        }
    }
}

/// `hay.find(needle)` for a short ASCII needle: memchr to each candidate first byte. Called
/// for every HTML event, where `str::find` set up its two-way searcher each time.
fn find_short(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, &h[from..]) {
        let at = from + i;
        if h[at..].starts_with(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Find the TOC markers as mdtoc does: the first case-insensitive match of each, anywhere
/// (`mdtoc::find_markers`, the same markers).
pub(crate) fn find_toc(text: &str) -> Option<TocBlock> {
    let (start, end) = crate::syntax::mdtoc::find_markers(text);
    if start.is_none() && end.is_none() {
        None
    } else {
        Some(TocBlock { start, end })
    }
}

/// The escaping of gomarkdown's HTML renderer (`&`, `<`, `>`, `"`).
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_into(&mut out, s);
    out
}

/// `escape_html` appended to `out`: the runs between the escaped bytes copied whole (a push
/// per char was 1.4 % of `check` over the tree).
fn escape_html_into(out: &mut String, s: &str) {
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(escaped);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_closing_fence_with_a_tab_closes() {
        // As in sig-api-machinery/4460: without the rewrite the heading after it is code.
        let text = "# T\n\n```go\nx\t:= 1\n```\t\n\n## After\n\tindented\ttabs\n";
        let names: Vec<String> = outline(text).headings.into_iter().map(|h| h.text).collect();
        assert_eq!(names, ["T", "After"]);
        assert!(matches!(normalize_fences(text), std::borrow::Cow::Owned(ref t) if t.len() == text.len()));
        // Tabs elsewhere (code, prose) need no copy.
        let plain = "# T\n\n```go\nx\t:= 1\n```\n\ta\tb\n";
        assert!(matches!(normalize_fences(plain), std::borrow::Cow::Borrowed(_)));
    }

    use super::*;

    #[test]
    fn headings_with_ranges_and_sections() {
        let text = "# KEP-1: T\n\n## A `b` *c*\ntext\n### Sub\n```\n# not a heading\n```\n## D\n";
        let o = outline(text);
        let got: Vec<(u8, &str)> = o.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(got, vec![(1, "KEP-1: T"), (2, "A b c"), (3, "Sub"), (2, "D")]);
        let a = &o.headings[1];
        assert_eq!(&text[a.line.clone()], "## A `b` *c*");
        assert_eq!(&text[a.text_range.clone()], "A `b` *c*");
        assert_eq!(a.html, "A <code>b</code> <em>c</em>");
        assert_eq!(
            &text[a.section.clone()],
            "## A `b` *c*\ntext\n### Sub\n```\n# not a heading\n```\n"
        );
        assert_eq!(o.headings[0].section, 0..text.len());
        assert!(o.in_code(text.find("not a").unwrap()));
        assert!(!o.in_code(text.find("text").unwrap()));
    }

    #[test]
    fn comments_across_lines_and_toc_markers() {
        let text = "# T\n\n<!--\nguide\n-->\n\n<!-- TOC -->\n- x\n<!-- /toc -->\n\nsay <!-- hi --> ok\n";
        let o = outline(text);
        let got: Vec<&str> = o.comments.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            got,
            vec!["<!--\nguide\n-->", "<!-- TOC -->", "<!-- /toc -->", "<!-- hi -->"]
        );
        let toc = o.toc.clone().unwrap();
        assert_eq!(&text[toc.body().unwrap()], "\n- x\n");
    }

    #[test]
    fn url_start_is_the_first_of_the_three_finds() {
        let three = |t: &str| {
            ["https://", "http://", "ftp://"]
                .iter()
                .filter_map(|s| t.find(s))
                .min()
        };
        for t in [
            "",
            "://",
            "see https://a.b and http://c",
            "ftp://x http://y",
            "xhttps://y",
            "https:/ http:// ftp:",
            "é https:// 字 ftp://",
            "ahttp://b",
            ":::://https://",
            "HTTPS://x http:/x",
        ] {
            assert_eq!(url_start(t), three(t), "{t:?}");
        }
        let mut out = String::new();
        autolink_html_into(&mut out, "a <b> & \"c\" https://e.com/x). y");
        assert_eq!(
            out,
            "a &lt;b&gt; &amp; &quot;c&quot; <a href=\"https://e.com/x\">https://e.com/x</a>). y"
        );
        assert_eq!(escape_html("é<&>\"字"), "é&lt;&amp;&gt;&quot;字");
    }

    #[test]
    fn find_short_finds_what_find_finds() {
        for hay in [
            "",
            "-",
            "--",
            "-->",
            "a--->b",
            "<!<!-- x -->",
            "é<!--字-->",
            "<!-",
        ] {
            for needle in ["-->", "<!--"] {
                assert_eq!(find_short(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
            }
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for t in [
            "",
            "#",
            "<!--",
            "<!-- /toc --><!-- toc -->",
            "\u{feff}# é\r\n",
            "## [x](y \"t\")\n",
        ] {
            let o = outline(t);
            for h in &o.headings {
                assert!(h.line.end <= t.len() && h.section.end <= t.len());
            }
            for c in &o.comments {
                assert!(c.end <= t.len());
            }
        }
    }
}
