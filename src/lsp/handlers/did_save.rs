//! `textDocument/didSave`: the file on disk changed, so the index entry is refreshed.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub fn handle(state: &State, params: DidSaveTextDocumentParams) {
    if let Some(rel) = state.repo_relative(&params.text_document.uri) {
        state.workspace.update_file(&rel);
        // A saved kep.yaml can change what other KEPs see (numbers, references).
        if rel.ends_with("kep.yaml") {
            schedule_all(state);
        }
    }
}
