//! Which lines are headings, as gomarkdown (the parser mdtoc v1.4.0 uses, with its
//! `CommonExtensions` and mmark's title-block hook) decides. Its block rules, learnt from
//! gomarkdown's parser/block.go and mmark's mparser/title.go, differ from CommonMark in many
//! places, e.g.:
//!
//! - `#` must be in column 0 and followed by a space (not a tab); `.# x` is a level-1 heading;
//!   `{#id}` and trailing `#`s (even without a space before them) are dropped;
//! - a fence closes only with exactly its opening marker; an unclosed fence is no code block;
//!   an opening fence with words after its info string is no fence;
//! - an HTML block needs a tag of gomarkdown's list (lower case) and ends at its closing tag
//!   followed by a blank line; without one, it is a paragraph (headings inside count);
//! - a `---` (or `%%%`) at a block start opens an mmark title block that runs to the next
//!   `---` anywhere, even inside a line; the headings in it are not listed;
//! - a list item's content is re-parsed as blocks only when the item holds a blank line, so
//!   `1. ### x` is a heading only in such an item.
//!
//! Only what the TOC needs is kept: the headings in document order and the link reference
//! definitions (for `[text][id]` in headings). The input must already have `\n` line ends.

use std::collections::HashMap;

use super::bytes::*;

/// One heading as the block scanner saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHeading {
    /// 1..=6 (`.#` headings are 1).
    pub level: u8,
    /// The inline source of the heading (after the `#`s, without `{#id}` and closing `#`s).
    pub content: Vec<u8>,
    /// Byte offset in the scanned buffer of the heading's line (a setext heading: its text
    /// line). Headings inside list items and block quotes, which gomarkdown parses from a
    /// copy, are placed at the first occurrence of their text after the item's start.
    pub at: usize,
    /// Where the top-level block holding the heading starts: `at` for a heading of the
    /// scanned buffer itself, the container's start for one parsed from a copy (which `at`
    /// may lie past). A re-scan of part of the buffer (`scan_part`) yields the headings whose
    /// origin lies in that part.
    pub origin: usize,
    /// For a heading parsed from a copy: whether its text was found (else `at` is where the
    /// search started, and the search read to the end of the buffer).
    pub found: Option<bool>,
}

/// A block that hides the lines it spans from the heading rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    /// A block tag of gomarkdown's list, up to its closing tag and a blank line.
    HtmlBlock,
    /// `<!-- ... -->` followed by a blank line.
    HtmlComment,
    /// mmark's `---` ... `---` (or `%%%`) title block.
    TitleBlock,
    /// A fenced code block (closed by its exact opening marker).
    FencedCode,
    /// Lines indented by a tab or four spaces.
    IndentedCode,
    /// `$$` ... `$$`.
    MathBlock,
    /// A table: header, delimiter row, and every following line holding a `|`.
    Table,
}

/// A link reference definition (`[id]: link "title"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkDef {
    pub link: Vec<u8>,
    pub title: Vec<u8>,
}

/// What the block pass yields.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    pub headings: Vec<RawHeading>,
    /// Keyed by the lower-cased id.
    pub refs: HashMap<String, LinkDef>,
    /// The top-level blocks that hide lines from the heading rules, with their byte ranges in
    /// the scanned buffer, in order.
    pub hidden: Vec<(Construct, std::ops::Range<usize>)>,
    /// Where mdtoc would panic (the `---` or `%%%` that opens a title block it reads past the
    /// end of the file for), as a byte offset of the scanned buffer.
    pub crash: Option<usize>,
    /// The start of every `#` heading line the top-level block loop reads, in order: there
    /// the scan holds no open block, so a re-scan may start or stop on one (`scan_part`).
    pub top_headings: Vec<usize>,
    /// For each of `top_headings`: how far (exclusive byte offset) the searches of the blocks
    /// before it read (an unclosed fence or `<div>` reads to the end of the buffer, a code
    /// span to its closing backticks). Bytes from there on can change without changing
    /// what the scan found before that heading.
    pub top_reach: Vec<usize>,
}

thread_local! {
    /// The top-level buffer of the scan running on this thread (address, length) and how far
    /// the searches over it read so far (`Blocks::top_reach`).
    static REACH: std::cell::Cell<(usize, usize, usize)> = const { std::cell::Cell::new((0, 0, 0)) };
}

/// Start recording how far searches read in `data` (the scan's top-level buffer).
fn reach_reset(data: &[u8]) {
    REACH.with(|r| r.set((data.as_ptr() as usize, data.len(), 0)));
}

/// A search over `data` read its bytes up to `end` (exclusive): recorded when `data` is a
/// slice of the top-level buffer (searches in copies of list items stay inside them).
fn note_reach(data: &[u8], end: usize) {
    REACH.with(|r| {
        let (base, len, max) = r.get();
        let p = data.as_ptr() as usize;
        if p >= base && p <= base + len {
            let at = p - base + end.min(data.len());
            if at > max {
                r.set((base, len, at));
            }
        }
    });
}

fn reach_now() -> usize {
    REACH.with(|r| r.get().2)
}

/// gomarkdown's limit on nested block parsing (deeper content is dropped).
const MAX_NESTING: usize = 16;

const BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "del",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "iframe",
    "ins",
    "li",
    "math",
    "noscript",
    "ol",
    "pre",
    "p",
    "script",
    "style",
    "table",
    "ul",
    "address",
    "article",
    "aside",
    "canvas",
    "details",
    "dialog",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "nav",
    "output",
    "progress",
    "section",
    "video",
];

// List flags (gomarkdown's ListType bits that matter here).
const ORDERED: u32 = 1;
const DEFINITION: u32 = 2;
const TERM: u32 = 4;
const CONTAINS_BLOCK: u32 = 8;
const END_OF_LIST: u32 = 16;

/// Scan `data` (with `\n` line ends) into headings and reference definitions.
pub fn scan(data: &[u8]) -> Blocks {
    let mut s = Scanner::new(data, None);
    s.block(data);
    s.place(data, 0);
    s.out
}

