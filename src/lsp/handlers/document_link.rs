//! `textDocument/documentLink`: KEP references in the metadata, Markdown links and images.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams, Uri};

use crate::ide::links::{LinkTarget, document_links};
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/documentLink", move || {
        let links = snap.with_context(|ctx| document_links(snap.path(), &snap.text, ctx));
        let out: Vec<DocumentLink> = links
            .into_iter()
            .filter_map(|l| {
                let target = match &l.target {
                    LinkTarget::File(rel) => snap.uri_of(rel)?,
                    LinkTarget::Url(url) => url.parse::<Uri>().ok()?,
                };
                Some(DocumentLink {
                    range: snap.range(&l.range),
                    target: Some(target),
                    tooltip: None,
                    data: None,
                })
            })
            .collect();
        Some(out)
    })
    .await
}
