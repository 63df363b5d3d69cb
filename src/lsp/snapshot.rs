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

use crate::analysis::{self, Context, NoWorkspace, WorkspaceView};
use crate::ide::WorkspaceFacts;
use crate::knowledge::Knowledge;

use super::config::Config;
use super::diagnostics::panic_message;
use super::documents::Document;
use super::position::{Encoding, offset_to_position, position_to_offset, range_to_lsp};
use super::state::State;
use super::workspace::{DiskView, OverlayView};
use crate::clock::today_utc;
use crate::workspace::WorkspaceIndex;

pub(crate) struct Snapshot {
    pub state: Arc<State>,
    pub uri: Uri,
    pub doc: Document,
    pub text: Arc<str>,
    pub encoding: Encoding,
    pub config: Config,
    knowledge: Knowledge,
    root: Option<PathBuf>,
    index: Option<Arc<WorkspaceIndex>>,
    today: String,
}

impl Snapshot {
    /// `None` when the document is not open.
    pub(crate) fn take(state: &Arc<State>, uri: &Uri) -> Option<Snapshot> {
        let doc = state.docs.get(uri)?;
        Some(Snapshot::of(state, uri.clone(), doc))
    }

    pub(crate) fn of(state: &Arc<State>, uri: Uri, doc: Document) -> Snapshot {
        Snapshot {
            text: doc.text(),
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
    pub(crate) fn path(&self) -> &str {
        &self.doc.path
    }

    /// Whether the document lies in the repository but outside its `keps/` (a Go test fixture
    /// under `pkg/**/testdata/`, docs): not a KEP file, as upstream reads KEPs under `keps/` only.
    pub(crate) fn outside_kep_root(&self) -> bool {
        self.root.is_some()
            && self.state.repo_relative(&self.uri).is_some_and(|rel| {
                // The repository's config file is its own, not a KEP file's.
                !analysis::config_file::is_config_file(&rel)
                    && match &self.index {
                        Some(index) => !index.under_kep_root(&rel),
                        // Before the index is ready: the same decision, read from disk.
                        None => self.root.as_deref().is_some_and(|root| {
                            let keps = crate::workspace::profile::kep_root_dir(root);
                            !root.join(&rel).starts_with(keps)
                        }),
                    }
            })
    }

    /// The document's findings, settings applied (the same findings its diagnostics show),
    /// with their fixes when `with_fixes` (code actions; a kep.yaml's fixes are then each proved
    /// safe by one more analysis, `rules::metadata::gate_fixes`), without them for a hover.
    /// An open document's README outline is re-read from the one the last keystroke's analysis
    /// kept (`Options::reuse_outline`: after an edit the text is usually the one just
    /// published, and then nothing is parsed again), so a hover or a code-action request, sent
    /// on every cursor move, does not parse the whole README.
    pub(crate) fn analyze(&self, ctx: &Context<'_>, with_fixes: bool) -> Vec<analysis::Finding> {
        let options = analysis::Options {
            reuse_outline: true,
            findings_only: !with_fixes,
            ..self.config.options()
        };
        self.config
            .apply(analysis::analyze_with(self.path(), &self.text, ctx, &options).findings)
    }

    /// Run `f` with the analysis context: open documents over the index and the disk when a root
    /// is known, single-file mode otherwise.
    pub(crate) fn with_context<R>(&self, f: impl FnOnce(&Context<'_>) -> R) -> R {
        // Until the index is ready the server works file by file: the rules that need the
        // list of KEPs (duplicate numbers, references by number) would otherwise report every
        // KEP as missing for a moment. Open files are re-checked when the index is ready.
        let overlay = self.index.as_deref().map(|index| OverlayView {
            base: index,
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
            upcoming_minor: self.config.upcoming_minor,
        };
        f(&ctx)
    }

    pub(crate) fn offset(&self, pos: lsp::Position) -> usize {
        position_to_offset(self.doc.rope(), pos, self.encoding)
    }

    pub(crate) fn position(&self, offset: usize) -> lsp::Position {
        offset_to_position(self.doc.rope(), offset, self.encoding)
    }

    pub(crate) fn range(&self, range: &Range<usize>) -> lsp::Range {
        range_to_lsp(self.doc.rope(), range, self.encoding)
    }

    /// The URI of a repo-relative path (for links, definitions and edits to other files).
    pub(crate) fn uri_of(&self, rel: &str) -> Option<Uri> {
        if rel == self.doc.path {
            return Some(self.uri.clone());
        }
        let root = self.root.as_ref()?;
        Uri::from_file_path(root.join(rel))
    }

    /// The text of another repo-relative file as a rope (open text first, then disk), to
    /// convert ranges in it.
    pub(crate) fn rope_of(&self, rel: &str) -> Option<ropey::Rope> {
        if rel == self.doc.path {
            return Some(self.doc.rope().clone());
        }
        let text = self
            .with_context(|ctx| ctx.workspace.file_text(rel))
            .or_else(|| {
                // Before the index is ready: straight from the disk.
                let root = self.root.as_deref()?;
                DiskView { root }.file_text(rel)
            })?;
        Some(ropey::Rope::from_str(&text))
    }

    /// A byte range of another file as an LSP range (start of the file when it cannot be read).
    pub(crate) fn range_in(&self, rel: &str, range: &Range<usize>) -> lsp::Range {
        match self.rope_of(rel) {
            Some(rope) => range_to_lsp(&rope, range, self.encoding),
            None => lsp::Range::default(),
        }
    }

    /// The workspace facts (KEPs, handles) for completion and hover, cached until the index or
    /// the knowledge changes.
    pub(crate) fn facts(&self) -> Arc<WorkspaceFacts> {
        self.state
            .workspace
            .facts(|| self.with_context(|ctx| WorkspaceFacts::from_view(ctx.workspace)))
    }

    pub(crate) fn byte_range(&self, range: lsp::Range) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }
}

/// Run pure, CPU-bound work; a panic in it becomes InternalError.
///
/// It runs right here, on the calling task's thread, and tokio hands the thread's other tasks to
/// another thread meanwhile (`block_in_place`). Why not `spawn_blocking`: that woke a thread of
/// the blocking pool for the work and then this task's thread for the result, two hand-offs
/// that on this 2-core VM cost more than a keystroke's analysis when the threads were idle.
/// Every handler runs as a task of its own (`transport.rs`), so one request's work does not
/// hold up another's. Needs tokio's multi-thread runtime (the server's).
pub(crate) async fn run_blocking<R, F>(what: &'static str, f: F) -> Result<R>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    match tokio::task::block_in_place(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(r) => Ok(r),
        Err(panic) => {
            error!("{what} panicked: {}", panic_message(&*panic));
            Err(internal_error(what))
        }
    }
}

pub(crate) fn internal_error(what: &str) -> Error {
    let mut e = Error::new(ErrorCode::InternalError);
    e.message = format!("kep-lsp: internal error in {what}").into();
    e
}