/// The part of `scan(data)` that comes from the top-level blocks starting in `start..stop`:
/// the block loop runs from `start` (where the full scan's loop must stand between two
/// blocks, e.g. one of its `top_headings`) and stops at `stop`, reading the whole buffer
/// for what the blocks look ahead for. `None` when the loop steps over `stop` (a block
/// spanning it), when `stop` is not a `top_headings` line of the part's loop, or when mdtoc
/// would panic in the part (`crash`). Offsets are of `data`.
///
/// Also how far the part's searches read (an exclusive offset).
pub(crate) fn scan_part(data: &[u8], start: usize, stop: usize) -> Option<(Blocks, usize)> {
    if start > stop || stop > data.len() {
        return None;
    }
    let mut s = Scanner::new(data, Some(stop));
    s.block(&data[start..]);
    if stop == data.len() && !s.overshot {
        s.reached = true;
    }
    let stopped_on_heading = stop == data.len() || is_prefix_heading(&data[stop..]);
    if s.overshot || !s.reached || !stopped_on_heading || s.out.crash.is_some() {
        return None;
    }
    let reach = reach_now();
    s.place(data, start);
    Some((s.out, reach))
}

/// Per tag or fence marker: where the last search started (a byte offset of the top-level
/// buffer) and the (end, start) of what it found.
type SearchMemo = HashMap<Vec<u8>, (usize, Option<(usize, usize)>)>;

struct Scanner {
    out: Blocks,
    nesting: usize,
    /// Address and length of the top-level buffer, to tell its slices from copies.
    base: usize,
    base_len: usize,
    /// Offset of the top-level container (list, quote) being parsed from a copy.
    outer: usize,
    /// Headings found in copies: (index, offset to search their text from).
    unplaced: Vec<(usize, usize)>,
    /// Earlier searches in the top-level buffer, which gomarkdown repeats from every opening
    /// (quadratic on a file of unclosed `<div>`s or fences): per tag / fence marker, where the
    /// search started and what it found (an end does not depend on where the search starts,
    /// so a later search that starts before the end found gets the same answer).
    html_ends: SearchMemo,
    fence_closes: SearchMemo,
    /// Where the top-level loop stops (`scan_part`), and whether it got there exactly or
    /// stepped over it.
    stop: Option<usize>,
    reached: bool,
    overshot: bool,
}

impl Scanner {
    fn new(data: &[u8], stop: Option<usize>) -> Scanner {
        reach_reset(data);
        Scanner {
            out: Blocks::default(),
            nesting: 0,
            base: data.as_ptr() as usize,
            base_len: data.len(),
            outer: 0,
            unplaced: Vec::new(),
            html_ends: HashMap::new(),
            fence_closes: HashMap::new(),
            stop,
            reached: stop.is_none(),
            overshot: false,
        }
    }

    /// Headings parsed from a copy: the first occurrence of their text after their container
    /// and after the line of the heading before them (headings come in document order);
    /// `floor` is where the first may be.
    fn place(&mut self, data: &[u8], mut floor: usize) {
        let unplaced: HashMap<usize, usize> = std::mem::take(&mut self.unplaced).into_iter().collect();
        for (i, h) in self.out.headings.iter_mut().enumerate() {
            if let Some(&outer) = unplaced.get(&i) {
                let from = outer.max(floor).min(data.len());
                let hit = memchr::memmem::find(&data[from..], &h.content).map(|k| from + k);
                h.found = Some(hit.is_some());
                let found = hit.unwrap_or(from);
                h.at = back_until(data, found, b'\n');
                h.origin = outer;
            }
            floor = skip_until(data, h.at, b'\n') + 1;
        }
    }

    /// The offset of `s` in the top-level buffer, when it is a slice of it.
    fn offset_of(&self, s: &[u8]) -> Option<usize> {
        let p = s.as_ptr() as usize;
        (p >= self.base && p <= self.base + self.base_len).then(|| p - self.base)
    }

    fn push_heading(&mut self, level: u8, content: Vec<u8>, line: &[u8]) {
        let at = self.offset_of(line);
        if at.is_none() {
            self.unplaced.push((self.out.headings.len(), self.outer));
        }
        self.out.headings.push(RawHeading {
            level,
            content,
            at: at.unwrap_or(0),
            origin: at.unwrap_or(self.outer),
            found: None,
        });
    }

    /// Record a hiding block when it lies in the top-level buffer.
    fn hide(&mut self, kind: Construct, data: &[u8], len: usize) {
        if let Some(at) = self.offset_of(data) {
            self.out.hidden.push((kind, at..at + len));
        }
    }

    /// `html_end` with the top-level buffer's searches remembered.
    fn html_end_cached(&mut self, data: &[u8], tag: &[u8]) -> Option<usize> {
        let Some(p) = self.offset_of(data) else {
            return html_end(data, tag).map(|(n, _)| n);
        };
        if let Some(&(from, found)) = self.html_ends.get(tag)
            && p >= from
        {
            match found {
                None => return None,
                Some((end, lt)) if lt > p => return Some(end - p),
                _ => {}
            }
        }
        let found = html_end(data, tag).map(|(n, k)| (p + n, p + k));
        self.html_ends.insert(tag.to_vec(), (p, found));
        found.map(|(end, _)| end - p)
    }

    /// `fenced_code` with the top-level buffer's searches remembered.
    fn fence(&mut self, data: &[u8]) -> Option<usize> {
        let (beg, marker) = fence_line(data, None)?;
        if beg >= data.len() {
            return None;
        }
        let Some(p) = self.offset_of(data) else {
            return fence_close(data, beg, marker).map(|(_, end)| end);
        };
        let start = p + beg;
        if let Some(&(from, found)) = self.fence_closes.get(marker)
            && start >= from
        {
            match found {
                None => return None,
                Some((line, end)) if line >= start => return Some(end - p),
                _ => {}
            }
        }
        let found = fence_close(data, beg, marker).map(|(line, end)| (p + line, p + end));
        self.fence_closes.insert(marker.to_vec(), (start, found));
        found.map(|(_, end)| end - p)
    }

