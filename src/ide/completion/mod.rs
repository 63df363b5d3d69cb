//! Completion in kep.yaml, legacy front matter, PRR files and KEP READMEs.
//!
//! The cursor's place is read from the block's line structure (`syntax::yaml`), so completion works
//! while the YAML is broken: which key is being typed, which field's value or list item the
//! cursor is in, whether it is inside quotes. Every item carries the exact range it replaces
//! and text in the file's own style (quotes, `@`).
//!
//! Here: the entry point and the file's style (`YamlDoc`); `slot` finds where the cursor is,
//! `candidates` what to offer there, `render` how to write it, `sections` README headings.

use std::ops::Range;

use crate::analysis::{Context, DocumentKind, TextEdit, classify};

use super::facts::WorkspaceFacts;
use super::schema_view::{self, STAGES, STATUSES, describe, milestone_doc, milestone_keys, status_doc};
use super::{groups, metadata_block, path_facts};
use crate::knowledge::schema::{COMPONENTS, FieldType};
use crate::knowledge::template::{TemplateSection, normalize};
use crate::model::handle::clean_handle;
use crate::syntax::headings;
use crate::syntax::yaml::{self, LineKind, YamlText};

mod candidates;
mod render;
mod sections;
mod slot;

use candidates::Candidate;
pub(crate) use render::field_doc_markdown;
use render::{field_snippet, snippet_escape};
pub(crate) use sections::guidance_text;
use sections::section_completions;
use slot::Slot;

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
            y: yaml::read(text, block),
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
        let mut out = self.y.values_of(e);
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
                let v = yaml::unquote(&self.y.text[r]);
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
}
