//! The lexemes of block YAML, defined once for the parser's yaml.v3 fix-ups (`parse::go_tabs`)
//! and the line reading of half-typed text (`lines`): where a mapping key's `:` is, where a
//! `#` comment starts, what a block-sequence dash is, what opens a block scalar, what is inside
//! a scalar's quotes. Hand-rolled because no YAML crate exposes its scanner's lexemes on a
//! single line of text that does not parse.
//!
//! All positions are byte offsets (0-based) into the slice given, unless a function says chars.

use std::ops::Range;

/// Leading spaces of `line` (tabs do not indent in YAML).
pub(crate) fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The length in bytes of a byte order mark at the start of `text` (0 when none).
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// Whether `c` separates tokens on a line: a space or a tab (yaml.v3's `is_blank` without the
/// line breaks, which are never inside a line here; `\r` is accepted before the break).
fn blank_or_end(c: Option<u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\t' | b'\r'))
}

/// The `:` that ends a mapping key at the start of `s` (the line's content after its indent
/// and any dashes): the byte index of the colon, for a plain key (`key: v`, `key:` at the end)
/// or a quoted one (`"a key": v`). The colon must be followed by a blank or the end (so
/// `http://x` and `key:value` hold no key); a ` #` before it starts a comment (no key). A
/// plain key may be empty (`: v` gives `Some(0)`): callers that need a name check for it.
pub(crate) fn key_colon(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = s[1..].find(first as char)? + 1;
        return (bytes.get(close + 1) == Some(&b':') && blank_or_end(bytes.get(close + 2).copied()))
            .then_some(close + 1);
    }
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            return None;
        }
        if b == b':' && blank_or_end(bytes.get(i + 1).copied()) {
            return Some(i);
        }
    }
    None
}

/// Whether `s` (a line's content after its indent) starts with a block-sequence dash: `-`
/// followed by a blank or the end of the line.
pub(crate) fn starts_with_dash(s: &str) -> bool {
    let b = s.as_bytes();
    b.first() == Some(&b'-') && matches!(b.get(1), None | Some(b' ' | b'\t'))
}

/// Whether the value `v` (after `key:` or `- `, comment included) opens a block scalar: `|`
/// or `>` with only indentation and chomping indicators after it (`|-`, `>2`, `|+ # c`).
pub(crate) fn opens_block_scalar(v: &str) -> bool {
    let Some(rest) = v.strip_prefix(['|', '>']) else {
        return false;
    };
    let rest = rest.split(" #").next().unwrap_or("").trim();
    rest.chars().all(|c| c.is_ascii_digit() || c == '+' || c == '-')
}

/// What is still open at the end of a line: flow brackets and a quoted scalar. Lines are fed
/// in order with `scan`; a fresh state reads one line on its own.
#[derive(Default, Clone, Debug)]
pub(crate) struct FlowState {
    /// Open `[` and `{`.
    pub open: usize,
    /// The quote of a quoted scalar still open.
    pub quote: Option<char>,
}

impl FlowState {
    /// Follow one line's content, given as (position, char) pairs (positions are the caller's:
    /// bytes or chars), and return the position of the `#` that starts a comment, if any.
    ///
    /// A quote or bracket opens only where a value can start (at the start, after `:`, `-`,
    /// `[`, `{` or `,`), so that `it's` in a plain scalar opens nothing; a `#` starts a comment
    /// at the start or after a blank, outside quotes; `''` inside single quotes and `\"`
    /// inside double quotes are escapes.
    pub(crate) fn scan(&mut self, line: impl IntoIterator<Item = (usize, char)>) -> Option<usize> {
        let mut prev: Option<char> = None;
        let mut prev_raw: Option<char> = None;
        let mut escaped = false;
        // A `'` inside single quotes: closing, unless the next char is `'` too.
        let mut pending_close = false;
        for (at, c) in line {
            if pending_close {
                pending_close = false;
                if c == '\'' {
                    prev_raw = Some(c);
                    continue;
                }
                self.quote = None;
                prev = Some('\'');
            }
            match self.quote {
                Some('"') => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        self.quote = None;
                        prev = Some(c);
                    }
                }
                Some(_) => {
                    if c == '\'' {
                        pending_close = true;
                    }
                }
                None => {
                    let value_start = matches!(prev, None | Some(':' | '-' | '[' | '{' | ','));
                    match c {
                        '#' if prev.is_none() || matches!(prev_raw, Some(' ' | '\t')) => return Some(at),
                        '"' | '\'' if value_start => self.quote = Some(c),
                        '[' | '{' if value_start || self.open > 0 => self.open += 1,
                        ']' | '}' if self.open > 0 => self.open -= 1,
                        _ => {}
                    }
                    if !matches!(c, ' ' | '\t') && self.quote.is_none() {
                        prev = Some(c);
                    }
                }
            }
            prev_raw = Some(c);
        }
        if pending_close {
            self.quote = None;
        }
        None
    }
}

/// The byte index in `s` (one line, or the start of one) of the `#` that starts a comment
/// outside quotes (`FlowState::scan` on the line alone).
pub(crate) fn comment_start(s: &str) -> Option<usize> {
    FlowState::default().scan(s.char_indices())
}

/// Where a value that starts at byte `r.start` of `text` ends: before a trailing comment and
/// trailing blanks (a byte offset into `text`).
pub(crate) fn value_end(text: &str, r: Range<usize>) -> usize {
    let s = &text[r.clone()];
    let end = comment_start(s).unwrap_or(s.len());
    r.start + s[..end].trim_end().len()
}

/// A scalar without its surrounding quotes (and without surrounding blanks). Typographic
/// quotes (`“x”`), which authors paste from documents, count as quotes here.
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

/// The byte range of the scalar inside its quotes (the whole range `r` when unquoted; an
/// empty range at the end for a lone quote).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key_colon("title: x"), Some(5));
        assert_eq!(key_colon("title:"), Some(5));
        assert_eq!(key_colon("title:\tx"), Some(5));
        assert_eq!(key_colon("\"a: b\": x"), Some(6));
        assert_eq!(key_colon("'a': x"), Some(3));
        assert_eq!(key_colon("url: http://x"), Some(3));
        assert_eq!(key_colon("http://x"), None);
        assert_eq!(key_colon("key:value"), None);
        assert_eq!(key_colon("a #b: c"), None);
        assert_eq!(key_colon(": x"), Some(0));
        assert_eq!(key_colon("\"open: x"), None);
    }

    #[test]
    fn comments_and_values() {
        assert_eq!(comment_start("a: b # c"), Some(5));
        assert_eq!(comment_start("a: \"b # c\""), None);
        assert_eq!(comment_start("a: it's # c"), Some(8));
        assert_eq!(comment_start("a: 'it''s # x' # c"), Some(15));
        assert_eq!(comment_start("a: [\"x # y\", z] # c"), Some(16));
        assert_eq!(comment_start("a: b#c"), None);
        assert_eq!(comment_start("# c"), Some(0));
        let t = "\"A # b\" # c";
        assert_eq!(&t[..value_end(t, 0..t.len())], "\"A # b\"");
    }

    #[test]
    fn dashes_and_block_scalars() {
        assert!(starts_with_dash("- x"));
        assert!(starts_with_dash("-"));
        assert!(starts_with_dash("-\tx"));
        assert!(!starts_with_dash("-x"));
        assert!(opens_block_scalar("|"));
        assert!(opens_block_scalar(">-"));
        assert!(opens_block_scalar("|2 # c"));
        assert!(!opens_block_scalar("|x"));
        assert!(!opens_block_scalar("x"));
    }
}
