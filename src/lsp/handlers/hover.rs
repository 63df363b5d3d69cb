//! `textDocument/hover`: field docs, statuses, stages, SIGs, handles, referenced KEPs, and the
//! template's guidance for a README heading (all from the ide's `hover_with`), then the summary
//! of each finding's code under the cursor (`findings_hover`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::ide::diagnostic_hover::findings_hover;
use crate::ide::hover::hover_with;
use crate::lsp::diagnostics::code_link;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(snap) = Snapshot::take(state, &pos.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/hover", move || {
        let offset = snap.offset(pos.position);
        let facts = snap.facts();
        let (hover, findings) = snap.with_context(|ctx| {
            let hover = hover_with(snap.path(), &snap.text, offset, ctx, &facts);
            // The same findings the diagnostics show (settings applied); analysis never panics.
            // A README's outline is the one its last analysis kept (`Snapshot::analyze`).
            if snap.outside_kep_root() {
                return (hover, Vec::new());
            }
            let findings = snap.analyze(ctx, false);
            (hover, findings)
        });
        let docs_url = snap.config.docs_url.as_deref();
        let codes = findings_hover(&findings, offset, |code| {
            code_link(docs_url, code).map(|d| d.href.to_string())
        });
        let (markdown, range) = match (hover, codes) {
            (Some(h), Some((codes, _))) => (format!("{}\n\n---\n\n{codes}", h.markdown), h.range),
            (Some(h), None) => (h.markdown, h.range),
            (None, Some((codes, range))) => (codes, range),
            (None, None) => return None,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(snap.range(&range)),
        })
    })
    .await
}
