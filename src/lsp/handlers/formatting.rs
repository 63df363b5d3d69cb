//! `textDocument/formatting`: the README's table of contents regenerated as
//! `mdtoc --inplace --max-depth=5` writes it (the pure `ide::formatting`); no edits on kep.yaml
//! or PRR files, and none when the repository's profile runs no mdtoc.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, TextEdit};

use crate::ide::formatting::format_document;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/formatting", move || {
        let toc = snap.with_context(|ctx| ctx.profile().toc);
        let edits = format_document(snap.path(), &snap.text, toc);
        Some(
            edits
                .iter()
                .map(|e| TextEdit::new(snap.range(&e.range), e.new_text.clone()))
                .collect(),
        )
    })
    .await
}
