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

use super::lex::{self, FlowState};

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
    pub(crate) fn is_null(&self) -> bool {
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
    /// 1-based lines that error recovery blanked or rewrote: values read there, or spanning
    /// them, are guesses (rules must not build findings on them).
    pub recovered_lines: Vec<usize>,
}

impl YamlDoc {
    /// Whether the byte range `range` of the text touches a line that recovery blanked.
    pub(crate) fn touches_recovered(&self, text: &str, range: &Range<usize>) -> bool {
        if self.recovered_lines.is_empty() {
            return false;
        }
        let line_of = |pos: usize| {
            text.get(..pos.min(text.len()))
                .map(|t| t.matches('\n').count())
                .unwrap_or(0)
                + 1
        };
        let (a, b) = (line_of(range.start), line_of(range.end.max(range.start)));
        self.recovered_lines.iter().any(|l| (a..=b).contains(l))
    }
}

impl Node {
    pub(crate) fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.value.as_str())
    }

    pub(crate) fn as_mapping(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub(crate) fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// The first value under `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.as_mapping()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// yaml.v3's name for the node's kind, as its error messages print it.
    pub(crate) fn yaml_tag(&self) -> &'static str {
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

    /// The node as yaml.v3's type errors show it: the tag, and for a scalar its value in
    /// backquotes, cut to 7 chars and `...` when longer than 10 (decode.go `terror`):
    /// ``!!str `true` ``, ``!!int `1698` ``, `!!seq`.
    pub(crate) fn go_shown(&self) -> String {
        match &self.kind {
            NodeKind::Scalar(s) => {
                let v = &s.value;
                let shown = if v.len() > 10 {
                    let cut = (0..=7).rev().find(|i| v.is_char_boundary(*i)).unwrap_or(0);
                    format!("{}...", &v[..cut])
                } else {
                    v.clone()
                };
                format!("{} `{shown}`", self.yaml_tag())
            }
            _ => self.yaml_tag().to_string(),
        }
    }

    /// Move every span by `delta` bytes (front matter parsed out of a larger file).
    pub(crate) fn shift(&mut self, delta: usize) {
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
    parse_masked(text, text, None)
}

/// Parse `masked`, a copy of `text` with the same chars at the same char indices except where
/// the caller blanked what upstream does not read (every `\n` kept), with spans into `text`.
/// `first_error` is an error found before parsing (e.g. a tab where yaml.v3 rejects one): it
/// is reported first, and a parse error on a later line is then left out (yaml.v3 stops at
/// its first error).
pub(crate) fn parse_masked(text: &str, masked: &str, first_error: Option<YamlError>) -> YamlDoc {
    let table = CharTable::new(text);
    let (partial, err) = match parse_once(masked, text, &table) {
        Ok(root) => {
            return YamlDoc {
                root,
                recovered_lines: first_error.iter().map(|e| e.line).collect(),
                errors: first_error.into_iter().collect(),
            };
        }
        Err(x) => x,
    };
    if let Some(first) = first_error
        && first.line <= err.line
    {
        // The parse went wrong only after the earlier error: that error is the one to report;
        // the partial tree stands, with the rest of the text counted as unread.
        let lines = masked.matches('\n').count() + 1;
        return YamlDoc {
            root: partial,
            errors: vec![first],
            recovered_lines: (err.line..=lines).collect(),
        };
    }
    let text_for_recovery = masked;
    // yaml.v3 (libyaml) lets a flow collection close at column 0 (`see-also: [` ... `]`);
    // saphyr does not. Join such lines to the line before (a newline becomes a space, so char
    // indices stay put) and, if that parses, there is no error to report.
    if let Some(joined) = join_flow_closers(text_for_recovery)
        && let Ok(root) = parse_once(&joined, text, &table)
    {
        return YamlDoc {
            root,
            errors: Vec::new(),
            recovered_lines: Vec::new(),
        };
    }
    let errors = vec![error_at(text, err.line, err.message)];
    // Recover: blank the error line or the one before it (an unclosed bracket or quote is
    // reported on the next line); keep whichever variant gets further.
    let original: Vec<char> = text_for_recovery.chars().collect();
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
            Some((lines, Ok(root))) => {
                return YamlDoc {
                    root,
                    errors,
                    recovered_lines: lines,
                };
            }
            Some((lines, Err(next))) if next > line || lines.len() > blanked.len() => {
                blanked = lines;
                line = next;
            }
            _ => break,
        }
    }
    // Nothing after the error could be read back: every line from it on is unread.
    let lines = text.matches('\n').count() + 1;
    YamlDoc {
        root: partial,
        errors,
        recovered_lines: (err.line.saturating_sub(1).max(1)..=lines).collect(),
    }
}

