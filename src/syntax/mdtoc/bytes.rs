//! Byte-level helpers shared by the block scanner and the inline parser. Offsets are byte
//! indexes into the slice given; nothing here panics on any index (out-of-range reads are
//! treated as "no such byte", where gomarkdown would read past the end).

/// The byte at `i`, or 0 past the end (0 never matches anything the scanners look for).
pub(super) fn at(d: &[u8], i: usize) -> u8 {
    d.get(i).copied().unwrap_or(0)
}

/// First index at or after `i` whose byte is not `c`.
pub(super) fn skip_char(d: &[u8], mut i: usize, c: u8) -> usize {
    while i < d.len() && d[i] == c {
        i += 1;
    }
    i
}

/// Like `skip_char`, skipping at most `max` bytes.
pub(super) fn skip_char_n(d: &[u8], mut i: usize, c: u8, mut max: usize) -> usize {
    while i < d.len() && max > 0 && d[i] == c {
        i += 1;
        max -= 1;
    }
    i
}

/// First index at or after `i` holding `c`, or `d.len()`.
pub(super) fn skip_until(d: &[u8], i: usize, c: u8) -> usize {
    d.get(i..)
        .and_then(|rest| memchr::memchr(c, rest))
        .map_or(d.len().max(i), |p| i + p)
}

/// gomarkdown's line walk `for i < len(d) && d[i-1] != '\n' { i++ }` (its way to the start of
/// the next line when `i` is inside one), with memchr: `i` itself when it is 0, at or past the
/// end, or just after a `\n`; else just past the next `\n` at or after `i`, or `d.len()`.
pub(super) fn past_line_end(d: &[u8], i: usize) -> usize {
    if i == 0 || i >= d.len() {
        return i;
    }
    memchr::memchr(b'\n', &d[i - 1..]).map_or(d.len(), |k| i + k)
}

/// Back to just after the previous `c` from `i`.
pub(super) fn back_until(d: &[u8], mut i: usize, c: u8) -> usize {
    while i > 0 && d[i - 1] != c {
        i -= 1;
    }
    i
}

/// gomarkdown's "blank line": the bytes up to the first `\n` are spaces or tabs. Returns the
/// length of that line with its `\n` (0 when not blank, or when `d` is empty).
pub(super) fn blank_line(d: &[u8]) -> usize {
    if d.is_empty() {
        return 0;
    }
    let mut i = 0;
    while i < d.len() && d[i] != b'\n' {
        if d[i] != b' ' && d[i] != b'\t' {
            return 0;
        }
        i += 1;
    }
    skip_char_n(d, i, b'\n', 1)
}

/// Go's `IsSpace` of gomarkdown: ASCII space, tab, newlines, form feed, vertical tab.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0x0b)
}

pub(super) fn is_letter(c: u8) -> bool {
    c.is_ascii_alphabetic()
}

pub(super) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

pub(super) fn is_punctuation(c: u8) -> bool {
    c.is_ascii_punctuation()
}

/// Whether the byte at `i` is preceded by an odd number of backslashes.
pub(super) fn backslash_escaped(d: &[u8], i: usize) -> bool {
    let mut n = 0;
    while i > n && d[i - n - 1] == b'\\' {
        n += 1;
    }
    n % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_line_end_walks_as_the_loop_does() {
        let walk = |d: &[u8], mut i: usize| {
            while i > 0 && i < d.len() && d[i - 1] != b'\n' {
                i += 1;
            }
            i
        };
        for d in [&b""[..], b"\n", b"a", b"ab\ncd\n\nef", b"\n\nx\n", b"abc"] {
            for i in 0..d.len() + 2 {
                assert_eq!(past_line_end(d, i), walk(d, i), "{d:?} {i}");
            }
        }
    }
}
