//! `textDocument/didClose`: forget the document; the diagnostics worker then clears what it had
//! published for it (through the same queue, so no late result can reappear after the clear).

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;
use tracing::warn;

use crate::lsp::diagnostics::{schedule, schedule_with_related};
use crate::lsp::state::State;

pub(crate) fn apply(state: &State, params: DidCloseTextDocumentParams) {
    let uri = &params.text_document.uri;
    if state.docs.close(uri) {
        // Siblings read the closed text from the overlay until now: they go back to the disk.
        schedule_with_related(state, uri);
    } else {
        warn!(uri = uri.as_str(), "didClose for a document that is not open");
        schedule(state, uri);
    }
}