/// `go_tabs` over `masked` (the text as the parser will read it, one char per char of `text`):
/// the masked text, and yaml.v3's "found character that cannot start any token" at the first tab
/// it rejects, as a byte range into `text`. Most texts hold no tab: then `go_tabs` changes
/// nothing and `masked` is returned as it is, without the char-by-char copy (~10 % of a kep.yaml
/// analysis).
pub(crate) fn mask_go_tabs(text: &str, masked: String) -> (String, Option<YamlError>) {
    if !masked.contains('\t') {
        return (masked, None);
    }
    let mut chars: Vec<char> = masked.chars().collect();
    let tab = go_tabs(&mut chars);
    let masked: String = chars.into_iter().collect();
    let first_error = tab.map(|(line, char_index)| {
        let at = text.char_indices().nth(char_index).map_or(text.len(), |(b, _)| b);
        YamlError {
            range: at..(at + 1).min(text.len()),
            line,
            message: "found character that cannot start any token".into(),
        }
    });
    (masked, first_error)
}

/// yaml.v3's tab rules (its scanner eats a tab only where no simple key may start: after a
/// `key:` or a scalar, never at the start of a line or after a `- `), applied to `chars` in
/// place so that saphyr, which differs, reads what yaml.v3 reads:
///
/// - a tab between a key and its `:` or right after the `:` is accepted: turned into a space;
/// - a tab in a line's indentation or after a block sequence's `-` is yaml.v3's "found
///   character that cannot start any token": the first one is returned (1-based line, char
///   index of the tab), and the tab is turned into a space so that the rest can be read.
///
/// Lines inside a block scalar (`|`, `>`) are left alone: there a tab is text.
pub(crate) fn go_tabs(chars: &mut [char]) -> Option<(usize, usize)> {
    let mut first: Option<(usize, usize)> = None;
    let mut flow = FlowState::default();
    // The indentation of the key (or dash) that opened a block scalar we are inside.
    let mut block_parent: Option<usize> = None;
    let mut start = 0;
    let mut line_no = 0;
    while start <= chars.len() {
        line_no += 1;
        let end = chars[start..]
            .iter()
            .position(|c| *c == '\n')
            .map(|i| start + i)
            .unwrap_or(chars.len());
        let line = start..end;
        let next = end + 1;
        let indent = chars[line.clone()].iter().take_while(|c| **c == ' ').count();
        let content_at = start + indent;
        let blank = chars[line.clone()].iter().all(|c| matches!(c, ' ' | '\t' | '\r'));
        if let Some(parent) = block_parent {
            if blank || indent > parent {
                start = next;
                continue;
            }
            block_parent = None;
        }
        // Inside a flow collection or a quoted scalar that runs over lines, tabs are fine.
        let continued = flow.open > 0 || flow.quote.is_some();
        flow.scan(chars[content_at.min(end)..end].iter().copied().enumerate());
        if continued {
            if end >= chars.len() {
                break;
            }
            start = next;
            continue;
        }
        if chars.get(content_at) == Some(&'\t') {
            first.get_or_insert((line_no, content_at));
            chars[content_at] = ' ';
        }
        // Block sequence dashes, possibly nested (`- - x`).
        let mut pos = content_at;
        let mut parent_col = indent;
        let dash_at = |chars: &[char], pos: usize| {
            lex::starts_with_dash(&chars[pos..(pos + 2).min(end)].iter().collect::<String>())
        };
        while pos < end && dash_at(chars, pos) {
            parent_col = pos - start;
            pos += 1;
            while pos < end && matches!(chars[pos], ' ' | '\t') {
                if chars[pos] == '\t' {
                    first.get_or_insert((line_no, pos));
                    chars[pos] = ' ';
                }
                pos += 1;
            }
        }
        // A plain key: its `:` separator, with the blanks around it.
        let key_start = pos;
        // (Quoted keys are left alone: saphyr and yaml.v3 agree on the blanks around them.)
        if pos < end && !matches!(chars[pos], '"' | '\'' | '#' | '{' | '[' | '|' | '>') {
            let rest: String = chars[pos..end].iter().collect();
            if let Some(colon) = lex::key_colon(&rest) {
                let i = pos + rest[..colon].chars().count();
                // Tabs before the `:` (after the key) and right after it.
                let mut j = i;
                while j > key_start && matches!(chars[j - 1], ' ' | '\t') {
                    j -= 1;
                    chars[j] = ' ';
                }
                let mut k = i + 1;
                while k < end && matches!(chars[k], ' ' | '\t') {
                    chars[k] = ' ';
                    k += 1;
                }
                parent_col = key_start - start;
                pos = k;
            }
        }
        // A block scalar starts here when the value is `|` or `>` (with indicators).
        if pos < end && lex::opens_block_scalar(&chars[pos..end].iter().collect::<String>()) {
            block_parent = Some(parent_col);
        }
        if end >= chars.len() {
            break;
        }
        start = next;
    }
    first
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
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        pairs: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

impl Frame {
    fn anchor(&self) -> usize {
        match self {
            Frame::Seq { anchor, .. } | Frame::Map { anchor, .. } => *anchor,
        }
    }
}

/// `node` with every span (its own and its children's) set to `span`: an alias's copy of the
/// anchored node is found where the alias is written.
fn respan(mut node: Node, span: &Range<usize>) -> Node {
    node.span = span.clone();
    node.kind = match node.kind {
        NodeKind::Sequence(items) => NodeKind::Sequence(items.into_iter().map(|n| respan(n, span)).collect()),
        NodeKind::Mapping(pairs) => NodeKind::Mapping(
            pairs
                .into_iter()
                .map(|(k, v)| (respan(k, span), respan(v, span)))
                .collect(),
        ),
        other => other,
    };
    node
}

/// Whether `k` is yaml.v3's merge key: a plain, untagged `<<`.
fn is_merge_key(k: &Node) -> bool {
    matches!(&k.kind, NodeKind::Scalar(s) if s.value == "<<" && s.style == Style::Plain && s.tag.is_none())
}

/// yaml.v3's `<<` merge (decode.go `merge`): the pairs of the merged map (or of each map of a
/// merged sequence, earlier ones first) whose keys the mapping does not set itself, in place
/// of the `<<` pair. A `<<` whose value is not a map or a sequence of maps is left as it is
/// (the caller reports it: "map merge requires map or sequence of maps as the value").
fn merge_pairs(pairs: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    if !pairs.iter().any(|(k, _)| is_merge_key(k)) {
        return pairs;
    }
    let mergeable = |v: &Node| match &v.kind {
        NodeKind::Mapping(_) => true,
        NodeKind::Sequence(items) => items.iter().all(|i| i.as_mapping().is_some()),
        _ => false,
    };
    // yaml.v3 keeps only the last `<<` of a mapping.
    let last = pairs.iter().rposition(|(k, v)| is_merge_key(k) && mergeable(v));
    let Some(last) = last else { return pairs };
    let mut seen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !is_merge_key(k))
        .filter_map(|(k, _)| k.as_str().map(str::to_string))
        .collect();
    let mut out = Vec::with_capacity(pairs.len());
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if !is_merge_key(&k) {
            out.push((k, v));
            continue;
        }
        if i != last {
            // An earlier `<<` (yaml.v3 reads only the last one); a duplicate key error.
            out.push((k, v));
            continue;
        }
        let maps: Vec<Node> = match v.kind {
            NodeKind::Mapping(_) => vec![v],
            NodeKind::Sequence(items) => items,
            _ => Vec::new(),
        };
        for m in maps {
            if let NodeKind::Mapping(inner) = m.kind {
                for (ik, iv) in inner {
                    let name = ik.as_str().map(str::to_string);
                    if let Some(n) = &name {
                        if seen.contains(n) {
                            continue;
                        }
                        seen.push(n.clone());
                    }
                    out.push((ik, iv));
                }
            }
        }
    }
    out
}