    /// Remember where a top-level container starts, for headings parsed from its copy.
    fn enter(&mut self, data: &[u8]) {
        if let Some(at) = self.offset_of(data) {
            self.outer = at;
        }
    }

    fn block(&mut self, mut data: &[u8]) {
        if self.nesting >= MAX_NESTING {
            return;
        }
        self.nesting += 1;
        let top = self.nesting == 1;
        while !data.is_empty() {
            if top && let Some(stop) = self.stop {
                let at = self.offset_of(data).unwrap_or(usize::MAX);
                if at >= stop {
                    self.reached = at == stop;
                    self.overshot = at > stop;
                    break;
                }
            }
            match title_block(data) {
                Ok(Some(n)) => {
                    self.hide(Construct::TitleBlock, data, n);
                    data = &data[n..];
                    continue;
                }
                Ok(None) => {}
                Err(()) => {
                    // mdtoc stops here; go on as if there were no title block.
                    let at = self.offset_of(data).unwrap_or(self.outer);
                    self.out.crash.get_or_insert(at);
                }
            }
            if let Some(n) = reference_block(data) {
                data = &data[n..];
                continue;
            }
            if is_prefix_heading(data) {
                if top && let Some(at) = self.offset_of(data) {
                    self.out.top_headings.push(at);
                    self.out.top_reach.push(reach_now());
                }
                data = &data[self.prefix_heading(data, false)..];
                continue;
            }
            if is_special_heading(data) {
                data = &data[self.prefix_heading(data, true)..];
                continue;
            }
            let html = if data[0] != b'<' {
                None
            } else {
                match html_open(data) {
                    HtmlOpen::Tag(tag) => self.html_end_cached(data, tag).map(|n| (n, Construct::HtmlBlock)),
                    HtmlOpen::Special(n, kind) => Some((n, kind)),
                    HtmlOpen::None => None,
                }
            };
            if let Some((n, kind)) = html {
                self.hide(kind, data, n);
                data = &data[n..];
                continue;
            }
            let n = blank_line(data);
            if n > 0 {
                data = &data[n..];
                continue;
            }
            if code_prefix(data) > 0 {
                let n = indented_code(data);
                self.hide(Construct::IndentedCode, data, n);
                data = &data[n..];
                continue;
            }
            if let Some(n) = self.fence(data) {
                self.hide(Construct::FencedCode, data, n);
                data = &data[n..];
                continue;
            }
            if is_hrule(data) {
                data = &data[skip_until(data, 0, b'\n')..];
                continue;
            }
            if quote_prefix(data) > 0 {
                self.enter(data);
                data = &data[self.quote(data)..];
                continue;
            }
            if let Some(n) = table(data) {
                self.hide(Construct::Table, data, n);
                data = &data[n..];
                continue;
            }
            if uli_prefix(data) > 0 {
                self.enter(data);
                data = &data[self.list(data, 0)..];
                continue;
            }
            if oli_prefix(data) > 0 {
                self.enter(data);
                data = &data[self.list(data, ORDERED)..];
                continue;
            }
            if dli_prefix(data) > 0 {
                self.enter(data);
                data = &data[self.list(data, DEFINITION)..];
                continue;
            }
            if let Some(n) = block_math(data) {
                self.hide(Construct::MathBlock, data, n);
                data = &data[n..];
                continue;
            }
            let n = self.paragraph(data);
            // gomarkdown always advances here; guard against a scanner bug looping forever.
            data = &data[n.max(1).min(data.len())..];
        }
        self.nesting -= 1;
    }

    /// `#`-headings (and `.#` ones when `special`): returns the bytes consumed (up to, not
    /// including, the line's `\n`, or past a `{#id}`).
    fn prefix_heading(&mut self, data: &[u8], special: bool) -> usize {
        let (level, start) = if special {
            (1, 2)
        } else {
            let l = skip_char_n(data, 0, b'#', 6);
            (l, l)
        };
        let i = skip_char(data, start, b' ');
        let mut end = skip_until(data, i, b'\n');
        let mut skip = end;
        // `{#id}`: the first `{#` and the next `}` on the line.
        let mut j = i;
        while j + 1 < end && !(data[j] == b'{' && data[j + 1] == b'#') {
            j += 1;
        }
        let mut k = j + 1;
        while k < end && data[k] != b'}' {
            k += 1;
        }
        if j < end && k < end {
            end = j;
            skip = k + 1;
            while end > 0 && data[end - 1] == b' ' {
                end -= 1;
            }
        }
        while end > 0 && data[end - 1] == b'#' {
            if backslash_escaped(data, end - 1) {
                break;
            }
            end -= 1;
        }
        while end > 0 && data[end - 1] == b' ' {
            end -= 1;
        }
        if end > i {
            self.push_heading(level as u8, data[i..end].to_vec(), data);
        }
        skip
    }

    fn quote(&mut self, data: &[u8]) -> usize {
        let mut raw = Vec::new();
        let (mut beg, mut end) = (0, 0);
        while beg < data.len() {
            end = beg;
            // A fence starting anywhere on the line is taken whole.
            while end < data.len() && data[end] != b'\n' {
                if let Some(n) = self.fence(&data[end..]) {
                    end += n - 1;
                    break;
                }
                end += 1;
            }
            end = skip_char_n(data, end, b'\n', 1);
            let pre = quote_prefix(&data[beg..]);
            if pre > 0 {
                beg += pre;
            } else if terminates_quote(data, beg, end) {
                break;
            }
            if beg < end {
                raw.extend_from_slice(&data[beg..end]);
            }
            beg = end;
        }
        self.block(&raw);
        end
    }

    fn list(&mut self, data: &[u8], mut flags: u32) -> usize {
        let mut i = 0;
        while i < data.len() {
            let skip = self.list_item(&data[i..], &mut flags);
            i += skip;
            if skip == 0 || flags & END_OF_LIST != 0 {
                break;
            }
        }
        i
    }

