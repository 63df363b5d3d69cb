//! `WorkspaceIndex`: the repository as the core sees it through `WorkspaceView`, shared by the
//! server's tasks (`Send + Sync`) and kept current with `update_file`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::analysis::{KepEntry, KepMetadata, Keps, OwnKep, WorkspaceView};
use crate::knowledge::Knowledge;
use crate::knowledge::profile::Profile;

use super::content::{FileContent, read_content};
use super::handles::{self, Handle};
use super::paths::normalize_rel;
use super::profile::{self, Detected};
use super::scan::{self, ScanProblem};
use crate::analysis::kep_entry::entry_and_metadata;
use crate::analysis::recent::Recent;

/// The index of one repository (the folder holding `keps/`).
pub struct WorkspaceIndex {
    root: PathBuf,
    state: RwLock<State>,
    /// File texts read so far (lazily, or given by `update_file`).
    texts: RwLock<HashMap<String, Arc<str>>>,
    /// `keps()` as one shared list with its number map, rebuilt after an update: every analysis
    /// of a kep.yaml asks for it, and copying ~600 entries per keystroke showed up in profiles.
    keps_snapshot: RwLock<Option<Keps>>,
    /// Whether the scan keeps each kep.yaml's parsed metadata for `kep_metadata` (`check`: a
    /// KEP's README and PRR file would parse it again; the server does not keep them, its
    /// memory budget is the smaller).
    keep_metadata: bool,
    /// Metadata parsed on request when the scan kept none (the server), per path with the text
    /// it was parsed from: a README analysed on every keystroke asks for its kep.yaml's each
    /// time (a YAML parse per keystroke, ~5 % of it), and the text is the same `Arc` until the
    /// file changes.
    recent_metadata: Recent<Arc<str>, Arc<KepMetadata>>,
}

#[derive(Default)]
struct State {
    files: HashSet<String>,
    dirs: HashSet<String>,
    /// By metadata path (kep.yaml or legacy .md).
    keps: BTreeMap<String, KepEntry>,
    /// By kep.yaml path, when the index keeps them: the metadata its entry was read from, as the
    /// scan parsed it (dropped when the file changes).
    metadata: HashMap<String, Arc<KepMetadata>>,
    /// OWNERS file path -> the handles it names.
    owners: BTreeMap<String, Vec<String>>,
    aliases: BTreeMap<String, Vec<String>>,
    knowledge: Option<Knowledge>,
    /// Files read from disk whose content is not text (`invalid-content`), by path.
    bad_content: BTreeMap<String, FileContent>,
    /// The profile, template and `.kep-lsp.toml` found at the root (decided once per scan).
    detected: Detected,
}

impl State {
    /// Whether a repo-relative path lies under the KEP root (`keps/`, `docs/keps/`...).
    fn under_kep_root(&self, path: &str) -> bool {
        let root = &self.detected.profile.kep_root;
        path.strip_prefix(root.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }
}

// A poisoned lock only means another thread panicked mid-update; the data is still usable and an
// index that refuses every later request would be worse.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}
fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

impl WorkspaceIndex {
    /// Decide the repository's profile (`.kep-lsp.toml`, then its files), walk its KEP root and
    /// build the index; problems (unreadable, non-UTF-8, huge files, symlink loops, a sigs.yaml
    /// that does not parse) are returned beside a usable index.
    pub fn scan(root: &Path) -> (WorkspaceIndex, Vec<ScanProblem>) {
        Self::scan_with(root, false)
    }

    /// `scan`, keeping each kep.yaml's parsed metadata for `kep_metadata` (what `check` uses:
    /// ~5 KB per KEP held, one parse per kep.yaml saved per reader).
    pub(crate) fn scan_keeping_metadata(root: &Path) -> (WorkspaceIndex, Vec<ScanProblem>) {
        Self::scan_with(root, true)
    }

