//! The server's view of the repository: its root, the shared `WorkspaceIndex` (built in the
//! background), the knowledge (the index's, i.e. the root's sigs.yaml / OWNERS_ALIASES over the
//! embedded data, with the `sigsPath` setting on top), and the overlay that lets the core see
//! open documents before the files on disk.
//!
//! Until the index is ready, analyses run in single-file mode (see `snapshot.rs`); a small disk
//! view serves workspace symbols meanwhile.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::{KepEntry, Keps, OwnKep, WorkspaceView};
use crate::ide::WorkspaceFacts;
use crate::knowledge::Knowledge;
use crate::workspace::{ScanProblem, WorkspaceIndex, read_text};

use super::documents::{Documents, NoPoisonMutex};

/// The repository as the server knows it.
pub(crate) struct ServerWorkspace {
    root: NoPoisonMutex<Option<PathBuf>>,
    index: NoPoisonMutex<Option<Arc<WorkspaceIndex>>>,
    knowledge: NoPoisonMutex<Knowledge>,
    /// Completion and hover facts, dropped whenever the index or the knowledge changes.
    facts: NoPoisonMutex<Option<Arc<WorkspaceFacts>>>,
    /// Files not open whose `invalid-content` diagnostic the server has published (to clear
    /// them once fixed or opened).
    pub(crate) bad_content_published:
        NoPoisonMutex<std::collections::HashSet<tower_lsp_server::ls_types::Uri>>,
    /// Bumped whenever the root, the index (a new one, or a file re-read) or the knowledge
    /// changes: results computed from them (the workspace report cache) are stale once it moves.
    generation: AtomicU64,
}

impl Default for ServerWorkspace {
    fn default() -> Self {
        ServerWorkspace {
            root: NoPoisonMutex::new(None),
            index: NoPoisonMutex::new(None),
            knowledge: NoPoisonMutex::new(Knowledge::embedded()),
            facts: NoPoisonMutex::new(None),
            bad_content_published: NoPoisonMutex::new(Default::default()),
            generation: AtomicU64::new(0),
        }
    }
}

impl ServerWorkspace {
    pub(crate) fn set_root(&self, root: Option<PathBuf>) {
        *self.root.lock() = root;
        self.changed();
    }

    /// How many times the root, the index or the knowledge changed so far.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn root(&self) -> Option<PathBuf> {
        self.root.lock().clone()
    }

    pub(crate) fn index(&self) -> Option<Arc<WorkspaceIndex>> {
        self.index.lock().clone()
    }

    pub(crate) fn set_index(&self, index: WorkspaceIndex) {
        *self.index.lock() = Some(Arc::new(index));
        *self.facts.lock() = None;
        self.changed();
    }

    /// The cached facts, or `compute` them (outside the lock: it reads the workspace).
    pub(crate) fn facts(&self, compute: impl FnOnce() -> WorkspaceFacts) -> Arc<WorkspaceFacts> {
        if let Some(f) = self.facts.lock().clone() {
            return f;
        }
        let fresh = Arc::new(compute());
        *self.facts.lock() = Some(fresh.clone());
        fresh
    }

    /// Re-read one repo-relative file after a save or a watched-file event.
    pub(crate) fn refresh_file(&self, rel: &str) -> Vec<ScanProblem> {
        *self.facts.lock() = None;
        let problems = match self.index() {
            Some(index) => index.refresh_from_disk(rel),
            None => Vec::new(),
        };
        // After the re-read: a computation that started before it and stores its result with
        // the older generation is not taken for current.
        self.changed();
        problems
    }

    pub(crate) fn knowledge(&self) -> Knowledge {
        self.knowledge.lock().clone()
    }

    /// Rebuild the knowledge: the index's (or, before it is ready, the embedded SIG list with the
    /// root's OWNERS_ALIASES and profile, see `root_knowledge`) with the configured `sigsPath` on
    /// top. Returns problems to show the user.
    pub(crate) fn reload_knowledge(&self, sigs_path: Option<&str>) -> Vec<String> {
        let root = self.root();
        let mut problems = Vec::new();
        let mut knowledge = match (self.index(), &root) {
            (Some(index), _) => index.knowledge(),
            (None, Some(root)) => root_knowledge(root),
            (None, None) => Knowledge::embedded(),
        };
        if let Some(p) = sigs_path {
            let p = PathBuf::from(p);
            let p = match (&root, p.is_absolute()) {
                (Some(root), false) => root.join(p),
                _ => p,
            };
            match read_text(&p) {
                Ok(text) => {
                    knowledge = match knowledge.with_sigs_yaml(&text) {
                        Ok(k) => k,
                        Err((k, e)) => {
                            problems.push(format!("sigsPath {}: {e}", p.display()));
                            k
                        }
                    }
                }
                Err(e) => problems.push(format!("sigsPath {}: {e}", p.display())),
            }
        }
        *self.knowledge.lock() = knowledge;
        *self.facts.lock() = None;
        self.changed();
        problems
    }
}