/// One pass of the event parser over `text` (which has the same chars as the original, so
/// the table converts its markers).
fn parse_once(text: &str, orig: &str, table: &CharTable) -> Result<Option<Node>, (Option<Node>, RawError)> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut in_doc = false;
    // Anchored nodes by saphyr's anchor id (0 = no anchor), for aliases.
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
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
            Event::Scalar(value, style, anchor, tag) => {
                let start = byte(&span.start);
                let mut end = byte(&span.end).max(start);
                // saphyr's span of a quoted scalar runs on over trailing blanks and a comment.
                if matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) {
                    end = closing_quote(orig, start, end).unwrap_or(end);
                }
                let node = Node {
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
                };
                if anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(id) => {
                let at = byte(&span.start)..byte(&span.end).max(byte(&span.start));
                match anchors.get(&id) {
                    Some(target) => respan(target.clone(), &at),
                    None => Node {
                        kind: NodeKind::Alias,
                        span: at,
                    },
                }
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    start: byte(&span.start),
                    anchor,
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    start: byte(&span.start),
                    anchor,
                    pairs: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(frame) => {
                    let anchor = frame.anchor();
                    let node = finish(text, frame, byte(&span.end));
                    if anchor != 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
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
        Frame::Seq { start, items, .. } => {
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
            ..
        } => {
            if let Some(k) = key {
                let at = k.span.end;
                pairs.push((k, empty_at(at)));
            }
            // The span ends at the last pair as written (merged pairs may sit elsewhere).
            let end = pairs
                .last()
                .map(|(k, v)| close(v.span.end.max(k.span.end)))
                .unwrap_or(end_marker.max(start));
            let pairs = merge_pairs(pairs);
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
    fn aliases_read_the_anchored_value_where_the_alias_is() {
        let t = "reviewers: &people\n  - \"@a\"\n  - \"@b\"\napprovers: *people\n";
        let doc = parse(t);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        let root = doc.root.unwrap();
        let approvers = root.get("approvers").unwrap();
        let items: Vec<_> = approvers
            .as_sequence()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(items, ["@a", "@b"]);
        assert_eq!(text_of(t, approvers), "*people");
    }

    #[test]
    fn merge_keys_fill_in_what_the_mapping_does_not_set() {
        let t = "base: &m {alpha: v1.1, beta: v1.2}\nmilestone:\n  <<: *m\n  beta: v1.3\n";
        let root = parse(t).root.unwrap();
        let m = root.get("milestone").unwrap();
        let pairs: Vec<_> = m
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap()))
            .collect();
        assert_eq!(pairs, [("alpha", "v1.1"), ("beta", "v1.3")]);
        // A quoted "<<" is an ordinary key.
        let root = parse("m:\n  \"<<\": x\n").root.unwrap();
        assert_eq!(root.get("m").unwrap().get("<<").and_then(Node::as_str), Some("x"));
    }

    #[test]
    fn yaml_v3_tabs() {
        let mut chars: Vec<char> = "status:\tx\ntitle\t: y\n".chars().collect();
        assert_eq!(go_tabs(&mut chars), None);
        assert_eq!(chars.iter().collect::<String>(), "status: x\ntitle : y\n");
        let mut chars: Vec<char> = "authors:\n  -\t\"@a\"\n".chars().collect();
        assert_eq!(go_tabs(&mut chars), Some((2, 12)));
        let mut chars: Vec<char> = "a: |\n  \tcode\n\tb: 1\n".chars().collect();
        assert_eq!(
            go_tabs(&mut chars),
            Some((3, 13)),
            "a block scalar's tabs are text"
        );
        let mut chars: Vec<char> = "a: [x,\n\ty]\nb: \"p\n\tq\"\nc: it's\n\td: 1\n".chars().collect();
        assert_eq!(
            go_tabs(&mut chars),
            Some((6, 29)),
            "flow and quoted scalars may hold tabs; an apostrophe opens nothing"
        );
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
