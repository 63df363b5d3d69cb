//! `textDocument/hover`: field docs, statuses, stages, SIGs, handles, referenced KEPs, and the
//! template's guidance for a README heading (all from the ide's `hover_with`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::ide::hover::hover_with;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub async fn handle(state: &Arc<State>, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/hover", move || {
        let offset = snap.offset(pos.position);
        let facts = snap.facts();
        let hover = snap.with_context(|ctx| hover_with(snap.path(), &snap.text, offset, ctx, &facts))?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: hover.markdown,
            }),
            range: Some(snap.range(&hover.range)),
        })
    })
    .await
}
