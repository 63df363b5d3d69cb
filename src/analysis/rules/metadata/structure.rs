//! The shape of the metadata, as yaml.v3 strict decoding sees it: duplicate keys (R3) at any
//! level, unknown keys (R2) with did-you-mean, value types (R4) and required fields (R5).

use super::Checker;
use crate::analysis::apply_edits;
use crate::analysis::{Code, Finding, Fix, Severity, TextEdit};
use crate::knowledge::schema::{self, FEATURE_GATE_KEYS, FIELDS, Field, FieldType, QUIRK_KEYS, SubKey};
use crate::model::field_default;
use crate::model::kep::KepMetadata;
use crate::syntax::yaml::{self, Node, NodeKind, Style};

pub(super) fn check(c: &mut Checker<'_>, root: &Node, meta: &KepMetadata) {
    duplicate_keys(c, root);
    let Some(pairs) = root.as_mapping() else { return };
    for (k, v) in pairs {
        let Some(key) = k.as_str() else {
            c.push(Finding::new(
                Code::WrongType,
                k.span.clone(),
                "a key must be a plain name like `title`",
            ));
            continue;
        };
        match schema::field(key) {
            Some(field) => check_type(c, field, k, v),
            None => unknown_top_level(c, key, k),
        }
    }
    check_required(c, Some(root), meta);
}

/// R3 everywhere: yaml.v3 rejects a key given twice in any mapping.
fn duplicate_keys(c: &mut Checker<'_>, node: &Node) {
    match &node.kind {
        NodeKind::Mapping(pairs) => {
            for (i, (k, v)) in pairs.iter().enumerate() {
                if let Some(name) = k.as_str()
                    && let Some((first, _)) = pairs[..i].iter().find(|(p, _)| p.as_str() == Some(name))
                {
                    let line = line_of(c.text, first.span.start);
                    let mut f = Finding::new(
                        Code::DuplicateKey,
                        k.span.clone(),
                        format!("mapping key \"{name}\" already defined at line {line}: keep one of them"),
                    );
                    if let Some(edit) = c.delete_lines(k.span.start..v.span.end.max(k.span.end)) {
                        f = f.with_fix(Fix::new(format!("Remove this `{name}`"), vec![edit]));
                    }
                    c.push(f);
                }
                duplicate_keys(c, v);
            }
        }
        NodeKind::Sequence(items) => items.iter().for_each(|n| duplicate_keys(c, n)),
        _ => {}
    }
}

fn line_of(text: &str, pos: usize) -> usize {
    text.get(..pos).map(|t| t.matches('\n').count()).unwrap_or(0) + 1
}

fn unknown_top_level(c: &mut Checker<'_>, key: &str, k: &Node) {
    // Legacy front matter carried keys of the 2018 template; they were never checked.
    if c.legacy && schema::LEGACY_FIELDS.iter().any(|f| f.name == key) {
        return;
    }
    // A field the repository's own template adds (its CI knows it).
    if c.ctx.profile().knows_extra(key) {
        return;
    }
    if QUIRK_KEYS.contains(&key) {
        c.push(
            Finding::new(
                Code::UnknownField,
                k.span.clone(),
                format!("field {key} is not a KEP field (upstream accepts it only by accident): remove it"),
            )
            .with_severity(Severity::Warning),
        );
        return;
    }
    if key == "prr-approvers" || key == "prr-approver" {
        c.push(Finding::new(
            Code::UnknownField,
            k.span.clone(),
            "field prr-approvers not found in type api.Proposal: PRR approvers go in keps/prod-readiness/<sig>/<kep-number>.yaml",
        ));
        return;
    }
    let extra = c.ctx.profile().template_fields.as_ref().map(|t| &t.keys);
    let own = extra
        .into_iter()
        .flatten()
        .map(String::as_str)
        .filter(|k| schema::field(k).is_none());
    unknown_key(
        c,
        key,
        k,
        FIELDS.iter().map(|f| f.name).chain(own),
        "api.Proposal",
    );
}

