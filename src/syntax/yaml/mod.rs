//! The one YAML reader (kep.yaml, PRR files, a legacy KEP's front matter).
//!
//! `read(text, block)` is the entry point: its `YamlText` carries the recovered block structure
//! of the text as typed (`lines`: every line's indent, key, list item, comment; `top`: the
//! top-level entries with what belongs to them), which holds on half-typed text that does not
//! parse, and, asked for, the parse (`YamlText::parsed`: yaml.v3's view as a span-aware tree
//! with duplicate keys kept, and its errors). The editor's questions are its methods
//! (`queries`): which key or list item is under a byte offset, the value and block of a key,
//! where a new key or item goes, which top-level keys are present.
//!
//! Inside: `lex` defines once what a key, a comment, a dash, a block scalar and a quoted
//! scalar are, for both `parse` (saphyr-parser's events, with yaml.v3's fix-ups) and `lines`
//! (the line reading). The rules that must see exactly what upstream sees call `parse` (or
//! `parse_masked`, for text with parts upstream does not read) directly.

mod lex;
mod lines;
mod parse;
mod queries;

use std::cell::OnceCell;
use std::ops::Range;

pub(crate) use lex::{unquote, unquoted_range};
pub use lines::{Entry, Line, LineKind};
pub use parse::{Node, NodeKind, Scalar, Style, YamlDoc, YamlError, parse};
pub(crate) use parse::{mask_go_tabs, parse_masked};
pub use queries::PathSegment;

/// A YAML block read both ways: line by line (always) and parsed (on demand).
///
/// Public for the integration tests (`tests/it/syntax`), which check its queries on fixtures.
pub struct YamlText<'t> {
    /// The whole text the block sits in (a kep.yaml, or a README with front matter).
    pub text: &'t str,
    /// Byte range of the block in `text` (0-based).
    pub block: Range<usize>,
    /// Every line of the block, in order.
    pub lines: Vec<Line>,
    /// The top-level entries (indent 0) of the first document, in order, repeated keys kept.
    pub top: Vec<Entry>,
    parsed: OnceCell<YamlDoc>,
}

/// Read `text[block]` (byte range, clamped to char boundaries inside `text`). Never fails: the
/// line structure is always there; the parse, asked for with `parsed`, carries its errors.
pub fn read(text: &str, block: Range<usize>) -> YamlText<'_> {
    let lines = lines::lines(text, block.clone());
    let top = lines::entries(text, &lines, 0, lines::first_document_end(&lines), 0);
    YamlText {
        text,
        block,
        lines,
        top,
        parsed: OnceCell::new(),
    }
}

impl<'t> YamlText<'t> {
    /// The parse of the block (computed once): the tree where it could be read and the first
    /// syntax error; spans are byte ranges into `text` (not into the block).
    pub fn parsed(&self) -> &YamlDoc {
        self.parsed.get_or_init(|| {
            let block =
                self.lines.first().map_or(0, |l| l.range.start)..self.lines.last().map_or(0, |l| l.range.end);
            let mut doc = parse(&self.text[block.clone()]);
            if let Some(root) = &mut doc.root {
                root.shift(block.start);
            }
            for e in &mut doc.errors {
                e.range = e.range.start + block.start..e.range.end + block.start;
            }
            doc
        })
    }
}
