//! `textDocument/prepareRename`: on a README heading, the heading's text (without the `#`s) and
//! that text as the placeholder; `null` elsewhere (only headings are renamed).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{PrepareRenameResponse, TextDocumentPositionParams};

use crate::ide::rename::prepare_rename;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/prepareRename", move || {
        let offset = snap.offset(params.position);
        let (range, placeholder) = prepare_rename(snap.path(), &snap.text, offset)?;
        Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: snap.range(&range),
            placeholder,
        })
    })
    .await
}
