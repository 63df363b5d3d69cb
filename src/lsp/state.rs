//! Everything the server holds between messages: open documents, the workspace, settings, what
//! the client can do, and the queue feeding the diagnostics worker. Shared behind one `Arc` by the
//! message loop (`sequenced.rs`), the handlers and the background tasks.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{ClientCapabilities, ResourceOperationKind, Uri};

use super::config::Config;
use super::documents::{Documents, NoPoisonMutex};
use super::position::Encoding;
use super::workspace::{ServerWorkspace, relative};

/// What the client said it supports (only the parts we act on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ClientCaps {
    /// `textDocument.diagnostic`: the client pulls, so we do not push.
    pub pull_diagnostics: bool,
    /// `workspace.diagnostics.refreshSupport`.
    pub diagnostic_refresh: bool,
    /// `window.workDoneProgress`.
    pub work_done_progress: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watch_registration: bool,
    /// `workspace.configuration`.
    pub configuration_pull: bool,
    /// `workspace.workspaceEdit.documentChanges` (versioned edits, resource operations).
    pub edit_document_changes: bool,
    /// `workspace.workspaceEdit.resourceOperations` includes `create`.
    pub edit_create_files: bool,
    /// `workspace.codeLens.refreshSupport`: the lens can be asked to re-query after a settings change.
    pub code_lens_refresh: bool,
}

impl ClientCaps {
    pub(crate) fn from_capabilities(c: &ClientCapabilities) -> ClientCaps {
        let ws = c.workspace.as_ref();
        ClientCaps {
            pull_diagnostics: c.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            work_done_progress: c
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_registration: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration_pull: ws.and_then(|w| w.configuration).unwrap_or(false),
            // Resource operations exist only inside `documentChanges`, so a client that
            // announces them takes `documentChanges` even when it does not say so (Neovim 0.11
            // lists `resourceOperations` without `documentChanges: true`).
            edit_document_changes: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
                e.document_changes.unwrap_or(false)
                    || e.resource_operations.as_ref().is_some_and(|o| !o.is_empty())
            }),
            edit_create_files: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            code_lens_refresh: ws
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
        }
    }
}

/// Sets the tracing filter (`logLevel`); returns an error text for a bad filter.
pub(crate) type LogLevelSetter = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

pub(crate) struct State {
    pub client: Client,
    pub docs: Documents,
    pub workspace: ServerWorkspace,
    pub config: NoPoisonMutex<Config>,
    pub caps: NoPoisonMutex<ClientCaps>,
    pub encoding: NoPoisonMutex<Encoding>,
    /// Documents whose diagnostics must be recomputed (or cleared, once closed).
    pub dirty: UnboundedSender<Uri>,
    pub set_log_level: Option<LogLevelSetter>,
    /// The files not open whose workspace diagnostics were pushed (`workspace_diagnostics.rs`),
    /// to clear them when the scope narrows; the lock also keeps those pushes one at a time.
    pub workspace_published: tokio::sync::Mutex<std::collections::HashSet<Uri>>,
    /// The last workspace report and what it was computed from (`workspace_diagnostics.rs`).
    pub(crate) workspace_reports: NoPoisonMutex<Option<super::workspace_diagnostics::Cached>>,
    pub shutdown_received: AtomicBool,
    pub exit_received: AtomicBool,
}

impl State {
    pub(crate) fn new(
        client: Client,
        dirty: UnboundedSender<Uri>,
        set_log_level: Option<LogLevelSetter>,
    ) -> State {
        State {
            client,
            docs: Documents::default(),
            workspace: ServerWorkspace::default(),
            config: NoPoisonMutex::new(Config::default()),
            caps: NoPoisonMutex::new(ClientCaps::default()),
            encoding: NoPoisonMutex::new(Encoding::default()),
            dirty,
            set_log_level,
            workspace_published: Default::default(),
            workspace_reports: NoPoisonMutex::new(None),
            shutdown_received: AtomicBool::new(false),
            exit_received: AtomicBool::new(false),
        }
    }

    pub(crate) fn encoding(&self) -> Encoding {
        *self.encoding.lock()
    }

    pub(crate) fn caps(&self) -> ClientCaps {
        *self.caps.lock()
    }

    /// The settings in force: the editor's over the repository's `.kep-lsp.toml`.
    pub(crate) fn config(&self) -> Config {
        let editor = self.config.lock().clone();
        match self.workspace.index() {
            Some(index) => editor.over_file(&index.file_config()),
            None => editor,
        }
    }

    pub(crate) fn mark_shutdown(&self) {
        self.shutdown_received.store(true, Ordering::SeqCst);
    }

    /// The path the core sees for a URI: repo-relative when the file is under the root, else the
    /// file path, else the URI's own path (untitled buffers and other schemes).
    pub(crate) fn core_path(&self, uri: &Uri) -> String {
        match (self.repo_relative(uri), uri.to_file_path()) {
            (Some(rel), _) => rel,
            (None, Some(file)) => file.to_string_lossy().into_owned(),
            (None, None) => uri.path().to_string(),
        }
    }

    /// The repo-relative path of a file URI under the root. The root is canonical (symlinks
    /// resolved), so a path that is not under it as written is tried canonicalized too.
    pub(crate) fn repo_relative(&self, uri: &Uri) -> Option<String> {
        let root = self.workspace.root()?;
        let file: PathBuf = uri.to_file_path()?.into_owned();
        relative(&root, &file).or_else(|| relative(&root, &canonical(&file)?))
    }
}

/// `path` with symlinks resolved; for a file that does not exist (yet), its folder resolved.
fn canonical(path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok().or_else(|| {
        let parent = path.parent()?.canonicalize().ok()?;
        Some(parent.join(path.file_name()?))
    })
}
