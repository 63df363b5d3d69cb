//! The line structure of a YAML block (kep.yaml, legacy front matter, PRR files): the
//! recovery layer of `syntax::yaml`, which holds on half-typed and unparsable text.
//!
//! The authoring features run while the author types, when the YAML is often broken (`status: `
//! with nothing after it, an unclosed quote, a key without its colon). A real parser stops at the
//! first error; this reads each line on its own (indent, `key:`, `- item`, comment, the text of a
//! block scalar), with the lexemes of `lex` that the parser's fix-ups use too, and groups the
//! lines into entries. Flow collections (`[a, b]`) are kept as one opaque value.
//!
//! Ranges are bytes (0-based) into the whole text, not into the block.

use std::ops::Range;

use super::lex;

/// What one line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or only spaces.
    Blank,
    /// Only a `#` comment.
    Comment,
    /// `---` or `...`.
    DocMarker,
    /// `key:` with an optional inline value: the key's range (quotes kept, blanks before the
    /// colon left out), the colon's byte offset, the value's range (comment left out).
    Key {
        key: Range<usize>,
        colon: usize,
        value: Range<usize>,
    },
    /// `- value`. The value may itself be `key: value`, as in feature-gates items: then `key`
    /// is the range of that key.
    Item {
        dash: usize,
        value: Range<usize>,
        key: Option<Range<usize>>,
    },
    /// Anything else (a plain word being typed, a continuation line).
    Other { content: Range<usize> },
}

/// One line of the text with byte ranges into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Bytes of the line without its line break.
    pub range: Range<usize>,
    /// Leading spaces.
    pub indent: usize,
    pub kind: LineKind,
}

/// Every line of `text[block]`, in order.
pub(super) fn lines(text: &str, block: Range<usize>) -> Vec<Line> {
    let block = clamp_range(text, block);
    let mut out = Vec::new();
    let mut start = block.start;
    // The column of the key or dash whose block scalar (`|`, `>`) the lines are inside: there
    // every deeper line is text, whatever it looks like.
    let mut block_scalar: Option<usize> = None;
    loop {
        let rest = &text[start..block.end];
        // A line break is `\n`, `\r\n` or a lone `\r` (YAML's breaks; old Mac files use `\r`).
        let (range, next) = match rest.find(['\n', '\r']) {
            None => (start..block.end, None),
            Some(n) => {
                let crlf = rest.as_bytes()[n] == b'\r' && rest.as_bytes().get(n + 1) == Some(&b'\n');
                (start..start + n, Some(start + n + 1 + usize::from(crlf)))
            }
        };
        let mut line = read_line(text, range);
        if let Some(parent) = block_scalar
            && line.kind != LineKind::Blank
        {
            if line.indent > parent {
                let body = line.range.start + line.indent..line.range.end;
                let content = body.start..body.start + text[body].trim_end().len();
                line.kind = LineKind::Other { content };
            } else {
                block_scalar = None;
            }
        }
        if block_scalar.is_none() {
            block_scalar = block_scalar_parent(text, &line);
        }
        out.push(line);
        match next {
            Some(n) => start = n,
            None => break,
        }
    }
    out
}

fn clamp_range(text: &str, r: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let s = floor(r.start);
    s..floor(r.end.max(s))
}

