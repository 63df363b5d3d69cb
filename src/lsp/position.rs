//! The one place where byte offsets (what the analysis core speaks) meet LSP `Position`s (line +
//! column in the negotiated encoding). Everything works on the document's rope, so a conversion
//! costs O(log n) and no edit ever converts the whole text.
//!
//! Lines break at `\n`, `\r\n` and `\r` only, as LSP says (ropey is built with `cr_lines` and
//! without `unicode_lines` for that). Out-of-range positions are clamped the way the spec asks:
//! a column past the end of its line means the end of the line (before its line break), a line
//! past the last line means the end of the text; a column inside a multi-unit character is
//! floored to that character's start.

use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind};

/// The unit an LSP column counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    /// The LSP default: what a client that says nothing speaks.
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// Pick from what the client offers (`general.positionEncodings`): utf-8 when offered (no
    /// conversion at all), else utf-16, which every client must support.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or(&[]);
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Byte offset of the end of `line`'s content (before `\n`, `\r\n` or `\r`).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    // Only the last one or two bytes can be a line break, so look at the tail chars only.
    let chars = slice.len_chars();
    if chars > 0 && slice.char(chars - 1) == '\n' {
        len -= 1;
        if chars > 1 && slice.char(chars - 2) == '\r' {
            len -= 1;
        }
    } else if chars > 0 && slice.char(chars - 1) == '\r' {
        len -= 1;
    }
    start + len
}

/// The largest char boundary at or before `byte` (clamped to the text).
fn floor_char_boundary(rope: &Rope, byte: usize) -> usize {
    let byte = byte.min(rope.len_bytes());
    // byte_to_char gives the char that contains the byte, so this floors mid-char offsets.
    rope.char_to_byte(rope.byte_to_char(byte))
}

/// The LSP position of a byte offset (clamped into the text, floored to a char boundary).
pub fn offset_to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = floor_char_boundary(rope, offset);
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let column = match enc {
        Encoding::Utf8 => offset - line_start,
        Encoding::Utf16 => {
            rope.char_to_utf16_cu(rope.byte_to_char(offset))
                - rope.char_to_utf16_cu(rope.byte_to_char(line_start))
        }
        Encoding::Utf32 => rope.byte_to_char(offset) - rope.byte_to_char(line_start),
    };
    Position::new(to_u32(line), to_u32(column))
}

/// The byte offset of an LSP position, clamped as the module comment says.
pub fn position_to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let line_end = line_content_end(rope, line);
    let column = pos.character as usize;
    let offset = match enc {
        Encoding::Utf8 => floor_char_boundary(rope, line_start.saturating_add(column).min(line_end)),
        Encoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(rope.byte_to_char(line_start));
            let end_cu = rope.char_to_utf16_cu(rope.byte_to_char(line_end));
            let target = start_cu.saturating_add(column).min(end_cu);
            // utf16_cu_to_char floors a column that falls between the halves of a surrogate pair.
            rope.char_to_byte(rope.utf16_cu_to_char(target))
        }
        Encoding::Utf32 => {
            let start_char = rope.byte_to_char(line_start);
            let end_char = rope.byte_to_char(line_end);
            rope.char_to_byte(start_char.saturating_add(column).min(end_char))
        }
    };
    offset.min(line_end)
}

/// A byte range as an LSP range: the one conversion every handler uses for results.
pub(crate) fn range_to_lsp(
    rope: &Rope,
    range: &Range<usize>,
    enc: Encoding,
) -> tower_lsp_server::ls_types::Range {
    let start = offset_to_position(rope, range.start, enc);
    let end = offset_to_position(rope, range.end.max(range.start), enc);
    tower_lsp_server::ls_types::Range::new(start, end)
}

