//! Property tests of position conversion (src/lsp/position.rs) against the naive reference model
//! of the LSP spec (fuzz/src/reference.rs, shared with the `position` fuzz target):
//! offset -> position -> offset is the identity on char boundaries in every encoding, and
//! off-boundary offsets and out-of-range positions clamp exactly as the model says.
//!
//! Case counts are fixed (CASES) so CI stays at a few seconds.

use super::reference;

use kep_lsp::lsp::position::{Encoding, offset_to_position, position_to_offset};
use proptest::prelude::*;
use reference::Unit;
use ropey::Rope;
use tower_lsp_server::ls_types::Position;

const CASES: u32 = 256;

const ENCODINGS: [(Encoding, Unit); 3] = [
    (Encoding::Utf8, Unit::Utf8),
    (Encoding::Utf16, Unit::Utf16),
    (Encoding::Utf32, Unit::Utf32),
];

/// Pieces that stress line breaking and unit counting: every line-break form (and the Unicode
/// ones LSP does NOT break at), 1- to 4-byte chars, a combining mark, a BOM, NUL.
const PIECES: &[&str] = &[
    "a", "key: ", " ", "\t", "é", "字", "😀", "\u{301}", "\u{feff}", "\0", "\n", "\r", "\r\n", "\n\r",
    "\u{2028}", "\u{85}", "\u{c}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..48).prop_map(|v| v.concat())
}

fn inside_crlf(text: &str, i: usize) -> bool {
    i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') && text.as_bytes().get(i) == Some(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn offset_position_offset_is_the_identity_on_char_boundaries(text in text()) {
        let rope = Rope::from_str(&text);
        let boundaries = text.char_indices().map(|(i, _)| i).chain([text.len()]);
        for i in boundaries {
            for (enc, unit) in ENCODINGS {
                let p = offset_to_position(&rope, i, enc);
                prop_assert_eq!((p.line, p.character), reference::offset_to_position(&text, i, unit));
                let back = position_to_offset(&rope, p, enc);
                // Between \r and \n is not a position: it clamps to the end of the line.
                let expected = if inside_crlf(&text, i) { i - 1 } else { i };
                prop_assert_eq!(back, expected, "offset {} in {:?}", i, enc);
            }
        }
    }

    #[test]
    fn any_offset_clamps_to_the_char_it_falls_in(text in text(), extra in 0usize..8, pick in any::<prop::sample::Index>()) {
        let rope = Rope::from_str(&text);
        // Any byte, including the middle of a char and past the end.
        let offset = pick.index(text.len() + 1) + extra * usize::from(extra > 5) * 1000;
        let mut floor = offset.min(text.len());
        while !text.is_char_boundary(floor) {
            floor -= 1;
        }
        for (enc, unit) in ENCODINGS {
            let p = offset_to_position(&rope, offset, enc);
            prop_assert_eq!((p.line, p.character), reference::offset_to_position(&text, offset, unit));
            prop_assert_eq!(p, offset_to_position(&rope, floor, enc));
        }
    }

    #[test]
    fn any_position_clamps_into_the_text(text in text(), line in 0u32..20, column in prop_oneof![0u32..12, Just(u32::MAX)]) {
        let rope = Rope::from_str(&text);
        for (enc, unit) in ENCODINGS {
            let at = position_to_offset(&rope, Position::new(line, column), enc);
            prop_assert!(at <= text.len() && text.is_char_boundary(at));
            prop_assert_eq!(at, reference::position_to_offset(&text, line, column, unit), "{}:{} in {:?}", line, column, enc);
        }
    }
}

#[test]
fn the_reference_model_is_itself_right_on_known_cases() {
    // The model is what the properties trust, so pin it on hand-counted cases.
    let t = "a😀b\r\nc\rd\n";
    assert_eq!(reference::lines(t), vec![(0, 6), (8, 9), (10, 11), (12, 12)]);
    assert_eq!(reference::offset_to_position(t, 5, Unit::Utf16), (0, 3));
    assert_eq!(reference::offset_to_position(t, 5, Unit::Utf8), (0, 5));
    assert_eq!(reference::offset_to_position(t, 5, Unit::Utf32), (0, 2));
    assert_eq!(reference::offset_to_position(t, 3, Unit::Utf16), (0, 1)); // mid-emoji floors
    assert_eq!(reference::position_to_offset(t, 0, 2, Unit::Utf16), 1); // between surrogates
    assert_eq!(reference::position_to_offset(t, 0, 99, Unit::Utf16), 6);
    assert_eq!(reference::position_to_offset(t, 2, 0, Unit::Utf16), 10);
    assert_eq!(reference::position_to_offset(t, 9, 0, Unit::Utf16), t.len());
}
