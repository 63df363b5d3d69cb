//! The editor's questions to a YAML block, answered from its line structure so that they hold
//! on half-typed text: what is under the cursor, where a key's value and block are, where a new
//! key or list item goes, which keys are present.
//!
//! Units: every offset and range is in bytes (0-based) into `YamlText::text`; line numbers are
//! indices into `YamlText::lines` (0-based).

use std::ops::Range;

use super::YamlText;
use super::lex;
use super::lines::{self, Entry, Line, LineKind};

/// One step of the path to a place in the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A mapping key (unquoted).
    Key(String),
    /// A block-sequence item: its index among the items of its list (0-based).
    Item(usize),
}

impl<'t> YamlText<'t> {
    /// Index of the line holding byte `offset` (the last line when past the end; None for an
    /// empty block).
    pub fn line_at(&self, offset: usize) -> Option<usize> {
        lines::line_at(&self.lines, offset)
    }

    /// The top-level entry `key` (the first when the key is repeated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.top.iter().find(|e| e.key == key)
    }

    /// Every key written in the block, as `(column, key)` with how often it is written: the
    /// column (bytes from the line start, 0-based) of the key itself, also for the key of a
    /// `- key: value` item; keys unquoted; lines inside block scalars are text, not keys. Holds
    /// on text that does not parse: the metadata fix gate compares it before and after a fix
    /// to refuse a fix that writes a key the file already has.
    pub(crate) fn key_counts(&self) -> std::collections::BTreeMap<(usize, &'t str), usize> {
        let mut out = std::collections::BTreeMap::new();
        for line in &self.lines {
            let key = match &line.kind {
                LineKind::Key { key, .. } | LineKind::Item { key: Some(key), .. } => key,
                _ => continue,
            };
            let name = lex::unquote(&self.text[key.clone()]);
            *out.entry((key.start - line.range.start, name)).or_insert(0) += 1;
        }
        out
    }

    /// The top-level keys present, in order (a repeated key as often as it is written).
    pub fn top_keys(&self) -> Vec<&str> {
        self.top.iter().map(|e| e.key.as_str()).collect()
    }

    /// The inline value of top-level `key` as written (quotes kept, comment left out): an
    /// empty range right after `key:` when the value is on the next lines or missing.
    pub fn value_range(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|e| e.value.clone())
    }

    /// The block of top-level `key`: from the key to the end of its last child line (blank
    /// lines and comments after it excluded).
    pub fn block_of(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|e| e.full.clone())
    }

    /// The unquoted inline value of a top-level key (None when absent or empty).
    pub(crate) fn scalar(&self, key: &str) -> Option<&'t str> {
        let e = self.entry(key)?;
        let v = lex::unquote(&self.text[e.value.clone()]);
        (!v.is_empty()).then_some(v)
    }

    /// The inline value of a top-level key as written (quotes kept; None when absent or empty).
    pub(crate) fn raw_scalar(&self, key: &str) -> Option<&'t str> {
        let e = self.entry(key)?;
        (!e.value.is_empty()).then(|| &self.text[e.value.clone()])
    }

    /// The entries of a nested map under top-level `key` (e.g. `milestone`).
    pub(crate) fn sub_entries(&self, key: &str) -> Vec<Entry> {
        self.entry(key).map(|e| self.children_of(e)).unwrap_or_default()
    }

    /// The entries nested one level under `e` (the keys of a map like `milestone`), read at
    /// the indent of `e`'s first child line.
    pub(crate) fn children_of(&self, e: &Entry) -> Vec<Entry> {
        lines::sub_entries(self.text, &self.lines, e)
    }

    /// The scalar ranges of an entry: its inline value, then the value of each `- item` child
    /// line (empty ones included), in order.
    pub(crate) fn values_of(&self, e: &Entry) -> Vec<Range<usize>> {
        lines::entry_values(&self.lines, e)
    }

    /// The `- ` item lines of entry `e`'s own list (not those of deeper lists): the item
    /// child lines at the indent of its first child line.
    pub(crate) fn items_of(&self, e: &Entry) -> Vec<&Line> {
        let Some(&first) = e.children.first() else {
            return Vec::new();
        };
        let indent = self.lines[first].indent;
        e.children
            .iter()
            .map(|&c| &self.lines[c])
            .filter(|l| l.indent <= indent && matches!(l.kind, LineKind::Item { .. }))
            .collect()
    }

    /// The inline values of every `name:` key of the first document, at any depth, in order.
    pub(crate) fn values_of_key(&self, name: &str) -> Vec<Range<usize>> {
        let end = lines::first_document_end(&self.lines);
        self.lines[..end]
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Key { .. }) && l.key(self.text) == Some(name))
            .filter_map(Line::value)
            .collect()
    }

    /// The runs of consecutive comment lines, each from its first line's start to its last
    /// line's end.
    pub(crate) fn comment_runs(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut run: Option<Range<usize>> = None;
        for l in &self.lines {
            if l.kind == LineKind::Comment {
                run = Some(run.map_or(l.range.clone(), |r| r.start..l.range.end));
            } else if let Some(r) = run.take() {
                out.push(r);
            }
        }
        out.extend(run);
        out
    }

    /// Whether a `#` comment starts on `offset`'s line before `offset` (outside quotes).
    pub fn in_comment(&self, offset: usize) -> bool {
        let Some(li) = self.line_at(offset) else {
            return false;
        };
        let start = self.lines[li].range.start;
        let offset = offset.clamp(start, self.lines[li].range.end.max(start));
        self.text
            .get(start..offset)
            .is_some_and(|prefix| lex::comment_start(prefix).is_some())
    }

    /// The key of the mapping that holds line `li` at column `indent`: the first line above
    /// (blank lines and comments skipped) with less indent, or, when `items_at_same_indent`
    /// (`li` is a list item, which may sit at its key's indent), a non-item line at the same
    /// indent. None when that line is not a `key:` line (the top level, or inside an item).
    pub(crate) fn enclosing_key(
        &self,
        li: usize,
        indent: usize,
        items_at_same_indent: bool,
    ) -> Option<&'t str> {
        let text: &'t str = self.text;
        for l in self.lines[..li.min(self.lines.len())].iter().rev() {
            if l.is_blank_or_comment() {
                continue;
            }
            let is_item = matches!(l.kind, LineKind::Item { .. });
            if l.indent < indent || (items_at_same_indent && l.indent == indent && !is_item) {
                return l.key(text);
            }
        }
        None
    }

    /// The other list items around line `li`: the contiguous `- ` lines of the same indent
    /// before and after it, as their value ranges.
    pub(crate) fn sibling_items(&self, li: usize) -> Vec<Range<usize>> {
        let Some(here) = self.lines.get(li) else {
            return Vec::new();
        };
        let same_list = |l: &&Line| l.indent == here.indent && matches!(l.kind, LineKind::Item { .. });
        let before = self.lines[..li].iter().rev().take_while(same_list);
        let after = self.lines[li + 1..].iter().take_while(same_list);
        before.chain(after).filter_map(Line::value).collect()
    }

    /// The run of comment lines right above `e` (byte range of whole lines with their breaks;
    /// empty at the key's line start when there is none).
    pub(crate) fn comments_above(&self, e: &Entry) -> Range<usize> {
        let first = self.lines[..e.line]
            .iter()
            .rposition(|l| l.kind != LineKind::Comment)
            .map_or(0, |p| p + 1);
        let start = self.lines.get(first).map_or(e.full.start, |l| l.range.start);
        start.min(e.full.start)..self.lines[e.line].range.start
    }

    /// The path to byte `offset`: the keys and list items that hold it, outermost first. On a
    /// key line the path ends with that key; on a list item with its index (and with the key
    /// of `- key: value` when the offset is at or after that key); on a blank or half-typed
    /// line with the place a key typed at `offset`'s column would have. Empty at the top level
    /// outside any key, and in a comment.
    pub fn path_at(&self, offset: usize) -> Vec<PathSegment> {
        let Some(li) = self.line_at(offset) else {
            return Vec::new();
        };
        let line = &self.lines[li];
        let mut path = Vec::new();
        let column = match &line.kind {
            LineKind::Comment | LineKind::DocMarker => return path,
            LineKind::Blank => offset.saturating_sub(line.range.start),
            _ => line.indent,
        };
        match &line.kind {
            LineKind::Key { .. } => {
                path.push(PathSegment::Key(
                    line.key(self.text).unwrap_or_default().to_string(),
                ));
            }
            LineKind::Item { key, .. } => {
                if let Some(k) = key.as_ref().filter(|k| offset >= k.start) {
                    path.push(PathSegment::Key(lex::unquote(&self.text[k.clone()]).to_string()));
                }
                path.push(PathSegment::Item(self.item_index(li)));
            }
            _ => {}
        }
        let mut at = li;
        let mut col = column;
        let mut is_item = matches!(line.kind, LineKind::Item { .. });
        while let Some(owner) = self.owner_line(at, col, is_item) {
            let l = &self.lines[owner];
            match &l.kind {
                LineKind::Key { .. } => {
                    path.push(PathSegment::Key(l.key(self.text).unwrap_or_default().to_string()));
                }
                LineKind::Item { key, .. } => {
                    // Deeper than the item's own key (`- name:` / `    x: 1`): inside that key;
                    // at its column (`- name: x` / `  stage: y`): a sibling in the item's map.
                    if let Some(k) = key.as_ref().filter(|k| col > k.start - l.range.start) {
                        path.push(PathSegment::Key(lex::unquote(&self.text[k.clone()]).to_string()));
                    }
                    path.push(PathSegment::Item(self.item_index(owner)));
                }
                _ => break,
            }
            is_item = matches!(l.kind, LineKind::Item { .. });
            at = owner;
            col = l.indent;
        }
        path.reverse();
        path
    }

    /// The line that holds line `li` (at column `col`): the first line above, blank lines and
    /// comments skipped, with less indent; for an item, also a non-item line at its indent.
    /// A key at the column of an item's inline key (`- name: x` / `  stage: y`) is held by
    /// that item.
    fn owner_line(&self, li: usize, col: usize, is_item: bool) -> Option<usize> {
        for (i, l) in self.lines[..li].iter().enumerate().rev() {
            if l.is_blank_or_comment() || l.kind == LineKind::DocMarker {
                continue;
            }
            if let LineKind::Item { key: Some(k), .. } = &l.kind
                && !is_item
                && k.start - l.range.start == col
            {
                return Some(i);
            }
            let item_line = matches!(l.kind, LineKind::Item { .. });
            if l.indent < col || (is_item && l.indent == col && !item_line) {
                return matches!(l.kind, LineKind::Key { .. } | LineKind::Item { .. }).then_some(i);
            }
        }
        None
    }

    /// The index of item line `li` among the items of its list (0-based): the `- ` lines at
    /// its indent above it, up to the line that holds the list.
    fn item_index(&self, li: usize) -> usize {
        let indent = self.lines[li].indent;
        let mut n = 0;
        for l in self.lines[..li].iter().rev() {
            if l.is_blank_or_comment() || l.indent > indent {
                continue;
            }
            match l.kind {
                LineKind::Item { .. } if l.indent == indent => n += 1,
                _ => break,
            }
        }
        n
    }

    /// Where a new top-level key goes after entry `after` (the whole entry: its child lines,
    /// not the blank lines or comments that follow), or before the first key when `after` is
    /// None, or at the end of the block when there is no key: `(byte offset, text to insert)`
    /// for `snippet` (whole lines without the final break), the text carrying the breaks.
    pub fn new_key_at(&self, after: Option<&Entry>, snippet: &str) -> (usize, String) {
        match after {
            Some(e) => (e.full.end, format!("\n{snippet}")),
            None => match self.top.first() {
                Some(first) => (first.full.start, format!("{snippet}\n")),
                None => {
                    let end = self.block.end.min(self.text.len());
                    let needs_newline = end > self.block.start && !self.text[..end].ends_with('\n');
                    (
                        end,
                        format!("{}{snippet}\n", if needs_newline { "\n" } else { "" }),
                    )
                }
            },
        }
    }

    /// Where a new key of the map under top-level entry `parent` goes, after its child entry
    /// `after` (or before its first child, or as its first child when it has none), written
    /// as `key: value` at the children's indent (2 when none): `(byte range to replace, text)`.
    /// A `parent: {}` (an inline value and no child) has that value replaced.
    pub(crate) fn new_sub_key_at(
        &self,
        parent: &Entry,
        after: Option<&Entry>,
        key_value: &str,
    ) -> (Range<usize>, String) {
        let subs = self.children_of(parent);
        let indent = subs
            .first()
            .map(|e| self.lines[e.line].indent)
            .unwrap_or(2)
            .max(1);
        let line = format!("{}{key_value}", " ".repeat(indent));
        match (after, subs.first()) {
            (Some(e), _) => (e.full.end..e.full.end, format!("\n{line}")),
            (None, Some(first)) => {
                let at = self.lines[first.line].range.start;
                (at..at, format!("{line}\n"))
            }
            (None, None) if !parent.value.is_empty() => (parent.value.clone(), format!("\n{line}")),
            (None, None) => (parent.full.end..parent.full.end, format!("\n{line}")),
        }
    }

    /// Where a new item of the list under top-level `key` goes: after the key's block, at
    /// the indent of its items (2 when it has none yet); `(byte offset, text to insert)` for
    /// `- value`, with the file's line break (`\r\n` when it uses them). None when `key` is
    /// absent, holds an inline value, or holds a map.
    pub fn new_item_at(&self, key: &str, value: &str) -> Option<(usize, String)> {
        let e = self.entry(key)?;
        if !e.value.is_empty() {
            return None;
        }
        let is_item = |c: &usize| matches!(self.lines[*c].kind, LineKind::Item { .. });
        let indent = match e.children.iter().find(|c| is_item(c)) {
            Some(&c) => self.lines[c].indent,
            None if e.children.is_empty() => self.lines[e.line].indent + 2,
            None => return None,
        };
        let nl = if self.text.contains("\r\n") { "\r\n" } else { "\n" };
        Some((e.full.end, format!("{nl}{}- {value}", " ".repeat(indent))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::read;

    /// The fix gate refuses a fix whose text writes a key more often than before: the counts
    /// must see `- key:` items at the key's column, quoted keys unquoted, and no key inside a
    /// block scalar or a comment.
    #[test]
    fn key_counts_count_what_a_text_writes() {
        let text = "title: a\nstage: beta\n\"stage\": alpha\ndescription: |\n  stage: not a key\n# stage: no\nmilestone:\n  beta: v1.2\nfeature-gates:\n  - name: A\n  - name: B\n";
        let counts: Vec<((usize, &str), usize)> =
            read(text, 0..text.len()).key_counts().into_iter().collect();
        assert_eq!(
            counts,
            [
                ((0, "description"), 1),
                ((0, "feature-gates"), 1),
                ((0, "milestone"), 1),
                ((0, "stage"), 2),
                ((0, "title"), 1),
                ((2, "beta"), 1),
                ((4, "name"), 2),
            ]
        );
    }

    /// Every query at every char boundary of odd texts: no panic, ranges inside the text.
    #[test]
    fn queries_never_panic() {
        let crashes = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/crashes");
        let mut texts: Vec<String> = [
            "",
            "\u{feff}",
            "\u{feff}a: b",
            "-",
            "- - - x: y\n      z: 1",
            "a:\n- b: |\n    c: d\n  e: f",
            "? x\n: y",
            "a: [\n\"b # c\",\n]\n",
            "\r\r\n\n\r",
            "k :\n  :\n - \"\n'",
            "x: 'it''s' # c\n  y",
            "é: ü\r\n  - 😀: ö\n---\n...\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if let Ok(dir) = std::fs::read_dir(crashes) {
            for e in dir.flatten() {
                texts
                    .push(String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned());
            }
        }
        for t in &texts {
            let y = read(t, 0..t.len());
            for at in (0..=t.len()).filter(|i| t.is_char_boundary(*i)) {
                let _ = y.path_at(at);
                let _ = y.in_comment(at);
                let _ = y.line_at(at).map(|li| y.enclosing_key(li, 2, true));
            }
            for e in &y.top {
                assert!(e.full.end <= t.len() && e.value.end <= t.len());
                let _ = y.children_of(e);
                let _ = y.items_of(e);
                let _ = y.comments_above(e);
                let _ = y.new_sub_key_at(e, None, "k: v");
                let _ = y.new_item_at(&e.key, "x");
            }
            let (at, _) = y.new_key_at(y.top.last(), "k: v");
            assert!(at <= t.len());
            let _ = y.comment_runs();
            let _ = y.values_of_key("approver");
            let _ = y.parsed();
        }
    }
}
