//! A deliberately naive model of LSP positions over a `&str`, written from the LSP spec alone
//! (lines end at `\n`, `\r\n` or `\r`; columns count utf-8 bytes, utf-16 units or code points;
//! out-of-range columns clamp to the line end, out-of-range lines to the text end, a column
//! inside a character floors to its start). The server's rope-based conversion and edit function
//! must agree with it on every input. Shared with tests/proptest_*.rs by path.

/// A column unit, mirroring the server's `Encoding` without depending on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Utf8,
    Utf16,
    Utf32,
}

impl Unit {
    pub fn of(self, c: char) -> usize {
        match self {
            Unit::Utf8 => c.len_utf8(),
            Unit::Utf16 => c.len_utf16(),
            Unit::Utf32 => 1,
        }
    }
}

/// `(start, content_end)` byte offsets of every line; there is always at least one line, and a
/// text ending in a line break has an empty last line.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, b.len()));
    out
}

/// The byte offset an LSP position names, clamped as the spec asks.
pub fn position_to_offset(text: &str, line: u32, column: u32, unit: Unit) -> usize {
    let lines = lines(text);
    let Some(&(start, end)) = lines.get(line as usize) else {
        return text.len();
    };
    let mut units = 0usize;
    for (i, c) in text[start..end].char_indices() {
        let next = units + unit.of(c);
        if next > column as usize {
            return start + i;
        }
        units = next;
    }
    end
}

/// The LSP position of a byte offset (clamped to the text, floored to a char boundary).
pub fn offset_to_position(text: &str, offset: usize, unit: Unit) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let lines = lines(text);
    // The line whose span (content and its break) holds the offset.
    let line = lines.iter().rposition(|&(s, _)| s <= offset).unwrap_or(0);
    let start = lines[line].0;
    let column: usize = text[start..offset].chars().map(|c| unit.of(c)).sum();
    (line as u32, column as u32)
}

/// Apply one replacement at LSP positions to `text`; `None` when the start is after the end.
pub fn replace(text: &str, start: (u32, u32), end: (u32, u32), new_text: &str, unit: Unit) -> Option<String> {
    let s = position_to_offset(text, start.0, start.1, unit);
    let e = position_to_offset(text, end.0, end.1, unit);
    if s > e {
        return None;
    }
    let mut out = String::with_capacity(text.len() + new_text.len());
    out.push_str(&text[..s]);
    out.push_str(new_text);
    out.push_str(&text[e..]);
    Some(out)
}