fn unknown_key<'s>(
    c: &mut Checker<'_>,
    key: &str,
    k: &Node,
    known: impl Iterator<Item = &'s str> + Clone,
    type_name: &str,
) {
    if key == "<<" && k.as_scalar().is_some_and(|s| s.style == Style::Plain) {
        // A merge key whose value is not a map (or a list of maps) is left in place.
        c.push(Finding::new(
            Code::WrongType,
            k.span.clone(),
            "map merge requires map or sequence of maps as the value: `<<: *anchor` must name a mapping",
        ));
        return;
    }
    let suggestion = if key == "editors" {
        Some("editor")
    } else {
        schema::did_you_mean(key, known.clone())
    };
    let mut msg = format!("field {key} not found in type {type_name}");
    match suggestion {
        Some(s) => msg.push_str(&format!(": did you mean `{s}`?")),
        None => {
            let list: Vec<&str> = known.collect();
            msg.push_str(&format!(": remove it (known: {})", list.join(", ")));
        }
    }
    let mut f = Finding::new(Code::UnknownField, k.span.clone(), msg);
    // Renaming to a key the mapping already has would make a duplicate (R3).
    let indent = k.span.start - c.line_start(k.span.start);
    if let Some(s) = suggestion.filter(|s| !c.key_in_text(s, Some(indent))) {
        f = f.with_fix(Fix::new(
            format!("Rename to `{s}`"),
            vec![TextEdit::new(k.span.clone(), s)],
        ));
    }
    c.push(f);
}

/// R4: the value must decode into the field's Go type.
fn check_type(c: &mut Checker<'_>, field: &Field, k: &Node, v: &Node) {
    let name = field.name;
    match field.ty {
        FieldType::String => expect_string(c, name, v),
        FieldType::StringList => expect_string_list(c, name, k, v),
        FieldType::Bool => {
            if v.is_null() {
                return;
            }
            // yaml.v3 decodes into a Go bool a plain scalar that resolves to a bool
            // (`true`, `False`...), or any string that is one of the YAML 1.1 words it still
            // takes for typed bools (`yes`, `on`, `y`..., even quoted); a quoted `"true"` is a
            // string that is not one of those words.
            let ok = v.as_scalar().is_some_and(|s| {
                let core = matches!(
                    s.value.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                ) && s.style == Style::Plain
                    && s.tag.as_deref().is_none_or(|t| t == "!!bool");
                let yaml11 = crate::model::kep_yaml::parse_bool(&s.value).is_some()
                    && !matches!(s.value.to_ascii_lowercase().as_str(), "true" | "false");
                core || yaml11
            });
            if !ok {
                let shown = v.go_shown();
                let mut f = Finding::new(
                    Code::WrongType,
                    v.span.clone(),
                    format!("cannot unmarshal {shown} into bool: `{name}` is `true` or `false`, unquoted"),
                );
                if let Some(s) = v.as_scalar()
                    && s.style != Style::Plain
                    && let Some(b) = crate::model::kep_yaml::parse_bool(s.value.trim())
                {
                    let fix = Fix::new(
                        format!("Write `{b}` unquoted"),
                        vec![TextEdit::new(v.span.clone(), b.to_string())],
                    );
                    if keeps_yaml_parsable(c, &fix) {
                        f = f.with_fix(fix);
                    }
                }
                c.push(f);
            }
        }
        FieldType::Map(sub) => expect_map(c, name, v, sub, "api.Milestone"),
        FieldType::FeatureGates => {
            if v.is_null() {
                return;
            }
            let Some(items) = v.as_sequence() else {
                c.push(Finding::new(
                    Code::WrongType,
                    v.span.clone(),
                    format!(
                        "cannot unmarshal {} into []api.FeatureGate: write `- name: MyFeature` items",
                        v.go_shown()
                    ),
                ));
                return;
            };
            for item in items {
                if item.as_mapping().is_none() {
                    c.push(Finding::new(
                        Code::WrongType,
                        item.span.clone(),
                        format!(
                            "cannot unmarshal {} into api.FeatureGate: each item is `name:` plus `components:`",
                            item.go_shown()
                        ),
                    ));
                    continue;
                }
                for (gk, gv) in item.as_mapping().unwrap_or(&[]) {
                    match gk.as_str() {
                        Some("name") => expect_string(c, "name", gv),
                        Some("components") => expect_string_list(c, "components", gk, gv),
                        Some(other) => unknown_key(
                            c,
                            other,
                            gk,
                            FEATURE_GATE_KEYS.iter().map(|s| s.name),
                            "api.FeatureGate",
                        ),
                        None => {}
                    }
                }
            }
        }
    }
}