    fn list_item(&mut self, data: &[u8], flags: &mut u32) -> usize {
        let mut item_indent = 0;
        if data[0] == b'\t' {
            item_indent += 4;
        } else {
            while item_indent < 3 && at(data, item_indent) == b' ' {
                item_indent += 1;
            }
        }
        let mut i = uli_prefix(data);
        if i == 0 {
            i = oli_prefix(data);
        }
        if i == 0 {
            i = dli_prefix(data);
            if i > 0 {
                *flags &= !TERM;
            }
        }
        if i == 0 {
            if *flags & DEFINITION != 0 {
                *flags |= TERM;
            } else {
                return 0;
            }
        }
        i = skip_char(data, i, b' ');
        let mut line = i;
        i = past_line_end(data, i);
        let mut raw: Vec<u8> = data[line.min(i)..i].to_vec();
        line = i;
        let mut contains_blank = false;
        let mut sublist = 0;
        while line < data.len() {
            i = past_line_end(data, i + 1);
            let i_end = i.min(data.len());
            if blank_line(&data[line..i_end]) > 0 {
                contains_blank = true;
                line = i;
                continue;
            }
            let mut indent = 0;
            let mut indent_index = 0;
            if data[line] == b'\t' {
                indent_index += 1;
                indent += 4;
            } else {
                while indent < 4 && line + indent < i_end && data[line + indent] == b' ' {
                    indent += 1;
                    indent_index += 1;
                }
            }
            let mut chunk = &data[line + indent_index..i_end];
            // An unindented fence line ends the list.
            if fence_line(chunk, None).is_some() && indent == 0 {
                *flags |= END_OF_LIST;
                break;
            }
            let nested_item =
                (uli_prefix(chunk) > 0 && !is_hrule(chunk)) || oli_prefix(chunk) > 0 || dli_prefix(chunk) > 0;
            if nested_item {
                if indent_index >= 4 && dli_prefix(chunk) == 0 {
                    let lead = skip_char(chunk, 0, b' ');
                    chunk = &data[(line + indent_index).saturating_sub(lead + 1)..i_end];
                }
                if indent <= item_indent {
                    if list_type_changed(chunk, *flags) {
                        *flags |= END_OF_LIST;
                    } else if contains_blank {
                        *flags |= CONTAINS_BLOCK;
                    }
                    break;
                }
                if contains_blank {
                    *flags |= CONTAINS_BLOCK;
                }
                if sublist == 0 {
                    sublist = raw.len();
                    if dli_prefix(chunk) > 0 {
                        sublist = back_until(&raw, raw.len().saturating_sub(1), b'\n');
                    }
                }
            } else if is_prefix_heading(chunk) || is_special_heading(chunk) {
                if contains_blank && indent < 4 {
                    *flags |= END_OF_LIST;
                    break;
                }
                *flags |= CONTAINS_BLOCK;
            } else if contains_blank && indent < 4 {
                if *flags & DEFINITION != 0 && i + 1 < data.len() {
                    let mut next = skip_until(data, i, b'\n');
                    while next + 1 < data.len() && data[next] == b'\n' {
                        next += 1;
                    }
                    if i + 1 < data.len() && data[i] != b':' && next + 1 < data.len() && data[next] != b':' {
                        *flags |= END_OF_LIST;
                    }
                } else {
                    *flags |= END_OF_LIST;
                }
                break;
            } else if contains_blank {
                raw.push(b'\n');
                *flags |= CONTAINS_BLOCK;
            }
            if contains_blank {
                contains_blank = false;
                raw.push(b'\n');
            }
            raw.extend_from_slice(chunk);
            line = i;
        }
        if *flags & CONTAINS_BLOCK != 0 && *flags & TERM == 0 {
            if sublist > 0 {
                self.block(&raw[..sublist]);
                self.block(&raw[sublist..]);
            } else {
                self.block(&raw);
            }
        } else if sublist > 0 {
            self.block(&raw[sublist..]);
        }
        line.min(data.len())
    }

    fn paragraph(&mut self, data: &[u8]) -> usize {
        let (mut prev, mut line, mut i);
        (line, i) = (0, 0);
        while i < data.len() {
            prev = line;
            let current = &data[i..];
            line = i;
            if let Some(n) = self.reference(current) {
                return i + n;
            }
            let n = blank_line(current);
            if n > 0 {
                if i + 1 < data.len() && data[i + 1] == b':' {
                    self.enter(&data[prev..]);
                    return prev + self.list(&data[prev..], DEFINITION);
                }
                return i + n;
            }
            if i > 0 {
                let level = underline_level(current);
                if level > 0 {
                    let mut eol = i - 1;
                    while prev < eol && data[prev] == b' ' {
                        prev += 1;
                    }
                    while eol > prev && data[eol - 1] == b' ' {
                        eol -= 1;
                    }
                    self.push_heading(level, data[prev..eol].to_vec(), &data[prev..]);
                    return skip_until(data, i, b'\n');
                }
            }
            if is_prefix_heading(current)
                || is_special_heading(current)
                || is_hrule(current)
                || quote_prefix(current) > 0
                || self.fence(current).is_some()
                || table_header(current).is_some()
            {
                return i;
            }
            if dli_prefix(current) != 0 {
                self.enter(&data[prev..]);
                return prev + self.list(&data[prev..], DEFINITION);
            }
            i = match memchr::memchr(b'\n', &data[i..]) {
                Some(nl) => i + nl + 1,
                None => data.len(),
            };
        }
        i
    }

