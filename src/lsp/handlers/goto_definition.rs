//! `textDocument/definition`: from a KEP reference, a handle or a link to the file it names.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse, Location};

use crate::ide::links::definition;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/definition", move || {
        let offset = snap.offset(pos.position);
        let target = snap.with_context(|ctx| definition(snap.path(), &snap.text, offset, ctx))?;
        let uri = snap.uri_of(&target.path)?;
        Some(GotoDefinitionResponse::Scalar(Location {
            uri,
            range: snap.range_in(&target.path, &target.range),
        }))
    })
    .await
}
