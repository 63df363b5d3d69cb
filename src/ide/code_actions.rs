//! Code actions: the findings' own fixes (did-you-mean, TOC, missing section, ...), a fix-all,
//! and the authoring actions that need no finding: insert a missing template section with its
//! guidance, add a missing required field with a sensible default, set stage stable when
//! implemented, bump last-updated, sync the README title and kep.yaml's title (either way).

use std::ops::Range;

use crate::analysis::{Code, Context, DocumentKind, Finding, TextEdit, classify};

use super::yaml_edit::quote_like;
use super::{metadata_block, path_facts, schema_view};
use crate::analysis::rules::readme::insert_section_edits;
use crate::model::field_default;
use crate::model::kep_path::kep_location;
use crate::syntax::headings::{self, Heading};
use crate::syntax::outline;
use crate::syntax::yaml::{self, YamlText};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
    SourceFixAll,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: ActionKind,
    /// Edits to the file the action was asked for (non-overlapping).
    pub edits: Vec<TextEdit>,
    /// Edits to other repo-relative files (a workspace edit), e.g. the README from kep.yaml.
    pub other_file_edits: Vec<(String, Vec<TextEdit>)>,
    /// Indices into the `findings` given that the action resolves.
    pub fixes_findings: Vec<usize>,
    pub preferred: bool,
}

impl CodeAction {
    fn new(title: impl Into<String>, kind: ActionKind, edits: Vec<TextEdit>) -> CodeAction {
        CodeAction {
            title: title.into(),
            kind,
            edits,
            other_file_edits: Vec::new(),
            fixes_findings: Vec::new(),
            preferred: false,
        }
    }
}

/// Codes whose fixes are not applied by fix-all: they add or delete prose, which the author
/// should decide one by one.
const NOT_IN_FIX_ALL: &[Code] = &[Code::MissingSection, Code::TemplateGuidance, Code::EmptySection];

/// The actions for `range` (the selection or cursor) in the file at `path`.
pub fn code_actions(
    path: &str,
    text: &str,
    range: Range<usize>,
    ctx: &Context<'_>,
    findings: &[Finding],
) -> Vec<CodeAction> {
    let mut out: Vec<CodeAction> = Vec::new();
    // The findings' fixes, for findings that touch the range.
    for (i, f) in findings.iter().enumerate() {
        if f.range.start > range.end || f.range.end < range.start {
            continue;
        }
        for fix in &f.fixes {
            let mut a = CodeAction::new(fix.title.clone(), ActionKind::QuickFix, fix.edits.clone());
            a.fixes_findings = vec![i];
            a.preferred = f.fixes.len() == 1;
            out.push(a);
        }
    }
    let kind = classify(path, text);
    match kind {
        DocumentKind::KepYaml | DocumentKind::LegacyKep => {
            if let Some(block) = metadata_block(path, text) {
                metadata_actions(path, text, block, range.clone(), ctx, findings, &mut out);
            }
        }
        _ => {}
    }
    if matches!(kind, DocumentKind::KepReadme | DocumentKind::LegacyKep) {
        readme_actions(path, text, range.clone(), ctx, kind, findings, &mut out);
    }
    if let Some(all) = fix_all(findings) {
        out.push(all);
    }
    // The same edit offered twice (a finding's fix and an authoring action): keep the first.
    let mut kept: Vec<CodeAction> = Vec::new();
    for a in out {
        if !kept
            .iter()
            .any(|k| k.edits == a.edits && k.other_file_edits == a.other_file_edits)
        {
            kept.push(a);
        }
    }
    kept
}

