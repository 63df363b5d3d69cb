//! `textDocument/documentSymbol`: the outline (kep.yaml fields, README sections as a tree).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use crate::ide::symbols::{self, Symbol};
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/documentSymbol", move || {
        let symbols = symbols::document_symbols(snap.path(), &snap.text);
        Some(DocumentSymbolResponse::Nested(
            symbols.into_iter().map(|s| to_lsp(&snap, s)).collect(),
        ))
    })
    .await
}

pub(crate) fn kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Section => SymbolKind::STRING,
        symbols::SymbolKind::Field => SymbolKind::FIELD,
        symbols::SymbolKind::Item => SymbolKind::KEY,
        symbols::SymbolKind::Kep => SymbolKind::FILE,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the struct
fn to_lsp(snap: &Snapshot, s: Symbol) -> DocumentSymbol {
    let range = snap.range(&s.range);
    // LSP requires the selection inside the range.
    let selection = if s.range.start <= s.selection_range.start && s.selection_range.end <= s.range.end {
        snap.range(&s.selection_range)
    } else {
        range
    };
    DocumentSymbol {
        name: if s.name.trim().is_empty() {
            "(empty)".to_string()
        } else {
            s.name
        },
        detail: s.detail,
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!s.children.is_empty()).then(|| s.children.into_iter().map(|c| to_lsp(snap, c)).collect()),
    }
}
