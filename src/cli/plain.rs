//! `check`'s stdout when colour is off: the rendered output with its styles stripped, byte for
//! byte what `anstream::StripStream` writes, without running its escape-sequence state machine
//! over every byte of a large tree's output (2 % of a whole check's instructions).
//!
//! The renderer writes complete SGR sequences (`ESC [ digits/; m`) around text it copies from the
//! files (paths, messages, source lines). When a chunk holds no other escape or control byte,
//! stripping it from the parser's ground state only removes those sequences, and leaves the
//! parser in its ground state: the fast path does exactly that. Any other chunk (a source line
//! holding an ESC or a control character) goes through anstream's own stripper, and so does
//! everything after it, as the stripper's state may then carry over to the next chunk.

use std::io::{self, Write};

use anstream::adapter::StripBytes;

/// A writer that strips ANSI escapes and control characters as `anstream::StripStream` does.
pub(crate) struct PlainWriter<W: Write> {
    raw: W,
    /// The stripper of the slow path, with its state across writes.
    state: StripBytes,
    /// Whether the slow path was taken: from then on every byte goes through `state`.
    slow: bool,
}

impl<W: Write> PlainWriter<W> {
    pub(crate) fn new(raw: W) -> Self {
        PlainWriter {
            raw,
            state: StripBytes::new(),
            slow: false,
        }
    }

    #[cfg(test)]
    fn into_inner(self) -> W {
        self.raw
    }
}

/// Whether the stripper would drop `b` from ground state as a lone byte: C0 controls other than
/// ASCII whitespace, and DEL (ESC is handled by the caller).
fn stripped_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r')) || b == 0x7f
}

/// The pieces of `buf` between its SGR sequences, when every ESC in it starts a complete one
/// (`ESC [`, parameters of digits and `;`, `m`) and it holds no other byte the stripper drops;
/// `None` otherwise.
fn between_sgr(buf: &[u8]) -> Option<Vec<&[u8]>> {
    let mut pieces = Vec::new();
    let mut rest = buf;
    loop {
        let Some(esc) = memchr::memchr(0x1b, rest) else {
            pieces.push(rest);
            break;
        };
        pieces.push(&rest[..esc]);
        let seq = rest[esc + 1..].strip_prefix(b"[")?;
        let params = seq
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if seq.get(params) != Some(&b'm') {
            return None;
        }
        rest = &seq[params + 1..];
    }
    if pieces.iter().any(|p| p.iter().any(|&b| stripped_control(b))) {
        return None;
    }
    Some(pieces)
}

impl<W: Write> Write for PlainWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if !self.slow {
            if let Some(pieces) = between_sgr(buf) {
                for piece in pieces {
                    self.raw.write_all(piece)?;
                }
                return Ok(());
            }
            self.slow = true;
        }
        for printable in self.state.strip_next(buf) {
            self.raw.write_all(printable)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.raw.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What anstream's own StripStream writes for the same writes.
    fn reference(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut out = anstream::StripStream::new(Vec::new());
        for c in chunks {
            out.write_all(c).unwrap();
        }
        out.into_inner()
    }

    fn ours(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut out = PlainWriter::new(Vec::new());
        for c in chunks {
            out.write_all(c).unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn styles_are_stripped_and_text_kept() {
        let chunks = vec![
            b"\x1b[1mkeps/a/kep.yaml:1:1:\x1b[0m \x1b[1;31merror[x]\x1b[0m\x1b[1m: msg \xc3\xa9\x1b[0m\n"
                .to_vec(),
            b"\x1b[1;34m1 |\x1b[0m \ttext\r\n".to_vec(),
        ];
        assert_eq!(
            ours(&chunks),
            b"keps/a/kep.yaml:1:1: error[x]: msg \xc3\xa9\n1 | \ttext\r\n"
        );
        assert_eq!(ours(&chunks), reference(&chunks));
    }

    #[test]
    fn content_with_escapes_goes_the_slow_way_from_then_on() {
        let chunks = vec![
            b"\x1b[1mok\x1b[0m\n".to_vec(),
            b"\x1b[1;34m1 |\x1b[0m a\x1b]0;title\x07b\x1b\n".to_vec(),
            b"::error x\n".to_vec(),
            b"\x1b[1mok\x1b[0m\x7f\x01\n".to_vec(),
        ];
        assert_eq!(ours(&chunks), reference(&chunks));
    }

    proptest! {
        /// Any writes, styled or not, with escapes and controls anywhere: the same bytes as
        /// anstream's StripStream.
        #[test]
        fn same_as_strip_stream(chunks in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just(b"\x1b[1;31m".to_vec()),
                Just(b"\x1b[0m".to_vec()),
                Just(b"\x1b[".to_vec()),
                Just(b"\x1b".to_vec()),
                Just("é".as_bytes().to_vec()),
                Just(b"m;1[".to_vec()),
                (0u8..0x80).prop_map(|b| vec![b]),
                "[a-z \t\n|:^]{0,12}".prop_map(String::into_bytes),
            ], 0..12).prop_map(|parts| parts.concat()),
            0..6,
        )) {
            prop_assert_eq!(ours(&chunks), reference(&chunks));
        }
    }
}
