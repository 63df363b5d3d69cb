//! The server's view of the repository: its root, an index of the `keps/` tree built in the
//! background, the knowledge (embedded, or the workspace's sigs.yaml / OWNERS_ALIASES), and the
//! overlay that lets the core see open documents before the files on disk.
//!
//! This is the server's seam until `crate::workspace` (the shared index) lands: the core only ever
//! sees a `&dyn WorkspaceView`, so swapping the index behind it changes nothing else.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::analysis::metadata::parse_metadata;
use crate::analysis::{KepEntry, KepMetadata, WorkspaceView};
use crate::knowledge::Knowledge;

use super::documents::{Documents, NoPoisonMutex};

/// The files of `keps/` (and the folders holding them), repo-relative, plus one entry per KEP.
#[derive(Debug, Default, Clone)]
pub struct KepIndex {
    paths: HashSet<String>,
    keps: Vec<KepEntry>,
}

impl KepIndex {
    /// Walk `root/keps` (the edge's job: the core never touches files).
    pub fn scan(root: &Path) -> KepIndex {
        let mut index = KepIndex::default();
        let keps = root.join("keps");
        for entry in walkdir::WalkDir::new(&keps).into_iter().filter_map(Result::ok) {
            let Some(rel) = relative(root, entry.path()) else {
                continue;
            };
            if entry.file_type().is_file() {
                index.add_file(root, &rel);
            } else {
                index.paths.insert(rel);
            }
        }
        index.keps.sort_by(|a, b| a.metadata_path.cmp(&b.metadata_path));
        index
    }

    pub fn len(&self) -> usize {
        self.keps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keps.is_empty()
    }

    fn add_file(&mut self, root: &Path, rel: &str) {
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            self.paths.insert(parent.to_string());
            dir = parent;
        }
        self.paths.insert(rel.to_string());
        self.keps.retain(|k| k.metadata_path != rel);
        if rel.ends_with("/kep.yaml")
            && let Ok(text) = std::fs::read_to_string(root.join(rel))
        {
            self.keps.push(entry_from_metadata(&parse_metadata(&text), rel));
        }
    }

    /// Bring one file up to date after a save or a watched-file event.
    pub fn update_file(&mut self, root: &Path, rel: &str) {
        if root.join(rel).is_file() {
            self.add_file(root, rel);
        } else {
            self.paths.remove(rel);
            self.keps.retain(|k| k.metadata_path != rel);
        }
    }
}

/// A KEP entry from its parsed metadata (`rel` is the kep.yaml's repo-relative path).
pub fn entry_from_metadata(meta: &KepMetadata, rel: &str) -> KepEntry {
    let text = |s: &Option<crate::analysis::Spanned<String>>| {
        s.as_ref().map(|v| v.value.clone()).unwrap_or_default()
    };
    let people = meta
        .authors
        .iter()
        .chain(&meta.reviewers)
        .chain(&meta.approvers)
        .chain(meta.editor.iter())
        .map(|p| p.value.trim_start_matches('@').to_string())
        .collect();
    KepEntry {
        number: text(&meta.kep_number),
        title: text(&meta.title),
        owning_sig: text(&meta.owning_sig),
        status: text(&meta.status),
        stage: text(&meta.stage),
        latest_milestone: text(&meta.latest_milestone),
        dir: rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default(),
        metadata_path: rel.to_string(),
        people,
    }
}

/// `path` relative to `root`, `/`-separated; `None` when outside.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

/// The repository as the server knows it.
pub struct ServerWorkspace {
    root: NoPoisonMutex<Option<PathBuf>>,
    index: NoPoisonMutex<Option<Arc<KepIndex>>>,
    knowledge: NoPoisonMutex<Knowledge>,
}

impl Default for ServerWorkspace {
    fn default() -> Self {
        ServerWorkspace {
            root: NoPoisonMutex::new(None),
            index: NoPoisonMutex::new(None),
            knowledge: NoPoisonMutex::new(Knowledge::embedded()),
        }
    }
}

impl ServerWorkspace {
    pub fn set_root(&self, root: Option<PathBuf>) {
        *self.root.lock() = root;
    }

    pub fn root(&self) -> Option<PathBuf> {
        self.root.lock().clone()
    }