fn read_line(text: &str, range: Range<usize>) -> Line {
    // A byte order mark before the first line is not content (yaml.v3 skips it).
    let bom = if range.start == 0 { lex::bom_len(text) } else { 0 };
    let s = &text[range.start + bom..range.end];
    let indent = lex::indent(s);
    let body_start = range.start + bom + indent;
    let body = &text[body_start..range.end];
    let trimmed = body.trim_end();
    let value_from = |after: usize| {
        let vstart = after + (text[after..range.end].len() - text[after..range.end].trim_start().len());
        vstart..lex::value_end(text, vstart..range.end)
    };
    let kind = if trimmed.is_empty() {
        LineKind::Blank
    } else if trimmed.starts_with('#') {
        LineKind::Comment
    } else if indent == 0 && (trimmed == "---" || trimmed == "...") {
        LineKind::DocMarker
    } else if lex::starts_with_dash(trimmed) {
        let value = value_from(body_start + 1);
        let key = match lex::key_colon(&text[value.clone()]) {
            Some(c) if c > 0 => {
                Some(value.start..value.start + text[value.start..value.start + c].trim_end().len())
            }
            _ => None,
        };
        LineKind::Item {
            dash: body_start,
            value,
            key,
        }
    } else if let Some(colon) = lex::key_colon(trimmed).filter(|c| *c > 0) {
        LineKind::Key {
            key: body_start..body_start + trimmed[..colon].trim_end().len(),
            colon: body_start + colon,
            value: value_from(body_start + colon + 1),
        }
    } else {
        LineKind::Other {
            content: body_start..body_start + trimmed.len(),
        }
    };
    Line { range, indent, kind }
}

/// The column (bytes from the line's start) of the key or dash that owns a block scalar
/// opened on `line` (`key: |`, `- >`, `- key: |-`), or None when the line opens none.
fn block_scalar_parent(text: &str, line: &Line) -> Option<usize> {
    let rest = |from: usize| &text[from..line.range.end];
    match &line.kind {
        LineKind::Key { value, .. } => lex::opens_block_scalar(rest(value.start)).then_some(line.indent),
        LineKind::Item { value, key, dash } => match key {
            Some(k) => {
                let after = &text[k.end + 1..line.range.end];
                lex::opens_block_scalar(after.trim_start()).then_some(k.start - line.range.start)
            }
            None => lex::opens_block_scalar(rest(value.start)).then_some(dash - line.range.start),
        },
        _ => None,
    }
}

impl Line {
    /// The key text of a `Key` line (quotes removed).
    pub(crate) fn key<'t>(&self, text: &'t str) -> Option<&'t str> {
        match &self.kind {
            LineKind::Key { key, .. } => Some(unquote(&text[key.clone()])),
            _ => None,
        }
    }

    /// The inline value range of a `Key` or `Item` line.
    pub(crate) fn value(&self) -> Option<Range<usize>> {
        match &self.kind {
            LineKind::Key { value, .. } | LineKind::Item { value, .. } => Some(value.clone()),
            _ => None,
        }
    }

    pub(crate) fn is_blank_or_comment(&self) -> bool {
        matches!(self.kind, LineKind::Blank | LineKind::Comment)
    }
}

use super::lex::unquote;

/// A mapping entry with everything that belongs to it (nested lines and list items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key, unquoted.
    pub key: String,
    /// The key as written (quotes kept), in bytes into the text.
    pub key_range: Range<usize>,
    /// Byte offset of the `:` after the key.
    pub colon: usize,
    /// The inline value (empty at the end of `key:` when the value is on the next lines).
    pub value: Range<usize>,
    /// From the key to the end of its last non-blank, non-comment child line.
    pub full: Range<usize>,
    /// Index of the key line in the `lines` slice.
    pub line: usize,
    /// Indices of the child lines (items and nested keys), in order.
    pub children: Vec<usize>,
}