/// One action applying the first fix of every finding that has one, skipping fixes whose edits
/// overlap an earlier one and the prose-changing codes.
pub fn fix_all(findings: &[Finding]) -> Option<CodeAction> {
    let mut edits: Vec<TextEdit> = Vec::new();
    let mut fixed = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if NOT_IN_FIX_ALL.contains(&f.code) {
            continue;
        }
        let Some(fix) = f.fixes.first() else { continue };
        let overlaps = fix.edits.iter().any(|e| {
            edits.iter().any(|o| {
                e.range.start < o.range.end && o.range.start < e.range.end
                    || (e.range.start == o.range.start && (e.range.is_empty() || o.range.is_empty()))
            })
        });
        if overlaps || fix.edits.is_empty() {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        fixed.push(i);
    }
    if fixed.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut a = CodeAction::new(
        format!("Fix all auto-fixable problems ({})", fixed.len()),
        ActionKind::SourceFixAll,
        edits,
    );
    a.fixes_findings = fixed;
    Some(a)
}

/// The default text for a missing required field.
/// The lines the "Add missing field" action inserts: the text the `missing-field` quick fix
/// inserts (`model::field_default`), with the title taken from the README's H1 when there is one.
fn default_field(key: &str, path: &str, ctx: &Context<'_>) -> Option<String> {
    let (number, sig) = path_facts(path);
    // Without a folder number the action is not offered (the fix writes the placeholder): a
    // legacy single-file KEP has no number in its path and does not need one.
    if key == "kep-number" && number.is_none() {
        return None;
    }
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let title = if key == "title" {
        let readme = ctx.workspace.file_text(&format!("{dir}/README.md"));
        let from_readme = readme.as_deref().and_then(h1_title).map(str::to_string);
        from_readme.or_else(|| kep_location(path).map(|l| field_default::title_from_slug(&l.slug)))
    } else {
        None
    };
    let known = field_default::Known {
        number: number.as_deref(),
        sig: sig.as_deref(),
        title: title.as_deref(),
        today: ctx.today,
    };
    let value = field_default::default_value(key, &known)?;
    Some(field_default::field_lines(key, &value))
}

fn metadata_actions(
    path: &str,
    text: &str,
    block: Range<usize>,
    range: Range<usize>,
    ctx: &Context<'_>,
    findings: &[Finding],
    out: &mut Vec<CodeAction>,
) {
    let y = yaml::read(text, block);
    missing_field_actions(&y, path, ctx, findings, out);
    // Implemented features are stable (R20); removal stages are left alone.
    if y.scalar("status") == Some("implemented") {
        let stage = y.scalar("stage");
        if !matches!(stage, Some("stable" | "deprecated" | "disabled" | "removed")) {
            let mut a = CodeAction::new(
                "Set stage to `stable` (the KEP is implemented)",
                ActionKind::QuickFix,
                vec![y.set_scalar("stage", "stable")],
            );
            a.fixes_findings = findings_of(findings, Code::ImplementedNotStable, |_| true);
            a.preferred = true;
            out.push(a);
        }
    }
    // Bump last-updated.
    if let Some(today) = ctx.today {
        if y.scalar("last-updated") != Some(today) {
            let like = y
                .raw_scalar("last-updated")
                .or_else(|| y.raw_scalar("creation-date"));
            let value = quote_like(today, like);
            let edit = match y.entry("last-updated") {
                Some(_) => y.set_scalar("last-updated", &value),
                None => y.insert_field("last-updated", &format!("last-updated: {value}")),
            };
            out.push(CodeAction::new(
                format!("Set last-updated to today ({today})"),
                ActionKind::Refactor,
                vec![edit],
            ));
        }
    }
    if classify(path, text) == DocumentKind::KepYaml {
        title_sync_actions(&y, path, range, ctx, out);
    }
}

/// The indices of the `findings` of `code` that `pred` accepts (those an action fixes).
fn findings_of(findings: &[Finding], code: Code, pred: impl Fn(&Finding) -> bool) -> Vec<usize> {
    findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.code == code && pred(f))
        .map(|(i, _)| i)
        .collect()
}