/// The knowledge before the index is ready: the root's OWNERS_ALIASES and profile over the
/// embedded knowledge. The root's own sigs.yaml is left to the index, which reads it on its
/// background task (a sigs.yaml other than the embedded copy takes ~20 ms to parse, which
/// `initialize` would make every client wait for); open files are re-checked with it when the
/// index is ready.
fn root_knowledge(root: &Path) -> Knowledge {
    let mut knowledge = Knowledge::embedded();
    if let Ok(text) = read_text(&root.join("OWNERS_ALIASES")) {
        knowledge = knowledge.with_owners_aliases(&text);
    }
    // The profile is cheap to decide (a few small files): the first analyses, before the index
    // is ready, already follow the repository's conventions.
    let detected = crate::workspace::profile::detect(root);
    knowledge.with_profile(detected.profile, detected.template_readme.as_deref())
}

/// `path` relative to `root`, `/`-separated; `None` when outside.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    crate::workspace::rel_path(root, path)
}

/// The repository before the index is ready: files read from disk on demand, no KEP list.
pub(crate) struct DiskView<'a> {
    pub root: &'a Path,
}

impl DiskView<'_> {
    /// A repo-relative path made safe to join to the root (no `..`, no absolute paths).
    fn on_disk(&self, path: &str) -> Option<PathBuf> {
        let rel = Path::new(path);
        rel.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| self.root.join(rel))
    }
}

impl WorkspaceView for DiskView<'_> {
    fn has_root(&self) -> bool {
        true
    }

    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        read_text(&self.on_disk(path)?).ok().map(Arc::from)
    }

    fn exists(&self, path: &str) -> bool {
        self.on_disk(path).is_some_and(|p| p.exists())
    }

    fn keps(&self) -> Arc<[KepEntry]> {
        Arc::new([])
    }
}

/// What the core sees during one analysis: open documents first, then `base` (the index, or the
/// disk before it is ready). Open texts are read lazily, only for the paths a rule asks about,
/// so an analysis does not copy every open document.
pub struct OverlayView<'a> {
    pub base: &'a dyn WorkspaceView,
    pub docs: &'a Documents,
}

