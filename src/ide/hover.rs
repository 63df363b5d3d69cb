//! Hover: a field's documentation (meaning, allowed values, upstream rule), a status's place in
//! the workflow, a stage, a SIG's details, a handle's known roles, a referenced KEP's title,
//! status, stage and path, and in a README the template's guidance for a section heading.

use std::ops::Range;

use crate::analysis::{Context, DocumentKind, Role, classify};
use crate::knowledge::schema::COMPONENTS;

use super::completion::{field_doc_markdown, guidance_text};
use super::facts::WorkspaceFacts;
use super::schema_view::{self, STAGES, STATUSES};
use super::{groups, metadata_block};
use crate::model::handle::clean_handle;
use crate::syntax::headings;
use crate::syntax::yaml::{self, LineKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The byte range the hover is about (the key or the value under the cursor).
    pub range: Range<usize>,
    pub markdown: String,
}

/// Hover at `offset`; gathers workspace facts from `ctx` (use `hover_with` to pass cached ones).
pub fn hover(path: &str, text: &str, offset: usize, ctx: &Context<'_>) -> Option<Hover> {
    let facts = WorkspaceFacts::from_view(ctx.workspace);
    hover_with(path, text, offset, ctx, &facts)
}

pub fn hover_with(
    path: &str,
    text: &str,
    offset: usize,
    ctx: &Context<'_>,
    facts: &WorkspaceFacts,
) -> Option<Hover> {
    if offset > text.len() {
        return None;
    }
    if let Some(block) = metadata_block(path, text) {
        if block.start <= offset && offset <= block.end {
            return yaml_hover(text, block, offset, ctx, facts, classify(path, text));
        }
    }
    if path.ends_with(".md") {
        return heading_hover(text, offset, ctx);
    }
    None
}

fn yaml_hover(
    text: &str,
    block: Range<usize>,
    offset: usize,
    ctx: &Context<'_>,
    facts: &WorkspaceFacts,
    kind: DocumentKind,
) -> Option<Hover> {
    let y = yaml::read(text, block);
    let li = y.line_at(offset)?;
    let line = &y.lines[li];
    match &line.kind {
        LineKind::Key { key, value, .. } => {
            let name = line.key(text)?;
            // The map this key is in: a nested key with no key above it sits in a list item.
            let parent = if line.indent > 0 {
                Some(y.enclosing_key(li, line.indent, false)?)
            } else {
                None
            };
            if key.start <= offset && offset <= key.end {
                let md = match parent {
                    Some("milestone") => {
                        schema_view::milestone_doc(name).map(|d| format!("**milestone.{name}**: {d}"))?
                    }
                    Some(_) => return None,
                    None if kind == DocumentKind::PrrYaml => prr_key_doc(name)?,
                    None => {
                        let md = field_doc_markdown(name);
                        if md.is_empty() {
                            format!("`{name}` is not a kep.yaml field: upstream rejects unknown keys (R2).")
                        } else {
                            md
                        }
                    }
                };
                return Some(Hover {
                    range: key.clone(),
                    markdown: md,
                });
            }
            if value.start <= offset && offset <= value.end && !value.is_empty() {
                let field = match parent {
                    Some("milestone") => "milestone",
                    Some(_) if name == "approver" => "approver",
                    Some(_) => return None,
                    None => name,
                };
                return value_hover(text, value.clone(), field, ctx, facts);
            }
            None
        }
        LineKind::Item { value, .. } if value.start <= offset && offset <= value.end && !value.is_empty() => {
            let field = y.enclosing_key(li, line.indent, true)?;
            value_hover(text, value.clone(), field, ctx, facts)
        }
        _ => None,
    }
}

fn prr_key_doc(name: &str) -> Option<String> {
    Some(match name {
        "kep-number" => "**kep-number** (required): the KEP's number; should equal this file's name.".into(),
        s if schema_view::prr_stage_keys().contains(&s) => format!(
            "**{s}**: the production readiness approval for stage {s}: `approver: \"@handle\"`, a member of \
             `prod-readiness-approvers` (R11)."
        ),
        _ => return None,
    })
}

