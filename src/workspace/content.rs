//! A file's bytes as the text the core analyses, or the `invalid-content` finding that says why
//! they are not: bytes that are not UTF-8, a NUL byte, a file over `MAX_FILE_SIZE`. Such a file
//! is a finding on that file (CI fails a kep.yaml like that: yaml.v3 stops at the first bad
//! byte), not a failure of the run: `check` reports it in every format and exits 1, the server
//! publishes it.

use std::fs;
use std::path::Path;

use crate::analysis::{Code, Finding};

use super::scan::MAX_FILE_SIZE;

/// What a file holds, as far as the core is concerned.
#[derive(Debug, Clone)]
pub struct FileContent {
    /// The text: the file itself when it is valid; for bytes that are not UTF-8, a lossy copy
    /// (each bad sequence becomes U+FFFD, everything before the first one is byte-for-byte the
    /// file) so that positions and source lines can be shown; empty for a file too large to read.
    pub text: String,
    /// Why the file is not text the core checks (byte range into `text`: the first bad byte's
    /// replacement character, the NUL, or `0..0`); when set, no other finding applies to it.
    pub problem: Option<Finding>,
}

/// Read `path` with the size limit and decode it (`decode`). `Err` only for what stops the read
/// itself (missing, unreadable, not a regular file): those are failures of the run, not findings.
pub(crate) fn read_content(path: &Path) -> Result<FileContent, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    // A FIFO or device named like a KEP file would block the read forever.
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_FILE_SIZE {
        return Ok(too_large(meta.len()));
    }
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    Ok(decode(&name, bytes))
}

/// A file of `len` bytes, over the limit: not read, one finding at its start.
pub(crate) fn too_large(len: u64) -> FileContent {
    FileContent {
        text: String::new(),
        problem: Some(Finding::new(
            Code::InvalidContent,
            0..0,
            format!(
                "file too large to check ({len} bytes, the limit is {MAX_FILE_SIZE}): a KEP file is text of a few kilobytes"
            ),
        )),
    }
}

/// Decode the bytes of the file named `name` (the name only picks the words: a `.yaml` file's
/// message quotes yaml.v3's, as CI prints them).
pub fn decode(name: &str, bytes: Vec<u8>) -> FileContent {
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    // yaml.v3 reads UTF-16 with a byte order mark as well (and upstream's `---` split sees no
    // `---` in it), so CI accepts such a kep.yaml: read it as its text.
    let bytes = match (yaml, utf16_text(&bytes)) {
        (true, Some(text)) => text.into_bytes(),
        _ => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let problem = memchr::memchr(0, text.as_bytes()).map(|at| {
                let upstream = if yaml {
                    " (yaml.v3: \"control characters are not allowed\")"
                } else {
                    ""
                };
                Finding::new(
                    Code::InvalidContent,
                    at..at + 1,
                    format!("the file holds a NUL byte{upstream}: it is binary or damaged; remove the byte"),
                )
            });
            FileContent { text, problem }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let byte = bytes[at];
            let upstream = if yaml {
                format!(" (yaml.v3: \"{}\")", yaml_v3_utf8_error(&bytes[at..]))
            } else {
                String::new()
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // The lossy text keeps the valid prefix, so `at` is the replacement character's start.
            let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
            FileContent {
                problem: Some(Finding::new(
                    Code::InvalidContent,
                    at..end,
                    format!(
                        "the file is not UTF-8 text: byte 0x{byte:02X} here is not valid UTF-8{upstream}; save the file as UTF-8"
                    ),
                )),
                text,
            }
        }
    }
}

/// The text of UTF-16 bytes that open with a byte order mark (`FF FE` little-endian, `FE FF`
/// big-endian), when they decode; the mark is kept, as U+FEFF, like a UTF-8 file's.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

