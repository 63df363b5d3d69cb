//! `textDocument/inlayHint`: after each `see-also` / `replaces` / `superseded-by` entry of a
//! kep.yaml, the named KEP's title and status (the pure `ide::inlay_hints`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams};

use crate::ide::inlay_hints::inlay_hints;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/inlayHint", move || {
        let wanted = snap.byte_range(params.range);
        let facts = snap.facts();
        let hints = inlay_hints(snap.path(), &snap.text, &facts)
            .into_iter()
            .filter(|h| wanted.start <= h.offset && h.offset <= wanted.end)
            .map(|h| InlayHint {
                position: snap.position(h.offset),
                label: InlayHintLabel::String(h.label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect();
        Some(hints)
    })
    .await
}
