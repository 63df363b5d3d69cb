//! A line-based reading of block YAML (kep.yaml, legacy front matter, PRR files) that works on
//! half-typed and unparsable text.
//!
//! The authoring features run while the author types, when the YAML is often broken (`status: `
//! with nothing after it, an unclosed quote, a key without its colon). A real parser stops at the
//! first error; this scanner reads each line on its own (indent, `key:`, `- item`, comment), which
//! is all completion, outline, folding and the promote edits need in the block style KEPs use.
//! Flow collections (`[a, b]`) are kept as one opaque value.

use std::ops::Range;

/// What one line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Empty or only spaces.
    Blank,
    /// Only a `#` comment.
    Comment,
    /// `---` or `...`.
    DocMarker,
    /// `key:` with an optional inline value.
    Key { key: Range<usize>, value: Range<usize> },
    /// `- value` (the value may itself be `key: value`, as in feature-gates items).
    Item { dash: usize, value: Range<usize> },
    /// Anything else (a plain word being typed, a continuation line).
    Other { content: Range<usize> },
}

/// One line of the text with byte ranges into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// Bytes of the line without its line break.
    pub range: Range<usize>,
    /// Leading spaces.
    pub indent: usize,
    pub kind: LineKind,
}

/// Every line of `text[block]`, in order.
pub(crate) fn lines(text: &str, block: Range<usize>) -> Vec<Line> {
    let block = clamp_range(text, block);
    let mut out = Vec::new();
    let mut start = block.start;
    loop {
        let rest = &text[start..block.end];
        let Some(n) = rest.find('\n') else {
            out.push(read_line(text, start..block.end));
            break;
        };
        let mut end = start + n;
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(read_line(text, start..end));
        start += n + 1;
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
    let s = &text[range.clone()];
    let indent = s.len() - s.trim_start_matches(' ').len();
    let body_start = range.start + indent;
    let body = &text[body_start..range.end];
    let trimmed = body.trim_end();
    let kind = if trimmed.is_empty() {
        LineKind::Blank
    } else if trimmed.starts_with('#') {
        LineKind::Comment
    } else if indent == 0 && (trimmed == "---" || trimmed == "...") {
        LineKind::DocMarker
    } else if trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with("-\t") {
        let after = body_start + 1;
        let vstart = after + (text[after..range.end].len() - text[after..range.end].trim_start().len());
        LineKind::Item {
            dash: body_start,
            value: vstart..value_end(text, vstart..range.end),
        }
    } else if let Some(colon) = key_colon(trimmed) {
        let key = body_start..body_start + colon;
        let after = body_start + colon + 1;
        let vstart = after + (text[after..range.end].len() - text[after..range.end].trim_start().len());
        LineKind::Key {
            key,
            value: vstart..value_end(text, vstart..range.end),
        }
    } else {
        LineKind::Other {
            content: body_start..body_start + trimmed.len(),
        }
    };
    Line { range, indent, kind }
}

/// The byte index of the colon that ends a mapping key (`key:` followed by space or end), for
/// plain and quoted keys.
fn key_colon(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = s[1..].find(first as char)? + 1;
        return (bytes.get(close + 1) == Some(&b':')
            && matches!(bytes.get(close + 2), None | Some(b' ') | Some(b'\t')))
        .then_some(close + 1);
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ') | Some(b'\t')) {
            return (i > 0).then_some(i);
        }
        if bytes[i] == b' ' && bytes.get(i + 1) == Some(&b'#') {
            return None;
        }
        i += 1;
    }
    None
}

/// Where a value ends: before a trailing ` # comment` (outside quotes) and trailing spaces.
fn value_end(text: &str, r: Range<usize>) -> usize {
    let s = &text[r.clone()];
    let bytes = s.as_bytes();
    let mut quote: Option<u8> = None;
    let mut end = s.len();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') => {
                end = i;
                break;
            }
            None => {}
        }
    }
    r.start + s[..end].trim_end().len()
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

