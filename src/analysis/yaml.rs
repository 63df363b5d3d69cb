//! Span-aware YAML: a small node tree with BYTE ranges, built from saphyr-parser's event stream.
//!
//! Why not `saphyr::MarkedYaml`: it keeps mappings in a hash map, so duplicate keys (upstream rule
//! R3) vanish, and its markers count characters. Here mappings are ordered `(key, value)` pairs
//! with duplicates kept, and every span is converted from char index to byte offset.
//!
//! On a syntax error the parse records the error and retries with the offending line blanked
//! (replaced by spaces, so char indices still line up), keeping the nodes that could be read.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar value as written (after YAML unescaping) with its style and explicit tag (`!!str`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub value: String,
    pub style: Style,
    pub tag: Option<String>,
}

impl Scalar {
    /// A plain `null`/`~`/empty scalar: what yaml.v3 decodes as nil.
    pub fn is_null(&self) -> bool {
        self.style == Style::Plain
            && self.tag.is_none()
            && matches!(self.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    /// Ordered pairs, duplicates kept.
    Mapping(Vec<(Node, Node)>),
    /// `*anchor`: KEP metadata never uses them; kept so types can be reported.
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the parsed text. For an empty value, an empty range where it would be.
    pub span: Range<usize>,
}

/// A syntax error at a byte range (a short range on the error's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub range: Range<usize>,
    pub line: usize,
    pub message: String,
}

/// The parse of one YAML document (the first of the stream).
#[derive(Debug, Clone, Default)]
pub struct YamlDoc {
    pub root: Option<Node>,
    pub errors: Vec<YamlError>,
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.value.as_str())
    }

    pub fn as_mapping(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// The first value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_mapping()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// yaml.v3's name for the node's kind, as its error messages print it.
    pub fn yaml_tag(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(s) if s.is_null() => "!!null",
            NodeKind::Scalar(s) => match s.tag.as_deref() {
                Some("!!str") => "!!str",
                _ if s.style != Style::Plain => "!!str",
                _ if s.value.parse::<i64>().is_ok() => "!!int",
                _ if matches!(
                    s.value.as_str(),
                    "true" | "false" | "True" | "False" | "TRUE" | "FALSE"
                ) =>
                {
                    "!!bool"
                }
                _ if s.value.parse::<f64>().is_ok() => "!!float",
                _ => "!!str",
            },
            NodeKind::Sequence(_) => "!!seq",
            NodeKind::Mapping(_) => "!!map",
            NodeKind::Alias => "alias",
        }
    }

    /// Move every span by `delta` bytes (front matter parsed out of a larger file).
    pub fn shift(&mut self, delta: usize) {
        self.span = self.span.start + delta..self.span.end + delta;
        match &mut self.kind {
            NodeKind::Sequence(items) => items.iter_mut().for_each(|n| n.shift(delta)),
            NodeKind::Mapping(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                k.shift(delta);
                v.shift(delta);
            }),
            NodeKind::Scalar(_) | NodeKind::Alias => {}
        }
    }
}

/// char index -> byte offset, for the whole text (plus one entry for the end).
struct CharTable(Vec<usize>);

impl CharTable {
    fn new(text: &str) -> Self {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        CharTable(v)
    }
    fn byte(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .copied()
            .unwrap_or_else(|| self.0.last().copied().unwrap_or(0))
    }
}

/// How many times a syntax error may blank a line and retry.
const MAX_RECOVERIES: usize = 8;

/// Parse `text` (never panics). Errors carry byte ranges into `text`; only the first error is
/// reported, since later ones are often echoes of it.
pub fn parse(text: &str) -> YamlDoc {
    let table = CharTable::new(text);
    let (partial, err) = match parse_once(text, text, &table) {
        Ok(root) => {
            return YamlDoc {
                root,
                errors: Vec::new(),
            };
        }
        Err(x) => x,
    };
    // yaml.v3 (libyaml) lets a flow collection close at column 0 (`see-also: [` ... `]`);
    // saphyr does not. Join such lines to the line before (a newline becomes a space, so char
    // indices stay put) and, if that parses, there is no error to report.
    if let Some(joined) = join_flow_closers(text)
        && let Ok(root) = parse_once(&joined, text, &table)
    {
        return YamlDoc {
            root,
            errors: Vec::new(),
        };
    }
    let errors = vec![error_at(text, err.line, err.message)];
    // Recover: blank the error line or the one before it (an unclosed bracket or quote is
    // reported on the next line); keep whichever variant gets further.
    let original: Vec<char> = text.chars().collect();
    let mut blanked: Vec<usize> = Vec::new();
    let mut line = err.line;
    for _ in 0..MAX_RECOVERIES {
        type Attempt = (Vec<usize>, Result<Option<Node>, usize>);
        let mut best: Option<Attempt> = None;
        for cand in [line, line.saturating_sub(1)] {
            if cand == 0 || blanked.contains(&cand) {
                continue;
            }
            let mut lines = blanked.clone();
            lines.push(cand);
            let mut chars = original.clone();
            if !lines.iter().all(|l| blank_line(&mut chars, *l)) {
                continue;
            }
            let variant: String = chars.iter().collect();
            let outcome = parse_once(&variant, text, &table).map_err(|(_, e)| e.line);
            let better = match (&best, &outcome) {
                (None, _) => true,
                (Some((_, Ok(_))), _) => false,
                (Some((_, Err(_))), Ok(_)) => true,
                (Some((_, Err(a))), Err(b)) => b > a,
            };
            if better {
                best = Some((lines, outcome));
            }
        }
        match best {
            Some((_, Ok(root))) => return YamlDoc { root, errors },
            Some((lines, Err(next))) if next > line || lines.len() > blanked.len() => {
                blanked = lines;
                line = next;
            }
            _ => break,
        }
    }
    YamlDoc {
        root: partial,
        errors,
    }
}

