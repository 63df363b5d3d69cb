//! A heading's inline content as gomarkdown parses it (its parser/inline.go rules with
//! mdtoc's extensions: autolinks, strikethrough, `$math$`, backslash line breaks, no
//! intra-word emphasis), and the two things mdtoc makes of it: the entry's HTML (gomarkdown's
//! HTML renderer with default options) and the anchor text (the text and code-span leaves).
//!
//! gomarkdown's quirks are kept on purpose, e.g. `&1234;` is read as a code point, a lone
//! trailing `\` is dropped, `<b` with no `>` is dropped, a single `~` pair is emphasis.

use std::collections::HashMap;

use super::block::LinkDef;
use super::bytes::*;

/// One inline node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Text(Vec<u8>),
    Code(Vec<u8>),
    Link {
        dest: Vec<u8>,
        title: Vec<u8>,
        children: Vec<Node>,
    },
    Image {
        dest: Vec<u8>,
        /// `None`: no title attribute (an inline image without one).
        title: Option<Vec<u8>>,
        alt: Vec<u8>,
    },
    Html(Vec<u8>),
    Math(Vec<u8>),
    HardBreak,
    Emph(Vec<Node>),
    Strong(Vec<Node>),
    Del(Vec<Node>),
}

const MAX_NESTING: usize = 16;

/// Parse a heading's inline source.
pub(crate) fn parse(data: &[u8], refs: &HashMap<String, LinkDef>) -> Vec<Node> {
    let mut p = Inline {
        refs,
        inside_link: false,
        nesting: 0,
    };
    let mut out = Vec::new();
    p.inline(&mut out, data);
    out
}

struct Inline<'r> {
    refs: &'r HashMap<String, LinkDef>,
    inside_link: bool,
    nesting: usize,
}

type Handled = Option<(usize, Option<Node>)>;