fn value_hover(
    text: &str,
    value: Range<usize>,
    field: &str,
    ctx: &Context<'_>,
    facts: &WorkspaceFacts,
) -> Option<Hover> {
    let range = yaml::unquoted_range(text, value.clone());
    let v = yaml::unquote(&text[value]).trim();
    let md = match field {
        "status" => match STATUSES.iter().position(|s| s.0 == v) {
            Some(i) => {
                let flow = STATUSES
                    .iter()
                    .map(|s| {
                        if s.0 == v {
                            format!("**{}**", s.0)
                        } else {
                            s.0.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" · ");
                format!(
                    "**status: {v}**: {}\n\nWorkflow: {flow}",
                    schema_view::status_doc(STATUSES[i].0)
                )
            }
            None => format!(
                "`{v}` is not a KEP status (R17). Statuses: {}.",
                STATUSES.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ),
        },
        "stage" => match STAGES.iter().find(|s| s.0 == v) {
            Some(s) => format!("**stage: {v}**: {}", s.1),
            None => format!(
                "`{v}` is not a KEP stage (R18). Stages: {}.",
                STAGES.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ),
        },
        "components" => match COMPONENTS.iter().find(|c| c.0 == v) {
            Some((name, doc)) => format!("**{name}**: {doc}"),
            None => return None,
        },
        "owning-sig" | "participating-sigs" => match groups::group(ctx, v) {
            Some(g) => {
                let keps = facts.keps.iter().filter(|k| k.owning_sig == g.dir).count();
                let mut md = format!("**{}** ({} {})\n\n{}", g.dir, g.name, g.kind.as_str(), g.mission);
                if keps > 0 {
                    md.push_str(&format!("\n\nOwns {keps} KEPs in this workspace."));
                }
                md
            }
            None => match groups::retired(ctx, v) {
                Some(what) => format!("`{v}` is a retired group: {what}"),
                None => format!("`{v}` is not a group of sigs.yaml (R19)."),
            },
        },
        f if schema_view::is_people(f) || f == "approver" => {
            let h = clean_handle(v)?;
            let mut md = format!("**@{h}**");
            let fact = facts.handle(&h);
            if let Some(fact) = fact {
                if fact.kep_count > 0 {
                    let by: Vec<String> = fact.by_sig.iter().map(|(s, n)| format!("{s}: {n}")).collect();
                    md.push_str(&format!(
                        "\n\n{}.\n\nNamed in {} {} ({}).",
                        roles_text(&fact.roles),
                        fact.kep_count,
                        plural(fact.kep_count, "KEP"),
                        by.join(", ")
                    ));
                }
                if !fact.groups.is_empty() {
                    md.push_str(&format!("\n\nIn OWNERS: {}.", fact.groups.join(", ")));
                }
            }
            if ctx
                .knowledge
                .prr_approvers
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&h))
            {
                md.push_str("\n\nA production readiness approver.");
            }
            if fact.is_none() && !md.contains("approver.") {
                md.push_str("\n\nNot seen elsewhere in this workspace.");
            }
            md
        }
        f if schema_view::is_kep_ref(f) => match facts.resolve_ref(v) {
            Some(k) => format!(
                "**KEP-{}: {}**\n\nstatus: {} · stage: {} · owning-sig: {}\n\n`{}`",
                k.number,
                k.title,
                if k.status.is_empty() { "-" } else { &k.status },
                if k.stage.is_empty() { "-" } else { &k.stage },
                k.owning_sig,
                k.dir
            ),
            None if facts.keps.is_empty() => return None,
            None => format!("No KEP in this workspace at `{v}`."),
        },
        _ => return None,
    };
    Some(Hover { range, markdown: md })
}

/// "Author of 2 KEPs, approver of 1 KEP", in the schema's field order.
fn roles_text(roles: &std::collections::BTreeMap<Role, usize>) -> String {
    let text = roles
        .iter()
        .map(|(role, n)| format!("{} of {n} {}", role.as_str(), plural(*n, "KEP")))
        .collect::<Vec<_>>()
        .join(", ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}

/// On a README heading the template knows: what the template asks for in that section.
fn heading_hover(text: &str, offset: usize, ctx: &Context<'_>) -> Option<Hover> {
    let h = headings::headings(text)
        .into_iter()
        .find(|h| h.line.start <= offset && offset <= h.line.end)?;
    let t = ctx.knowledge.template.find(&h.text)?;
    Some(Hover {
        range: h.text_range.clone(),
        markdown: format!("**Template: {}**\n\n{}", t.title, guidance_text(t)?),
    })
}