/// The text with the newline before every line that starts with `]` or `}` replaced by a
/// space; `None` if there is no such line.
fn join_flow_closers(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' && matches!(chars.peek(), Some(']' | '}')) {
            out.push(' ');
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
}

/// Replace the chars of 1-based `line` by spaces; false if it held nothing to blank.
fn blank_line(chars: &mut [char], line: usize) -> bool {
    if line == 0 {
        return false;
    }
    let mut cur = 1;
    let mut changed = false;
    for c in chars.iter_mut() {
        if *c == '\n' {
            cur += 1;
            if cur > line {
                break;
            }
            continue;
        }
        if cur == line && *c != ' ' && *c != '\r' {
            *c = ' ';
            changed = true;
        }
    }
    changed
}

/// A short range on `line` (1-based) of `text`: its non-blank content, at least one char.
fn error_at(text: &str, line: usize, message: String) -> YamlError {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start().len();
            let s = start + indent;
            let e = start + content.len();
            return YamlError {
                range: s..e.max(s),
                line,
                message,
            };
        }
        start += l.len();
    }
    YamlError {
        range: text.len()..text.len(),
        line,
        message,
    }
}

struct RawError {
    line: usize,
    message: String,
}

enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        pairs: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// One pass of the event parser over `text` (which has the same chars as the original, so
/// the table converts its markers).
fn parse_once(text: &str, orig: &str, table: &CharTable) -> Result<Option<Node>, (Option<Node>, RawError)> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut in_doc = false;
    let byte = |m: &saphyr_parser::Marker| table.byte(m.index());
    for ev in Parser::new_from_str(text) {
        let (event, span): (Event, Span) = match ev {
            Ok(x) => x,
            Err(e) => {
                let partial = close_all(text, stack, root);
                return Err((
                    partial,
                    RawError {
                        line: e.marker().line().max(1),
                        message: e.info().to_string(),
                    },
                ));
            }
        };
        let node = match event {
            Event::DocumentStart(_) => {
                if in_doc || root.is_some() {
                    // Only the first document counts (upstream decodes one).
                    break;
                }
                in_doc = true;
                continue;
            }
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                continue;
            }
            Event::Scalar(value, style, _, tag) => {
                let start = byte(&span.start);
                let mut end = byte(&span.end).max(start);
                // saphyr's span of a quoted scalar runs on over trailing blanks and a comment.
                if matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) {
                    end = closing_quote(orig, start, end).unwrap_or(end);
                }
                Node {
                    kind: NodeKind::Scalar(Scalar {
                        value: value.into_owned(),
                        style: match style {
                            ScalarStyle::Plain => Style::Plain,
                            ScalarStyle::SingleQuoted => Style::SingleQuoted,
                            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                            ScalarStyle::Literal => Style::Literal,
                            ScalarStyle::Folded => Style::Folded,
                        },
                        tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                    }),
                    span: start..end,
                }
            }
            Event::Alias(_) => Node {
                kind: NodeKind::Alias,
                span: byte(&span.start)..byte(&span.end).max(byte(&span.start)),
            },
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq {
                    start: byte(&span.start),
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map {
                    start: byte(&span.start),
                    pairs: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(frame) => finish(text, frame, byte(&span.end)),
                None => continue,
            },
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
        };
        push(&mut stack, &mut root, node);
    }
    Ok(close_all(text, stack, root))
}

/// Just past the quote closing the quoted scalar that opens at `start` (searching up to `limit`).
fn closing_quote(text: &str, start: usize, limit: usize) -> Option<usize> {
    let body = text.get(start..limit)?;
    let mut it = body.char_indices();
    let (_, q) = it.next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    while let Some((i, c)) = it.next() {
        if q == '"' && c == '\\' {
            it.next();
        } else if c == q {
            if q == '\'' && body[i + 1..].starts_with('\'') {
                it.next();
                continue;
            }
            return Some(start + i + 1);
        }
    }
    None
}

