//! `workspace/didChangeWatchedFiles`: files changed on disk (git checkout, another editor): keep
//! the index fresh, reload the SIG list / OWNERS_ALIASES when they change, re-check open files.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub fn handle(state: &State, params: DidChangeWatchedFilesParams) {
    let mut knowledge_changed = false;
    for change in &params.changes {
        let Some(rel) = state.repo_relative(&change.uri) else {
            continue;
        };
        let file = rel.rsplit('/').next().unwrap_or(&rel);
        if file == "sigs.yaml" || file.starts_with("OWNERS") {
            knowledge_changed = true;
        }
        if rel.starts_with("keps/") {
            state.workspace.update_file(&rel);
        }
    }
    if knowledge_changed {
        let sigs_path = state.config().sigs_path;
        for problem in state.workspace.reload_knowledge(sigs_path.as_deref()) {
            tracing::warn!("{problem}");
        }
    }
    schedule_all(state);
}
