//! `workspace/didChangeWatchedFiles`: files changed on disk (git checkout, another editor): keep
//! the index fresh, reload the SIG list / OWNERS_ALIASES when they change, re-check open files.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;
use tracing::warn;

use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub async fn handle(state: &State, params: DidChangeWatchedFilesParams) {
    let sigs_path = state.config().sigs_path;
    let mut knowledge_changed = false;
    for change in &params.changes {
        let path = change.uri.path().as_str().to_string();
        if path.ends_with("/sigs.yaml") || path.rsplit('/').next().is_some_and(|f| f.starts_with("OWNERS")) {
            knowledge_changed = true;
        }
        let Some(rel) = state.repo_relative(&change.uri) else {
            continue;
        };
        for problem in state.workspace.refresh_file(&rel) {
            warn!("index: {problem}");
        }
    }
    if knowledge_changed {
        for problem in state.workspace.reload_knowledge(sigs_path.as_deref()) {
            warn!("{problem}");
        }
    }
    schedule_all(state);
    crate::lsp::diagnostics::publish_bad_content(state).await;
}
