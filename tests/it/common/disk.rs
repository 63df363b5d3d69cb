//! A `WorkspaceView` straight over a folder on disk (a copy of a real tree), with no KEP list:
//! what the corpus tests need to analyse every file with the repository's files reachable.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use kep_lsp::analysis::{KepEntry, WorkspaceView};

/// The repository at `root`: files are read on demand, `keps()` is empty.
pub struct Disk {
    pub root: PathBuf,
}

impl WorkspaceView for Disk {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        std::fs::read_to_string(self.root.join(path)).ok().map(Arc::from)
    }
    fn exists(&self, path: &str) -> bool {
        self.root.join(path).exists()
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        Arc::new([])
    }
}
