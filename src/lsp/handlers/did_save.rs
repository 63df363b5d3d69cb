//! `textDocument/didSave`: the file on disk changed, so the index entry is refreshed.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;
use tracing::warn;

use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub(crate) fn handle(state: &State, params: DidSaveTextDocumentParams) {
    let Some(rel) = state.repo_relative(&params.text_document.uri) else {
        return;
    };
    for problem in state.workspace.refresh_file(&rel) {
        warn!("index: {problem}");
    }
    // A saved kep.yaml (or legacy KEP) can change what other KEPs see (numbers, references).
    if rel.ends_with("kep.yaml") || rel.ends_with(".md") {
        schedule_all(state);
    }
}