impl WorkspaceView for OverlayView<'_> {
    fn has_root(&self) -> bool {
        self.base.has_root()
    }

    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.docs.text_at_path(path).or_else(|| self.base.file_text(path))
    }

    fn exists(&self, path: &str) -> bool {
        self.docs.has_path(path) || self.base.exists(path)
    }

    /// An open kep.yaml parsed from its open text (once per version); the others as the base
    /// reads them.
    fn kep_metadata(&self, path: &str) -> Option<Arc<crate::analysis::KepMetadata>> {
        self.docs
            .metadata_at_path(path)
            .or_else(|| self.base.kep_metadata(path))
    }

    /// The base's KEPs, with open metadata files' entries taken from their open text: a copy
    /// only when an open document says something the index does not.
    fn keps(&self) -> Arc<[KepEntry]> {
        self.kep_list(None).to_shared()
    }

    /// The base's list with the open metadata files' entries swapped in, no copy (each open
    /// document's entry is read once per version, see `Documents::kep_entries`).
    fn kep_list(&self, own: Option<&OwnKep<'_>>) -> Keps {
        let mut keps = self.base.kep_list(own);
        for (path, entry) in self
            .docs
            .kep_entries(|p| p.ends_with("kep.yaml") || p.ends_with(".md"), own)
        {
            keps.set(&path, entry);
        }
        keps
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
    fn overlay_prefers_open_documents_and_the_disk_view_refuses_escapes() {
        let docs = Documents::default();
        let uri = "file:///r/keps/a/1-x/README.md".parse().expect("uri");
        docs.open(uri, "open text", 1, "keps/a/1-x/README.md".into());
        let disk = DiskView {
            root: Path::new("/nonexistent-root"),
        };
        let view = OverlayView {
            base: &disk,
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

    #[test]
    fn overlay_keps_take_open_metadata_over_the_base() {
        let docs = Documents::default();
        let uri = "file:///r/keps/sig-node/77-x/kep.yaml".parse().expect("uri");
        let yaml = "title: Open title\nkep-number: 77\nowning-sig: sig-node\nstatus: provisional\n";
        docs.open(uri, yaml, 1, "keps/sig-node/77-x/kep.yaml".into());
        let disk = DiskView {
            root: Path::new("/nonexistent-root"),
        };
        let view = OverlayView {
            base: &disk,
            docs: &docs,
        };
        let keps = view.keps();
        assert_eq!(keps.len(), 1);
        assert_eq!(keps[0].number, "77");
        assert_eq!(keps[0].title, "Open title");
        assert_eq!(keps[0].dir, "keps/sig-node/77-x");
    }

    /// A base with three KEPs, the middle one open (and edited) in the editor.
    struct ThreeKeps;
    impl WorkspaceView for ThreeKeps {
        fn has_root(&self) -> bool {
            true
        }
        fn file_text(&self, _path: &str) -> Option<Arc<str>> {
            None
        }
        fn exists(&self, _path: &str) -> bool {
            false
        }
        fn keps(&self) -> Arc<[KepEntry]> {
            ["1-a", "2-b", "3-c"]
                .iter()
                .map(|d| {
                    let dir = format!("keps/sig-node/{d}");
                    KepEntry {
                        number: d[..1].into(),
                        title: format!("{d} on disk"),
                        metadata_path: format!("{dir}/kep.yaml"),
                        dir,
                        ..KepEntry::default()
                    }
                })
                .collect()
        }
    }

    #[test]
    fn overlay_kep_list_is_keps_without_the_copy_and_reads_an_open_document_once_per_version() {
        let docs = Documents::default();
        let uri: tower_lsp_server::ls_types::Uri =
            "file:///r/keps/sig-node/2-b/kep.yaml".parse().expect("uri");
        let path = "keps/sig-node/2-b/kep.yaml";
        let yaml = "title: Typed\nkep-number: 2\nowning-sig: sig-node\n";
        docs.open(uri.clone(), yaml, 1, path.into());
        let readme = "file:///r/keps/sig-node/9-z/README.md".parse().expect("uri");
        docs.open(
            readme,
            "# not a legacy KEP\n",
            1,
            "keps/sig-node/9-z/README.md".into(),
        );
        let view = OverlayView {
            base: &ThreeKeps,
            docs: &docs,
        };
        let titles = |keps: &Keps| keps.iter().map(|k| k.title.clone()).collect::<Vec<_>>();
        let list = view.kep_list(None);
        assert_eq!(titles(&list), ["1-a on disk", "Typed", "3-c on disk"]);
        assert_eq!(list.iter().cloned().collect::<Vec<_>>(), view.keps().to_vec());

        // The entry read above is kept for this version: an analysis's own reading of the same
        // text is not needed, and one of other text is not taken.
        let mut own = crate::analysis::entry_from_text(path, yaml).expect("a kep.yaml");
        own.title = "as the analysis read it".into();
        let hint = |text| OwnKep {
            path,
            text,
            entry: &own,
        };
        assert_eq!(titles(&view.kep_list(Some(&hint(yaml))))[1], "Typed");

        // The whole document replaced by `text` at `version`.
        let retype = |version, text: String| {
            let change = tower_lsp_server::ls_types::TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text,
            };
            docs.change(&uri, version, &[change], super::super::position::Encoding::Utf16)
                .expect("edit");
        };
        // An edit drops the kept entry; the analysis of the new text hands in its own reading,
        // which is taken (the document is not parsed a second time) only for that exact text.
        retype(2, yaml.replace("Typed", "Retyped"));
        assert_eq!(titles(&view.kep_list(Some(&hint(yaml))))[1], "Retyped");
        retype(3, yaml.into());
        assert_eq!(
            titles(&view.kep_list(Some(&hint(yaml))))[1],
            "as the analysis read it"
        );
        assert_eq!(view.kep_list(None).len(), 3);
    }

    #[test]
    fn the_root_sigs_yaml_comes_with_the_index_not_before() {
        let root = std::env::temp_dir().join(format!("kep-lsp-sigs-{}", std::process::id()));
        std::fs::create_dir_all(root.join("keps/sig-new")).expect("mkdir");
        std::fs::write(root.join("sigs.yaml"), "sigs:\n  - dir: sig-new\n    name: New\n").expect("write");
        let ws = ServerWorkspace::default();
        ws.set_root(Some(root.clone()));
        // `initialize`: the embedded list, no parse of the root's sigs.yaml.
        assert!(ws.reload_knowledge(None).is_empty());
        assert!(!ws.knowledge().sigs.contains("sig-new"));
        // The index (built in the background) read it; open files are re-checked with it.
        let (index, _) = WorkspaceIndex::scan(&root);
        ws.set_index(index);
        assert!(ws.reload_knowledge(None).is_empty());
        assert!(ws.knowledge().sigs.contains("sig-new"));
        let _ = std::fs::remove_dir_all(&root);
    }
}
