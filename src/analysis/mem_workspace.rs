//! An in-memory workspace for unit tests of features that read other files (rename, references):
//! a list of (repo-relative path, text), whose KEPs are the metadata files among them. One
//! stand-in shared by those tests instead of one per test module.

use std::sync::Arc;

use super::{Context, KepEntry, WorkspaceView, entry_from_text};
use crate::knowledge::Knowledge;

/// Files by repo-relative path; `exists` is true for a file and for every folder above one.
pub(crate) struct MemWorkspace(pub(crate) Vec<(String, String)>);

impl MemWorkspace {
    pub(crate) fn new<P: Into<String>, T: Into<String>>(files: impl IntoIterator<Item = (P, T)>) -> Self {
        MemWorkspace(files.into_iter().map(|(p, t)| (p.into(), t.into())).collect())
    }
}

/// Runs `f` with a context over `ws`, the embedded knowledge and no date.
pub(crate) fn with_ctx<R>(ws: &dyn WorkspaceView, f: impl FnOnce(&Context<'_>) -> R) -> R {
    let k = Knowledge::embedded();
    f(&Context {
        knowledge: &k,
        workspace: ws,
        today: None,
        upcoming_minor: None,
    })
}

impl WorkspaceView for MemWorkspace {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.0
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| Arc::from(t.as_str()))
    }
    fn exists(&self, path: &str) -> bool {
        self.0
            .iter()
            .any(|(p, _)| p == path || p.starts_with(&format!("{path}/")))
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        self.0.iter().filter_map(|(p, t)| entry_from_text(p, t)).collect()
    }
}