    /// A link reference definition at the start of `data`: records it, returns its length.
    fn reference(&mut self, data: &[u8]) -> Option<usize> {
        if data.len() < 4 {
            return None;
        }
        let mut i = 0;
        while i < 3 && data[i] == b' ' {
            i += 1;
        }
        if data[i] != b'[' {
            return None;
        }
        i += 1;
        let id_start = i;
        while i < data.len() && !matches!(data[i], b'\n' | b'\r' | b']') {
            i += 1;
        }
        if i >= data.len() || data[i] != b']' || i == id_start {
            return None;
        }
        let id_end = i;
        i += 1;
        if at(data, i) != b':' {
            return None;
        }
        i += 1;
        while i < data.len() && matches!(data[i], b' ' | b'\t') {
            i += 1;
        }
        if i < data.len() && matches!(data[i], b'\n' | b'\r') {
            i += 1;
            if i < data.len() && data[i] == b'\n' && data[i - 1] == b'\r' {
                i += 1;
            }
        }
        while i < data.len() && matches!(data[i], b' ' | b'\t') {
            i += 1;
        }
        if i >= data.len() {
            return None;
        }
        let (link, title, line_end) = link_ref(data, i);
        if line_end == 0 {
            return None;
        }
        let id = String::from_utf8_lossy(&data[id_start..id_end]).to_lowercase();
        self.out.refs.insert(
            id,
            LinkDef {
                link: data[link].to_vec(),
                title: data[title].to_vec(),
            },
        );
        Some(line_end)
    }
}

