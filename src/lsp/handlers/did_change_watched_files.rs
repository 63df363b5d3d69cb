//! `workspace/didChangeWatchedFiles`: files changed on disk (git checkout, another editor): keep
//! the index fresh, reload the SIG list / OWNERS_ALIASES when they change, decide the profile
//! again and rescan when `.kep-lsp.toml` changes, re-check open files.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;
use tracing::warn;

use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    let sigs_path = state.config().sigs_path;
    let mut knowledge_changed = false;
    let template_dir = state
        .workspace
        .index()
        .and_then(|i| i.detected().profile.template_dir)
        .map(|d| format!("{d}/"));
    for change in &params.changes {
        let path = change.uri.path().as_str().to_string();
        if path.ends_with("/sigs.yaml") || path.rsplit('/').next().is_some_and(|f| f.starts_with("OWNERS")) {
            knowledge_changed = true;
        }
        let Some(rel) = state.repo_relative(&change.uri) else {
            continue;
        };
        if rel == crate::analysis::config_file::FILE_NAME {
            // The profile, the KEP root and the settings may all change: index again (the open
            // documents are re-checked when it is ready).
            let state = state.clone();
            tokio::spawn(async move { super::initialized::index_workspace(&state).await });
            continue;
        }
        if template_dir.as_ref().is_some_and(|d| rel.starts_with(d.as_str())) {
            knowledge_changed = true;
        }
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
    crate::lsp::workspace_diagnostics::spawn_publish(state);
}
