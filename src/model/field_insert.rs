//! Where a new top-level field goes in a metadata block (kep.yaml or a legacy KEP's front
//! matter): one rule for the `missing-field` quick fix, the editor's "add field" actions and
//! `promote`, so they never put the same field in two places.
//!
//! The rule: after the whole entry (its child lines, not the blank lines or comments that follow)
//! of the last present field that comes before the new one in template order; before the first
//! field when none does; at the end of the block when the block has no field. Template order is
//! `knowledge::schema::FIELDS`, except that `last-updated` goes right after `creation-date`,
//! where real KEPs keep it.

use crate::knowledge::schema;
use crate::syntax::yaml::YamlText;

/// The rank of field `name` in insertion order (`None` for a key the schema does not have).
pub(crate) fn insert_order(name: &str) -> Option<usize> {
    let pos = |n: &str| schema::FIELDS.iter().position(|f| f.name == n);
    if name == "last-updated" {
        return pos("creation-date").map(|p| p * 2 + 1);
    }
    pos(name).map(|p| p * 2)
}

/// The insertion of `snippet` (one or more whole lines, without the final line break) as the
/// top-level field `key` into the block `y`: `(byte offset into y.text, text to insert)`, the
/// text carrying the line breaks it needs. A key the schema does not know goes after every
/// known one.
pub(crate) fn insert_field(y: &YamlText<'_>, key: &str, snippet: &str) -> (usize, String) {
    let mine = insert_order(key).unwrap_or(usize::MAX);
    let before = y
        .top
        .iter()
        .filter(|e| insert_order(&e.key).is_some_and(|o| o < mine))
        .max_by_key(|e| e.full.end);
    y.new_key_at(before, snippet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml;

    fn insert(text: &str, key: &str) -> String {
        let y = yaml::read(text, 0..text.len());
        let (at, s) = insert_field(&y, key, &format!("{key}: x"));
        format!("{}{s}{}", &text[..at], &text[at..])
    }

    #[test]
    fn after_the_whole_entry_of_the_field_before_it() {
        // The comment and blank line that lead into `status` stay with it.
        let text = "title: T\nauthors:\n  - \"@a\"\n\n# where it stands\nstatus: provisional\n";
        assert_eq!(
            insert(text, "owning-sig"),
            "title: T\nauthors:\n  - \"@a\"\nowning-sig: x\n\n# where it stands\nstatus: provisional\n"
        );
        assert_eq!(insert("status: x\n", "title"), "title: x\nstatus: x\n");
        assert_eq!(insert("", "title"), "title: x\n");
        assert_eq!(insert("title: T", "status"), "title: T\nstatus: x");
    }

    #[test]
    fn last_updated_follows_creation_date() {
        let text = "creation-date: 2024-01-01\nreviewers: []\n";
        assert_eq!(
            insert(text, "last-updated"),
            "creation-date: 2024-01-01\nlast-updated: x\nreviewers: []\n"
        );
    }
}