    fn scan_with(root: &Path, keep_metadata: bool) -> (WorkspaceIndex, Vec<ScanProblem>) {
        let detected = profile::detect(root);
        let kep_root = detected.profile.kep_root.clone();
        let profile = detected.profile.clone();
        let output = scan::scan_keps(root, &kep_root, |path, text| {
            derive(&profile, path, text, keep_metadata)
        });
        let mut problems = output.problems;
        let mut state = State {
            files: output.files.into_iter().collect(),
            dirs: output.dirs.into_iter().collect(),
            detected,
            ..State::default()
        };
        state.dirs.insert(kep_root);
        state.bad_content = output.bad_content.into_iter().collect();
        let mut texts = HashMap::new();
        for (path, text, derived) in output.texts {
            keep(&mut state, &path, derived);
            texts.insert(path, text);
        }
        let index = WorkspaceIndex {
            root: root.to_path_buf(),
            state: RwLock::new(state),
            texts: RwLock::new(texts),
            keps_snapshot: RwLock::new(None),
            recent_metadata: Recent::new(),
            keep_metadata,
        };
        problems.extend(index.reload_knowledge());
        (index, problems)
    }

    /// The repository root (the folder holding `keps/`).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// What was decided at the scan: the profile, the repository's template, `.kep-lsp.toml`.
    /// Whether a repo-relative path (`/`-separated) lies under the repository's KEP root.
    pub(crate) fn under_kep_root(&self, path: &str) -> bool {
        read(&self.state).under_kep_root(path)
    }

    pub(crate) fn detected(&self) -> Detected {
        read(&self.state).detected.clone()
    }

    /// The settings of `.kep-lsp.toml` alone (read on every analysis by the server: no copy of
    /// the template's text).
    pub(crate) fn file_config(&self) -> crate::analysis::config_file::FileConfig {
        read(&self.state).detected.config.clone()
    }

    /// Embedded knowledge overridden by the repository's own `sigs.yaml` and `OWNERS_ALIASES`
    /// (at the root, when present).
    pub fn knowledge(&self) -> Knowledge {
        read(&self.state)
            .knowledge
            .clone()
            .unwrap_or_else(Knowledge::embedded)
    }

    /// Every handle the repository names (KEP people, OWNERS, OWNERS_ALIASES, the groups'
    /// chairs and tech leads), most frequent first.
    pub fn handles(&self) -> Vec<Handle> {
        let state = read(&self.state);
        let knowledge = state.knowledge.clone().unwrap_or_else(Knowledge::embedded);
        handles::collect(
            state.keps.values(),
            state.owners.iter(),
            &state.aliases,
            knowledge.sigs.iter(),
        )
    }

    /// The entry of the KEP whose metadata file is `metadata_path`.
    pub fn entry(&self, metadata_path: &str) -> Option<KepEntry> {
        let path = normalize_rel(metadata_path)?;
        read(&self.state).keps.get(&path).cloned()
    }

    /// The KEP files read from disk whose content is not text, with the lossy text and the
    /// `invalid-content` finding on it (sorted by repo-relative path). The server publishes them;
    /// they are in no other answer of the index (no KEP entry, no text).
    pub fn bad_content(&self) -> Vec<(String, FileContent)> {
        read(&self.state)
            .bad_content
            .iter()
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect()
    }

    /// The text the index holds for a repo-relative path (read by the scan or given by
    /// `update_file`), without going to the disk: `check` takes a kep.yaml from here instead of
    /// reading it a second time.
    /// Not for a file the scan found is no text: a rule may have read it since (`file_text`
    /// does not look for NUL bytes), but its report is the `invalid-content` finding.
    pub(crate) fn held_text(&self, path: &str) -> Option<Arc<str>> {
        if read(&self.state).bad_content.contains_key(path) {
            return None;
        }
        read(&self.texts).get(path).cloned()
    }

    /// Every repo-relative file path known under `keps/` (sorted).
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = read(&self.state).files.iter().cloned().collect();
        files.sort();
        files
    }

    /// A file changed (`Some(text)`) or was deleted (`None`): refresh its text, existence and,
    /// for metadata, OWNERS, sigs.yaml and OWNERS_ALIASES files, what the index derived from it.
    /// Returns the problems of a reloaded sigs.yaml.
    pub fn update_file(&self, rel_path: &str, text: Option<&str>) -> Vec<ScanProblem> {
        let Some(path) = normalize_rel(rel_path).filter(|p| !p.is_empty()) else {
            return Vec::new();
        };
        {
            let mut state = write(&self.state);
            *write(&self.keps_snapshot) = None;
            state.keps.remove(&path);
            state.metadata.remove(&path);
            state.owners.remove(&path);
            state.bad_content.remove(&path);
            match text {
                Some(text) => {
                    if state.under_kep_root(&path) {
                        add_file(&mut state, &path);
                    }
                    index_text(&mut state, &path, text, self.keep_metadata);
                }
                None => remove_file(&mut state, &path),
            }
        }
        {
            let mut texts = write(&self.texts);
            match text {
                Some(text) => texts.insert(path.clone(), Arc::from(text)),
                None => texts.remove(&path),
            };
        }
        if path == "sigs.yaml" || path == "OWNERS_ALIASES" {
            return self.reload_knowledge();
        }
        let in_template = read(&self.state)
            .detected
            .profile
            .template_dir
            .as_ref()
            .is_some_and(|d| path.starts_with(&format!("{d}/")));
        if in_template || path == crate::analysis::config_file::FILE_NAME {
            return self.redetect();
        }
        Vec::new()
    }

