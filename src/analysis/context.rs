//! What the core may know beyond the text it analyses: embedded/workspace `Knowledge` (SIGs,
//! template, PRR approvers) and a `WorkspaceView` over the repo's other files.
//!
//! The view is a trait so that the core stays free of the file system: `kep-lsp check` backs it
//! with files read from disk, the server with its index plus the open documents (open text wins),
//! and tests with an in-memory map. Paths are repo-relative, `/`-separated (`keps/sig-node/...`).

use std::sync::Arc;

use crate::knowledge::Knowledge;

/// One KEP as the workspace index knows it (from its kep.yaml or legacy front matter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KepEntry {
    /// `kep-number` as written (`"2625"`, `"0034"`).
    pub number: String,
    pub title: String,
    pub owning_sig: String,
    pub status: String,
    pub stage: String,
    pub latest_milestone: String,
    /// Repo-relative folder of the KEP (`keps/sig-node/2625-cpumanager-...`), or of the
    /// legacy file's folder.
    pub dir: String,
    /// Repo-relative path of the metadata file (kep.yaml, or the legacy .md).
    pub metadata_path: String,
    /// Every handle named in authors/reviewers/approvers/editor, without `@`, with the field
    /// that names it (a handle may appear under several).
    pub people: Vec<Person>,
}

/// A handle named by a KEP, and in which people field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub handle: String,
    pub role: Role,
}

/// The people fields of kep.yaml: what a handle does for a KEP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Author,
    Reviewer,
    Approver,
    Editor,
}

impl Role {
    /// The role's noun, as hover text uses it ("author of 3 KEPs").
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Editor => "editor",
        }
    }
}

/// Read-only access to the rest of the repository.
pub trait WorkspaceView: Send + Sync {
    /// Whether a repository root (the folder holding `keps/`) is known. Without one, rules that
    /// need other files (PRR, README beside kep.yaml, references) stay silent.
    fn has_root(&self) -> bool;
    /// The text of a repo-relative file, if it exists and is UTF-8.
    fn file_text(&self, path: &str) -> Option<Arc<str>>;
    /// Whether a repo-relative path exists (file or folder).
    fn exists(&self, path: &str) -> bool;
    /// Every KEP in the tree (used for duplicate numbers and reference resolution). Shared, so
    /// that asking on every keystroke costs no copy.
    fn keps(&self) -> Arc<[KepEntry]>;
}

/// Single-file mode: no repository known.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoWorkspace;

impl WorkspaceView for NoWorkspace {
    fn has_root(&self) -> bool {
        false
    }
    fn file_text(&self, _path: &str) -> Option<Arc<str>> {
        None
    }
    fn exists(&self, _path: &str) -> bool {
        false
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        Arc::new([])
    }
}

/// Everything an analysis may consult besides the text itself.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub knowledge: &'a Knowledge,
    pub workspace: &'a dyn WorkspaceView,
    /// Today's date as `YYYY-MM-DD` (for future-date checks); `None` skips them. Passed in so
    /// that the core stays deterministic.
    pub today: Option<&'a str>,
    /// The minor version of the upcoming Kubernetes release (37 for v1.37), pinned by the
    /// `release` setting, `check --release` or a test; `None`: the release calendar's release in
    /// development on `today` (`knowledge::release_calendar`). sig-node's tech-lead rule (R16)
    /// needs it; with neither this nor `today` it reports only what holds for any release.
    pub upcoming_minor: Option<u64>,
}

impl Context<'_> {
    /// The upcoming release: the pinned one, else the calendar's on `today`; `None` when neither
    /// is known.
    pub(crate) fn upcoming_release(&self) -> Option<crate::knowledge::release_calendar::UpcomingRelease> {
        use crate::knowledge::release_calendar::{UpcomingRelease, upcoming_release};
        match self.upcoming_minor {
            Some(minor) => Some(UpcomingRelease {
                minor,
                estimated: false,
            }),
            None => upcoming_release(self.today?),
        }
    }
}

impl Context<'_> {
    /// The repository profile: which rule families apply here (carried by the knowledge, which
    /// every context already has, so that no construction site changes).
    pub(crate) fn profile(&self) -> &crate::knowledge::Profile {
        &self.knowledge.profile
    }
}