/// "Add missing field" for each required field (and creation-date, which every KEP has) that
/// is absent or empty, with the template's default, naming the `missing-field` finding it fixes.
fn missing_field_actions(
    y: &YamlText<'_>,
    path: &str,
    ctx: &Context<'_>,
    findings: &[Finding],
    out: &mut Vec<CodeAction>,
) {
    for f in schema_view::fields()
        .iter()
        .filter(|f| f.required || f.name == "creation-date")
    {
        let present = y
            .entry(f.name)
            .is_some_and(|e| !e.value.is_empty() || !e.children.is_empty());
        if present {
            continue;
        }
        let Some(snippet) = default_field(f.name, path, ctx) else {
            continue;
        };
        let edit = match y.entry(f.name) {
            // `key:` with nothing: replace the whole entry.
            Some(e) => TextEdit::new(e.full.clone(), snippet.clone()),
            None => y.insert_field(f.name, &snippet),
        };
        let mut a = CodeAction::new(
            format!("Add missing field `{}`", f.name),
            if f.required {
                ActionKind::QuickFix
            } else {
                ActionKind::Refactor
            },
            vec![edit],
        );
        a.fixes_findings = findings_of(findings, Code::MissingField, |x| x.message.contains(f.name));
        out.push(a);
    }
}

/// With the cursor on kep.yaml's `title`, when the README beside it has another H1 title: set
/// either title to the other.
fn title_sync_actions(
    y: &YamlText<'_>,
    path: &str,
    range: Range<usize>,
    ctx: &Context<'_>,
    out: &mut Vec<CodeAction>,
) {
    let Some(title_entry) = y.entry("title") else {
        return;
    };
    let on_title = range.start <= title_entry.full.end && title_entry.full.start <= range.end;
    if !on_title {
        return;
    }
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let readme_path = format!("{dir}/README.md");
    let Some(readme) = ctx.workspace.file_text(&readme_path) else {
        return;
    };
    let Some(h1) = headings::headings(&readme).into_iter().find(|h| h.level == 1) else {
        return;
    };
    let yaml_title = y.scalar("title").unwrap_or("");
    let (prefix_len, readme_title) = split_h1(&h1.text);
    if readme_title.trim() == yaml_title.trim() || readme_title.trim().is_empty() {
        return;
    }
    out.push(CodeAction::new(
        format!("Set title to the README's: {}", readme_title.trim()),
        ActionKind::Refactor,
        vec![y.set_scalar("title", &field_default::yaml_string(readme_title.trim()))],
    ));
    let start = h1.text_range.start + prefix_len;
    let mut a = CodeAction::new(
        format!("Set the README's title to kep.yaml's: {yaml_title}"),
        ActionKind::Refactor,
        Vec::new(),
    );
    a.other_file_edits = vec![(
        readme_path,
        vec![TextEdit::new(start..h1.text_range.end, yaml_title)],
    )];
    out.push(a);
}

/// Split an H1 text into its `KEP-NNNN: ` prefix length and the title.
fn split_h1(h1: &str) -> (usize, &str) {
    let upper = h1
        .get(..4)
        .map(|s| s.eq_ignore_ascii_case("kep-"))
        .unwrap_or(false);
    if upper {
        if let Some(colon) = h1.find(':') {
            let rest = &h1[colon + 1..];
            let skip = colon + 1 + (rest.len() - rest.trim_start().len());
            return (skip, &h1[skip..]);
        }
    }
    (0, h1)
}

/// The title part of a README's H1.
pub(crate) fn h1_title(readme: &str) -> Option<&str> {
    let h = headings::headings(readme).into_iter().find(|h| h.level == 1)?;
    let start = h.text_range.start + split_h1(&h.text).0;
    Some(&readme[start..h.text_range.end])
}

fn readme_actions(
    path: &str,
    text: &str,
    range: Range<usize>,
    ctx: &Context<'_>,
    kind: DocumentKind,
    findings: &[Finding],
    out: &mut Vec<CodeAction>,
) {
    let body_start = if kind == DocumentKind::LegacyKep {
        metadata_block(path, text)
            .map(|b| b.end + text[b.end..].find('\n').map(|i| i + 1).unwrap_or(0))
            .unwrap_or(0)
    } else {
        0
    };
    let hs: Vec<Heading> = headings::headings(text)
        .into_iter()
        .filter(|h| h.line.start >= body_start)
        .collect();
    if kind == DocumentKind::KepReadme {
        missing_section_actions(text, range.clone(), ctx, findings, out);
        title_sync_from_readme(path, &hs, range, ctx, out);
    }
}

