//! Text edits to kep.yaml (or legacy front matter) that keep the author's comments, order and
//! quoting: set a scalar, insert a missing field where the template puts it, set a key of the
//! `milestone` map. Used by the code actions and by `promote`. The block is read by
//! `syntax::yaml::read`; these are edits built on its queries.

use crate::analysis::TextEdit;

use super::schema_view;
use crate::model::field_insert;
use crate::syntax::yaml::{self, Entry, YamlText};

impl YamlText<'_> {
    /// Set `key` to `value` (written as given: the caller quotes). An existing value is
    /// replaced in place (in its quotes when it had them); a missing key is inserted after the
    /// field that precedes it in template order.
    pub(crate) fn set_scalar(&self, key: &str, value: &str) -> TextEdit {
        match self.entry(key) {
            Some(e) => replace_value(self.text, e, value),
            None => self.insert_field(key, &format!("{key}: {value}")),
        }
    }

    /// Insert `snippet` (one or more whole lines, without the final line break) as a new
    /// top-level field `key` where `model::field_insert` puts it.
    pub(crate) fn insert_field(&self, key: &str, snippet: &str) -> TextEdit {
        let (at, text) = field_insert::insert_field(self, key, snippet);
        TextEdit::insert(at, text)
    }

    /// Set `parent.key` (a key of a nested map like `milestone`), creating the key or the map.
    pub(crate) fn set_sub_scalar(&self, parent: &str, key: &str, value: &str) -> TextEdit {
        let subs = self.sub_entries(parent);
        if let Some(e) = subs.iter().find(|e| e.key == key) {
            return replace_value(self.text, e, value);
        }
        match self.entry(parent) {
            Some(p) => {
                // Keep the lifecycle order of milestone keys.
                let order = |k: &str| schema_view::milestone_keys().position(|m| m == k);
                let mine = order(key).unwrap_or(usize::MAX);
                let after = subs
                    .iter()
                    .filter(|e| order(&e.key).is_some_and(|o| o < mine))
                    .max_by_key(|e| e.full.end);
                let (range, text) = self.new_sub_key_at(p, after, &format!("{key}: {value}"));
                TextEdit::new(range, text)
            }
            None => self.insert_field(parent, &format!("{parent}:\n  {key}: {value}")),
        }
    }
}

fn replace_value(text: &str, e: &Entry, value: &str) -> TextEdit {
    if e.value.is_empty() {
        // `key:` with nothing after it (or a block below, which a scalar replaces).
        let key_line_end = e.colon + 1;
        return TextEdit::new(key_line_end..e.full.end.max(key_line_end), format!(" {value}"));
    }
    let cur = &text[e.value.clone()];
    let inner = yaml::unquoted_range(text, e.value.clone());
    let value_unquoted = yaml::unquote(value);
    if inner != e.value && value != value_unquoted && cur.starts_with(&value[..1]) {
        return TextEdit::new(inner, value_unquoted);
    }
    if inner != e.value && value == value_unquoted {
        // The file quotes this value: keep its quotes.
        return TextEdit::new(inner, value);
    }
    TextEdit::new(e.value.clone(), value)
}

/// Quote a value the way the file quotes `like` (the current value of a comparable field).
pub(crate) fn quote_like(value: &str, like: Option<&str>) -> String {
    match like.and_then(|l| l.chars().next()) {
        Some(q @ ('"' | '\'')) => format!("{q}{value}{q}"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::apply_edits;

    fn run(text: &str, f: impl Fn(&YamlText) -> TextEdit) -> String {
        let y = yaml::read(text, 0..text.len());
        apply_edits(text, &[f(&y)])
    }

    #[test]
    fn set_and_insert() {
        let t = "title: x\nstatus: provisional # now\nstage: \"alpha\"\n";
        assert_eq!(
            run(t, |y| y.set_scalar("status", "implementable")),
            "title: x\nstatus: implementable # now\nstage: \"alpha\"\n"
        );
        assert_eq!(
            run(t, |y| y.set_scalar("stage", "beta")),
            "title: x\nstatus: provisional # now\nstage: \"beta\"\n"
        );
        assert_eq!(
            run(t, |y| y.set_scalar("kep-number", "12")),
            "title: x\nkep-number: 12\nstatus: provisional # now\nstage: \"alpha\"\n"
        );
        assert_eq!(
            run(t, |y| y.set_sub_scalar("milestone", "beta", "\"v1.2\"")),
            "title: x\nstatus: provisional # now\nstage: \"alpha\"\nmilestone:\n  beta: \"v1.2\"\n"
        );
        let m = "milestone:\n  alpha: \"v1.1\"\n  stable: \"v1.4\"\nx: 1\n";
        assert_eq!(
            run(m, |y| y.set_sub_scalar("milestone", "beta", "\"v1.2\"")),
            "milestone:\n  alpha: \"v1.1\"\n  beta: \"v1.2\"\n  stable: \"v1.4\"\nx: 1\n"
        );
        assert_eq!(
            run(m, |y| y.set_sub_scalar("milestone", "alpha", "v1.0")),
            "milestone:\n  alpha: \"v1.0\"\n  stable: \"v1.4\"\nx: 1\n"
        );
        assert_eq!(
            run("stage:\nx: 1\n", |y| y.set_scalar("stage", "beta")),
            "stage: beta\nx: 1\n"
        );
    }
}
