//! `textDocument/didOpen`: store the text (synchronously, in message order) and queue diagnostics.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::lsp::diagnostics::schedule_with_related;
use crate::lsp::state::State;

pub(crate) fn apply(state: &State, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = state.core_path(&doc.uri);
    state.docs.open(doc.uri.clone(), doc.text, doc.version, path);
    schedule_with_related(state, &doc.uri);
    // The analysis reads the text; the rope (for edits and positions) is built here, while the
    // diagnostics worker (another thread) analyses, instead of before the analysis could start
    // (see `Document`). A handoff to tokio's blocking pool was tried first: the pool's thread
    // started after the analysis had ended and built the rope itself.
    if let Some(opened) = state.docs.get(&doc.uri) {
        opened.rope();
    }
}