/// The entries at `indent` among `lines[from..to]` (the top-level keys when `indent` is 0).
pub(super) fn entries(text: &str, lines: &[Line], from: usize, to: usize, indent: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let to = to.min(lines.len());
    let mut i = from;
    while i < to {
        let line = &lines[i];
        let LineKind::Key { key, value, colon } = &line.kind else {
            i += 1;
            continue;
        };
        if line.indent != indent {
            i += 1;
            continue;
        }
        let mut children = Vec::new();
        let mut end = line.range.end;
        let mut j = i + 1;
        while j < to {
            let l = &lines[j];
            match &l.kind {
                LineKind::Blank | LineKind::Comment => {}
                LineKind::DocMarker => break,
                // Block sequences may sit at the key's own indent (`see-also:\n- x`).
                LineKind::Item { .. } if l.indent >= indent => {
                    children.push(j);
                    end = l.range.end;
                }
                _ if l.indent > indent => {
                    children.push(j);
                    end = l.range.end;
                }
                _ => break,
            }
            j += 1;
        }
        out.push(Entry {
            key: unquote(&text[key.clone()]).to_string(),
            key_range: key.clone(),
            colon: *colon,
            value: value.clone(),
            // (A byte order mark before the first key is not part of its entry.)
            full: line.range.start
                + if line.range.start == 0 {
                    lex::bom_len(text)
                } else {
                    0
                }..end,
            line: i,
            children,
        });
        i = j.max(i + 1);
    }
    out
}

/// The index of the line that ends the first document: a `...`, or a `---` after content
/// (`lines.len()` when the text is one document). Upstream decodes the first document only.
pub(super) fn first_document_end(lines: &[Line]) -> usize {
    let mut content = false;
    for (i, l) in lines.iter().enumerate() {
        match l.kind {
            LineKind::DocMarker if content => return i,
            LineKind::Blank | LineKind::Comment | LineKind::DocMarker => {}
            _ => content = true,
        }
    }
    lines.len()
}

/// Index of the line holding byte `offset` (the last line when past the end).
pub(super) fn line_at(lines: &[Line], offset: usize) -> Option<usize> {
    if lines.is_empty() {
        return None;
    }
    let idx = lines.partition_point(|l| l.range.start <= offset);
    Some(idx.saturating_sub(1))
}

/// The entries nested one level under `e` (the keys of a map like `milestone`, the keys of a
/// list item like a feature gate's `name:`), read at the indent of `e`'s first child line.
pub(super) fn sub_entries(text: &str, lines: &[Line], e: &Entry) -> Vec<Entry> {
    let (Some(&first), Some(&last)) = (e.children.first(), e.children.last()) else {
        return Vec::new();
    };
    entries(text, lines, first, last + 1, lines[first].indent)
}

/// The scalar ranges of an entry: its inline value, then the value of each `- item` child line
/// (empty ones included), in order.
pub(super) fn entry_values(lines: &[Line], e: &Entry) -> Vec<Range<usize>> {
    let mut out = vec![e.value.clone()];
    for &c in &e.children {
        if let LineKind::Item { value, .. } = &lines[c].kind {
            out.push(value.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_items_and_comments() {
        let text = "title: \"A # b\" # c\nsee-also:\n- \"/keps/x\"\n  # note\nmilestone:\n  alpha: v1.2\n";
        let ls = lines(text, 0..text.len());
        assert_eq!(ls.len(), 7);
        assert_eq!(ls[0].key(text), Some("title"));
        assert_eq!(&text[ls[0].value().unwrap()], "\"A # b\"");
        assert!(matches!(ls[2].kind, LineKind::Item { .. }));
        assert_eq!(&text[ls[2].value().unwrap()], "\"/keps/x\"");
        assert_eq!(ls[3].kind, LineKind::Comment);
        let es = entries(text, &ls, 0, ls.len(), 0);
        let keys: Vec<&str> = es.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "see-also", "milestone"]);
        assert_eq!(es[1].children, vec![2]);
        assert_eq!(&text[es[2].full.clone()], "milestone:\n  alpha: v1.2");
        assert_eq!(ls[6].range, text.len()..text.len());
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "",
            "\n",
            ":",
            "- ",
            "\"a: b",
            "é: ü\r\n- 😀",
            "key:value",
            "---\n...",
        ] {
            let ls = lines(t, 0..t.len());
            let _ = entries(t, &ls, 0, ls.len(), 0);
            for l in &ls {
                assert!(t.is_char_boundary(l.range.start) && t.is_char_boundary(l.range.end));
            }
        }
    }
}