/// The link and title of a reference definition from `i` on, and where its line ends (0: no
/// definition).
fn link_ref(data: &[u8], mut i: usize) -> (std::ops::Range<usize>, std::ops::Range<usize>, usize) {
    if data[i] == b'<' {
        i += 1;
    }
    let mut link_start = i;
    while i < data.len() && !matches!(data[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    let mut link_end = i;
    if link_end < data.len() && at(data, link_start) == b'<' && link_end > 0 && data[link_end - 1] == b'>' {
        link_start += 1;
        link_end -= 1;
    }
    let link = link_start.min(link_end)..link_end;
    while i < data.len() && matches!(data[i], b' ' | b'\t') {
        i += 1;
    }
    if i < data.len() && !matches!(data[i], b'\n' | b'\r' | b'\'' | b'"' | b'(') {
        return (0..0, 0..0, 0);
    }
    let mut line_end = 0;
    if i >= data.len() || matches!(data[i], b'\r' | b'\n') {
        line_end = i;
    }
    if i + 1 < data.len() && data[i] == b'\r' && data[i + 1] == b'\n' {
        line_end += 1;
    }
    if line_end > 0 {
        i = line_end + 1;
        while i < data.len() && matches!(data[i], b' ' | b'\t') {
            i += 1;
        }
    }
    let (mut title_start, mut title_end) = (0, 0);
    if i + 1 < data.len() && matches!(data[i], b'\'' | b'"' | b'(') {
        i += 1;
        title_start = i;
        while i < data.len() && !matches!(data[i], b'\n' | b'\r') {
            i += 1;
        }
        title_end = if i + 1 < data.len() && data[i] == b'\n' && data[i + 1] == b'\r' {
            i + 1
        } else {
            i
        };
        i -= 1;
        while i > title_start && matches!(data[i], b' ' | b'\t') {
            i -= 1;
        }
        if i > title_start && matches!(data[i], b'\'' | b'"' | b')') {
            line_end = title_end;
            title_end = i;
        }
    }
    (link, title_start.min(title_end)..title_end, line_end)
}

fn is_prefix_heading(data: &[u8]) -> bool {
    if data.first() != Some(&b'#') {
        return false;
    }
    let level = skip_char_n(data, 0, b'#', 6);
    level < data.len() && data[level] == b' '
}

fn is_special_heading(data: &[u8]) -> bool {
    data.len() >= 4 && data[0] == b'.' && data[1] == b'#' && data[2] == b' '
}

/// `=`/`-` underline of a setext heading: 1 or 2, else 0. It needs its `\n` (not at EOF).
fn underline_level(data: &[u8]) -> u8 {
    let (c, level) = match data.first() {
        Some(b'=') => (b'=', 1),
        Some(b'-') => (b'-', 2),
        _ => return 0,
    };
    let i = skip_char(data, 1, c);
    let i = skip_char(data, i, b' ');
    if at(data, i) == b'\n' { level } else { 0 }
}

/// mmark's title block: `---` or `%%%` at the block start, up to the next same triple
/// anywhere. `Err(())` where mmark reads past the end of the data (no closing triple, data of
/// 4 bytes or more ending in the marker character): mdtoc panics there ("index out of range").
fn title_block(data: &[u8]) -> Result<Option<usize>, ()> {
    let Some(&c) = data.first() else {
        return Ok(None);
    };
    if (c != b'-' && c != b'%') || data.len() < 3 || data[1] != c || data[2] != c {
        return Ok(None);
    }
    let mut i = 3;
    while i < data.len() {
        if data[i] == c && at(data, i + 1) == c && at(data, i + 2) == c {
            note_reach(data, i + 3);
            return Ok(Some(i + 3));
        }
        i += 1;
    }
    note_reach(data, data.len());
    if data.len() >= 4 && data.last() == Some(&c) {
        return Err(());
    }
    Ok(None)
}

/// mmark's `<reference ...>...</reference>` block (an unclosed one runs to the end).
fn reference_block(data: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</reference>";
    if !data.starts_with(b"<reference ") || data.len() < 12 {
        return None;
    }
    let mut i = 12;
    while i < data.len() && &data[i - 12..i] != END {
        i += 1;
    }
    note_reach(data, i);
    Some(i)
}

/// What an HTML block opening at `data` (which starts with `<`) is.
enum HtmlOpen<'a> {
    /// A block tag of gomarkdown's list: the block runs to its end (`html_end`).
    Tag(&'a [u8]),
    /// An HTML comment or `<hr>` followed by a blank line: its length.
    Special(usize, Construct),
    /// No HTML block (`<ins>` and `<del>` never open one).
    None,
}

/// `data` starts with `<`.
fn html_open(data: &[u8]) -> HtmlOpen<'_> {
    let tag_end = 1 + skip_while_alnum(&data[1..]);
    let tag = &data[1..tag_end];
    if tag == b"ins" || tag == b"del" {
        return HtmlOpen::None;
    }
    if BLOCK_TAGS.iter().any(|t| t.as_bytes() == tag) {
        return HtmlOpen::Tag(tag);
    }
    if let Some(n) = html_comment(data) {
        return HtmlOpen::Special(n, Construct::HtmlComment);
    }
    match html_hr(data) {
        Some(n) => HtmlOpen::Special(n, Construct::HtmlBlock),
        None => HtmlOpen::None,
    }
}

/// The end of an HTML block opened by `tag` at the start of `data`: after the first `</tag>`
/// (from byte 1 on) whose line is otherwise blank and that a blank line or the end follows.
/// Returns the block's length and the offset of that `</tag>`'s `<`.
fn html_end(data: &[u8], tag: &[u8]) -> Option<(usize, usize)> {
    let finder = memchr::memmem::Finder::new(b"</");
    let mut from = 1;
    while let Some(k) = finder.find(data.get(from..)?).map(|k| from + k) {
        if k + 3 + tag.len() >= data.len() {
            note_reach(data, data.len());
            return None;
        }
        let j = html_find_end(tag, &data[k..]);
        if j > 0 {
            note_reach(data, k + j);
            return Some((k + j, k));
        }
        from = k + 1;
    }
    note_reach(data, data.len());
    None
}

fn skip_while_alnum(d: &[u8]) -> usize {
    d.iter().take_while(|c| c.is_ascii_alphanumeric()).count()
}

/// `</tag>` + the rest of its line blank + a blank line (or EOF): the length, else 0.
fn html_find_end(tag: &[u8], data: &[u8]) -> usize {
    let mut close = b"</".to_vec();
    close.extend_from_slice(tag);
    close.push(b'>');
    if !data.starts_with(&close) {
        return 0;
    }
    let mut i = close.len();
    let skip = blank_line(&data[i..]);
    if skip == 0 {
        return 0;
    }
    i += skip;
    if i >= data.len() {
        return i;
    }
    let skip = blank_line(&data[i..]);
    if skip == 0 {
        return 0;
    }
    i + skip
}

/// `<!-- ... -->` (across lines) with only blanks after it on its line.
fn html_comment(data: &[u8]) -> Option<usize> {
    let i = inline_comment_len(data);
    let j = blank_line(&data[i..]);
    (j > 0).then_some(i + j)
}

/// The length of an HTML comment at the start of `data` (0: none).
pub(super) fn inline_comment_len(data: &[u8]) -> usize {
    if data.len() < 5 || !data.starts_with(b"<!--") {
        return 0;
    }
    let mut i = 5;
    while i < data.len() && !(data[i - 2] == b'-' && data[i - 1] == b'-' && data[i] == b'>') {
        i += 1;
    }
    // The blank rest of the line after it (`html_comment`) is read too.
    note_reach(data, skip_until(data, i, b'\n') + 1);
    if i >= data.len() { 0 } else { i + 1 }
}

fn html_hr(data: &[u8]) -> Option<usize> {
    if data.len() < 4 || !matches!(data[1], b'h' | b'H') || !matches!(data[2], b'r' | b'R') {
        return None;
    }
    if !matches!(data[3], b' ' | b'/' | b'>') {
        return None;
    }
    let mut i = 3;
    while i < data.len() && data[i] != b'>' && data[i] != b'\n' {
        i += 1;
    }
    if at(data, i) != b'>' {
        return None;
    }
    i += 1;
    let j = blank_line(&data[i..]);
    (j > 0).then_some(i + j)
}

fn code_prefix(data: &[u8]) -> usize {
    if data.first() == Some(&b'\t') {
        1
    } else if data.starts_with(b"    ") {
        4
    } else {
        0
    }
}

/// An indented code block: lines with a tab or 4 spaces, and blank lines.
fn indented_code(data: &[u8]) -> usize {
    let mut i = 0;
    while i < data.len() {
        let beg = i;
        i = skip_until(data, i, b'\n');
        i = skip_char_n(data, i, b'\n', 1);
        let blank = blank_line(&data[beg..i]) > 0;
        if code_prefix(&data[beg..i]) == 0 && !blank {
            return beg;
        }
    }
    i
}

/// A fence line at the start of `data`: the end of the line (after its `\n`) and the marker.
/// `open` is the opening marker when looking for the closing line (which must be identical).
pub(super) fn fence_line<'a>(data: &'a [u8], open: Option<&[u8]>) -> Option<(usize, &'a [u8])> {
    let n = data.len();
    let mut i = 0;
    while i < n && i < 3 && data[i] == b' ' {
        i += 1;
    }
    if i >= n || (data[i] != b'~' && data[i] != b'`') {
        return None;
    }
    let c = data[i];
    let start = i;
    while i < n && data[i] == c {
        i += 1;
    }
    if i - start < 3 {
        return None;
    }
    let marker = &data[start..i];
    match open {
        Some(open) if open != marker => return None,
        Some(_) => {}
        None => {
            i = skip_char(data, i, b' ');
            if i >= n {
                return Some((i, marker));
            }
            // The info string: `{...}` or one word.
            if data[i] == b'{' {
                i += 1;
                while i < n && data[i] != b'}' && data[i] != b'\n' {
                    i += 1;
                }
                if i >= n || data[i] != b'}' {
                    return None;
                }
                i += 1;
            } else {
                while i < n && !is_space(data[i]) {
                    i += 1;
                }
            }
        }
    }
    i = skip_char(data, i, b' ');
    if i >= n {
        return Some((i, marker));
    }
    if data[i] != b'\n' {
        return None;
    }
    Some((i + 1, marker))
}

/// The first line from the line start `beg` on that closes a fence opened with `marker`: its
/// start and end. A last line (no line after it) is never looked at, as in gomarkdown.
fn fence_close(data: &[u8], mut beg: usize, marker: &[u8]) -> Option<(usize, usize)> {
    loop {
        if let Some((n, _)) = fence_line(&data[beg..], Some(marker)) {
            note_reach(data, beg + n + 1);
            return Some((beg, beg + n));
        }
        let end = skip_until(data, beg, b'\n') + 1;
        if end >= data.len() {
            note_reach(data, data.len());
            return None;
        }
        beg = end;
    }
}