    /// Re-read one file from disk (a watched-file event): changed, created or deleted.
    pub fn refresh_from_disk(&self, rel_path: &str) -> Vec<ScanProblem> {
        let Some(path) = normalize_rel(rel_path) else {
            return Vec::new();
        };
        let full = self.root.join(&path);
        if !full.exists() {
            return self.update_file(&path, None);
        }
        match read_content(&full) {
            Ok(FileContent { text, problem: None }) => self.update_file(&path, Some(&text)),
            Ok(content) => {
                // Known to exist, with no text to vouch for: what the server reports on it.
                self.update_file(&path, None);
                let mut state = write(&self.state);
                if state.under_kep_root(&path) {
                    add_file(&mut state, &path);
                }
                state.bad_content.insert(path, content);
                Vec::new()
            }
            Err(message) => {
                // Keep knowing that it exists, but forget a text we can no longer vouch for.
                self.update_file(&path, None);
                let mut state = write(&self.state);
                if state.under_kep_root(&path) {
                    add_file(&mut state, &path);
                }
                vec![ScanProblem { path, message }]
            }
        }
    }

    fn reload_knowledge(&self) -> Vec<ScanProblem> {
        let mut problems = Vec::new();
        let mut knowledge = Knowledge::embedded();
        let mut aliases = BTreeMap::new();
        if let Some(text) = self.read_root_file("sigs.yaml", &mut problems) {
            knowledge = match knowledge.with_sigs_yaml(&text) {
                Ok(k) => k,
                Err((k, e)) => {
                    problems.push(ScanProblem {
                        path: "sigs.yaml".to_owned(),
                        message: format!("not used, the embedded SIG list applies: {e}"),
                    });
                    k
                }
            };
        }
        if let Some(text) = self.read_root_file("OWNERS_ALIASES", &mut problems) {
            knowledge = knowledge.with_owners_aliases(&text);
            aliases = handles::parse_aliases(&text);
        }
        let detected = read(&self.state).detected.clone();
        let knowledge = knowledge.with_profile(detected.profile, detected.template_readme.as_deref());
        let mut state = write(&self.state);
        state.knowledge = Some(knowledge);
        state.aliases = aliases;
        problems
    }

    /// Decide the profile again (the repository's template changed) and rebuild the knowledge.
    /// A changed KEP root needs a new scan: the server rescans when `.kep-lsp.toml` changes.
    fn redetect(&self) -> Vec<ScanProblem> {
        let detected = profile::detect(&self.root);
        write(&self.state).detected = detected;
        self.reload_knowledge()
    }

    fn read_root_file(&self, name: &str, problems: &mut Vec<ScanProblem>) -> Option<Arc<str>> {
        if let Some(text) = read(&self.texts).get(name) {
            return Some(text.clone());
        }
        let full = self.root.join(name);
        if !full.is_file() {
            return None;
        }
        match scan::read_text(&full) {
            Ok(text) => {
                let text: Arc<str> = Arc::from(text);
                write(&self.texts).insert(name.to_owned(), text.clone());
                Some(text)
            }
            Err(message) => {
                problems.push(ScanProblem {
                    path: name.to_owned(),
                    message,
                });
                None
            }
        }
    }
}

/// What the index keeps from one file's text.
enum Derived {
    Owners(Vec<String>),
    Kep(Box<KepEntry>, Option<Arc<KepMetadata>>),
    Nothing,
}

