//! `textDocument/codeAction`: the findings' own fixes, a fix-all, and the ide's authoring
//! actions (insert a missing section, add a missing field, sync titles...), as workspace edits.
//! Edits to other files (a README from its kep.yaml) are converted in that file's text.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, TextEdit,
    WorkspaceEdit,
};

use crate::analysis;
use crate::ide::code_actions::{self, ActionKind};
use crate::lsp::diagnostics::to_lsp;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;

/// The kinds the server offers (advertised in the capabilities).
pub(crate) fn kinds() -> Vec<CodeActionKind> {
    vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::REFACTOR_REWRITE,
        CodeActionKind::SOURCE_FIX_ALL,
    ]
}

pub(crate) async fn handle(
    state: &Arc<State>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let Some(snap) = Snapshot::take(state, &params.text_document.uri) else {
        return Ok(None);
    };
    let only = params.context.only.clone();
    run_blocking("textDocument/codeAction", move || {
        let range = snap.byte_range(params.range);
        let actions = snap.with_context(|ctx| {
            let findings = snap.analyze(ctx, true);
            let actions = code_actions::code_actions(snap.path(), &snap.text, range, ctx, &findings);
            (findings, actions)
        });
        let (findings, actions) = actions;
        let out: Vec<CodeActionOrCommand> = actions
            .into_iter()
            .filter_map(|a| {
                let kind = match a.kind {
                    ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                    ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
                    ActionKind::SourceFixAll => CodeActionKind::SOURCE_FIX_ALL,
                };
                if let Some(only) = &only
                    && !only.iter().any(|o| kind.as_str().starts_with(o.as_str()))
                {
                    return None;
                }
                let mut changes: HashMap<_, Vec<TextEdit>> = HashMap::new();
                changes.insert(snap.uri.clone(), edits_in(&snap, snap.path(), &a.edits));
                for (rel, edits) in &a.other_file_edits {
                    let uri = snap.uri_of(rel)?;
                    changes
                        .entry(uri)
                        .or_default()
                        .extend(edits_in(&snap, rel, edits));
                }
                let diagnostics: Vec<_> = a
                    .fixes_findings
                    .iter()
                    .filter_map(|&i| findings.get(i))
                    .map(|f| to_lsp(f, snap.doc.rope(), snap.encoding, snap.config.docs_url.as_deref()))
                    .collect();
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title: a.title,
                    kind: Some(kind),
                    diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                    edit: Some(WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: a.preferred.then_some(true),
                    ..CodeAction::default()
                }))
            })
            .collect();
        (!out.is_empty()).then_some(out)
    })
    .await
}

fn edits_in(snap: &Snapshot, rel: &str, edits: &[analysis::TextEdit]) -> Vec<TextEdit> {
    let Some(rope) = snap.rope_of(rel) else {
        return Vec::new();
    };
    edits
        .iter()
        .map(|e| TextEdit {
            range: crate::lsp::position::range_to_lsp(&rope, &e.range, snap.encoding),
            new_text: e.new_text.clone(),
        })
        .collect()
}
