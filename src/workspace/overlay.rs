//! `OverlayView`: a `WorkspaceView` that answers open documents' text first (the editor's
//! unsaved text wins) and falls back to another view, usually the `WorkspaceIndex`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::analysis::{KepEntry, WorkspaceView};

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
        let base = self.base.keps();
        if self.open.is_empty() {
            return base;
        }
        let mut keps = base.to_vec();
        for (path, text) in self.open {
            let fresh = entry_from_text(path, text);
            match keps.iter().position(|k| &k.metadata_path == path) {
                Some(i) => match fresh {
                    Some(entry) => keps[i] = entry,
                    None => {
                        keps.remove(i);
                    }
                },
                None => keps.extend(fresh),
            }
        }
        keps.into()
    }
}
