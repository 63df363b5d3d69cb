//! `OverlayView`: a `WorkspaceView` that answers open documents' text first (the editor's
//! unsaved text wins) and falls back to another view, usually the `WorkspaceIndex`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::analysis::{KepEntry, Keps, OwnKep, WorkspaceView};

use super::paths::normalize_rel;
use crate::analysis::entry_from_text;

/// Open documents (repo-relative path -> text) over a base view.
pub struct OverlayView<'a> {
    base: &'a dyn WorkspaceView,
    open: &'a HashMap<String, Arc<str>>,
}

impl<'a> OverlayView<'a> {
    /// `open` is keyed by repo-relative, `/`-separated paths.
    pub fn new(base: &'a dyn WorkspaceView, open: &'a HashMap<String, Arc<str>>) -> Self {
        OverlayView { base, open }
    }

    fn open_text(&self, path: &str) -> Option<&Arc<str>> {
        self.open
            .get(path)
            .or_else(|| self.open.get(&normalize_rel(path)?))
    }
}

impl WorkspaceView for OverlayView<'_> {
    fn has_root(&self) -> bool {
        self.base.has_root()
    }

    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        match self.open_text(path) {
            Some(text) => Some(text.clone()),
            None => self.base.file_text(path),
        }
    }

    fn exists(&self, path: &str) -> bool {
        if self.open_text(path).is_some() {
            return true;
        }
        let Some(dir) = normalize_rel(path) else {
            return false;
        };
        let prefix = format!("{dir}/");
        self.open.keys().any(|k| k.starts_with(&prefix)) || self.base.exists(path)
    }

    /// The base's KEPs, with the entries of open metadata files taken from their open text.
    fn keps(&self) -> Arc<[KepEntry]> {
        self.kep_list(None).to_shared()
    }

    /// `keps()` without a copy of the base's list; `own` is taken for the open document it read.
    fn kep_list(&self, own: Option<&OwnKep<'_>>) -> Keps {
        let mut keps = self.base.kep_list(own);
        for (path, text) in self.open {
            let entry = match own {
                Some(own) if own.path == path && own.text == &**text => Some(own.entry.clone()),
                _ => entry_from_text(path, text),
            };
            keps.set(path, entry.map(Arc::new));
        }
        keps
    }
}
