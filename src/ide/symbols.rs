//! Document symbols (the README's outline; kep.yaml's fields with their values) and workspace
//! symbols (any KEP by number or title).

use std::ops::Range;

use crate::analysis::KepEntry;

use super::metadata_block;
use crate::syntax::headings::{self, Heading};
use crate::syntax::yaml::{self, LineKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A README section.
    Section,
    /// A kep.yaml field.
    Field,
    /// A list item or a key of a nested map.
    Item,
    /// A whole KEP (workspace symbols).
    Kep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers.
    pub range: Range<usize>,
    /// The part to select (the heading text, the key).
    pub selection_range: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The outline of a KEP file: fields of the metadata, then the README's sections as a tree.
pub fn document_symbols(path: &str, text: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    let block = metadata_block(path, text);
    if let Some(block) = &block {
        out.extend(field_symbols(text, block.clone()));
    }
    if path.ends_with(".md") {
        let body_start = block.map(|b| b.end).unwrap_or(0);
        let hs: Vec<Heading> = headings::headings(text)
            .into_iter()
            .filter(|h| h.line.start >= body_start)
            .collect();
        let mut i = 0;
        while i < hs.len() {
            out.push(section_tree(&hs, &mut i));
        }
    }
    out
}

/// The heading at `*i` with every deeper heading that follows it as children.
fn section_tree(hs: &[Heading], i: &mut usize) -> Symbol {
    let h = &hs[*i];
    *i += 1;
    let mut children = Vec::new();
    while *i < hs.len() && hs[*i].level > h.level {
        children.push(section_tree(hs, i));
    }
    Symbol {
        name: if h.text.is_empty() {
            "(empty heading)".into()
        } else {
            h.text.clone()
        },
        detail: None,
        kind: SymbolKind::Section,
        range: h.line.start..h.section.end.max(h.line.end),
        selection_range: h.text_range.clone(),
        children,
    }
}

fn field_symbols(text: &str, block: Range<usize>) -> Vec<Symbol> {
    let y = yaml::read(text, block);
    y.top
        .iter()
        .map(|e| {
            let value = yaml::unquote(&text[e.value.clone()]);
            let mut children = Vec::new();
            if !e.children.is_empty() {
                for sub in y.children_of(e) {
                    let v = yaml::unquote(&text[sub.value.clone()]);
                    children.push(Symbol {
                        name: sub.key.clone(),
                        detail: (!v.is_empty()).then(|| v.to_string()),
                        kind: SymbolKind::Item,
                        range: sub.full.clone(),
                        selection_range: sub.key_range.clone(),
                        children: Vec::new(),
                    });
                }
                for item in y.items_of(e) {
                    if let LineKind::Item { value, key, .. } = &item.kind {
                        // Feature-gate items read best by their name.
                        let shown = match key {
                            Some(k) if &text[k.clone()] == "name" => k.end + 1..value.end,
                            _ => value.clone(),
                        };
                        let v = yaml::unquote(&text[shown]);
                        if v.is_empty() {
                            continue;
                        }
                        children.push(Symbol {
                            name: v.to_string(),
                            detail: None,
                            kind: SymbolKind::Item,
                            range: item.range.clone(),
                            selection_range: value.clone(),
                            children: Vec::new(),
                        });
                    }
                }
                children.sort_by_key(|s| s.range.start);
            }
            Symbol {
                name: e.key.clone(),
                detail: (!value.is_empty()).then(|| value.to_string()),
                kind: SymbolKind::Field,
                range: e.full.clone(),
                selection_range: e.key_range.clone(),
                children,
            }
        })
        .collect()
}

/// A KEP found by a workspace-symbol query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    /// `KEP-2625: SMT aware cpumanager policy`.
    pub name: String,
    /// `sig-node · implemented · stable`.
    pub detail: String,
    /// Repo-relative path of the metadata file.
    pub path: String,
}

/// KEPs whose number starts with the query (leading zeros ignored, `KEP-` allowed) or whose
/// title or folder contains every word of it (case-insensitive). Number matches first.
pub fn workspace_symbols(query: &str, keps: &[KepEntry]) -> Vec<WorkspaceSymbol> {
    let q = query.trim().to_lowercase();
    let q = q.strip_prefix("kep-").unwrap_or(&q).trim();
    let num_q = q.trim_start_matches('0');
    let words: Vec<&str> = q.split_whitespace().collect();
    let mut hits: Vec<(u8, &KepEntry)> = keps
        .iter()
        .filter_map(|k| {
            let num = k.number.trim_start_matches('0');
            if !num_q.is_empty() && num_q.bytes().all(|b| b.is_ascii_digit()) {
                return (num == num_q)
                    .then_some((0, k))
                    .or_else(|| num.starts_with(num_q).then_some((1, k)));
            }
            let hay = format!("{} {}", k.title, k.dir).to_lowercase();
            words.iter().all(|w| hay.contains(w)).then_some((2, k))
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.dir.cmp(&b.1.dir)));
    hits.into_iter()
        .map(|(_, k)| WorkspaceSymbol {
            name: format!("KEP-{}: {}", k.number, k.title),
            detail: [k.owning_sig.as_str(), k.status.as_str(), k.stage.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
            path: k.metadata_path.clone(),
        })
        .collect()
}