impl Inline<'_> {
    fn inline(&mut self, out: &mut Vec<Node>, data: &[u8]) {
        if self.nesting >= MAX_NESTING || data.is_empty() {
            return;
        }
        self.nesting += 1;
        let closes = bracket_closes(data);
        let (mut beg, mut end) = (0, 0);
        let n = data.len();
        while end < n {
            let handled = match data[end] {
                b' ' => line_break(data, end),
                b'*' | b'_' | b'~' => self.emphasis(data, end),
                b'`' => code_span(data, end),
                b'[' => self.link(data, end, &closes),
                b'<' => left_angle(data, end),
                b'\\' => escape(data, end),
                b'&' => entity(data, end),
                b'!' if at(data, end + 1) == b'[' => self.link(data, end, &closes),
                b'^' if at(data, end + 1) == b'[' => self.link(data, end, &closes),
                b'h' | b'm' | b'f' | b'H' | b'M' | b'F' => self.maybe_autolink(data, end),
                b'$' => math(data, end),
                _ => None,
            };
            match handled {
                Some((consumed, node)) if consumed > 0 => {
                    out.push(Node::Text(data[beg..end].to_vec()));
                    if let Some(node) = node {
                        out.push(node);
                    }
                    beg = end + consumed;
                    end = beg;
                }
                _ => end += 1,
            }
        }
        if beg < n {
            let mut end = end.min(n);
            if end > 0 && data[end - 1] == b'\n' {
                end -= 1;
            }
            out.push(Node::Text(data[beg.min(end)..end].to_vec()));
        }
        self.nesting -= 1;
    }

    fn children(&mut self, data: &[u8]) -> Vec<Node> {
        let mut v = Vec::new();
        self.inline(&mut v, data);
        v
    }

    fn emphasis(&mut self, data: &[u8], offset: usize) -> Handled {
        let data = &data[offset..];
        let c = data[0];
        let n = data.len();
        if n > 2 && data[1] != c {
            if is_space(data[1]) {
                return None;
            }
            let (ret, node) = self.emph1(&data[1..], c)?;
            return Some((ret + 1, Some(node)));
        }
        if n > 3 && data[1] == c && data[2] != c {
            if is_space(data[2]) {
                return None;
            }
            let (ret, node) = self.emph2(&data[2..], c)?;
            return Some((ret + 2, Some(node)));
        }
        if n > 4 && data[1] == c && data[2] == c && data[3] != c {
            if c == b'~' || is_space(data[3]) {
                return None;
            }
            let (ret, node) = self.emph3(data, 3, c)?;
            return Some((ret + 3, Some(node)));
        }
        None
    }

    fn emph1(&mut self, data: &[u8], c: u8) -> Option<(usize, Node)> {
        let mut i = 0;
        if data.len() > 1 && data[0] == c && data[1] == c {
            i = 1;
        }
        while i < data.len() {
            let len = find_emph_char(&data[i..], c);
            if len == 0 {
                return None;
            }
            i += len;
            if i >= data.len() {
                return None;
            }
            if i + 1 < data.len() && data[i + 1] == c {
                i += 1;
                continue;
            }
            if data[i] == c && !is_space(data[i - 1]) {
                // No intra-word emphasis: the closer must end the word.
                if !(i + 1 == data.len() || is_space(data[i + 1]) || is_punctuation(data[i + 1])) {
                    continue;
                }
                let children = self.children(&data[..i]);
                return Some((i + 1, Node::Emph(children)));
            }
        }
        None
    }

    fn emph2(&mut self, data: &[u8], c: u8) -> Option<(usize, Node)> {
        let mut i = 0;
        while i < data.len() {
            let len = find_emph_char(&data[i..], c);
            if len == 0 {
                return None;
            }
            i += len;
            if i + 1 < data.len() && data[i] == c && data[i + 1] == c && i > 0 && !is_space(data[i - 1]) {
                let children = self.children(&data[..i]);
                let node = if c == b'~' {
                    Node::Del(children)
                } else {
                    Node::Strong(children)
                };
                return Some((i + 2, node));
            }
            i += 1;
        }
        None
    }

    fn emph3(&mut self, orig: &[u8], offset: usize, c: u8) -> Option<(usize, Node)> {
        let data = &orig[offset..];
        let mut i = 0;
        while i < data.len() {
            let len = find_emph_char(&data[i..], c);
            if len == 0 {
                return None;
            }
            i += len;
            if data[i] != c || is_space(data[i - 1]) {
                continue;
            }
            if i + 2 < data.len() && data[i + 1] == c && data[i + 2] == c {
                let children = self.children(&data[..i]);
                return Some((i + 3, Node::Strong(vec![Node::Emph(children)])));
            } else if i + 1 < data.len() && data[i + 1] == c {
                let (len, node) = self.emph1(&orig[offset - 2..], c)?;
                return Some((len.checked_sub(2)?, node));
            } else {
                let (len, node) = self.emph2(&orig[offset - 1..], c)?;
                return Some((len.checked_sub(1)?, node));
            }
        }
        None
    }

    /// `[`: a link; `![`: an image; `^[`: gomarkdown hands it to the link code too.
    fn link(&mut self, data: &[u8], mut offset: usize, closes: &[u32]) -> Handled {
        if self.inside_link && ((offset > 0 && data[offset - 1] == b'[') || at(data, offset + 1) == b'^') {
            return None;
        }
        let image = data[offset] == b'!';
        if image {
            offset += 1;
        }
        let whole = data;
        let data = &data[offset..];
        let mut i = 1;
        let mut text_has_nl = false;
        let mut level = 1;
        // The matching `]` from the table when this `[` is one the table starts from (see
        // `bracket_closes`); else gomarkdown's scan.
        if whole[offset] == b'[' && (offset == 0 || whole[offset - 1] != b'\\') {
            match closes.get(offset).copied() {
                Some(NO_CLOSE) | None => return None,
                Some(c) => {
                    i = c as usize - offset;
                    text_has_nl = memchr::memchr(b'\n', &data[1..i]).is_some();
                    level = 0;
                }
            }
        }
        while level > 0 && i < data.len() {
            if data[i] == b'\n' {
                text_has_nl = true;
            } else if data[i - 1] == b'\\' {
            } else if data[i] == b'[' {
                level += 1;
            } else if data[i] == b']' {
                level -= 1;
                if level <= 0 {
                    i -= 1;
                }
            }
            i += 1;
        }
        if i >= data.len() {
            return None;
        }
        let txt_end = i;
        i += 1;
        i = skip_space(data, i);
        let (link, title, alt_content): (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);
        if at(data, i) == b'(' {
            i += 1;
            i = skip_space(data, i);
            let mut link_b = i;
            let mut brace = 0;
            while i < data.len() {
                match data[i] {
                    b'\\' => i += 2,
                    b'(' => {
                        brace += 1;
                        i += 1;
                    }
                    b')' => {
                        if brace <= 0 {
                            break;
                        }
                        brace -= 1;
                        i += 1;
                    }
                    b'\'' | b'"' => break,
                    _ => i += 1,
                }
            }
            if i >= data.len() {
                return None;
            }
            let mut link_e = i;
            let (mut title_b, mut title_e) = (0, 0);
            if data[i] == b'\'' || data[i] == b'"' {
                i += 1;
                title_b = i;
                let mut closed = false;
                while i < data.len() {
                    if data[i] == b'\\' {
                        i += 1;
                    } else if data[i] == data[title_b - 1] {
                        closed = true;
                    } else if closed && data[i] == b')' {
                        break;
                    }
                    i += 1;
                }
                if i >= data.len() {
                    return None;
                }
                title_e = i - 1;
                while title_e > title_b && is_space(data[title_e]) {
                    title_e -= 1;
                }
                if data[title_e] != b'\'' && data[title_e] != b'"' {
                    title_b = 0;
                    title_e = 0;
                    link_e = i;
                }
            }
            while link_e > link_b && is_space(data[link_e - 1]) {
                link_e -= 1;
            }
            if at(data, link_b) == b'<' {
                link_b += 1;
            }
            if link_e > 0 && data[link_e - 1] == b'>' {
                link_e -= 1;
            }
            link = if link_e > link_b {
                data[link_b..link_e].to_vec()
            } else {
                Vec::new()
            };
            title = (title_e > title_b).then(|| data[title_b..title_e].to_vec());
            alt_content = None;
            i += 1;
        } else if i + 1 < data.len() && data[i] == b'[' && data[i + 1] != b'^' {
            // [text][id]
            i += 1;
            let link_b = i;
            i = skip_until(data, i, b']');
            if i >= data.len() {
                return None;
            }
            let link_e = i;
            let mut considered = false;
            let id = if link_b == link_e {
                if text_has_nl {
                    join_lines(&data[..txt_end])
                } else {
                    considered = true;
                    data[1..txt_end].to_vec()
                }
            } else {
                data[link_b..link_e].to_vec()
            };
            let def = self.refs.get(&String::from_utf8_lossy(&id).to_lowercase())?;
            link = def.link.clone();
            title = Some(def.title.clone());
            // Reference definitions carry no text of their own in gomarkdown.
            alt_content = considered.then(Vec::new).filter(|v: &Vec<u8>| !v.is_empty());
            i += 1;
        } else {
            // [id] shortcut.
            let id = if text_has_nl {
                join_lines(&data[..txt_end])
            } else {
                data[1..txt_end].to_vec()
            };
            let def = self.refs.get(&String::from_utf8_lossy(&id).to_lowercase())?;
            link = def.link.clone();
            title = Some(def.title.clone());
            alt_content = None;
            i = txt_end + 1;
        }
        let mut dest = Vec::new();
        if !link.is_empty() {
            unescape_text(&mut dest, &link);
        }
        if image {
            let node = Node::Image {
                dest,
                title,
                alt: data[1..txt_end].to_vec(),
            };
            return Some((i + 1, Some(node)));
        }
        let children = match alt_content {
            Some(t) => vec![Node::Text(t)],
            None => {
                let was = self.inside_link;
                self.inside_link = true;
                let c = self.children(&data[1..txt_end]);
                self.inside_link = was;
                c
            }
        };
        Some((
            i,
            Some(Node::Link {
                dest,
                title: title.unwrap_or_default(),
                children,
            }),
        ))
    }

    fn maybe_autolink(&mut self, data: &[u8], offset: usize) -> Handled {
        if self.inside_link || data.len() < offset + 6 {
            return None;
        }
        let head = &data[offset..(offset + 8).min(data.len())];
        let known = [&b"http://"[..], b"https://", b"ftp://", b"file://", b"mailto:"]
            .iter()
            .any(|p| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p));
        if !known {
            return None;
        }
        autolink(data, offset)
    }
}