/// An LSP range as bytes; `None` when its start lies after its end (an impossible range).
pub(crate) fn lsp_to_range(
    rope: &Rope,
    range: tower_lsp_server::ls_types::Range,
    enc: Encoding,
) -> Option<Range<usize>> {
    let start = position_to_offset(rope, range.start, enc);
    let end = position_to_offset(rope, range.end, enc);
    (start <= end).then_some(start..end)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    /// Every char boundary maps to a position and back to itself, in every encoding.
    fn round_trips(text: &str) {
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                let p = offset_to_position(&rope, i, enc);
                // A position between \r and \n is not a real position: it clamps to the line end.
                if i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n') {
                    assert_eq!(position_to_offset(&rope, p, enc), i - 1, "{text:?} {i} {enc:?}");
                    continue;
                }
                assert_eq!(position_to_offset(&rope, p, enc), i, "{text:?} at {i} in {enc:?}");
            }
        }
    }

    #[test]
    fn emoji_counts_two_utf16_units_and_four_bytes() {
        let text = "title: \"héllo 😀\"\nstatus: x\n";
        let rope = Rope::from_str(text);
        let after_emoji = text.find('😀').map(|i| i + '😀'.len_utf8()).unwrap_or(0);
        assert_eq!(
            offset_to_position(&rope, after_emoji, Encoding::Utf16),
            pos(0, 16)
        );
        assert_eq!(offset_to_position(&rope, after_emoji, Encoding::Utf8), pos(0, 19));
        assert_eq!(
            offset_to_position(&rope, after_emoji, Encoding::Utf32),
            pos(0, 15)
        );
        let status = text.find("status").unwrap_or(0);
        assert_eq!(offset_to_position(&rope, status, Encoding::Utf16), pos(1, 0));
        assert_eq!(position_to_offset(&rope, pos(1, 0), Encoding::Utf16), status);
        round_trips(text);
    }

    #[test]
    fn column_inside_a_surrogate_pair_floors_to_the_char_start() {
        let text = "a😀b";
        let rope = Rope::from_str(text);
        assert_eq!(position_to_offset(&rope, pos(0, 2), Encoding::Utf16), 1);
        assert_eq!(position_to_offset(&rope, pos(0, 3), Encoding::Utf16), 5);
        // utf-8 column 3 is inside the emoji's four bytes
        assert_eq!(position_to_offset(&rope, pos(0, 3), Encoding::Utf8), 1);
    }

    #[test]
    fn cjk_is_one_utf16_unit_and_three_bytes() {
        let text = "title: 日本語のKEP\nx";
        let rope = Rope::from_str(text);
        let k = text.find("KEP").unwrap_or(0);
        assert_eq!(offset_to_position(&rope, k, Encoding::Utf16), pos(0, 11));
        assert_eq!(offset_to_position(&rope, k, Encoding::Utf8), pos(0, 19));
        assert_eq!(position_to_offset(&rope, pos(0, 11), Encoding::Utf16), k);
        round_trips(text);
    }

    #[test]
    fn combining_marks_are_separate_code_points() {
        // "e" + U+0301 COMBINING ACUTE: two code points, two utf-16 units, three bytes.
        let text = "cafe\u{301} x\n";
        let rope = Rope::from_str(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(offset_to_position(&rope, x, Encoding::Utf16), pos(0, 6));
        assert_eq!(offset_to_position(&rope, x, Encoding::Utf8), pos(0, 7));
        round_trips(text);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a: 1\r\nb: 2\rc: 3\n";
        let rope = Rope::from_str(text);
        assert_eq!(
            offset_to_position(&rope, text.find('b').unwrap_or(0), Encoding::Utf16),
            pos(1, 0)
        );
        assert_eq!(
            offset_to_position(&rope, text.find('c').unwrap_or(0), Encoding::Utf16),
            pos(2, 0)
        );
        // Column past the end of line 0 clamps before the \r\n.
        assert_eq!(position_to_offset(&rope, pos(0, 99), Encoding::Utf16), 4);
        assert_eq!(position_to_offset(&rope, pos(1, 99), Encoding::Utf8), 10);
        round_trips(text);
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        // U+2028 and NEL are line breaks to ropey's default build, not to LSP.
        let text = "a\u{2028}b\u{85}c\nd";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(
            offset_to_position(&rope, text.find('c').unwrap_or(0), Encoding::Utf16),
            pos(0, 4)
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let rope = Rope::from_str(text);
        assert_eq!(position_to_offset(&rope, pos(0, 50), Encoding::Utf16), 2);
        assert_eq!(position_to_offset(&rope, pos(7, 0), Encoding::Utf16), text.len());
        assert_eq!(
            position_to_offset(&rope, pos(1, u32::MAX), Encoding::Utf8),
            text.len()
        );
        assert_eq!(offset_to_position(&rope, 999, Encoding::Utf16), pos(1, 2));
        let empty = Rope::from_str("");
        assert_eq!(position_to_offset(&empty, pos(3, 3), Encoding::Utf16), 0);
        assert_eq!(offset_to_position(&empty, 5, Encoding::Utf16), pos(0, 0));
    }

    #[test]
    fn trailing_newline_has_an_empty_last_line() {
        let text = "a\n";
        let rope = Rope::from_str(text);
        assert_eq!(offset_to_position(&rope, 2, Encoding::Utf16), pos(1, 0));
        assert_eq!(position_to_offset(&rope, pos(1, 0), Encoding::Utf16), 2);
    }

    #[test]
    fn impossible_range_is_none() {
        let rope = Rope::from_str("abc\ndef");
        let r = tower_lsp_server::ls_types::Range::new(pos(1, 1), pos(0, 1));
        assert_eq!(lsp_to_range(&rope, r, Encoding::Utf16), None);
        let r = tower_lsp_server::ls_types::Range::new(pos(0, 1), pos(1, 1));
        assert_eq!(lsp_to_range(&rope, r, Encoding::Utf16), Some(1..5));
    }

    #[test]
    fn negotiation_prefers_utf8_and_defaults_to_utf16() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
