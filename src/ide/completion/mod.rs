//! Completion in kep.yaml, legacy front matter, PRR files and KEP READMEs.
//!
//! The cursor's place is read from the text line by line (`yaml_lines`), so completion works
//! while the YAML is broken: which key is being typed, which field's value or list item the
//! cursor is in, whether it is inside quotes. Every item carries the exact range it replaces
//! and text in the file's own style (quotes, `@`).

use std::ops::Range;

use crate::analysis::{Context, DocumentKind, TextEdit, classify};

use super::facts::{WorkspaceFacts, clean_handle};
use super::schema_view::{self, STAGES, STATUSES, describe, milestone_doc, milestone_keys, status_doc};
use super::{groups, metadata_block, path_facts};
use crate::knowledge::schema::{COMPONENTS, FieldType};
use crate::knowledge::template::{TemplateSection, normalize};
use crate::syntax::headings;
use crate::syntax::yaml_lines::{self, Line, LineKind, YamlText};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Field,
    Value,
    Sig,
    Handle,
    KepRef,
    Milestone,
    Date,
    Section,
    Bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The exact range replaced and the new text (LSP snippet syntax when `snippet`).
    pub edit: TextEdit,
    pub snippet: bool,
    pub sort_text: String,
    pub filter_text: String,
}

/// Completions at byte `offset` of `text` (the file at `path`).
pub fn completions(
    path: &str,
    text: &str,
    offset: usize,
    ctx: &Context<'_>,
    facts: &WorkspaceFacts,
) -> Vec<CompletionItem> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let kind = classify(path, text);
    if let Some(block) = metadata_block(path, text) {
        if block.start <= offset && offset <= block.end {
            let doc = YamlDoc::new(path, text, block, kind, offset);
            return if kind == DocumentKind::PrrYaml {
                doc.prr_completions(offset, ctx)
            } else {
                doc.kep_completions(offset, ctx, facts)
            };
        }
    }
    match kind {
        DocumentKind::KepReadme | DocumentKind::LegacyKep | DocumentKind::Template
            if path.ends_with(".md") =>
        {
            section_completions(text, offset, ctx)
        }
        _ => Vec::new(),
    }
}

/// Where the cursor is in the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
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

struct YamlDoc<'t> {
    path: &'t str,
    y: YamlText<'t>,
    kind: DocumentKind,
    cursor: usize,
}

impl<'t> YamlDoc<'t> {
    fn new(path: &'t str, text: &'t str, block: Range<usize>, kind: DocumentKind, cursor: usize) -> Self {
        YamlDoc {
            path,
            y: YamlText::new(text, block),
            kind,
            cursor,
        }
    }

    /// The scalar values of a top-level field: its inline value and its list items (but not
    /// the one being typed, which must not decide the file's style).
    fn values(&self, key: &str) -> Vec<Range<usize>> {
        let mut v = self.all_values(key);
        v.retain(|r| !(r.start <= self.cursor && self.cursor <= r.end));
        v
    }

    fn all_values(&self, key: &str) -> Vec<Range<usize>> {
        let Some(e) = self.y.entry(key) else {
            return Vec::new();
        };
        let mut out = yaml_lines::entry_values(&self.y.lines, e);
        out.retain(|r| !r.is_empty());
        out
    }

    /// Whether the file quotes the values of these fields (majority; `default` when none).
    fn quotes(&self, keys: &[&str], default: bool) -> bool {
        let (mut q, mut n) = (0, 0);
        for k in keys {
            for r in self.values(k) {
                n += 1;
                if self.y.text[r].starts_with(['"', '\'']) {
                    q += 1;
                }
            }
        }
        if n == 0 { default } else { q * 2 >= n }
    }