/// Derive what the index keeps from one file's text (a KEP entry, an OWNERS file's handles):
/// no state, so that the scan derives its files' on several threads.
fn derive(profile: &Profile, path: &str, text: &str, keep_metadata: bool) -> Derived {
    let prr = format!("{}/prod-readiness/", profile.kep_root);
    let in_template = profile
        .template_dir
        .as_ref()
        .is_some_and(|d| path.strip_prefix(d.as_str()).is_some_and(|r| r.starts_with('/')));
    // The template's kep.yaml is no KEP, whatever its folder is called.
    if path.starts_with(&prr) || in_template {
        return Derived::Nothing;
    }
    if path == "OWNERS" || path.ends_with("/OWNERS") {
        Derived::Owners(handles::parse_owners(text))
    } else if let Some((entry, meta)) = entry_and_metadata(path, text) {
        Derived::Kep(Box::new(entry), meta.filter(|_| keep_metadata).map(Arc::new))
    } else {
        Derived::Nothing
    }
}

fn keep(state: &mut State, path: &str, derived: Derived) {
    match derived {
        Derived::Owners(handles) => {
            state.owners.insert(path.to_owned(), handles);
        }
        Derived::Kep(entry, meta) => {
            state.keps.insert(path.to_owned(), *entry);
            if let Some(meta) = meta {
                state.metadata.insert(path.to_owned(), meta);
            }
        }
        Derived::Nothing => {}
    }
}

/// Derive what the index keeps from one file's text and keep it.
fn index_text(state: &mut State, path: &str, text: &str, keep_metadata: bool) {
    let derived = derive(&state.detected.profile, path, text, keep_metadata);
    keep(state, path, derived);
}

fn add_file(state: &mut State, path: &str) {
    state.files.insert(path.to_owned());
    let mut dir = path;
    while let Some(i) = dir.rfind('/') {
        dir = &dir[..i];
        if !state.dirs.insert(dir.to_owned()) {
            break;
        }
    }
}

fn remove_file(state: &mut State, path: &str) {
    if !state.files.remove(path) {
        return;
    }
    // Folders left empty no longer exist either (git does not keep empty folders).
    let mut dir = path;
    while let Some(i) = dir.rfind('/') {
        dir = &dir[..i];
        let prefix = format!("{dir}/");
        let still_used = state.files.iter().any(|f| f.starts_with(&prefix));
        if still_used || *dir == state.detected.profile.kep_root {
            break;
        }
        state.dirs.remove(dir);
    }
}

impl WorkspaceView for WorkspaceIndex {
    fn has_root(&self) -> bool {
        true
    }

    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        let path = normalize_rel(path)?;
        if let Some(text) = read(&self.texts).get(&path) {
            return Some(text.clone());
        }
        // Under the KEP root the scan saw every file: no disk access for files that do not
        // exist (rules ask for PRR files and kep.yaml siblings that often are absent).
        {
            let state = read(&self.state);
            if state.under_kep_root(&path) && !state.files.contains(&path) {
                return None;
            }
        }
        let text: Arc<str> = Arc::from(scan::read_text(&self.root.join(&path)).ok()?);
        write(&self.texts).insert(path, text.clone());
        Some(text)
    }

    fn exists(&self, path: &str) -> bool {
        let Some(path) = normalize_rel(path) else {
            return false;
        };
        if path.is_empty() {
            return true;
        }
        {
            let state = read(&self.state);
            if state.files.contains(&path) || state.dirs.contains(&path) {
                return true;
            }
        }
        {
            let state = read(&self.state);
            if path == state.detected.profile.kep_root || state.under_kep_root(&path) {
                return false;
            }
        }
        self.root.join(&path).exists()
    }

    fn keps(&self) -> Arc<[KepEntry]> {
        self.kep_list(None).to_shared()
    }

    fn kep_metadata(&self, path: &str) -> Option<Arc<KepMetadata>> {
        let path = normalize_rel(path)?;
        if let Some(meta) = read(&self.state).metadata.get(&path) {
            return Some(meta.clone());
        }
        let text = self.file_text(&path)?;
        Some(self.recent_metadata.get(
            &path,
            |parsed| Arc::ptr_eq(parsed, &text),
            || {
                let meta = Arc::new(crate::model::kep_yaml::parse_metadata(&text));
                (text.clone(), meta)
            },
        ))
    }

    fn kep_list(&self, _own: Option<&OwnKep<'_>>) -> Keps {
        if let Some(keps) = read(&self.keps_snapshot).as_ref() {
            return keps.clone();
        }
        let state = read(&self.state);
        let keps = Keps::indexed(state.keps.values().cloned().collect());
        *write(&self.keps_snapshot) = Some(keps.clone());
        keps
    }
}
