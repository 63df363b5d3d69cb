//! The server's one edit function (`apply_changes`, src/lsp/documents.rs) on arbitrary edit
//! sequences: the rope ends equal to the same edits applied to a String through the naive
//! reference model; an impossible range is refused at the same index.
#![no_main]

use kep_lsp::lsp::documents::{EditError, apply_changes};
use kep_lsp::lsp::position::Encoding;
use kep_lsp_fuzz::reference::{self, Unit};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

fn position(u: &mut Unstructured<'_>) -> Result<(u32, u32)> {
    Ok((u.int_in_range(0..=12)?, u.int_in_range(0..=40)?))
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let (enc, unit) = *u.choose(&[
        (Encoding::Utf8, Unit::Utf8),
        (Encoding::Utf16, Unit::Utf16),
        (Encoding::Utf32, Unit::Utf32),
    ])?;
    let mut text: String = u.arbitrary()?;
    let mut rope = Rope::from_str(&text);
    for _ in 0..u.int_in_range(1..=8)? {
        // One didChange: a batch of changes, applied all or nothing.
        let mut batch = Vec::new();
        let mut expected = Some(text.clone());
        let mut refused_at = None;
        for index in 0..u.int_in_range(1..=6)? {
            let new_text: String = u.arbitrary()?;
            let change = if u.ratio(1, 16)? {
                expected = expected.map(|_| new_text.clone());
                TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: new_text,
                }
            } else {
                let (start, end) = (position(u)?, position(u)?);
                if let Some(t) = expected.take() {
                    expected = reference::replace(&t, start, end, &new_text, unit);
                    if expected.is_none() {
                        refused_at = Some(index);
                    }
                }
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(
                        Position::new(start.0, start.1),
                        Position::new(end.0, end.1),
                    )),
                    range_length: None,
                    text: new_text,
                }
            };
            batch.push(change);
        }
        let mut edited = rope.clone();
        match (apply_changes(&mut edited, &batch, enc), expected, refused_at) {
            (Ok(()), Some(t), None) => {
                assert_eq!(edited.to_string(), t, "{enc:?} {batch:?}");
                rope = edited;
                text = t;
            }
            (Err(EditError::ImpossibleRange { index }), None, Some(at)) => assert_eq!(index, at),
            (got, _, at) => panic!("apply_changes gave {got:?}, the reference refused at {at:?}"),
        }
        assert_eq!(rope.len_bytes(), text.len());
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