/// Insert the missing template sections near the cursor: the children of the template section
/// the cursor is in, and the missing sections that follow it at its level (up to the next one
/// present). The edits are `insert_section_edits`, the ones the `missing-section` fix uses
/// (the section with its missing subsections, and the TOC regenerated), so the two never
/// disagree (and the same edit is offered once).
fn missing_section_actions(
    text: &str,
    range: Range<usize>,
    ctx: &Context<'_>,
    findings: &[Finding],
    out: &mut Vec<CodeAction>,
) {
    let tpl = &ctx.knowledge.template;
    let outline = outline::outline(text);
    let found = tpl.locate(&outline);
    // The innermost heading holding the cursor that stands for a template section.
    let Some(cur_t) = outline
        .headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.line.start <= range.start && range.start <= h.section.end.max(h.line.end))
        .filter_map(|(hi, _)| found.iter().position(|f| *f == Some(hi)))
        .next_back()
    else {
        return;
    };
    let sections = &tpl.sections;
    let cur = &sections[cur_t];
    for (i, t) in sections.iter().enumerate() {
        if found.get(i).copied().flatten().is_some() {
            continue;
        }
        let child = t.parent == Some(cur_t);
        let next_sibling = i > cur_t
            && t.level == cur.level
            && t.parent == cur.parent
            && (cur_t + 1..i).all(|j| sections[j].level != t.level || found[j].is_none());
        if !(child || next_sibling) {
            continue;
        }
        let Some(edits) = insert_section_edits(
            text,
            &outline,
            tpl,
            &found,
            i,
            crate::analysis::rules::readme::toc_dialect(ctx),
        ) else {
            continue;
        };
        let title = t.title.replace(" (Optional)", "");
        let mut a = CodeAction::new(
            format!("Insert the \"{title}\" section"),
            ActionKind::QuickFix,
            edits.clone(),
        );
        a.fixes_findings = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.fixes.iter().any(|x| x.edits == edits))
            .map(|(k, _)| k)
            .collect();
        out.push(a);
    }
}

/// In a README: set the H1 title to kep.yaml's, or kep.yaml's title to the README's.
fn title_sync_from_readme(
    path: &str,
    hs: &[Heading],
    range: Range<usize>,
    ctx: &Context<'_>,
    out: &mut Vec<CodeAction>,
) {
    let Some(h1) = hs.iter().find(|h| h.level == 1) else {
        return;
    };
    if range.start > h1.line.end || range.end < h1.line.start {
        return;
    }
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let yaml_path = format!("{dir}/kep.yaml");
    let Some(yaml_text) = ctx.workspace.file_text(&yaml_path) else {
        return;
    };
    let y = yaml::read(&yaml_text, 0..yaml_text.len());
    let Some(yaml_title) = y.scalar("title") else {
        return;
    };
    let (prefix, readme_title) = split_h1(&h1.text);
    if readme_title.trim() == yaml_title.trim() {
        return;
    }
    out.push(CodeAction::new(
        format!("Set title to kep.yaml's: {yaml_title}"),
        ActionKind::QuickFix,
        vec![TextEdit::new(
            h1.text_range.start + prefix..h1.text_range.end,
            yaml_title,
        )],
    ));
    let mut a = CodeAction::new(
        format!("Set kep.yaml's title to this one: {}", readme_title.trim()),
        ActionKind::Refactor,
        Vec::new(),
    );
    a.other_file_edits = vec![(
        yaml_path,
        vec![y.set_scalar("title", &field_default::yaml_string(readme_title.trim()))],
    )];
    out.push(a);
}
