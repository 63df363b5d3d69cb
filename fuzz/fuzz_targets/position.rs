//! Position conversion (src/lsp/position.rs) on arbitrary text: every offset and every position,
//! in every encoding, agrees with the naive reference model, and round-trips on char boundaries.
#![no_main]

use kep_lsp::lsp::position::{Encoding, offset_to_position, position_to_offset};
use kep_lsp_fuzz::reference::{self, Unit};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use ropey::Rope;
use tower_lsp_server::ls_types::Position;

const ENCODINGS: [(Encoding, Unit); 3] = [
    (Encoding::Utf8, Unit::Utf8),
    (Encoding::Utf16, Unit::Utf16),
    (Encoding::Utf32, Unit::Utf32),
];

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let text: String = u.arbitrary()?;
    let rope = Rope::from_str(&text);
    for _ in 0..u.int_in_range(1..=16)? {
        // Offsets mostly near the text, sometimes anywhere.
        let offset = if u.ratio(7, 8)? {
            u.int_in_range(0..=text.len() + 4)?
        } else {
            u.arbitrary::<u32>()? as usize
        };
        let (line, column) = (u.arbitrary::<u8>()? as u32, u.arbitrary::<u16>()? as u32 % 300);
        for (enc, unit) in ENCODINGS {
            let p = offset_to_position(&rope, offset, enc);
            assert_eq!(
                (p.line, p.character),
                reference::offset_to_position(&text, offset, unit),
                "offset {offset} in {enc:?} of {text:?}"
            );
            let back = position_to_offset(&rope, p, enc);
            let floored = reference::position_to_offset(&text, p.line, p.character, unit);
            assert_eq!(back, floored, "round trip of {offset} in {enc:?} of {text:?}");
            let on_boundary = offset <= text.len() && text.is_char_boundary(offset);
            let inside_crlf = offset > 0
                && text.as_bytes().get(offset - 1) == Some(&b'\r')
                && text.as_bytes().get(offset) == Some(&b'\n');
            if on_boundary && !inside_crlf {
                assert_eq!(back, offset, "identity of {offset} in {enc:?} of {text:?}");
            }
            let at = position_to_offset(&rope, Position::new(line, column), enc);
            assert_eq!(
                at,
                reference::position_to_offset(&text, line, column, unit),
                "position {line}:{column} in {enc:?} of {text:?}"
            );
            assert!(text.is_char_boundary(at));
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
