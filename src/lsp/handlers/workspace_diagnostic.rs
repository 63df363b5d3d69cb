//! `workspace/diagnostic` (pull): the KEP files in the `workspaceDiagnostics` scope that are not
//! open (see `workspace_diagnostics.rs`), each a full report with a result id, or an unchanged
//! report when the client already holds that id for the file. Nothing with the setting `off`.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    FullDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri, WorkspaceDiagnosticParams,
    WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::lsp::snapshot::run_blocking;
use crate::lsp::state::State;
use crate::lsp::workspace_diagnostics::compute;

pub(crate) async fn handle(
    state: &Arc<State>,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<Uri, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri, p.value))
        .collect();
    let computing = state.clone();
    let reports = run_blocking("workspace/diagnostic", move || compute(&computing)).await?;
    let items = reports
        .iter()
        .map(|r| {
            if previous.get(&r.uri) == Some(&r.result_id) {
                WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                    uri: r.uri.clone(),
                    version: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: r.result_id.clone(),
                    },
                })
            } else {
                WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri: r.uri.clone(),
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(r.result_id.clone()),
                        items: r.items.clone(),
                    },
                })
            }
        })
        .collect();
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