fn expect_string(c: &mut Checker<'_>, name: &str, v: &Node) {
    if matches!(v.kind, NodeKind::Sequence(_) | NodeKind::Mapping(_)) {
        // Legacy `editor: {name: "@x"}` was the 2017 shape of a person.
        if c.legacy && name == "editor" && v.get("name").is_some() {
            return;
        }
        c.push(Finding::new(
            Code::WrongType,
            v.span.clone(),
            format!(
                "cannot unmarshal {} into string: `{name}` takes a single value",
                v.go_shown()
            ),
        ));
    }
}

fn expect_string_list(c: &mut Checker<'_>, name: &str, k: &Node, v: &Node) {
    match &v.kind {
        NodeKind::Sequence(items) => {
            for item in items {
                if item.as_scalar().is_some() {
                    continue;
                }
                let legacy_person = c.legacy
                    && matches!(name, "authors" | "reviewers" | "approvers")
                    && item.get("name").is_some();
                if !legacy_person {
                    c.push(Finding::new(
                        Code::WrongType,
                        item.span.clone(),
                        format!(
                            "cannot unmarshal {} into string: each `{name}` entry is a single value",
                            item.go_shown()
                        ),
                    ));
                }
            }
        }
        NodeKind::Scalar(s) if s.is_null() => {}
        NodeKind::Scalar(_) => {
            let indent = " ".repeat(c.text[c.line_start(k.span.start)..k.span.start].len() + 2);
            let raw = c.text.get(v.span.clone()).unwrap_or("");
            let fix = Fix::new(
                "Make it a one-item list",
                vec![TextEdit::new(
                    v.span.start.saturating_sub(1)..v.span.end,
                    format!("\n{indent}- {raw}"),
                )],
            );
            let sep_is_space = c.text.get(v.span.start.saturating_sub(1)..v.span.start) == Some(" ");
            let mut f = Finding::new(
                Code::WrongType,
                v.span.clone(),
                format!(
                    "cannot unmarshal {} into []string: `{name}` is a list (`- item` lines)",
                    v.go_shown()
                ),
            );
            if sep_is_space && keeps_yaml_parsable(c, &fix) {
                f = f.with_fix(fix);
            }
            c.push(f);
        }
        _ => c.push(Finding::new(
            Code::WrongType,
            v.span.clone(),
            format!(
                "cannot unmarshal {} into []string: `{name}` is a list of values",
                v.go_shown()
            ),
        )),
    }
}

fn expect_map(c: &mut Checker<'_>, name: &str, v: &Node, sub: &[SubKey], type_name: &str) {
    if v.is_null() {
        return;
    }
    let Some(pairs) = v.as_mapping() else {
        c.push(Finding::new(
            Code::WrongType,
            v.span.clone(),
            format!(
                "cannot unmarshal {} into {type_name}: `{name}` is a map of `stage: \"vX.Y\"`",
                v.go_shown()
            ),
        ));
        return;
    };
    for (mk, mv) in pairs {
        match mk.as_str() {
            Some(key) if sub.iter().any(|s| s.name == key) => expect_string(c, key, mv),
            Some(key) => unknown_key(c, key, mk, sub.iter().map(|s| s.name), type_name),
            None => {}
        }
    }
}

