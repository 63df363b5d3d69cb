//! `textDocument/completion`: the ide's completions (fields, values, SIGs, handles, KEP
//! references, milestones, dates, README sections) with their exact replace ranges.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, InsertTextFormat, MarkupContent, MarkupKind, TextEdit,
};

use crate::ide::completion::{self, CompletionKind};
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

/// Characters after which the client should ask again without waiting for a word.
pub(crate) const TRIGGER_CHARACTERS: [&str; 4] = [":", "@", "-", "#"];

pub(crate) async fn handle(
    state: &Arc<State>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/completion", move || {
        let offset = snap.offset(pos.position);
        let facts = snap.facts();
        let items =
            snap.with_context(|ctx| completion::completions(snap.path(), &snap.text, offset, ctx, &facts));
        let items: Vec<CompletionItem> = items.into_iter().map(|i| to_lsp(&snap, i)).collect();
        (!items.is_empty()).then_some(CompletionResponse::Array(items))
    })
    .await
}

fn to_lsp(snap: &Snapshot, item: completion::CompletionItem) -> CompletionItem {
    CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            CompletionKind::Field => CompletionItemKind::FIELD,
            CompletionKind::Value | CompletionKind::Bool => CompletionItemKind::ENUM_MEMBER,
            CompletionKind::Sig => CompletionItemKind::MODULE,
            CompletionKind::Handle => CompletionItemKind::REFERENCE,
            CompletionKind::KepRef => CompletionItemKind::FILE,
            CompletionKind::Milestone | CompletionKind::Date => CompletionItemKind::CONSTANT,
            CompletionKind::Section => CompletionItemKind::SNIPPET,
        }),
        detail: item.detail,
        documentation: item.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: Some(item.sort_text),
        filter_text: Some(item.filter_text),
        insert_text_format: Some(if item.snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: snap.range(&item.edit.range),
            new_text: item.edit.new_text,
        })),
        ..CompletionItem::default()
    }
}