    /// Whether the file writes handles with `@` (majority; yes when none).
    fn at_prefix(&self) -> bool {
        let (mut at, mut n) = (0, 0);
        for k in ["authors", "reviewers", "approvers", "editor"] {
            for r in self.values(k) {
                let v = yaml_lines::unquote(&self.y.text[r]);
                if v.eq_ignore_ascii_case("tbd") || v.is_empty() {
                    continue;
                }
                n += 1;
                if v.starts_with('@') {
                    at += 1;
                }
            }
        }
        n == 0 || at * 2 >= n
    }

    /// The key of the mapping that holds line `li` at `indent` (None at the top level, or when
    /// the line is nested in a list item).
    fn parent_key(&self, li: usize, indent: usize, items_at_same_indent: bool) -> Option<String> {
        for l in self.y.lines[..li].iter().rev() {
            if l.is_blank_or_comment() {
                continue;
            }
            let is_item = matches!(l.kind, LineKind::Item { .. });
            if l.indent < indent || (items_at_same_indent && l.indent == indent && !is_item) {
                return match l.kind {
                    LineKind::Key { .. } => l.key(self.y.text).map(str::to_string),
                    _ => None,
                };
            }
        }
        None
    }

    fn slot(&self, offset: usize) -> Option<Slot> {
        let li = yaml_lines::line_at(&self.y.lines, offset)?;
        let line = &self.y.lines[li];
        if in_comment(&self.y.text[line.range.start..offset]) {
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
            LineKind::Key { key, value } => {
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
            LineKind::Item { dash, value } => {
                if offset <= *dash {
                    return None;
                }
                let v = &self.y.text[value.clone()];
                if v.contains(": ") || v.ends_with(':') {
                    return None;
                }
                let field = self.parent_key(li, line.indent, true)?;
                let space = value.is_empty() && !self.y.text[..offset].ends_with(' ');
                Some(self.value_slot(field, None, value.clone(), offset, false, space))
            }
        }
    }

    fn key_or_item(&self, li: usize, indent: usize, replace: Range<usize>) -> Option<Slot> {
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

    fn value_slot(
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

    fn kep_completions(
        &self,
        offset: usize,
        ctx: &Context<'_>,
        facts: &WorkspaceFacts,
    ) -> Vec<CompletionItem> {
        match self.slot(offset) {
            Some(Slot::Key {
                parent: None,
                on_key_line,
                replace,
            }) => self.field_items(replace, on_key_line, facts, ctx),
            Some(Slot::Key {
                parent: Some(p),
                on_key_line,
                replace,
            }) if p == "milestone" => self.milestone_key_items(replace, on_key_line, facts),
            Some(Slot::Key { .. }) => Vec::new(),
            Some(slot @ Slot::Value { .. }) => self.value_items(&slot, ctx, facts),
            None => Vec::new(),
        }
    }

    fn field_items(
        &self,
        replace: Range<usize>,
        on_key_line: bool,
        facts: &WorkspaceFacts,
        ctx: &Context<'_>,
    ) -> Vec<CompletionItem> {
        let present: Vec<&str> = self
            .y
            .top
            .iter()
            .filter(|e| e.key_range != replace)
            .map(|e| e.key.as_str())
            .collect();
        let (number, sig) = path_facts(self.path);
        let milestone = next_milestone(facts, self);
        let mut out = Vec::new();
        for (i, f) in schema_view::fields().iter().enumerate() {
            if present.contains(&f.name) {
                continue;
            }
            let (new_text, snippet) = if on_key_line {
                (f.name.to_string(), false)
            } else {
                (
                    field_snippet(
                        f.name,
                        f.ty,
                        number.as_deref(),
                        sig.as_deref(),
                        &milestone,
                        ctx,
                        facts,
                    ),
                    true,
                )
            };
            let req = if f.required { ", required" } else { "" };
            out.push(CompletionItem {
                label: f.name.to_string(),
                kind: CompletionKind::Field,
                detail: Some(format!("{}{req}", describe(f.ty))),
                documentation: Some(field_doc_markdown(f.name)),
                edit: TextEdit::new(replace.clone(), new_text),
                snippet,
                sort_text: format!("{}{i:02}", if f.required { 0 } else { 1 }),
                filter_text: f.name.to_string(),
            });
        }
        out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        out
    }

    fn milestone_key_items(
        &self,
        replace: Range<usize>,
        on_key_line: bool,
        facts: &WorkspaceFacts,
    ) -> Vec<CompletionItem> {
        let present: Vec<String> = self
            .y
            .entry("milestone")
            .map(|e| {
                e.children
                    .iter()
                    // Not the line being typed on.
                    .filter(|&&c| {
                        !(self.y.lines[c].range.start <= replace.start
                            && replace.start <= self.y.lines[c].range.end)
                    })
                    .filter_map(|&c| self.y.lines[c].key(self.y.text).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let ms = next_milestone(facts, self);
        milestone_keys()
            .enumerate()
            .filter(|(_, k)| !present.iter().any(|p| p == *k) || on_key_line)
            .map(|(i, k)| CompletionItem {
                label: k.to_string(),
                kind: CompletionKind::Field,
                detail: Some("milestone".into()),
                documentation: milestone_doc(k).map(str::to_string),
                edit: TextEdit::new(
                    replace.clone(),
                    if on_key_line {
                        k.to_string()
                    } else {
                        format!("{k}: \"${{1:{}}}\"", snippet_escape(&ms))
                    },
                ),
                snippet: !on_key_line,
                sort_text: format!("{i:02}"),
                filter_text: k.to_string(),
            })
            .collect()
    }

    fn value_items(&self, slot: &Slot, ctx: &Context<'_>, facts: &WorkspaceFacts) -> Vec<CompletionItem> {
        let Slot::Value { field, parent, .. } = slot else {
            return Vec::new();
        };
        let mut cands: Vec<Candidate> = Vec::new();
        let in_milestone = parent.as_deref() == Some("milestone");
        let f = if in_milestone { "milestone" } else { field.as_str() };
        match f {
            "status" => {
                for (s, _) in STATUSES {
                    cands.push(Candidate::new(s, CompletionKind::Value, &status_doc(s)));
                }
            }
            "stage" => {
                for (s, doc) in STAGES {
                    cands.push(Candidate::new(s, CompletionKind::Value, doc));
                }
            }
            "owning-sig" | "participating-sigs" => {
                let taken = self.taken(field);
                for g in groups::groups(ctx) {
                    if taken.contains(&g.dir) {
                        continue;
                    }
                    let mut c = Candidate::new(&g.dir, CompletionKind::Sig, &g.mission);
                    c.detail = Some(format!("{} {}", g.name, g.kind.as_str()));
                    cands.push(c);
                }
            }
            "latest-milestone" | "milestone" => {
                for m in milestone_candidates(facts, self) {
                    cands.push(Candidate::new(&m, CompletionKind::Milestone, ""));
                }
                let q = self.quotes(&["latest-milestone"], true);
                cands.iter_mut().for_each(|c| c.quote = q);
            }
            "creation-date" | "last-updated" => {
                if let Some(today) = ctx.today {
                    let mut c = Candidate::new(today, CompletionKind::Date, "Today.");
                    c.quote = self.quotes(&["creation-date", "last-updated"], false);
                    cands.push(c);
                }
            }
            "components" => {
                let taken = self.sibling_items();
                for (name, doc) in COMPONENTS {
                    if !taken.iter().any(|t| t == name) {
                        cands.push(Candidate::new(name, CompletionKind::Value, doc));
                    }
                }
            }
            "disable-supported" => {
                cands.push(Candidate::new("true", CompletionKind::Bool, ""));
                cands.push(Candidate::new("false", CompletionKind::Bool, ""));
            }
            "kep-number" => {
                let (number, _) = path_facts(self.path);
                let n = number.unwrap_or_else(|| facts.next_kep_number.max(1).to_string());
                cands.push(Candidate::new(
                    &n,
                    CompletionKind::Value,
                    "The folder's number (or the next free one).",
                ));
            }
            "authors" | "reviewers" | "approvers" | "editor" => {
                cands = self.handle_candidates(field, facts);
            }
            "see-also" | "replaces" | "superseded-by" => {
                let q = self.quotes(&["see-also", "replaces", "superseded-by"], true);
                let taken = self.taken(field);
                let own_dir = self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                for k in facts.keps.iter() {
                    let reference = format!("/{}", k.dir);
                    if own_dir.ends_with(&k.dir) || taken.contains(&reference) || taken.contains(&k.dir) {
                        continue;
                    }
                    let mut c = Candidate::new(&reference, CompletionKind::KepRef, "");
                    c.label = format!("KEP-{}: {}", k.number, k.title);
                    c.detail = Some(format!("{} · {} · {}", k.owning_sig, k.status, k.stage));
                    c.doc = format!("`{}`", k.dir);
                    c.filter_extra = format!(" {} {}", k.number, k.title);
                    c.quote = q;
                    cands.push(c);
                }
            }
            _ => {}
        }
        self.render(slot, cands)
    }

    /// The other items of the list the cursor's line belongs to (unquoted), at any depth: the
    /// contiguous `- ` lines of the same indent around the cursor.
    fn sibling_items(&self) -> Vec<String> {
        let Some(here) = self
            .y
            .lines
            .iter()
            .position(|l| l.range.start <= self.cursor && self.cursor <= l.range.end)
        else {
            return Vec::new();
        };
        let indent = self.y.lines[here].indent;
        let same_list = |l: &&Line| l.indent == indent && matches!(l.kind, LineKind::Item { .. });
        let before = self.y.lines[..here].iter().rev().take_while(same_list);
        let after = self.y.lines[here + 1..].iter().take_while(same_list);
        before
            .chain(after)
            .filter_map(|l| match &l.kind {
                LineKind::Item { value, .. } => {
                    Some(yaml_lines::unquote(&self.y.text[value.clone()]).to_string())
                }
                _ => None,
            })
            .collect()
    }

    /// The values already in a list field (unquoted), so completion does not offer them twice.
    fn taken(&self, field: &str) -> Vec<String> {
        self.values(field)
            .into_iter()
            .map(|r| {
                yaml_lines::unquote(&self.y.text[r])
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect()
    }

    fn handle_candidates(&self, field: &str, facts: &WorkspaceFacts) -> Vec<Candidate> {
        let taken: Vec<String> = self
            .taken(field)
            .iter()
            .map(|t| clean_handle(t).to_ascii_lowercase())
            .collect();
        let (_, folder_sig) = path_facts(self.path);
        let sig = self.y.scalar("owning-sig").map(str::to_string).or(folder_sig);
        let mut ranked: Vec<(usize, usize, &str)> = facts
            .handles
            .iter()
            .filter(|h| !taken.contains(&h.handle.to_ascii_lowercase()))
            .map(|h| {
                let in_sig = sig.as_ref().and_then(|s| h.by_sig.get(s)).copied().unwrap_or(0);
                (in_sig, h.kep_count, h.handle.as_str())
            })
            .collect();
        ranked.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(b.2)));
        let at = if self.at_prefix() { "@" } else { "" };
        ranked
            .into_iter()
            .map(|(in_sig, total, h)| {
                let mut c = Candidate::new(&format!("{at}{h}"), CompletionKind::Handle, "");
                c.label = format!("@{h}");
                c.detail = Some(match &sig {
                    Some(s) if in_sig > 0 => format!("{in_sig} {s} KEPs, {total} in all"),
                    _ => format!("{total} KEPs"),
                });
                c.quote = true;
                c
            })
            .collect()
    }

    fn render(&self, slot: &Slot, cands: Vec<Candidate>) -> Vec<CompletionItem> {
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

    fn prr_completions(&self, offset: usize, ctx: &Context<'_>) -> Vec<CompletionItem> {
        let slot = self.slot(offset);
        let present: Vec<&str> = self.y.top.iter().map(|e| e.key.as_str()).collect();
        match slot {
            Some(Slot::Key {
                parent: None,
                on_key_line,
                replace,
            }) => {
                let mut keys: Vec<(&str, String)> = Vec::new();
                let (number, _) = path_facts(&format!("{}x", self.path.trim_end_matches(".yaml")));
                let stem = self
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".yaml");
                let n = number.unwrap_or_else(|| stem.to_string());
                keys.push(("kep-number", format!("kep-number: {}", snippet_escape(&n))));
                for s in schema_view::prr_stage_keys() {
                    keys.push((s, format!("{s}:\n  approver: \"@$1\"")));
                }
                keys.into_iter()
                    .enumerate()
                    .filter(|(_, (k, _))| on_key_line || !present.contains(k))
                    .map(|(i, (k, snip))| CompletionItem {
                        label: k.to_string(),
                        kind: CompletionKind::Field,
                        detail: Some(
                            if k == "kep-number" {
                                "required"
                            } else {
                                "PRR stage"
                            }
                            .into(),
                        ),
                        documentation: None,
                        edit: TextEdit::new(replace.clone(), if on_key_line { k.to_string() } else { snip }),
                        snippet: !on_key_line,
                        sort_text: format!("{i:02}"),
                        filter_text: k.to_string(),
                    })
                    .collect()
            }
            Some(Slot::Key {
                parent: Some(_),
                on_key_line,
                replace,
            }) => vec![CompletionItem {
                label: "approver".into(),
                kind: CompletionKind::Field,
                detail: Some("PRR approver".into()),
                documentation: Some("A member of `prod-readiness-approvers` (OWNERS_ALIASES).".into()),
                edit: TextEdit::new(
                    replace,
                    if on_key_line {
                        "approver"
                    } else {
                        "approver: \"@$1\""
                    },
                ),
                snippet: !on_key_line,
                sort_text: "00".into(),
                filter_text: "approver".into(),
            }],
            Some(ref s @ Slot::Value { ref field, .. }) if field == "approver" => {
                let cands = ctx
                    .knowledge
                    .prr_approvers
                    .iter()
                    .map(|h| {
                        let mut c = Candidate::new(&format!("@{h}"), CompletionKind::Handle, "");
                        c.detail = Some("prod-readiness-approvers".into());
                        c.quote = true;
                        c
                    })
                    .collect();
                self.render(s, cands)
            }
            _ => Vec::new(),
        }
    }
}

/// A value to offer before it is rendered in the slot's style.
struct Candidate {
    label: String,
    value: String,
    kind: CompletionKind,
    detail: Option<String>,
    doc: String,
    filter_extra: String,
    /// Quote it when the cursor is not already inside quotes.
    quote: bool,
}

impl Candidate {
    fn new(value: &str, kind: CompletionKind, doc: &str) -> Candidate {
        Candidate {
            label: value.to_string(),
            value: value.to_string(),
            kind,
            detail: None,
            doc: doc.to_string(),
            filter_extra: String::new(),
            quote: false,
        }
    }
}

/// Whether a `#` comment starts before the end of `line_prefix` (outside quotes).
fn in_comment(line_prefix: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in line_prefix.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return true,
            None => {}
        }
        prev = c;
    }
    false
}

/// Escape text for inclusion in an LSP snippet.
fn snippet_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The milestone to propose for new entries: the newest in the workspace or this file.
fn next_milestone(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> String {
    match newest(facts, doc) {
        Some((ma, mi)) => format!("v{ma}.{mi}"),
        None => "v1.XX".into(),
    }
}

fn newest(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> Option<(u64, u64)> {
    let mut n = facts.newest_milestone;
    for k in ["latest-milestone"] {
        for r in doc.values(k) {
            n = n.max(super::facts::parse_milestone(&doc.y.text[r]));
        }
    }
    n
}

/// `vX.Y` around the newest release: the newest first, then the next, then older ones.
fn milestone_candidates(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> Vec<String> {
    let Some((ma, mi)) = newest(facts, doc) else {
        return Vec::new();
    };
    let mut out = vec![
        format!("v{ma}.{mi}"),
        format!("v{ma}.{}", mi + 1),
        format!("v{ma}.{}", mi + 2),
    ];
    for d in 1..=3 {
        if let Some(m) = mi.checked_sub(d) {
            out.push(format!("v{ma}.{m}"));
        }
    }
    out
}

fn field_snippet(
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
pub fn field_doc_markdown(name: &str) -> String {
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

/// README completion: on a heading line (`##` typed) or an empty line, the template sections
/// missing at that level, in template order, as `#`-prefixed headings.
fn section_completions(text: &str, offset: usize, ctx: &Context<'_>) -> Vec<CompletionItem> {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim_end_matches('\r');
    let typed_hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[typed_hashes..];
    if typed_hashes == 0 && !line.trim().is_empty() {
        return Vec::new();
    }
    if typed_hashes > 6 || (typed_hashes > 0 && !rest.is_empty() && !rest.starts_with(' ')) {
        return Vec::new();
    }
    let doc_headings = headings::headings(text);
    // Outside fenced code and comments only: an empty line inside a fence is not a heading spot.
    let template = &ctx.knowledge.template.sections;
    let present: Vec<String> = doc_headings
        .iter()
        .filter(|h| h.line.start != line_start)
        .map(|h| normalize(&h.text))
        .collect();
    let enclosing = doc_headings
        .iter()
        .rev()
        .find(|h| h.line.end <= line_start && h.line.start < line_start);
    // The template section the cursor is under, at each level (to rank or restrict children).
    let under: Vec<usize> = doc_headings
        .iter()
        .filter(|h| h.line.start < line_start && line_start <= h.section.end.max(h.line.end + 1))
        .filter_map(|h| template.iter().position(|t| t.norm == normalize(&h.text)))
        .collect();
    let is_child = |s: &TemplateSection| s.parent.is_some_and(|p| under.contains(&p));
    let wanted = |s: &TemplateSection| {
        let level = usize::from(s.level);
        if typed_hashes > 0 {
            return level == typed_hashes;
        }
        match enclosing {
            Some(h) => level == h.level || (level == h.level + 1 && is_child(s)),
            None => level == 2,
        }
    };
    let mut found: Vec<(bool, usize, &TemplateSection)> = template
        .iter()
        .enumerate()
        .filter(|(_, s)| s.level > 1 && wanted(s))
        .filter(|(_, s)| !present.contains(&s.norm))
        .map(|(i, s)| (!is_child(s), i, s))
        .collect();
    // Children of the section the cursor is in first, then template order.
    found.sort_by_key(|(not_child, i, _)| (*not_child, *i));
    found
        .into_iter()
        .map(|(_, i, s)| (i, s))
        .map(|(i, s)| {
            // As the missing-section fix writes it: without the `(Optional)` marker.
            let heading = format!(
                "{} {}",
                "#".repeat(usize::from(s.level)),
                s.title.replace(" (Optional)", "")
            );
            CompletionItem {
                label: s.title.clone(),
                kind: CompletionKind::Section,
                detail: Some(format!("template section, level {}", s.level)),
                documentation: guidance_text(s),
                edit: TextEdit::new(line_start..line_end, heading.clone()),
                snippet: false,
                sort_text: format!("{i:03}"),
                filter_text: heading,
            }
        })
        .collect()
}

/// The text of a template section's guidance comment, without `<!--` and `-->`.
pub fn guidance_text(s: &TemplateSection) -> Option<String> {
    let g = s.guidance.as_deref()?.trim();
    let g = g.strip_prefix("<!--").unwrap_or(g);
    let g = g.strip_suffix("-->").unwrap_or(g).trim();
    (!g.is_empty()).then(|| g.to_string())
}
