//! Rendering: candidates to `CompletionItem`s in the slot's style (quotes, `- `, a space after
//! the colon), field snippets, and a field's documentation.

use super::*;

impl YamlDoc<'_> {
    pub(super) fn render(&self, slot: &Slot, cands: Vec<Candidate>) -> Vec<CompletionItem> {
        let Slot::Value {
            replace,
            quote,
            close_quote,
            dash,
            space,
            ..
        } = slot
        else {
            return Vec::new();
        };
        cands
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let value = match quote {
                    Some(q) => {
                        let mut v = c.value.clone();
                        if *close_quote {
                            v.push(*q);
                        }
                        v
                    }
                    None if c.quote || c.value.starts_with(['@', '*', '&', '!', '%', '`']) => {
                        format!("\"{}\"", c.value)
                    }
                    None => c.value.clone(),
                };
                let new_text = format!(
                    "{}{}{value}",
                    if *space { " " } else { "" },
                    if *dash { "- " } else { "" }
                );
                CompletionItem {
                    label: c.label,
                    kind: c.kind,
                    detail: c.detail,
                    documentation: (!c.doc.is_empty()).then_some(c.doc),
                    filter_text: format!("{value}{}", c.filter_extra),
                    edit: TextEdit::new(replace.clone(), new_text),
                    snippet: false,
                    sort_text: format!("{i:05}"),
                }
            })
            .collect()
    }
}

/// Escape text for inclusion in an LSP snippet.
pub(super) fn snippet_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn field_snippet(
    name: &str,
    ty: FieldType,
    number: Option<&str>,
    sig: Option<&str>,
    milestone: &str,
    ctx: &Context<'_>,
    facts: &WorkspaceFacts,
) -> String {
    let ms = snippet_escape(milestone);
    let choice = |vals: &[(&str, &str)]| vals.iter().map(|v| v.0).collect::<Vec<_>>().join(",");
    match (name, ty) {
        ("status", _) => format!("status: ${{1|{}|}}", choice(STATUSES)),
        ("stage", _) => format!("stage: ${{1|{}|}}", choice(STAGES)),
        ("kep-number", _) => {
            let n = number
                .map(str::to_string)
                .unwrap_or_else(|| facts.next_kep_number.max(1).to_string());
            format!("kep-number: ${{1:{}}}", snippet_escape(&n))
        }
        ("owning-sig", _) => format!("owning-sig: ${{1:{}}}", snippet_escape(sig.unwrap_or("sig-"))),
        ("creation-date" | "last-updated", _) => match ctx.today {
            Some(t) => format!("{name}: ${{1:{}}}", snippet_escape(t)),
            None => format!("{name}: ${{1:YYYY-MM-DD}}"),
        },
        ("latest-milestone", _) => format!("latest-milestone: \"${{1:{ms}}}\""),
        (_, FieldType::Map(_)) => {
            format!("milestone:\n  alpha: \"${{1:{ms}}}\"\n  beta: \"$2\"\n  stable: \"$3\"")
        }
        (_, FieldType::FeatureGates) => {
            "feature-gates:\n  - name: ${1:MyFeature}\n    components:\n      - ${2:kube-apiserver}".into()
        }
        (_, FieldType::Bool) => format!("{name}: ${{1|true,false|}}"),
        (n, FieldType::StringList) if schema_view::is_people(n) => format!("{n}:\n  - \"@$1\""),
        (n, FieldType::StringList) if schema_view::is_kep_ref(n) => format!("{n}:\n  - \"/keps/$1\""),
        (n, FieldType::StringList) => format!("{n}:\n  - $1"),
        (n, _) => format!("{n}: $1"),
    }
}

/// The hover/completion documentation of a field.
pub(crate) fn field_doc_markdown(name: &str) -> String {
    let Some(f) = schema_view::field(name) else {
        return String::new();
    };
    let mut s = format!("**{}** ({}", f.name, describe(f.ty));
    s.push_str(if f.required {
        ", required)\n\n"
    } else {
        ", optional)\n\n"
    });
    s.push_str(f.docs);
    let allowed: Option<&[(&str, &str)]> = match name {
        "status" => Some(STATUSES),
        "stage" => Some(STAGES),
        _ => None,
    };
    if let Some(vals) = allowed {
        s.push_str("\n\nAllowed values:\n");
        for (v, d) in vals {
            s.push_str(&format!("- `{v}`: {d}\n"));
        }
    }
    if let Some(rule) = f.rule {
        s.push_str(&format!("\n\nUpstream rule: {rule}"));
    }
    s
}
