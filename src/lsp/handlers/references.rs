//! `textDocument/references`: who points at the KEP, handle or README heading under the cursor
//! (`ide::references`), across the workspace.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Location, ReferenceParams};

use crate::ide::references::references;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    let include_declaration = params.context.include_declaration;
    run_blocking("textDocument/references", move || {
        let offset = snap.offset(pos.position);
        let found =
            snap.with_context(|ctx| references(snap.path(), &snap.text, offset, include_declaration, ctx));
        let out: Vec<Location> = found
            .into_iter()
            .filter_map(|l| {
                Some(Location {
                    uri: snap.uri_of(&l.path)?,
                    range: snap.range_in(&l.path, &l.range),
                })
            })
            .collect();
        (!out.is_empty()).then_some(out)
    })
    .await
}
