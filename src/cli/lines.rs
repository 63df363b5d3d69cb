//! Byte offsets to the 1-based line and column (in Unicode characters) that the `check` output
//! prints. The LSP edge has its own conversions (UTF-16 and friends); a terminal, a JSON consumer
//! and GitHub annotations all count characters.

/// The start offsets of every line of a text.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and column (characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    #[cfg(test)]
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex::upto(text, text.len())
    }

    /// The index of the lines up to the one holding byte `reach` (and where the next one
    /// starts): enough for `line_col` of offsets up to `reach` and `line_text` of their lines,
    /// without a pass over the rest of the text.
    pub(crate) fn upto(text: &str, reach: usize) -> LineIndex {
        let mut starts = vec![0];
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            starts.push(i + 1);
            if i >= reach {
                break;
            }
        }
        LineIndex { starts }
    }

    /// The line and column of a byte offset (clamped into the text, floored to a char boundary).
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub(crate) fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "title: \"héllo 😀\"\nstatus: x\r\nend";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let status = text.find("status").unwrap();
        assert_eq!(idx.line_col(text, status), LineCol { line: 2, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 9 });
        let quote = text.rfind('"').unwrap();
        assert_eq!(idx.line_col(text, quote), LineCol { line: 1, column: 16 });
        // Inside the emoji: floored to its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(idx.line_col(text, emoji + 2), LineCol { line: 1, column: 15 });
        assert_eq!(idx.line_col(text, text.len() + 5), LineCol { line: 3, column: 4 });
        assert_eq!(idx.line_text(text, 2), "status: x");
        assert_eq!(idx.line_text(text, 9), "");
    }

    /// An index cut at an offset answers like the whole one for offsets up to it.
    #[test]
    fn cut_index_agrees_up_to_its_reach() {
        let text = "a\nbb\n\nccc\r\nd\n";
        let whole = LineIndex::new(text);
        for reach in 0..=text.len() {
            let cut = LineIndex::upto(text, reach);
            for at in 0..=reach {
                let lc = cut.line_col(text, at);
                assert_eq!(lc, whole.line_col(text, at), "reach {reach} at {at}");
                assert_eq!(cut.line_text(text, lc.line), whole.line_text(text, lc.line));
            }
        }
    }
}