/// R5: required fields present and non-empty (go-playground `required`). An explicit `[]`
/// passes upstream: a warning.
pub(super) fn check_required(c: &mut Checker<'_>, root: Option<&Node>, meta: &KepMetadata) {
    for field in schema::required_fields().filter(|f| c.ctx.profile().requires(f.name)) {
        if c.legacy && matches!(field.name, "kep-number" | "approvers") {
            // Many 2018-2019 KEPs had no number yet; approvers came later to the template.
            continue;
        }
        let entry = root
            .and_then(|r| r.as_mapping())
            .and_then(|p| p.iter().find(|(k, _)| k.as_str() == Some(field.name)));
        match entry {
            None => missing(c, field, meta),
            Some((k, v)) => {
                // go-playground `required`: a string is empty only when it is "" (a space is
                // a value), a list only when it is nil (`[]` passes).
                let empty = match &v.kind {
                    NodeKind::Scalar(s) => s.is_null() || s.value.is_empty(),
                    NodeKind::Sequence(items) => {
                        if items.is_empty() {
                            c.push(Finding::new(
                                Code::EmptyField,
                                v.span.clone(),
                                format!("`{}` is an empty list: name at least one", field.name),
                            ));
                        }
                        false
                    }
                    _ => false,
                };
                if empty {
                    c.push(Finding::new(
                        Code::MissingField,
                        k.span.clone(),
                        format!(
                            "Key: 'Proposal.{0}' Error:Field validation for '{0}' failed on the 'required' tag: `{1}` is empty",
                            go_name(field.name),
                            field.name
                        ),
                    ));
                }
            }
        }
    }
}

fn go_name(field: &str) -> &'static str {
    schema::go_field_name(field)
}

fn missing(c: &mut Checker<'_>, field: &Field, meta: &KepMetadata) {
    let range = c.first_key_range(meta);
    let hint = match (
        c.unread_key_line(field.name),
        c.view.and_then(|v| v.split_lines.first()),
    ) {
        (Some(line), Some(split)) => format!(
            "`{}:` is on line {line}, which upstream does not read (the `---` on line {split} splits the file)",
            field.name
        ),
        _ => format!("add `{}:`", field.name),
    };
    let msg = format!(
        "Key: 'Proposal.{0}' Error:Field validation for '{0}' failed on the 'required' tag: {hint}",
        go_name(field.name),
    );
    let mut f = Finding::new(Code::MissingField, range, msg);
    if let Some(fix) = insert_field_fix(c, field) {
        f = f.with_fix(fix);
    }
    c.push(f);
}

/// Insert `field: default` where `model::field_insert` puts a new field (after the last present
/// field that precedes it in template order).
fn insert_field_fix(c: &Checker<'_>, field: &Field) -> Option<Fix> {
    let loc = c.location();
    let slug_title = loc.as_ref().map(|l| field_default::title_from_slug(&l.slug));
    let known = field_default::Known {
        number: loc.as_ref().and_then(|l| l.number.as_deref()),
        sig: loc.as_ref().map(|l| l.sig.as_str()),
        title: slug_title.as_deref(),
        today: None,
    };
    let value = field_default::default_value(field.name, &known)?;
    // The key is written somewhere (a line upstream does not read, a broken indentation...):
    // adding it again would make a duplicate once that is repaired.
    if c.key_in_text(field.name, None) {
        return None;
    }
    // Where the editor's "add field" action puts it too (`model::field_insert`).
    let edit = c.insert_field(field.name, &field_default::field_lines(field.name, &value));
    // The insertion assumes a block mapping at the top; on anything else (a scalar document,
    // a flow mapping) it would break the YAML, so a fix that does is not offered (found by
    // tests/it/robustness/prop_findings.rs).
    let fix = Fix::new(
        format!("Add `{}: {}`", field.name, value.trim().trim_start_matches("- ")),
        vec![edit],
    );
    keeps_yaml_parsable(c, &fix).then_some(fix)
}

/// Whether `fix` leaves YAML that parsed still parsing. Textual fixes assume block style; on
/// a scalar document, flow collections or odd quoting they could break the file, and then they
/// are not offered (cases found by tests/it/robustness/prop_findings.rs and the fuzz targets). Only the
/// metadata block is parsed: a legacy KEP's Markdown body is not YAML.
fn keeps_yaml_parsable(c: &Checker<'_>, fix: &Fix) -> bool {
    if !c.parses {
        return true;
    }
    let block = &c.block;
    if fix
        .edits
        .iter()
        .any(|e| e.range.start < block.start || e.range.end > block.end)
    {
        return false;
    }
    let fixed = apply_edits(c.text, &fix.edits);
    let end = (block.end + fixed.len()).saturating_sub(c.text.len());
    fixed
        .get(block.start..end)
        .is_some_and(|yaml| yaml::parse(yaml).errors.is_empty())
}
