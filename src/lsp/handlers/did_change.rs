//! `textDocument/didChange`: apply the edits to the rope (synchronously, in message order: see
//! `sequenced.rs`) and queue diagnostics. Unknown documents, stale versions and impossible
//! ranges are logged and ignored.

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;
use tracing::warn;

use crate::lsp::diagnostics::schedule_with_related;
use crate::lsp::state::State;

pub(crate) fn apply(state: &State, params: DidChangeTextDocumentParams) {
    let uri = &params.text_document.uri;
    let version = params.text_document.version;
    match state
        .docs
        .change(uri, version, &params.content_changes, state.encoding())
    {
        Ok(()) => schedule_with_related(state, uri),
        Err(e) => warn!(uri = uri.as_str(), version, "didChange ignored: {e}"),
    }
}
