//! Workspace diagnostics: the KEP files of the repository (or of the SIGs the
//! `workspaceDiagnostics` setting names) checked without their being open, so a SIG's broken KEPs
//! show in the Problems panel. Pulled with `workspace/diagnostic`
//! (`handlers/workspace_diagnostic.rs`); pushed to clients that do not pull, after the index is
//! ready, when the settings change and when files change on disk.
//!
//! Open documents are left out: their own diagnostics (pushed or pulled per document) cover them.
//! Files that are not text are left to `diagnostics::publish_bad_content`, which always reports them.

use std::collections::{HashSet, hash_map::DefaultHasher};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use tower_lsp_server::ls_types::{Diagnostic, Uri};
use tracing::{debug, warn};

use crate::analysis::{Context, WorkspaceView};
use crate::clock::today_utc;

use super::config::WorkspaceScope;
use super::diagnostics::file_diagnostics;
use super::state::State;
use super::workspace::OverlayView;

/// The diagnostics of one file that is not open.
#[derive(Debug)]
pub struct FileReport {
    pub uri: Uri,
    /// A hash of `items` (16 hex digits): the same id means the same diagnostics, whatever made
    /// them change or not (the file, a sibling, the settings).
    pub result_id: String,
    pub items: Vec<Diagnostic>,
}

/// Analyse every KEP file in the `workspaceDiagnostics` scope that is not open, sorted by path.
/// Empty with the setting `off` or before the index is ready. Blocking: run it off the async
/// threads.
pub(crate) fn compute(state: &State) -> Vec<FileReport> {
    let config = state.config();
    if config.workspace_diagnostics == WorkspaceScope::Off {
        return Vec::new();
    }
    let (Some(index), Some(root)) = (state.workspace.index(), state.workspace.root()) else {
        return Vec::new();
    };
    let kep_root = index.detected().profile.kep_root;
    let not_text: HashSet<String> = index.bad_content().into_iter().map(|(p, _)| p).collect();
    let knowledge = state.workspace.knowledge();
    let today = today_utc();
    let encoding = state.encoding();
    let overlay = OverlayView {
        base: index.as_ref(),
        docs: &state.docs,
    };
    let ctx = Context {
        knowledge: &knowledge,
        workspace: &overlay,
        today: Some(&today),
        upcoming_minor: config.upcoming_minor,
    };
    let mut reports = Vec::new();
    for rel in index.files() {
        if !config.workspace_diagnostics.covers(&kep_root, &rel)
            || not_text.contains(&rel)
            || state.docs.has_path(&rel)
        {
            continue;
        }
        let (Some(uri), Some(text)) = (Uri::from_file_path(root.join(&rel)), index.file_text(&rel)) else {
            continue;
        };
        let rope = ropey::Rope::from_str(&text);
        let Some(items) = file_diagnostics(&rel, &text, &rope, &ctx, &config, encoding) else {
            continue;
        };
        reports.push(FileReport {
            result_id: result_id(&items),
            uri,
            items,
        });
    }
    reports
}

/// The result id of a file's diagnostics: a hash of their JSON form.
fn result_id(items: &[Diagnostic]) -> String {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(items).unwrap_or_default().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// For clients that do not pull diagnostics: publish the scope's files, and clear (an empty
/// list) those published before that are now out of scope (the setting turned off or narrowed).
/// Runs one at a time; open documents are never touched (the diagnostics worker owns them).
pub(crate) async fn publish(state: &Arc<State>) {
    if state.caps().pull_diagnostics {
        return;
    }
    let mut published = state.workspace_published.lock().await;
    let computing = state.clone();
    let reports = match tokio::task::spawn_blocking(move || compute(&computing)).await {
        Ok(reports) => reports,
        Err(e) => {
            warn!("workspace diagnostics failed: {e}");
            return;
        }
    };
    let now: HashSet<Uri> = reports.iter().map(|r| r.uri.clone()).collect();
    for stale in published.difference(&now) {
        if state.docs.get(stale).is_none() {
            state
                .client
                .publish_diagnostics(stale.clone(), Vec::new(), None)
                .await;
        }
    }
    debug!(files = reports.len(), "publishing workspace diagnostics");
    for report in reports {
        if state.docs.get(&report.uri).is_none() {
            state
                .client
                .publish_diagnostics(report.uri, report.items, None)
                .await;
        }
    }
    *published = now;
}

/// `publish` in a task of its own (the caller need not wait for a whole repository's analysis).
pub(crate) fn spawn_publish(state: &Arc<State>) {
    if state.caps().pull_diagnostics {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move { publish(&state).await });
}
