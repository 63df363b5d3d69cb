//! `textDocument/rename`: a README heading, with its mdtoc TOC entry and every link to its
//! anchor in the workspace, as one `WorkspaceEdit` (`ide::rename`), versioned where the client
//! takes `documentChanges`. A refused rename (the new
//! name's anchor is another heading's, or empty) is a RequestFailed error whose message says
//! why; editors show it.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, RenameParams, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::ide::rename::rename_heading;
use crate::lsp::position::range_to_lsp;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let pos = params.text_document_position;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    let new_name = params.new_name;
    run_blocking("textDocument/rename", move || {
        let offset = snap.offset(pos.position);
        let files = snap
            .with_context(|ctx| rename_heading(snap.path(), &snap.text, offset, &new_name, ctx))
            .map_err(request_failed)?;
        let mut per_file: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = Vec::new();
        for file in files {
            let (Some(uri), Some(rope)) = (snap.uri_of(&file.path), snap.rope_of(&file.path)) else {
                continue;
            };
            let version = if uri == snap.uri {
                Some(snap.doc.version)
            } else {
                snap.state.docs.get(&uri).map(|d| d.version)
            };
            let edits = file
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: range_to_lsp(&rope, &e.range, snap.encoding),
                    new_text: e.new_text.clone(),
                })
                .collect();
            per_file.push((uri, version, edits));
        }
        if snap.state.caps().edit_document_changes {
            // Versioned: the client refuses the edit if an open document changed since.
            let edits = per_file
                .into_iter()
                .map(|(uri, version, edits)| TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                })
                .collect();
            return Ok(Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(edits)),
                ..WorkspaceEdit::default()
            }));
        }
        let changes: HashMap<Uri, Vec<TextEdit>> = per_file.into_iter().map(|(u, _, e)| (u, e)).collect();
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    })
    .await?
}

/// LSP's RequestFailed (-32803): the request was understood and refused, for `message`.
fn request_failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}
