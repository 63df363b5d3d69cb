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
#[derive(Debug, Clone)]
pub struct FileReport {
    pub uri: Uri,
    /// A hash of `items` (16 hex digits): the same id means the same diagnostics, whatever made
    /// them change or not (the file, a sibling, the settings).
    pub result_id: String,
    pub items: Vec<Diagnostic>,
}

/// Every KEP file in the `workspaceDiagnostics` scope that is not open, analysed, sorted by path.
/// Empty with the setting `off` or before the index is ready. Clients pull again and again (VS
/// Code every few seconds), so the last report is kept and returned as long as nothing it was
/// computed from changed: the index and the knowledge, the open documents, the settings, the
/// position encoding and the date. Blocking: run it off the async threads.
pub(crate) fn compute(state: &State) -> Arc<[FileReport]> {
    // Read before the analysis: a change during it makes the stored key old at once.
    let key = Key::now(state);
    if let Some(cached) = state.workspace_reports.lock().as_ref()
        && cached.key == key
    {
        return cached.reports.clone();
    }
    let reports: Arc<[FileReport]> = match Scope::of(state, key.config.clone(), key.today.clone()) {
        None => Arc::new([]),
        Some(scope) => scope.with_context(state, |ctx| {
            scope
                .index
                .files()
                .into_iter()
                .filter_map(|rel| scope.report(state, &rel, ctx))
                .collect()
        }),
    };
    *state.workspace_reports.lock() = Some(Cached {
        key,
        reports: reports.clone(),
    });
    reports
}

/// A workspace report with what it was computed from.
pub(crate) struct Cached {
    key: Key,
    reports: Arc<[FileReport]>,
}

/// What a workspace report depends on.
#[derive(PartialEq)]
struct Key {
    workspace: u64,
    docs: u64,
    config: super::config::Config,
    encoding: super::position::Encoding,
    today: String,
}

impl Key {
    fn now(state: &State) -> Key {
        Key {
            workspace: state.workspace.generation(),
            docs: state.docs.generation(),
            config: state.config(),
            encoding: state.encoding(),
            today: today_utc(),
        }
    }
}

/// The diagnostics of the file at `uri` as the workspace report has them (read from the index),
/// when it is in the `workspaceDiagnostics` scope and not open; `None` otherwise. For a document
/// just closed: a push client keeps seeing its problems. Blocking.
pub(crate) fn report_for(state: &State, uri: &Uri) -> Option<Vec<Diagnostic>> {
    let scope = Scope::of(state, state.config(), today_utc())?;
    let rel = state.repo_relative(uri)?;
    scope
        .with_context(state, |ctx| scope.report(state, &rel, ctx))
        .map(|r| r.items)
}

/// What one computation of workspace diagnostics reads: the settings, the date, the index and
/// its root.
struct Scope {
    config: super::config::Config,
    today: String,
    index: Arc<crate::workspace::WorkspaceIndex>,
    root: std::path::PathBuf,
    kep_root: String,
    not_text: HashSet<String>,
}

impl Scope {
    /// With `config` and `today` as the caller read them; `None` with the setting `off` or
    /// before the index is ready.
    fn of(state: &State, config: super::config::Config, today: String) -> Option<Scope> {
        if config.workspace_diagnostics == WorkspaceScope::Off {
            return None;
        }
        let (index, root) = (state.workspace.index()?, state.workspace.root()?);
        let kep_root = index.detected().profile.kep_root;
        let not_text = index.bad_content().into_iter().map(|(p, _)| p).collect();
        Some(Scope {
            config,
            today,
            index,
            root,
            kep_root,
            not_text,
        })
    }

    /// Runs `f` with the analysis context: open documents over the index, today's date.
    fn with_context<R>(&self, state: &State, f: impl FnOnce(&Context<'_>) -> R) -> R {
        let knowledge = state.workspace.knowledge();
        let overlay = OverlayView {
            base: self.index.as_ref(),
            docs: &state.docs,
        };
        f(&Context {
            knowledge: &knowledge,
            workspace: &overlay,
            today: Some(&self.today),
            upcoming_minor: self.config.upcoming_minor,
        })
    }

    /// The report of the file `rel` (repo-relative) if it is in scope, text, not open and a
    /// KEP file.
    fn report(&self, state: &State, rel: &str, ctx: &Context<'_>) -> Option<FileReport> {
        if !self.config.workspace_diagnostics.covers(&self.kep_root, rel)
            || self.not_text.contains(rel)
            || state.docs.has_path(rel)
        {
            return None;
        }
        let uri = Uri::from_file_path(self.root.join(rel))?;
        let text = self.index.file_text(rel)?;
        let rope = ropey::Rope::from_str(&text);
        let items = file_diagnostics(rel, &text, &rope, ctx, &self.config, state.encoding())?;
        Some(FileReport {
            result_id: result_id(&items),
            uri,
            items,
        })
    }
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
    for report in reports.iter() {
        if state.docs.get(&report.uri).is_none() {
            state
                .client
                .publish_diagnostics(report.uri.clone(), report.items.clone(), None)
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
