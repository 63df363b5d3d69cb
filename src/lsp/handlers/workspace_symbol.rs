//! `workspace/symbol`: KEPs by number, title or folder, from the index (open metadata first).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Location, OneOf, SymbolKind, WorkspaceSymbol, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::analysis::WorkspaceView;
use crate::ide::symbols::workspace_symbols;
use crate::lsp::snapshot::run_blocking;
use crate::lsp::state::State;

/// At most this many results: a one-letter query would otherwise list the whole tree.
const LIMIT: usize = 200;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let Some(root) = state.workspace.root() else {
        return Ok(None);
    };
    let index = state.workspace.index();
    let state = state.clone();
    run_blocking("workspace/symbol", move || {
        // Before the index is ready only the open KEPs are known.
        let disk = crate::lsp::workspace::DiskView { root: &root };
        let base: &dyn WorkspaceView = match &index {
            Some(index) => index.as_ref(),
            None => &disk,
        };
        let overlay = crate::lsp::workspace::OverlayView {
            base,
            docs: &state.docs,
        };
        let keps = overlay.keps();
        let hits = workspace_symbols(&params.query, &keps);
        let symbols: Vec<WorkspaceSymbol> = hits
            .into_iter()
            .take(LIMIT)
            .filter_map(|h| {
                let uri = tower_lsp_server::ls_types::Uri::from_file_path(root.join(&h.path))?;
                Some(WorkspaceSymbol {
                    name: h.name,
                    kind: SymbolKind::FILE,
                    tags: None,
                    container_name: Some(h.detail),
                    location: OneOf::Left(Location {
                        uri,
                        range: Default::default(),
                    }),
                    data: None,
                })
            })
            .collect();
        Some(WorkspaceSymbolResponse::Nested(symbols))
    })
    .await
}
