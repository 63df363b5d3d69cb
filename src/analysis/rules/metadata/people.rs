//! People and lists: GitHub handles in authors/reviewers/approvers/editor (warnings: the real
//! repo holds typographic quotes, team handles, free text), duplicate entries in any list, and
//! the template's placeholder people.

use super::Checker;
use crate::analysis::{Code, Finding, Fix, Severity, TextEdit};
use crate::knowledge::schema::{self, FieldType};
use crate::model::kep::{KepMetadata, Spanned};
use crate::syntax::yaml::Node;

pub(super) fn check(c: &mut Checker<'_>, root: &Node, meta: &KepMetadata) {
    let people: [(&str, &[Spanned<String>]); 3] = [
        ("authors", &meta.authors),
        ("reviewers", &meta.reviewers),
        ("approvers", &meta.approvers),
    ];
    for (field, list) in people {
        for p in list {
            handle(c, field, p);
        }
    }
    if let Some(e) = &meta.editor {
        handle(c, "editor", e);
    }
    duplicate_entries(c, root);
}

/// `@?[A-Za-z0-9-]{1,39}`, GitHub's rule for user names (no leading hyphen).
pub(crate) fn is_handle(s: &str) -> bool {
    let h = s.strip_prefix('@').unwrap_or(s);
    (1..=39).contains(&h.len())
        && !h.starts_with('-')
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn handle(c: &mut Checker<'_>, field: &str, p: &Spanned<String>) {
    let v = p.value.trim();
    if v.eq_ignore_ascii_case("tbd") {
        c.push(
            Finding::new(
                Code::TemplateLeftover,
                p.span.clone(),
                format!("{field} still holds the template's `TBD`: name the people"),
            )
            .with_severity(Severity::Hint),
        );
        return;
    }
    if schema::is_template_leftover(field, v)
        || matches!(
            v,
            "@jane.doe" | "@alice.doe" | "@oscar.doe" | "@janedoe" | "@alicedoe" | "@oscardoe"
        )
    {
        c.push(Finding::new(
            Code::TemplateLeftover,
            p.span.clone(),
            format!("{field} still holds the template's `{v}`: name the real people"),
        ));
        return;
    }
    if is_handle(v) {
        return;
    }
    // Typographic quotes (“@x”) are part of the value: YAML does not treat them as quotes.
    let stripped = v.trim_matches(['“', '”', '‘', '’', '"', '\'']);
    if stripped != v && is_handle(stripped) {
        let fixed = if stripped.starts_with('@') {
            stripped.to_string()
        } else {
            format!("@{stripped}")
        };
        c.push(
            Finding::new(
                Code::InvalidHandle,
                p.span.clone(),
                format!("{field} entry `{v}` has typographic quotes inside the value: write \"{fixed}\""),
            )
            .with_fix(Fix::new(
                format!("Write \"{fixed}\""),
                vec![TextEdit::new(p.span.clone(), format!("\"{fixed}\""))],
            )),
        );
        return;
    }
    let first = v.split_whitespace().next().unwrap_or("");
    let why = if v.contains(char::is_whitespace) && first.starts_with('@') && is_handle(first) {
        format!("free text after the handle: keep \"{first}\" and move the rest to a comment")
    } else if v.contains(char::is_whitespace) {
        "free text or a name: write a GitHub handle like \"@name\"".to_string()
    } else if v.starts_with('@') && v.contains('/') {
        "a team, not a person: name the people".to_string()
    } else if v.contains('_') || v.contains('.') {
        "GitHub handles hold only letters, digits and hyphens".to_string()
    } else {
        "not a GitHub handle like \"@name\"".to_string()
    };
    c.push(Finding::new(
        Code::InvalidHandle,
        p.span.clone(),
        format!("{field} entry `{v}`: {why}"),
    ));
}

/// The same entry twice in a list field (handles compared without `@`, case-insensitively).
fn duplicate_entries(c: &mut Checker<'_>, root: &Node) {
    let Some(pairs) = root.as_mapping() else { return };
    for (k, v) in pairs {
        let Some(field) = k.as_str().and_then(schema::field) else {
            continue;
        };
        if field.ty != FieldType::StringList {
            continue;
        }
        let items = v.as_sequence().unwrap_or(&[]);
        let norm = |n: &Node| -> Option<String> {
            let s = n
                .as_str()
                .or_else(|| n.get("github").and_then(Node::as_str))
                .or_else(|| n.get("name").and_then(Node::as_str))?;
            let s = s
                .trim()
                .trim_start_matches('@')
                .trim_end_matches('/')
                .to_ascii_lowercase();
            (!s.is_empty()).then_some(s)
        };
        // Each item normalized once: comparing every pair afresh allocated ~500 strings per
        // analysis of a kep.yaml with long people lists.
        let normed: Vec<Option<String>> = items.iter().map(norm).collect();
        for (i, item) in items.iter().enumerate() {
            let Some(n) = &normed[i] else { continue };
            if normed[..i].iter().any(|p| p.as_ref() == Some(n)) {
                let mut f = Finding::new(
                    Code::DuplicateEntry,
                    item.span.clone(),
                    format!(
                        "`{}` is listed twice in {}: remove one",
                        item.as_str().unwrap_or(n).trim(),
                        field.name
                    ),
                );
                if let Some(edit) = c.delete_lines(item.span.clone()) {
                    f = f.with_fix(Fix::new("Remove the duplicate", vec![edit]));
                }
                c.push(f);
            }
        }
    }
}