fn is_hrule(data: &[u8]) -> bool {
    let mut i = 0;
    while i < 3 && at(data, i) == b' ' {
        i += 1;
    }
    let c = at(data, i);
    if c != b'*' && c != b'-' && c != b'_' {
        return false;
    }
    let mut n = 0;
    while i < data.len() && data[i] != b'\n' {
        if data[i] == c {
            n += 1;
        } else if data[i] != b' ' {
            return false;
        }
        i += 1;
    }
    n >= 3
}

fn quote_prefix(data: &[u8]) -> usize {
    let mut i = 0;
    while i < 3 && at(data, i) == b' ' {
        i += 1;
    }
    if at(data, i) == b'>' {
        if at(data, i + 1) == b' ' { i + 2 } else { i + 1 }
    } else {
        0
    }
}

/// A blank line followed by a line that neither continues the quote nor is blank.
fn terminates_quote(data: &[u8], beg: usize, end: usize) -> bool {
    if blank_line(&data[beg..]) == 0 {
        return false;
    }
    if end >= data.len() {
        return true;
    }
    quote_prefix(&data[end..]) == 0 && blank_line(&data[end..]) == 0
}

fn uli_prefix(data: &[u8]) -> usize {
    let i = skip_char_n(data, 0, b' ', 3);
    if i + 1 >= data.len() {
        return 0;
    }
    if !matches!(data[i], b'*' | b'+' | b'-') || !matches!(data[i + 1], b' ' | b'\t') {
        return 0;
    }
    i + 2
}

fn oli_prefix(data: &[u8]) -> usize {
    let mut i = skip_char_n(data, 0, b' ', 3);
    let start = i;
    while i < data.len() && data[i].is_ascii_digit() {
        i += 1;
    }
    if start == i || i + 1 >= data.len() {
        return 0;
    }
    if (data[i] != b'.' && data[i] != b')') || !matches!(data[i + 1], b' ' | b'\t') {
        return 0;
    }
    i + 2
}

fn dli_prefix(data: &[u8]) -> usize {
    if data.len() < 2 || data[0] != b':' || !matches!(data[1], b' ' | b'\t') {
        return 0;
    }
    2
}

fn list_type_changed(data: &[u8], flags: u32) -> bool {
    (dli_prefix(data) > 0 && flags & DEFINITION == 0)
        || (oli_prefix(data) > 0 && flags & ORDERED == 0)
        || (uli_prefix(data) > 0 && flags & (ORDERED | DEFINITION) != 0)
}

/// `$$ ... $$` display math: the next `$$` anywhere closes it.
fn block_math(data: &[u8]) -> Option<usize> {
    if data.len() <= 4 || data[0] != b'$' || data[1] != b'$' || data[2] == b'$' {
        return None;
    }
    let mut end = 2;
    while end + 1 < data.len() && !(data[end] == b'$' && data[end + 1] == b'$') {
        end += 1;
    }
    if end + 1 >= data.len() {
        note_reach(data, data.len());
        return None;
    }
    note_reach(data, end + 2);
    Some(end + 2)
}

/// A code span at the start of `data` (gomarkdown's rule: the opening run of backticks closes at
/// the next run of at least as many, else it is no code span): its length in bytes, 0 for none.
/// The table scanner skips such spans; the inline parser reads them.
pub(super) fn code_span_len(data: &[u8]) -> usize {
    let nb = skip_char(data, 0, b'`');
    if nb == 0 {
        return 0;
    }
    // gomarkdown walks byte by byte to the first run of `nb` backticks (a longer run closes
    // after its first `nb`). Jumping between backticks with memchr finds the same one: a span
    // left open on a paragraph line is followed to the next backtick, lines or pages later,
    // once per line of the paragraph, and that walk was most of the block scan's time.
    let mut end = nb;
    loop {
        let Some(p) = memchr::memchr(b'`', &data[end..]) else {
            note_reach(data, data.len());
            return 0;
        };
        let mut k = end + p;
        let mut run = 0;
        while k < data.len() && data[k] == b'`' && run < nb {
            run += 1;
            k += 1;
        }
        if run == nb {
            note_reach(data, k + 1);
            return k;
        }
        end = k;
    }
}

/// A table's header (and delimiter row) at the start of `data`: its length.
fn table_header(data: &[u8]) -> Option<usize> {
    // Called for every paragraph line, and most hold no `|`: they have one column, so no
    // header. memchr passes instead of the byte loop below, which found nothing on them.
    let line = memchr::memchr(b'\n', data).map_or(data, |nl| &data[..nl]);
    if memchr::memchr(b'|', line).is_none() {
        // Without a `|` only a code span running past the line end can reach one: follow the
        // backticks as the loop below would, and read on with it only when a span does.
        let mut i = 0;
        loop {
            i += memchr::memchr(b'`', &line[i..])?;
            let code = code_span_len(&data[i..]);
            if code > 0 {
                i += code - 1;
            }
            if i >= line.len() {
                break;
            }
            i += 1;
        }
    }
    let mut i = 0;
    let mut cols = 1usize;
    let mut underline = true;
    let mut empty_fields = true;
    while i < data.len() && data[i] != b'\n' {
        let code = code_span_len(&data[i..]);
        if code > 0 {
            i += code - 1;
        }
        let c = at(data, i);
        if c == b'|' && !backslash_escaped(data, i) {
            cols += 1;
        }
        if !matches!(c, b'-' | b' ' | b':' | b'|') {
            underline = false;
        }
        if c != b' ' && c != b'|' {
            empty_fields = false;
        }
        i += 1;
    }
    if cols == 1 {
        return None;
    }
    let j = skip_char_n(data, i, b'\n', 1);
    if data[0] == b'|' {
        cols -= 1;
    }
    let mut tmp = &data[..j.min(data.len())];
    while let Some((&last, rest)) = tmp.split_last() {
        if last == b'\n' || last == b' ' {
            tmp = rest;
        } else {
            break;
        }
    }
    let n = tmp.len();
    if n > 2 && tmp[n - 1] == b'|' && !backslash_escaped(tmp, n - 1) {
        cols = cols.saturating_sub(1);
    }
    if underline && !empty_fields {
        i = 0;
    } else {
        i += 1;
    }
    if i >= data.len() {
        return None;
    }
    if data[i] == b'|' && !backslash_escaped(data, i) {
        i += 1;
    }
    i = skip_char(data, i, b' ');
    let mut col = 0;
    let n = data.len();
    while i < n && data[i] != b'\n' {
        let mut dashes = 0;
        if data[i] == b':' {
            i += 1;
            dashes += 1;
        }
        while i < n && data[i] == b'-' {
            i += 1;
            dashes += 1;
        }
        if i < n && data[i] == b':' {
            i += 1;
            dashes += 1;
        }
        while i < n && data[i] == b' ' {
            i += 1;
        }
        if i == n {
            return None;
        }
        if dashes < 1 {
            return None;
        } else if data[i] == b'|' && !backslash_escaped(data, i) {
            col += 1;
            i += 1;
            while i < n && data[i] == b' ' {
                i += 1;
            }
            if col >= cols && i < n && data[i] != b'\n' {
                return None;
            }
        } else if (data[i] != b'|' || backslash_escaped(data, i)) && col + 1 < cols {
            return None;
        } else if data[i] == b'\n' {
            col += 1;
        } else {
            return None;
        }
    }
    if col != cols {
        return None;
    }
    Some(skip_char_n(data, i, b'\n', 1))
}

