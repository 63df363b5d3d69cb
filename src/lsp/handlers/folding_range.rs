//! `textDocument/foldingRange`: README sections, guidance comments, the TOC, multi-line fields.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeParams};

use crate::ide::folding::folding_ranges;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/foldingRange", move || {
        let ranges = folding_ranges(snap.path(), &snap.text);
        let out: Vec<FoldingRange> = ranges
            .iter()
            .filter_map(|r| {
                let range = snap.range(r);
                // A range ending at the start of a line folds up to the line before.
                let end_line = if range.end.character == 0 && range.end.line > range.start.line {
                    range.end.line - 1
                } else {
                    range.end.line
                };
                (end_line > range.start.line).then_some(FoldingRange {
                    start_line: range.start.line,
                    end_line,
                    ..FoldingRange::default()
                })
            })
            .collect();
        Some(out)
    })
    .await
}
