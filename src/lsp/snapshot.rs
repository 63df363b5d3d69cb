//! A consistent view of one open document and the workspace for a request: the text (the one
//! `String` the core needs), the rope for position conversion, the knowledge and the index as
//! they were when the request arrived. Feature handlers build their `analysis::Context` from it
//! and run the pure core on a blocking thread with `run_blocking`.

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tracing::error;

use crate::analysis::{Context, NoWorkspace, WorkspaceView};
use crate::knowledge::Knowledge;

use super::config::Config;
use super::diagnostics::{panic_message, today_utc};
use super::documents::Document;
use super::position::{Encoding, offset_to_position, position_to_offset, range_to_lsp};
use super::state::State;
use super::workspace::{DiskView, OverlayView};
use crate::workspace::WorkspaceIndex;

pub struct Snapshot {
    pub state: Arc<State>,
    pub uri: Uri,
    pub doc: Document,
    pub text: String,
    pub encoding: Encoding,
    pub config: Config,
    knowledge: Knowledge,
    root: Option<PathBuf>,
    index: Option<Arc<WorkspaceIndex>>,
    today: String,
}

impl Snapshot {
    /// `None` when the document is not open.
    pub fn take(state: &Arc<State>, uri: &Uri) -> Option<Snapshot> {
        let doc = state.docs.get(uri)?;
        Some(Snapshot::of(state, uri.clone(), doc))
    }

    pub fn of(state: &Arc<State>, uri: Uri, doc: Document) -> Snapshot {
        Snapshot {
            text: doc.rope.to_string(),
            doc,
            uri,
            state: state.clone(),
            encoding: state.encoding(),
            config: state.config(),
            knowledge: state.workspace.knowledge(),
            root: state.workspace.root(),
            index: state.workspace.index(),
            today: today_utc(),
        }
    }

    /// The core's path of the document (repo-relative when the root is known).
    pub fn path(&self) -> &str {
        &self.doc.path
    }

    /// Run `f` with the analysis context: open documents over the index and the disk when a root
    /// is known, single-file mode otherwise.
    pub fn with_context<R>(&self, f: impl FnOnce(&Context<'_>) -> R) -> R {
        let disk = self.root.as_deref().map(|root| DiskView { root });
        let base: Option<&dyn WorkspaceView> = match (&self.index, &disk) {
            (Some(index), _) => Some(index.as_ref()),
            (None, Some(disk)) => Some(disk),
            (None, None) => None,
        };
        let overlay = base.map(|base| OverlayView {
            base,
            docs: &self.state.docs,
        });
        let view: &dyn WorkspaceView = match &overlay {
            Some(o) => o,
            None => &NoWorkspace,
        };
        let ctx = Context {
            knowledge: &self.knowledge,
            workspace: view,
            today: Some(&self.today),
        };
        f(&ctx)
    }

    pub fn offset(&self, pos: lsp::Position) -> usize {
        position_to_offset(&self.doc.rope, pos, self.encoding)
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        offset_to_position(&self.doc.rope, offset, self.encoding)
    }

    pub fn range(&self, range: &Range<usize>) -> lsp::Range {
        range_to_lsp(&self.doc.rope, range, self.encoding)
    }

    pub fn byte_range(&self, range: lsp::Range) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }
}

/// Run pure, CPU-bound work off the async threads; a panic in it becomes InternalError.
pub async fn run_blocking<R, F>(what: &'static str, f: F) -> Result<R>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let joined = tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(f))).await;
    match joined {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(panic)) => {
            error!("{what} panicked: {}", panic_message(&*panic));
            Err(internal_error(what))
        }
        Err(e) => {
            error!("{what} failed: {e}");
            Err(internal_error(what))
        }
    }
}

pub fn internal_error(what: &str) -> Error {
    let mut e = Error::new(ErrorCode::InternalError);
    e.message = format!("kep-lsp: internal error in {what}").into();
    e
}