    pub fn index(&self) -> Option<Arc<KepIndex>> {
        self.index.lock().clone()
    }

    pub fn set_index(&self, index: KepIndex) {
        *self.index.lock() = Some(Arc::new(index));
    }

    pub fn update_file(&self, rel: &str) {
        let Some(root) = self.root() else { return };
        let mut guard = self.index.lock();
        if let Some(index) = guard.as_mut() {
            Arc::make_mut(index).update_file(&root, rel);
        }
    }

    pub fn knowledge(&self) -> Knowledge {
        self.knowledge.lock().clone()
    }

    /// Rebuild the knowledge from the embedded data, the root's `sigs.yaml` and `OWNERS_ALIASES`
    /// and the configured `sigsPath` (which wins). Returns problems to show the user.
    pub fn reload_knowledge(&self, sigs_path: Option<&str>) -> Vec<String> {
        let root = self.root();
        let mut knowledge = Knowledge::embedded();
        let mut problems = Vec::new();
        let mut sigs_files: Vec<PathBuf> = Vec::new();
        if let Some(root) = &root {
            sigs_files.push(root.join("sigs.yaml"));
            if let Ok(text) = std::fs::read_to_string(root.join("OWNERS_ALIASES")) {
                knowledge = knowledge.with_owners_aliases(&text);
            }
        }
        if let Some(p) = sigs_path {
            let p = PathBuf::from(p);
            let p = match (&root, p.is_absolute()) {
                (Some(root), false) => root.join(p),
                _ => p,
            };
            if !p.is_file() {
                problems.push(format!("sigsPath {} is not a file", p.display()));
            }
            sigs_files.push(p);
        }
        for file in sigs_files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            knowledge = match knowledge.with_sigs_yaml(&text) {
                Ok(k) => k,
                Err((k, e)) => {
                    problems.push(format!("{}: {e}", file.display()));
                    k
                }
            };
        }
        *self.knowledge.lock() = knowledge;
        problems
    }
}

/// What the core sees during one analysis: open documents first, then the index and the disk.
pub struct OverlayView<'a> {
    pub root: Option<&'a Path>,
    pub index: Option<&'a KepIndex>,
    pub docs: &'a Documents,
}

impl OverlayView<'_> {
    /// A repo-relative path made safe to join to the root (no `..`, no absolute paths).
    fn on_disk(&self, path: &str) -> Option<PathBuf> {
        let root = self.root?;
        let rel = Path::new(path);
        rel.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| root.join(rel))
    }
}

impl WorkspaceView for OverlayView<'_> {
    fn has_root(&self) -> bool {
        self.root.is_some()
    }

    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        if let Some(text) = self.docs.text_at_path(path) {
            return Some(text);
        }
        std::fs::read_to_string(self.on_disk(path)?).ok().map(Arc::from)
    }

    fn exists(&self, path: &str) -> bool {
        if self.docs.text_at_path(path).is_some() {
            return true;
        }
        if let Some(index) = self.index
            && path.starts_with("keps/")
        {
            return index.paths.contains(path.trim_end_matches('/'));
        }
        self.on_disk(path).is_some_and(|p| p.exists())
    }

    fn keps(&self) -> Vec<KepEntry> {
        self.index.map(|i| i.keps.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated_and_stay_inside() {
        let root = Path::new("/r");
        assert_eq!(
            relative(root, Path::new("/r/keps/sig-x/1-a/kep.yaml")).as_deref(),
            Some("keps/sig-x/1-a/kep.yaml")
        );
        assert_eq!(relative(root, Path::new("/elsewhere/x")), None);
    }

    #[test]
    fn overlay_prefers_open_documents_and_refuses_escapes() {
        let docs = Documents::default();
        let uri = "file:///r/keps/a/1-x/README.md".parse().expect("uri");
        docs.open(uri, "open text", 1, "keps/a/1-x/README.md".into());
        let view = OverlayView {
            root: Some(Path::new("/nonexistent-root")),
            index: None,
            docs: &docs,
        };
        assert_eq!(
            view.file_text("keps/a/1-x/README.md").as_deref(),
            Some("open text")
        );
        assert!(view.exists("keps/a/1-x/README.md"));
        assert_eq!(view.file_text("../etc/passwd"), None);
        assert!(!view.exists("/etc/passwd"));
    }
}