/// yaml.v3's reader error for the invalid UTF-8 sequence at the start of `rest` (its
/// `yaml_parser_update_buffer` checks, in its order).
fn yaml_v3_utf8_error(rest: &[u8]) -> &'static str {
    let first = rest[0];
    let width = match first {
        b if b & 0xE0 == 0xC0 => 2,
        b if b & 0xF0 == 0xE0 => 3,
        b if b & 0xF8 == 0xF0 => 4,
        _ => return "invalid leading UTF-8 octet",
    };
    if rest.len() < width {
        return "incomplete UTF-8 octet sequence";
    }
    let mut value = u32::from(first & (0xFF >> (width + 1)));
    for &b in &rest[1..width] {
        if b & 0xC0 != 0x80 {
            return "invalid trailing UTF-8 octet";
        }
        value = (value << 6) | u32::from(b & 0x3F);
    }
    let shortest = match width {
        2 => value >= 0x80,
        3 => value >= 0x800,
        _ => value >= 0x10000,
    };
    if !shortest {
        return "invalid length of a UTF-8 sequence";
    }
    "invalid Unicode character"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(name: &str, bytes: &[u8]) -> (std::ops::Range<usize>, String) {
        let c = decode(name, bytes.to_vec());
        let f = c.problem.expect("a problem");
        assert_eq!(f.code, Code::InvalidContent);
        assert_eq!(f.severity, crate::analysis::Severity::Error);
        assert!(c.text.is_char_boundary(f.range.start) && c.text.is_char_boundary(f.range.end));
        (f.range, f.message)
    }

    #[test]
    fn valid_text_has_no_problem() {
        let c = decode("kep.yaml", "title: héllo\n".as_bytes().to_vec());
        assert!(c.problem.is_none());
        assert_eq!(c.text, "title: héllo\n");
    }

    #[test]
    fn first_bad_byte_is_the_range_with_yaml_v3_words() {
        let (range, message) = problem("kep.yaml", b"title: caf\xE9 au lait\n");
        assert_eq!(range, 10..13);
        assert_eq!(
            message,
            "the file is not UTF-8 text: byte 0xE9 here is not valid UTF-8 (yaml.v3: \"invalid trailing UTF-8 octet\"); save the file as UTF-8"
        );
        let (_, message) = problem("README.md", b"# x\n\xFF\n");
        assert_eq!(
            message,
            "the file is not UTF-8 text: byte 0xFF here is not valid UTF-8; save the file as UTF-8"
        );
    }

    #[test]
    fn yaml_v3_reader_errors() {
        assert_eq!(yaml_v3_utf8_error(b"\x80"), "invalid leading UTF-8 octet");
        assert_eq!(yaml_v3_utf8_error(b"\xFF"), "invalid leading UTF-8 octet");
        assert_eq!(yaml_v3_utf8_error(b"\xE2\x82"), "incomplete UTF-8 octet sequence");
        assert_eq!(yaml_v3_utf8_error(b"\xC3("), "invalid trailing UTF-8 octet");
        assert_eq!(
            yaml_v3_utf8_error(b"\xC0\x80"),
            "invalid length of a UTF-8 sequence"
        );
        assert_eq!(yaml_v3_utf8_error(b"\xED\xA0\x80"), "invalid Unicode character");
        assert_eq!(
            yaml_v3_utf8_error(b"\xF4\x90\x80\x80"),
            "invalid Unicode character"
        );
    }

    #[test]
    fn utf16_yaml_with_a_byte_order_mark_is_text() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("title: é\n".encode_utf16().flat_map(u16::to_le_bytes));
        let c = decode("kep.yaml", le);
        assert!(c.problem.is_none());
        assert_eq!(c.text, "\u{feff}title: é\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend("a: b\n".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode("kep.yaml", be).text, "\u{feff}a: b\n");
        // Not for Markdown, nor for odd lengths.
        assert!(decode("README.md", vec![0xFF, 0xFE, b'#', 0]).problem.is_some());
        assert!(decode("kep.yaml", vec![0xFF, 0xFE, b'#']).problem.is_some());
    }

    #[test]
    fn nul_byte() {
        let (range, message) = problem("kep.yaml", b"title: x\n# a\x00b\n");
        assert_eq!(range, 12..13);
        assert!(
            message.contains("control characters are not allowed"),
            "{message}"
        );
    }

    #[test]
    fn too_large_is_a_finding_at_the_start() {
        let c = too_large(MAX_FILE_SIZE + 1);
        assert_eq!(c.text, "");
        assert_eq!(c.problem.unwrap().range, 0..0);
    }
}