const NO_CLOSE: u32 = u32::MAX;

/// For each `[` of `data` that a link may start at, the offset of its matching `]` as
/// gomarkdown's link scan finds it (nesting counted; a bracket right after `\` and a `\n` are
/// skipped), or `NO_CLOSE`. One pass with a stack: the scan repeated from every `[` made a
/// heading of many unmatched `[` quadratic.
fn bracket_closes(data: &[u8]) -> Vec<u32> {
    let mut closes = vec![NO_CLOSE; data.len()];
    if !data.contains(&b'[') {
        return closes;
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in data.iter().enumerate() {
        if c == b'\n' || (i > 0 && data[i - 1] == b'\\') {
            continue;
        }
        if c == b'[' {
            open.push(i);
        } else if c == b']'
            && let Some(o) = open.pop()
        {
            closes[o] = i as u32;
        }
    }
    closes
}

/// Lines of a link text joined with single spaces (gomarkdown's id for a multi-line text).
fn join_lines(data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    for j in 1..data.len() {
        if data[j] != b'\n' {
            b.push(data[j]);
        } else if data[j - 1] != b' ' {
            b.push(b' ');
        }
    }
    b
}

fn skip_space(d: &[u8], mut i: usize) -> usize {
    while i < d.len() && is_space(d[i]) {
        i += 1;
    }
    i
}

/// The next `c` in `data` that may close an emphasis, skipping code spans and links.
fn find_emph_char(data: &[u8], c: u8) -> usize {
    let mut i = 0;
    while i < data.len() {
        while i < data.len() && data[i] != c && data[i] != b'`' && data[i] != b'[' {
            i += 1;
        }
        if i >= data.len() {
            return 0;
        }
        if i != 0 && data[i - 1] == b'\\' {
            i += 1;
            continue;
        }
        if data[i] == c {
            return i;
        }
        if data[i] == b'`' {
            let mut tmp = 0;
            i += 1;
            while i < data.len() && data[i] != b'`' {
                if tmp == 0 && data[i] == c {
                    tmp = i;
                }
                i += 1;
            }
            if i >= data.len() {
                return tmp;
            }
            i += 1;
        } else {
            let mut tmp = 0;
            i += 1;
            while i < data.len() && data[i] != b']' {
                if tmp == 0 && data[i] == c {
                    tmp = i;
                }
                i += 1;
            }
            i += 1;
            while i < data.len() && (data[i] == b' ' || data[i] == b'\n') {
                i += 1;
            }
            if i >= data.len() {
                return tmp;
            }
            if data[i] != b'[' && data[i] != b'(' {
                if tmp > 0 {
                    return tmp;
                }
                continue;
            }
            let cc = data[i];
            i += 1;
            while i < data.len() && data[i] != cc {
                if tmp == 0 && data[i] == c {
                    return i;
                }
                i += 1;
            }
            if i >= data.len() {
                return tmp;
            }
            i += 1;
        }
    }
    0
}

fn line_break(data: &[u8], offset: usize) -> Handled {
    let o = skip_char(data, offset, b' ');
    if at(data, o) == b'\n' {
        if o - offset >= 2 {
            return Some((o - offset + 1, Some(Node::HardBreak)));
        }
        return Some((o - offset, None));
    }
    None
}

fn code_span(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    let nb = skip_char(data, 0, b'`');
    let end = super::block::code_span_len(data);
    if end == 0 {
        return None;
    }
    let mut f_begin = nb;
    while f_begin < end && data[f_begin] == b' ' {
        f_begin += 1;
    }
    let mut f_end = end - nb;
    while f_end > f_begin && data[f_end - 1] == b' ' {
        f_end -= 1;
    }
    if f_begin >= f_end {
        return Some((end, None));
    }
    Some((end, Some(Node::Code(data[f_begin..f_end].to_vec()))))
}

/// `<`: an autolink, inline HTML or a comment.
fn left_angle(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    let (kind, mut end) = tag_length(data);
    let comment = super::block::inline_comment_len(data);
    if comment > 0 {
        end = comment;
    }
    if end <= 2 {
        return Some((end, None));
    }
    if kind == Autolink::Not {
        return Some((end, Some(Node::Html(data[..end].to_vec()))));
    }
    let mut link = Vec::new();
    unescape_text(&mut link, &data[1..end - 1]);
    if link.is_empty() {
        return Some((end, None));
    }
    let text = link
        .strip_prefix(b"mailto://")
        .or_else(|| link.strip_prefix(b"mailto:"))
        .unwrap_or(&link)
        .to_vec();
    let dest = if kind == Autolink::Email {
        [&b"mailto:"[..], &link].concat()
    } else {
        link
    };
    Some((
        end,
        Some(Node::Link {
            dest,
            title: Vec::new(),
            children: vec![Node::Text(text)],
        }),
    ))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Autolink {
    Not,
    Normal,
    Email,
}

/// gomarkdown's `tagLength`, with its quirk: with no `>` after an HTML-looking start, the
/// length is that of the `<` and the name's first byte (which the caller then drops).
fn tag_length(data: &[u8]) -> (Autolink, usize) {
    if data.len() < 3 || data[0] != b'<' {
        return (Autolink::Not, 0);
    }
    let mut i = if data[1] == b'/' { 2 } else { 1 };
    if !is_alnum(at(data, i)) {
        return (Autolink::Not, 0);
    }
    while i < data.len() && (is_alnum(data[i]) || matches!(data[i], b'.' | b'+' | b'-')) {
        i += 1;
    }
    if i > 1 && at(data, i) == b'@' {
        let j = mailto_len(&data[i..]);
        if j != 0 {
            return (Autolink::Email, i + j);
        }
    }
    let mut kind = Autolink::Not;
    if i > 2 && at(data, i) == b':' {
        kind = Autolink::Normal;
        i += 1;
    }
    if i >= data.len() {
        kind = Autolink::Not;
    } else if kind != Autolink::Not {
        let j = i;
        while i < data.len() {
            if data[i] == b'\\' {
                i += 2;
            } else if matches!(data[i], b'>' | b'\'' | b'"') || is_space(data[i]) {
                break;
            } else {
                i += 1;
            }
        }
        if i >= data.len() {
            return (kind, 0);
        }
        if i > j && data[i] == b'>' {
            return (kind, i + 1);
        }
        kind = Autolink::Not;
    }
    match data.get(i..).and_then(|rest| memchr::memchr(b'>', rest)) {
        Some(k) => (kind, i + k + 1),
        // Go adds IndexByte's -1 and checks for a negative sum, which never happens.
        None => (kind, i),
    }
}

fn mailto_len(data: &[u8]) -> usize {
    let mut at_signs = 0;
    for (i, &c) in data.iter().enumerate() {
        if is_alnum(c) {
            continue;
        }
        match c {
            b'@' => at_signs += 1,
            b'-' | b'.' | b'_' => {}
            b'>' => return if at_signs == 1 { i + 1 } else { 0 },
            _ => return 0,
        }
    }
    0
}

fn escape(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    if data.len() <= 1 {
        return Some((2, None));
    }
    if data[1] == b'\n' {
        return Some((2, Some(Node::HardBreak)));
    }
    if !b"\\`*_{}[]()#+-.!:|&<>~^$".contains(&data[1]) {
        return None;
    }
    Some((2, Some(Node::Text(vec![data[1]]))))
}

/// Remove backslashes (each escapes the next byte).
fn unescape_text(out: &mut Vec<u8>, src: &[u8]) {
    let mut i = 0;
    while i < src.len() {
        let org = i;
        while i < src.len() && src[i] != b'\\' {
            i += 1;
        }
        out.extend_from_slice(&src[org..i]);
        if i + 1 >= src.len() {
            break;
        }
        out.push(src[i + 1]);
        i += 2;
    }
}

/// `&...;`: `&amp;` becomes `&`, numbers (and gomarkdown's misreadings of names whose third
/// byte is a digit or `x`) become the code point, other names stay as written.
fn entity(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    let mut end = skip_char_n(data, 1, b'#', 1);
    while end < data.len() && is_alnum(data[end]) {
        end += 1;
    }
    if at(data, end) != b';' {
        return None;
    }
    end += 1;
    let ent = &data[..end];
    if ent == b"&amp;" {
        return Some((end, Some(Node::Text(b"&".to_vec()))));
    }
    if ent.len() < 4 {
        return Some((end, Some(Node::Text(ent.to_vec()))));
    }
    let digits = &ent[..ent.len() - 1];
    let parsed = if matches!(ent[2], b'x' | b'X') {
        parse_u64(&digits[3..], 16)
    } else {
        parse_u64(&digits[2..], 10)
    };
    match parsed {
        Some(cp) => {
            // Go: string(rune(uint64)) truncates to int32; invalid code points become U+FFFD.
            let r = cp as u32 as i32;
            let c = u32::try_from(r)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            Some((end, Some(Node::Text(c.to_string().into_bytes()))))
        }
        None => Some((end, Some(Node::Text(ent.to_vec())))),
    }
}

/// Go's `strconv.ParseUint(s, base, 64)` for base 10/16 (no sign, no prefix, no `_`).
fn parse_u64(s: &[u8], base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s {
        let d = (c as char).to_digit(base)? as u64;
        v = v.checked_mul(base as u64)?.checked_add(d)?;
    }
    Some(v)
}

/// A bare URL (`http://`, `https://`, `ftp://`, `mailto:`) at `offset`.
fn autolink(data: &[u8], offset: usize) -> Handled {
    // Inside `<a href="URL">URL</a>`: the rest of the anchor is raw HTML.
    let mut anchor_start = offset;
    let mut from_anchor = 0;
    while anchor_start > 0 && data[anchor_start] != b'<' {
        anchor_start -= 1;
        from_anchor += 1;
    }
    if let Some(len) = html_anchor_len(&data[anchor_start..])
        && len >= from_anchor
    {
        let lit = data[anchor_start + from_anchor..anchor_start + len].to_vec();
        return Some((len - from_anchor, Some(Node::Html(lit))));
    }
    let mut rewind = 0;
    while offset > rewind && rewind <= 7 && is_letter(data[offset - rewind - 1]) {
        rewind += 1;
    }
    if rewind > 6 {
        return None;
    }
    let orig = data;
    let data = &data[offset - rewind..];
    if !safe_url(data) {
        return None;
    }
    let mut link_end = 0;
    while link_end < data.len() && !is_space(data[link_end]) && data[link_end] != b'<' {
        link_end += 1;
    }
    if link_end < 2 {
        return None;
    }
    if matches!(data[link_end - 1], b'.' | b',') && data[link_end - 2] != b'\\' {
        link_end -= 1;
    }
    if data[link_end - 1] == b';' && data[link_end - 2] != b'\\' && !ends_with_entity(&data[..link_end]) {
        link_end -= 1;
    }
    let copen = match data[link_end - 1] {
        b'"' => b'"',
        b'\'' => b'\'',
        b')' => b'(',
        b']' => b'[',
        b'}' => b'{',
        _ => 0,
    };
    if copen != 0 {
        let close = data[link_end - 1];
        let mut buf_end = (offset - rewind + link_end) as isize - 2;
        let mut open = 1;
        while buf_end >= 0 && orig[buf_end as usize] != b'\n' && open != 0 {
            if orig[buf_end as usize] == close {
                open += 1;
            }
            if orig[buf_end as usize] == copen {
                open -= 1;
            }
            buf_end -= 1;
        }
        if open == 0 {
            link_end -= 1;
        }
    }
    let mut url = Vec::new();
    unescape_text(&mut url, &data[..link_end]);
    if url.is_empty() {
        return Some((link_end, None));
    }
    Some((
        link_end,
        Some(Node::Link {
            dest: url.clone(),
            title: Vec::new(),
            children: vec![Node::Text(url)],
        }),
    ))
}

/// gomarkdown's `IsSafeURL` for data starting with a letter.
fn safe_url(d: &[u8]) -> bool {
    for p in [&b"/"[..], b"./", b"../"] {
        if d.len() >= p.len() && &d[..p.len()] == p && (d.len() == p.len() || is_alnum(d[p.len()])) {
            return true;
        }
    }
    for p in [&b"http://"[..], b"https://", b"ftp://", b"mailto:"] {
        if d.len() > p.len() && d[..p.len()].eq_ignore_ascii_case(p) && is_alnum(d[p.len()]) {
            return true;
        }
    }
    false
}

/// Whether the text ends with `&[a-z]{2,5};` (the last such match ends at its end).
fn ends_with_entity(d: &[u8]) -> bool {
    // The last match of a non-overlapping left-to-right scan.
    let mut last_end = None;
    let mut i = 0;
    while i < d.len() {
        if d[i] == b'&' {
            let n = d[i + 1..].iter().take_while(|c| c.is_ascii_lowercase()).count();
            if (2..=5).contains(&n) && at(d, i + 1 + n) == b';' {
                last_end = Some(i + n + 2);
                i += n + 2;
                continue;
            }
            // A run longer than 5 can still match at its tail? No: `&` must precede it.
        }
        i += 1;
    }
    last_end == Some(d.len())
}

/// The URL character class of gomarkdown's anchor regular expression.
fn url_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-+&@#/%?=~_|!:,.;()".contains(&c)
}

/// `(https?|ftp)://` or `/`, then one or more URL characters: the length (greedy).
fn url_len(d: &[u8]) -> Option<usize> {
    let head = ["https://", "http://", "ftp://", "/"]
        .iter()
        .find(|p| d.starts_with(p.as_bytes()))?
        .len();
    let n = d[head..].iter().take_while(|&&c| url_char(c)).count();
    (n > 0).then_some(head + n)
}

/// `<a href="URL"( title="...")?\s?>URL</a>` at the start: its length. Go's regexp picks
/// the leftmost-first alternative; the greedy URL class backtracks, which matters only when
/// the URL is followed by characters of the class, so this tries every shorter URL too.
fn html_anchor_len(d: &[u8]) -> Option<usize> {
    let rest = d.strip_prefix(b"<a")?;
    let (&sp, rest) = rest.split_first()?;
    if !is_space(sp) {
        return None;
    }
    let rest = rest.strip_prefix(b"href=\"")?;
    let n = url_len(rest)?;
    let rest = rest[n..].strip_prefix(b"\"")?;
    let mut rest = rest;
    if let Some(r) = rest.split_first().filter(|(c, _)| is_space(**c)).map(|(_, r)| r)
        && let Some(t) = r.strip_prefix(b"title=\"")
    {
        let k = t
            .iter()
            .take_while(|&&c| !matches!(c, b'"' | b'<' | b'>'))
            .count();
        if k > 0 && at(t, k) == b'"' {
            rest = &t[k + 1..];
        }
    }
    if let Some((c, r)) = rest.split_first()
        && is_space(*c)
    {
        rest = r;
    }
    let rest = rest.strip_prefix(b">")?;
    let n = url_len(rest)?;
    // The closing tag right after the URL; a greedy URL may have eaten part of nothing here,
    // since `<` is not a URL character.
    let tail = rest[n..].strip_prefix(b"</a>")?;
    Some(d.len() - tail.len())
}

fn math(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    if data.len() <= 2 || data[1] == b'$' {
        return None;
    }
    let end = 1 + data[1..].iter().position(|&c| c == b'$')?;
    Some((end + 1, Some(Node::Math(data[1..end].to_vec()))))
}

/// The anchor text mdtoc reads from a heading: its text leaves and, from v1.4.0 on, its
/// code-span leaves, in order.
pub(crate) fn plain_text(nodes: &[Node], with_code: bool, out: &mut Vec<u8>) {
    for n in nodes {
        match n {
            Node::Text(t) => out.extend_from_slice(t),
            Node::Code(t) if with_code => out.extend_from_slice(t),
            Node::Image { alt, .. } => out.extend_from_slice(alt),
            Node::Link { children, .. }
            | Node::Emph(children)
            | Node::Strong(children)
            | Node::Del(children) => plain_text(children, with_code, out),
            _ => {}
        }
    }
}

/// gomarkdown's HTML for the nodes (default renderer options).
pub(crate) fn render(nodes: &[Node], in_link: bool, out: &mut Vec<u8>) {
    for n in nodes {
        match n {
            Node::Text(t) if in_link => escape_html(out, &unescape_entities(t)),
            Node::Text(t) => escape_html(out, t),
            Node::Code(t) => {
                out.extend_from_slice(b"<code>");
                escape_html(out, t);
                out.extend_from_slice(b"</code>");
            }
            Node::Link {
                dest,
                title,
                children,
            } => {
                out.extend_from_slice(b"<a href=\"");
                escape_html(out, &unescape_entities(dest));
                out.push(b'"');
                if !title.is_empty() {
                    out.extend_from_slice(b" title=\"");
                    escape_html(out, title);
                    out.push(b'"');
                }
                out.push(b'>');
                render(children, true, out);
                out.extend_from_slice(b"</a>");
            }
            Node::Image { dest, title, alt } => {
                out.extend_from_slice(b"<img src=\"");
                escape_html(out, &unescape_entities(dest));
                out.extend_from_slice(b"\" alt=\"");
                escape_html(out, alt);
                if let Some(t) = title {
                    out.extend_from_slice(b"\" title=\"");
                    escape_html(out, t);
                }
                out.extend_from_slice(b"\" />");
            }
            Node::Html(t) => out.extend_from_slice(t),
            Node::Math(t) => {
                out.extend_from_slice(b"<span class=\"math inline\">\\(");
                escape_html(out, t);
                out.extend_from_slice(b"\\)</span>");
            }
            Node::HardBreak => out.extend_from_slice(b"<br>\n"),
            Node::Emph(c) => wrap(out, b"em", c, in_link),
            Node::Strong(c) => wrap(out, b"strong", c, in_link),
            Node::Del(c) => wrap(out, b"del", c, in_link),
        }
    }
}

fn wrap(out: &mut Vec<u8>, tag: &[u8], children: &[Node], _in_link: bool) {
    out.push(b'<');
    out.extend_from_slice(tag);
    out.push(b'>');
    // gomarkdown escapes link text only for a Text node whose parent is the link itself.
    render(children, false, out);
    out.extend_from_slice(b"</");
    out.extend_from_slice(tag);
    out.push(b'>');
}

fn escape_html(out: &mut Vec<u8>, t: &[u8]) {
    for &c in t {
        match c {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(c),
        }
    }
}

/// Go's `html.UnescapeString`, for the entities KEP text uses: numeric references and the
/// common named ones. Anything else stays as written.
fn unescape_entities(t: &[u8]) -> Vec<u8> {
    if !t.contains(&b'&') {
        return t.to_vec();
    }
    let s = String::from_utf8_lossy(t);
    super::entities::unescape(&s).into_bytes()
}