/// A table: header, then every following line holding a `|`, then a `Table: ` caption.
fn table(data: &[u8]) -> Option<usize> {
    let mut i = table_header(data)?;
    while i < data.len() {
        let row = i;
        let mut pipes = 0;
        while i < data.len() && data[i] != b'\n' {
            if data[i] == b'|' {
                pipes += 1;
            }
            i += 1;
        }
        if pipes == 0 {
            i = row;
            break;
        }
        i = skip_char_n(data, i, b'\n', 1);
    }
    const CAPTION: &[u8] = b"Table: ";
    if data[i..].starts_with(CAPTION) {
        i += CAPTION.len() + lines_until_blank(&data[i + CAPTION.len()..]);
    }
    Some(i)
}

/// The lines up to and including the first blank one.
fn lines_until_blank(data: &[u8]) -> usize {
    let (mut line, mut i) = (0, 0);
    while line < data.len() {
        i = past_line_end(data, i + 1);
        if blank_line(&data[line..i.min(data.len())]) == 0 {
            line = i;
            continue;
        }
        break;
    }
    i.min(data.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gomarkdown's byte walk, which `code_span_len` replaces with memchr jumps.
    fn code_span_len_walk(data: &[u8]) -> usize {
        let nb = skip_char(data, 0, b'`');
        if nb == 0 {
            return 0;
        }
        let (mut run, mut end) = (0, nb);
        while end < data.len() && run < nb {
            run = if data[end] == b'`' { run + 1 } else { 0 };
            end += 1;
        }
        if run < nb && end >= data.len() { 0 } else { end }
    }

    #[test]
    fn code_spans_end_where_the_byte_walk_ends() {
        let alphabet = [b'`', b'a', b'\n'];
        // Every string of up to 9 bytes over the alphabet.
        for len in 0..=9u32 {
            for n in 0..alphabet.len().pow(len) {
                let mut n = n;
                let data: Vec<u8> = (0..len)
                    .map(|_| {
                        let b = alphabet[n % alphabet.len()];
                        n /= alphabet.len();
                        b
                    })
                    .collect();
                assert_eq!(code_span_len(&data), code_span_len_walk(&data), "{data:?}");
            }
        }
    }

    fn names(text: &str) -> Vec<(u8, String)> {
        scan(text.as_bytes())
            .headings
            .into_iter()
            .map(|h| (h.level, String::from_utf8(h.content).unwrap()))
            .collect()
    }

    #[test]
    fn fences_close_only_with_their_marker() {
        let t = "# A\n\n````\n## no\n```\n## still no\n````\n## B\n";
        assert_eq!(names(t), [(1, "A".into()), (2, "B".into())]);
        // Unclosed: not code at all.
        assert_eq!(names("```\n## C\n"), [(2, "C".into())]);
    }

    #[test]
    fn list_item_headings_need_a_block_item() {
        let t = "## R\n\n1. ### First risk\n\n    body\n\n## S\n";
        assert_eq!(
            names(t),
            [(2, "R".into()), (3, "First risk".into()), (2, "S".into())]
        );
        let t = "## R\n\n1. ### inline only\n2. x\n\n## S\n";
        assert_eq!(names(t), [(2, "R".into()), (2, "S".into())]);
    }

    #[test]
    fn repeated_searches_stay_linear() {
        // gomarkdown searches to the end of the file from every unclosed `<div>`, fence in a
        // quote and `[`; the scanner remembers what it found (a quadratic scan takes minutes
        // here in a debug build).
        let divs = "<div>\n\n## x\n\n".repeat(20_000);
        assert_eq!(scan(divs.as_bytes()).headings.len(), 20_000);
        let quotes = "> a ``` b ```` d\n".repeat(10_000);
        assert_eq!(scan(quotes.as_bytes()).hidden.len(), 0);
        let mut both = "<div>\n\n".repeat(5_000);
        both.push_str("</div>\n\n## after\n");
        let b = scan(both.as_bytes());
        assert_eq!(b.headings.len(), 1);
        assert_eq!(b.hidden.len(), 1);
    }

    #[test]
    fn html_blocks_and_title_blocks() {
        let t = "<details>\n\n### Schema\n\n</details>\n\n## After\n";
        assert_eq!(names(t), [(2, "After".into())]);
        let t = "## A\n---\n## hidden\n---\n## B\n";
        assert_eq!(names(t), [(2, "A".into()), (2, "B".into())]);
        // Ends in the marker character with no closing triple: mdtoc panics; here, no title
        // block, and the place is recorded.
        assert_eq!(names("\n---\n## x\n-"), [(2, "x".into())]);
        assert_eq!(scan(b"\n---\n## x\n-").crash, Some(1));
        assert_eq!(scan(b"\n---\n## x\n-\n").crash, None);
    }
}