/// A scalar without its surrounding quotes.
pub(crate) fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\'', '“'] {
        if let Some(inner) = s.strip_prefix(q) {
            let close = if q == '“' { '”' } else { q };
            return inner.strip_suffix(close).unwrap_or(inner);
        }
    }
    s
}

/// The range of the scalar inside its quotes (the whole range when unquoted).
pub(crate) fn unquoted_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        return r.start + 1..r.end - 1;
    }
    if b.len() == 1 && (b[0] == b'"' || b[0] == b'\'') {
        return r.end..r.end;
    }
    r
}

/// A mapping entry with everything that belongs to it (nested lines and list items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
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
pub(crate) fn entries(text: &str, lines: &[Line], from: usize, to: usize, indent: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let to = to.min(lines.len());
    let mut i = from;
    while i < to {
        let line = &lines[i];
        let LineKind::Key { key, value } = &line.kind else {
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
            value: value.clone(),
            full: line.range.start..end,
            line: i,
            children,
        });
        i = j.max(i + 1);
    }
    out
}

/// Index of the line holding byte `offset` (the last line when past the end).
pub(crate) fn line_at(lines: &[Line], offset: usize) -> Option<usize> {
    if lines.is_empty() {
        return None;
    }
    let idx = lines.partition_point(|l| l.range.start <= offset);
    Some(idx.saturating_sub(1))
}

/// The entries nested one level under `e` (the keys of a map like `milestone`, the keys of a
/// list item like a feature gate's `name:`), read at the indent of `e`'s first child line.
pub(crate) fn sub_entries(text: &str, lines: &[Line], e: &Entry) -> Vec<Entry> {
    let (Some(&first), Some(&last)) = (e.children.first(), e.children.last()) else {
        return Vec::new();
    };
    entries(text, lines, first, last + 1, lines[first].indent)
}

/// The scalar ranges of an entry: its inline value, then the value of each `- item` child line
/// (empty ones included), in order.
pub(crate) fn entry_values(lines: &[Line], e: &Entry) -> Vec<Range<usize>> {
    let mut out = vec![e.value.clone()];
    for &c in &e.children {
        if let LineKind::Item { value, .. } = &lines[c].kind {
            out.push(value.clone());
        }
    }
    out
}

/// A metadata block read line by line, with its top-level entries: built once and asked for
/// fields by name by completion, code actions and `promote`.
pub(crate) struct YamlText<'t> {
    pub text: &'t str,
    /// Byte range of the block in `text`.
    pub block: Range<usize>,
    pub lines: Vec<Line>,
    pub top: Vec<Entry>,
}

impl<'t> YamlText<'t> {
    pub(crate) fn new(text: &'t str, block: Range<usize>) -> Self {
        let lines = lines(text, block.clone());
        let top = entries(text, &lines, 0, lines.len(), 0);
        YamlText {
            text,
            block,
            lines,
            top,
        }
    }

    /// The top-level entry `key` (the first when the key is repeated).
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.top.iter().find(|e| e.key == key)
    }

    /// The unquoted inline value of a top-level key (None when absent or empty).
    pub(crate) fn scalar(&self, key: &str) -> Option<&'t str> {
        let e = self.entry(key)?;
        let v = unquote(&self.text[e.value.clone()]);
        (!v.is_empty()).then_some(v)
    }

    /// The inline value of a top-level key as written (quotes kept; None when absent or empty).
    pub(crate) fn raw_scalar(&self, key: &str) -> Option<&'t str> {
        let e = self.entry(key)?;
        (!e.value.is_empty()).then(|| &self.text[e.value.clone()])
    }

    /// The entries of a nested map (e.g. `milestone`).
    pub(crate) fn sub_entries(&self, key: &str) -> Vec<Entry> {
        self.entry(key)
            .map(|e| sub_entries(self.text, &self.lines, e))
            .unwrap_or_default()
    }
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
