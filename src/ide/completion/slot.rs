//! Where the cursor is in the YAML (`Slot`): a key being typed, or the value or list item of
//! a field, with the range a completion replaces and the quoting around it.

use super::*;

/// Where the cursor is in the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Slot {
    /// A key at the top level (`parent` None) or inside the `parent` mapping.
    Key {
        parent: Option<String>,
        /// The key already has its colon: insert the name only.
        on_key_line: bool,
        replace: Range<usize>,
    },
    /// The value of `field` (a scalar, or one list item).
    Value {
        field: String,
        parent: Option<String>,
        replace: Range<usize>,
        /// Inside this quote: insert the bare text.
        quote: Option<char>,
        /// Closing quote missing: add it.
        close_quote: bool,
        /// On a blank line under a list field: insert `- ` first.
        dash: bool,
        /// Right after `key:`: insert a space first.
        space: bool,
    },
}

impl YamlDoc<'_> {
    /// The key of the mapping that holds line `li` at `indent` (`YamlText::enclosing_key`).
    pub(super) fn parent_key(&self, li: usize, indent: usize, items_at_same_indent: bool) -> Option<String> {
        self.y
            .enclosing_key(li, indent, items_at_same_indent)
            .map(str::to_string)
    }

    pub(super) fn slot(&self, offset: usize) -> Option<Slot> {
        let li = self.y.line_at(offset)?;
        let line = &self.y.lines[li];
        if self.y.in_comment(offset) {
            return None;
        }
        match &line.kind {
            LineKind::Comment | LineKind::DocMarker => None,
            LineKind::Blank => {
                let indent = self.y.text[line.range.start..offset].chars().count();
                self.key_or_item(li, indent, offset..offset)
            }
            LineKind::Other { content } => {
                let word = &self.y.text[content.clone()];
                let keyish = word
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                (keyish && offset >= content.start)
                    .then(|| self.key_or_item(li, line.indent, content.clone()))?
            }
            LineKind::Key { key, value, .. } => {
                if offset <= key.end {
                    let parent = if line.indent == 0 {
                        None
                    } else {
                        Some(self.parent_key(li, line.indent, false)?)
                    };
                    return Some(Slot::Key {
                        parent,
                        on_key_line: true,
                        replace: key.clone(),
                    });
                }
                let field = line.key(self.y.text)?.to_string();
                let parent = if line.indent == 0 {
                    None
                } else {
                    Some(self.parent_key(li, line.indent, false)?)
                };
                let space = value.is_empty() && self.y.text[..offset].ends_with(':');
                Some(self.value_slot(field, parent, value.clone(), offset, false, space))
            }
            LineKind::Item { dash, value, key } => {
                // A `- key: value` item is a map, not a value of the list.
                if offset <= *dash || key.is_some() {
                    return None;
                }
                let field = self.parent_key(li, line.indent, true)?;
                let space = value.is_empty() && !self.y.text[..offset].ends_with(' ');
                Some(self.value_slot(field, None, value.clone(), offset, false, space))
            }
        }
    }

    pub(super) fn key_or_item(&self, li: usize, indent: usize, replace: Range<usize>) -> Option<Slot> {
        if indent == 0 {
            return Some(Slot::Key {
                parent: None,
                on_key_line: false,
                replace,
            });
        }
        let parent = self.parent_key(li, indent, false)?;
        let ty = schema_view::field(&parent).map(|f| f.ty);
        if parent == "milestone" || self.kind == DocumentKind::PrrYaml {
            return Some(Slot::Key {
                parent: Some(parent),
                on_key_line: false,
                replace,
            });
        }
        (ty == Some(FieldType::StringList)).then_some(Slot::Value {
            field: parent,
            parent: None,
            replace,
            quote: None,
            close_quote: false,
            dash: true,
            space: false,
        })
    }

    pub(super) fn value_slot(
        &self,
        field: String,
        parent: Option<String>,
        v: Range<usize>,
        offset: usize,
        dash: bool,
        space: bool,
    ) -> Slot {
        let s = &self.y.text[v.clone()];
        let (replace, quote, close_quote) = match s.chars().next() {
            None => (offset..offset, None, false),
            Some(q @ ('"' | '\'')) if offset > v.start => {
                let inner = v.start + 1;
                match self.y.text[inner..v.end].find(q) {
                    Some(i) => (inner..inner + i, Some(q), false),
                    None => (inner..v.end, Some(q), true),
                }
            }
            Some(_) => (v.start..v.end.max(offset), None, false),
        };
        Slot::Value {
            field,
            parent,
            replace,
            quote,
            close_quote,
            dash,
            space,
        }
    }
}
