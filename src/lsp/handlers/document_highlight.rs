//! `textDocument/documentHighlight`: the places of the current file that name the KEP, handle
//! or README heading under the cursor (`ide::references::highlights`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams};

use crate::ide::references::highlights;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let pos = params.text_document_position_params;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/documentHighlight", move || {
        let offset = snap.offset(pos.position);
        let ranges = snap.with_context(|ctx| highlights(snap.path(), &snap.text, offset, ctx));
        let out: Vec<DocumentHighlight> = ranges
            .iter()
            .map(|r| DocumentHighlight {
                range: snap.range(r),
                kind: Some(DocumentHighlightKind::TEXT),
            })
            .collect();
        (!out.is_empty()).then_some(out)
    })
    .await
}
