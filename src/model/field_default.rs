//! What a kep.yaml field gets when it is added for the author: the one source of the text that
//! the `missing-field` quick fix (analysis) and the "Add missing field" action (ide) insert, so
//! the two agree (docs/diagnostics.md, `missing-field`: the number and SIG from the folder,
//! `status: provisional`, the title, `TBD` for people lists).

/// What is known about the KEP a field is added to; each `None` leaves the fields that need it
/// without a default.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Known<'a> {
    /// The folder's number (`2625` of `keps/sig-node/2625-x/`).
    pub number: Option<&'a str>,
    /// The SIG folder (`sig-node`).
    pub sig: Option<&'a str>,
    /// The title as it should read (not yet quoted for YAML).
    pub title: Option<&'a str>,
    /// Today, `YYYY-MM-DD`, for the dates.
    pub today: Option<&'a str>,
}

/// The value a new `name:` field gets: a scalar (`provisional`), or a block list starting with
/// its line break (`\n  - TBD`). `None` for a field without a default, or whose default needs
/// what `known` lacks. A missing number is `NNNN`, the template's placeholder.
pub(crate) fn default_value(name: &str, known: &Known<'_>) -> Option<String> {
    let value = match name {
        "kep-number" => known.number.unwrap_or("NNNN").to_string(),
        "owning-sig" => known.sig?.to_string(),
        "status" => "provisional".into(),
        "title" => match known.title?.trim() {
            "" => return None,
            t => yaml_string(t),
        },
        "authors" | "approvers" => "\n  - TBD".into(),
        "creation-date" | "last-updated" => known.today?.to_string(),
        _ => return None,
    };
    (!value.trim().is_empty()).then_some(value)
}

/// The lines of a new field `name` with `value` (from `default_value`), without a final line
/// break: `status: provisional`, `approvers:\n  - TBD`.
pub(crate) fn field_lines(name: &str, value: &str) -> String {
    let sep = if value.starts_with('\n') { "" } else { " " };
    format!("{name}:{sep}{value}")
}

/// A title from a KEP folder's slug: `pod-overhead` reads `Pod overhead`.
pub(crate) fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut cs = words.chars();
    cs.next()
        .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
        .unwrap_or_default()
}

/// A YAML string, quoted only when a plain scalar would not read back as the same text.
pub(crate) fn yaml_string(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':']);
    if plain_ok {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let known = Known {
            number: Some("753"),
            sig: Some("sig-node"),
            title: Some(&title_from_slug("sidecar-containers")),
            today: None,
        };
        let line = |name: &str| default_value(name, &known).map(|v| field_lines(name, &v));
        assert_eq!(line("kep-number").as_deref(), Some("kep-number: 753"));
        assert_eq!(line("owning-sig").as_deref(), Some("owning-sig: sig-node"));
        assert_eq!(line("title").as_deref(), Some("title: Sidecar containers"));
        assert_eq!(line("approvers").as_deref(), Some("approvers:\n  - TBD"));
        assert_eq!(line("creation-date"), None);
        assert_eq!(line("stage"), None);
        assert_eq!(
            default_value("kep-number", &Known::default()).as_deref(),
            Some("NNNN")
        );
        assert_eq!(yaml_string("KEP: a # b"), "\"KEP: a # b\"");
    }
}