/// Close a container: its span runs from its start to the end of its last child (the end
/// marker of a block collection sits on the next token, which may be lines later).
fn finish(text: &str, frame: Frame, end_marker: usize) -> Node {
    // A flow collection ends at its closing bracket, after the last child.
    let close = |after: usize| -> usize {
        let rest = text.get(after..).unwrap_or("");
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n', ',']).len();
        match rest.as_bytes().get(skipped) {
            Some(b']' | b'}') => after + skipped + 1,
            _ => after,
        }
    };
    match frame {
        Frame::Seq { start, items } => {
            let end = items
                .last()
                .map(|n| close(n.span.end))
                .unwrap_or(end_marker.max(start));
            Node {
                kind: NodeKind::Sequence(items),
                span: start..end.max(start),
            }
        }
        Frame::Map {
            start,
            mut pairs,
            key,
        } => {
            if let Some(k) = key {
                let at = k.span.end;
                pairs.push((k, empty_at(at)));
            }
            let end = pairs
                .last()
                .map(|(k, v)| close(v.span.end.max(k.span.end)))
                .unwrap_or(end_marker.max(start));
            Node {
                kind: NodeKind::Mapping(pairs),
                span: start..end.max(start),
            }
        }
    }
}

fn empty_at(at: usize) -> Node {
    Node {
        kind: NodeKind::Scalar(Scalar {
            value: String::new(),
            style: Style::Plain,
            tag: None,
        }),
        span: at..at,
    }
}

fn push(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        Some(Frame::Seq { items, .. }) => items.push(node),
        Some(Frame::Map { pairs, key, .. }) => match key.take() {
            None => *key = Some(node),
            Some(k) => pairs.push((k, node)),
        },
        None => {
            if root.is_none() {
                *root = Some(node);
            }
        }
    }
}

/// Close every open container (after an error or a truncated stream) into the root.
fn close_all(text: &str, mut stack: Vec<Frame>, mut root: Option<Node>) -> Option<Node> {
    while let Some(frame) = stack.pop() {
        let node = finish(text, frame, 0);
        push(&mut stack, &mut root, node);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of<'a>(t: &'a str, n: &Node) -> &'a str {
        &t[n.span.clone()]
    }

    #[test]
    fn byte_spans_after_multibyte_text() {
        let t = "title: \"héllo 😀\"\nstatus: x\n";
        let doc = parse(t);
        let root = doc.root.unwrap();
        let pairs = root.as_mapping().unwrap();
        assert_eq!(text_of(t, &pairs[0].1), "\"héllo 😀\"");
        assert_eq!(pairs[1].0.span.start, 21);
        assert_eq!(text_of(t, &pairs[1].1), "x");
    }

    #[test]
    fn duplicates_kept_in_order() {
        let t = "a: 1\nb: [x, y]\na: 2\n";
        let root = parse(t).root.unwrap();
        let keys: Vec<_> = root
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["a", "b", "a"]);
        assert_eq!(text_of(t, root.get("b").unwrap()), "[x, y]");
    }

    #[test]
    fn quoted_scalar_spans_stop_at_the_closing_quote() {
        let t = "a: \"x\\\"y\" # c\nd: 'it''s'  \ne:\n  - \"z\" # k\n";
        let r = parse(t).root.unwrap();
        assert_eq!(text_of(t, r.get("a").unwrap()), "\"x\\\"y\"");
        assert_eq!(text_of(t, r.get("d").unwrap()), "'it''s'");
        assert_eq!(r.get("d").unwrap().as_str(), Some("it's"));
        assert_eq!(text_of(t, r.get("e").unwrap()), "- \"z\"");
    }

    #[test]
    fn empty_value_is_null_with_empty_span() {
        let t = "stage:\nstatus: x\n";
        let root = parse(t).root.unwrap();
        let v = root.get("stage").unwrap();
        assert!(v.is_null());
        assert!(v.span.is_empty());
    }

    #[test]
    fn invalid_dates_are_plain_strings() {
        let root = parse("creation-date: 2025-30-01\n").root.unwrap();
        assert_eq!(root.get("creation-date").unwrap().as_str(), Some("2025-30-01"));
    }

    #[test]
    fn syntax_error_recovers_the_rest() {
        let t = "title: x\nbad: [unclosed\nstatus: provisional\n";
        let doc = parse(t);
        assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
        let root = doc.root.unwrap();
        assert_eq!(root.get("title").and_then(Node::as_str), Some("x"));
        assert_eq!(root.get("status").and_then(Node::as_str), Some("provisional"));
    }

    #[test]
    fn flow_sequence_closed_at_column_zero_is_accepted() {
        let t = "see-also: [\n  \"keps/a\",\n]\nstage: beta\n";
        let doc = parse(t);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        let root = doc.root.unwrap();
        assert_eq!(text_of(t, root.get("see-also").unwrap()), "[\n  \"keps/a\",\n]");
        assert_eq!(root.get("stage").and_then(Node::as_str), Some("beta"));
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "",
            "\0\u{1}",
            ": : :",
            "- [",
            "{{{{",
            "a: 'x",
            "\t- x",
            "%YAML 9\n---",
            "---\n---\n",
        ] {
            let doc = parse(t);
            for e in &doc.errors {
                assert!(e.range.end <= t.len());
            }
        }
    }
}
