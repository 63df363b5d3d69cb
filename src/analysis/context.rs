//! What the core may know beyond the text it analyses: embedded/workspace `Knowledge` (SIGs,
//! template, PRR approvers) and a `WorkspaceView` over the repo's other files, whose KEP list
//! (`Keps`) is shared, not copied, by every analysis.
//!
//! The view is a trait so that the core stays free of the file system: `kep-lsp check` backs it
//! with files read from disk, the server with its index plus the open documents (open text wins),
//! and tests with an in-memory map. Paths are repo-relative, `/`-separated (`keps/sig-node/...`).

use std::sync::Arc;

use crate::analysis::KepMetadata;
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
    /// The same KEPs as `keps()`, in the same order, without copying the shared list: a view
    /// over open documents (the server's overlay) returns its base's list with the entries of
    /// the open metadata files swapped in, where `keps()` would have to copy ~600 entries on
    /// every keystroke that changes one of them.
    ///
    /// `own` is a hint from an analysis that has already read the metadata file it checks: a
    /// view that would read an entry from exactly that text at that path takes `own.entry`
    /// instead of parsing the text a second time. It never changes the answer.
    fn kep_list(&self, own: Option<&OwnKep<'_>>) -> Keps {
        let _ = own;
        Keps::from(self.keps())
    }
    /// The metadata of the kep.yaml at `path` (repo-relative), as `parse_metadata` reads
    /// `file_text(path)`; `None` when there is no such text. This default parses it on each
    /// call; `check`'s index answers from the parse it made when it read the file (a KEP's
    /// README and its PRR file each ask for their KEP's).
    fn kep_metadata(&self, path: &str) -> Option<Arc<KepMetadata>> {
        self.file_text(path)
            .map(|text| Arc::new(crate::model::kep_yaml::parse_metadata(&text)))
    }
}

/// An analysis's own reading of the metadata file it checks (see `WorkspaceView::kep_list`):
/// `entry` must be what `entry_from_text(path, text)` gives.
#[derive(Debug, Clone, Copy)]
pub struct OwnKep<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub entry: &'a KepEntry,
}

/// A list of KEPs that shares its base list: `base` with some entries replaced or dropped and
/// others appended (the open documents of an overlay). Iterating it yields what copying the
/// base and applying the changes in place would: the same entries in the same order.
#[derive(Debug, Clone, Default)]
pub struct Keps {
    base: Arc<[KepEntry]>,
    /// `number_key` -> the indices of `base` with that number, when the list was built by
    /// `Keps::indexed` (the workspace index's, built once per update): a kep.yaml analysis asks
    /// for its own number and each number it references, and scanning every entry for each
    /// cost more than the YAML parse in a tree of ~5,500 KEPs.
    by_number: Option<Arc<Positions>>,
    /// `slug_key` -> the indices of `base` whose folder has that slug, built on first use by
    /// `with_slug` in a list built by `Keps::indexed`: a reference to a moved single-file KEP
    /// looks its title up among the folders (`kep_location` of every entry per question cost as
    /// much as the rest of the layout rules in a ten-times tree).
    by_slug: Option<Arc<std::sync::OnceLock<Positions>>>,
    /// `(index into base, its replacement or None when dropped)`, sorted by index, one per index.
    changed: Vec<(usize, Option<Arc<KepEntry>>)>,
    /// Entries of open documents the base does not have, in the order they were added.
    added: Vec<Arc<KepEntry>>,
}

/// A key (a number, a folder slug) -> the indices of the entries of a `Keps` base with it, ascending.
type Positions = std::collections::HashMap<String, Vec<usize>>;

impl From<Arc<[KepEntry]>> for Keps {
    fn from(base: Arc<[KepEntry]>) -> Self {
        Keps {
            base,
            by_number: None,
            by_slug: None,
            changed: Vec::new(),
            added: Vec::new(),
        }
    }
}

/// A `kep-number` as compared: trimmed, without its leading zeros (`" 0042"` is `42`).
pub(crate) fn number_key(number: &str) -> &str {
    number.trim().trim_start_matches('0')
}

/// A KEP folder's slug as compared (ASCII-lowercased), from its metadata path: `None` when the
/// path is in no KEP folder (`kep_location`).
pub(crate) fn slug_key(metadata_path: &str) -> Option<String> {
    crate::model::kep_path::kep_location(metadata_path).map(|l| l.slug.to_ascii_lowercase())
}

impl Keps {
    /// `base` with a map from numbers to entries, for `numbered`.
    pub(crate) fn indexed(base: Arc<[KepEntry]>) -> Keps {
        let mut map: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, k) in base.iter().enumerate() {
            map.entry(number_key(&k.number).to_owned()).or_default().push(i);
        }
        Keps {
            by_number: Some(Arc::new(map)),
            by_slug: Some(Arc::default()),
            ..Keps::from(base)
        }
    }

    /// The entries whose folder's `slug_key` is `slug`, in list order (as `iter().filter(..)`
    /// gives).
    pub(crate) fn with_slug(&self, slug: &str) -> Vec<&KepEntry> {
        let is = |k: &KepEntry| slug_key(&k.metadata_path).as_deref() == Some(slug);
        let Some(map) = &self.by_slug else {
            return self.iter().filter(|k| is(k)).collect();
        };
        let map = map.get_or_init(|| {
            let mut map = Positions::new();
            for (i, k) in self.base.iter().enumerate() {
                if let Some(key) = slug_key(&k.metadata_path) {
                    map.entry(key).or_default().push(i);
                }
            }
            map
        });
        self.merge(map.get(slug).map_or(&[][..], Vec::as_slice), is)
    }

    /// The entries at `hits` (indices of `base`, ascending) that no change replaced or dropped,
    /// with the replacements and added entries for which `is` holds, in list order.
    fn merge<'k>(&'k self, hits: &[usize], is: impl Fn(&KepEntry) -> bool) -> Vec<&'k KepEntry> {
        let changed = |i: &usize| self.changed.binary_search_by_key(i, |(at, _)| *at).is_ok();
        let mut at: Vec<(usize, &KepEntry)> = hits
            .iter()
            .filter(|i| !changed(i))
            .filter_map(|&i| Some((i, self.base.get(i)?)))
            .collect();
        at.extend(
            self.changed
                .iter()
                .filter_map(|(i, k)| Some((*i, k.as_deref()?)))
                .filter(|(_, k)| is(k)),
        );
        at.sort_unstable_by_key(|(i, _)| *i);
        at.into_iter()
            .map(|(_, k)| k)
            .chain(self.added.iter().map(|k| &**k).filter(|k| is(k)))
            .collect()
    }

    /// The entries whose `number_key` is `key`, in list order (as `iter().filter(..)` gives).
    pub(crate) fn numbered(&self, key: &str) -> Vec<&KepEntry> {
        let Some(map) = &self.by_number else {
            return self.iter().filter(|k| number_key(&k.number) == key).collect();
        };
        let hits = map.get(key).map_or(&[][..], Vec::as_slice);
        self.merge(hits, |k| number_key(&k.number) == key)
    }

    /// Every entry, the changes applied.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &KepEntry> + '_ {
        let mut changed = self.changed.iter().peekable();
        self.base
            .iter()
            .enumerate()
            .filter_map(move |(i, base)| match changed.next_if(|(at, _)| *at == i) {
                Some((_, replaced)) => replaced.as_deref(),
                None => Some(base),
            })
            .chain(self.added.iter().map(|k| &**k))
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        let dropped = self.changed.iter().filter(|(_, k)| k.is_none()).count();
        self.base.len() - dropped + self.added.len()
    }

    /// The list as one shared slice: the base itself when nothing changed, else a copy.
    pub(crate) fn to_shared(&self) -> Arc<[KepEntry]> {
        if self.changed.is_empty() && self.added.is_empty() {
            return self.base.clone();
        }
        self.iter().cloned().collect()
    }

    /// Make the entry whose metadata file is `path` be `entry` (`None`: no entry), as an
    /// overlay does for one open document: replaced in place, dropped, or appended.
    pub(crate) fn set(&mut self, path: &str, entry: Option<Arc<KepEntry>>) {
        if let Some(a) = self.added.iter().position(|k| k.metadata_path == path) {
            match entry {
                Some(entry) => self.added[a] = entry,
                None => {
                    self.added.remove(a);
                }
            }
            return;
        }
        let at = self.base.iter().position(|k| k.metadata_path == path);
        let Some(i) = at else {
            self.added.extend(entry);
            return;
        };
        match self.changed.binary_search_by_key(&i, |(at, _)| *at) {
            // Already replaced (a second open document at the same path): as a copied list would,
            // replace that entry or, once dropped, treat the path as absent.
            Ok(c) => match (&self.changed[c].1, entry) {
                (Some(_), entry) => self.changed[c].1 = entry,
                (None, entry) => self.added.extend(entry),
            },
            Err(c) => {
                if entry.as_deref() != Some(&self.base[i]) {
                    self.changed.insert(c, (i, entry));
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kep(path: &str, number: &str) -> KepEntry {
        KepEntry {
            number: number.into(),
            metadata_path: path.into(),
            ..KepEntry::default()
        }
    }

    /// What the overlays did before `Keps`: copy the base, then replace in place, drop, or
    /// append each change.
    fn copied(base: &[KepEntry], changes: &[(&str, Option<KepEntry>)]) -> Vec<KepEntry> {
        let mut list = base.to_vec();
        for (path, entry) in changes {
            match (list.iter().position(|k| k.metadata_path == *path), entry) {
                (Some(i), Some(e)) => list[i] = e.clone(),
                (Some(i), None) => {
                    list.remove(i);
                }
                (None, Some(e)) => list.push(e.clone()),
                (None, None) => {}
            }
        }
        list
    }

    #[test]
    fn a_changed_list_reads_as_the_copy_it_replaces() {
        // Two KEPs share number 3 (one written `03`), as duplicates do.
        let mut base: Vec<KepEntry> = (1..=5).map(|i| kep(&format!("k{i}"), &i.to_string())).collect();
        base.push(kep("k6", " 03"));
        let base: Arc<[KepEntry]> = base.into();
        let cases: Vec<Vec<(&str, Option<KepEntry>)>> = vec![
            vec![],
            vec![("k3", Some(kep("k3", "33")))],
            vec![("k3", Some(kep("k3", "3")))], // the same as the base: no change at all
            vec![
                ("k5", None),
                ("k1", Some(kep("k1", "11"))),
                ("k9", Some(kep("k9", "9"))),
            ],
            vec![
                ("k2", None),
                ("k2", Some(kep("k2", "22"))),
                ("k2", Some(kep("k2", "222"))),
            ],
            vec![
                ("k4", Some(kep("k4", "44"))),
                ("k4", None),
                ("k7", None),
                ("k1", None),
            ],
            vec![
                ("k8", Some(kep("k8", "8"))),
                ("k8", None),
                ("k3", Some(kep("k3", "0"))),
            ],
        ];
        for changes in cases {
            for mut keps in [Keps::from(base.clone()), Keps::indexed(base.clone())] {
                for (path, entry) in &changes {
                    keps.set(path, entry.clone().map(Arc::new));
                }
                let want = copied(&base, &changes);
                assert_eq!(keps.iter().cloned().collect::<Vec<_>>(), want, "{changes:?}");
                assert_eq!(keps.len(), want.len(), "{changes:?}");
                assert_eq!(&*keps.to_shared(), &want[..], "{changes:?}");
                for key in ["1", "2", "3", "9", "11", "22", "33", "0", ""] {
                    let numbered: Vec<&KepEntry> =
                        want.iter().filter(|k| number_key(&k.number) == key).collect();
                    assert_eq!(keps.numbered(key), numbered, "{changes:?} {key}");
                }
            }
        }
    }

    /// `with_slug` through the slug map reads as the filter over the changed list it replaces.
    #[test]
    fn slug_lookups_read_as_the_filter() {
        let path = |p: &str| format!("keps/{p}/kep.yaml");
        let base: Arc<[KepEntry]> = ["sig-a/1-foo", "sig-b/2-foo", "sig-a/3-bar", "sig-a/5-FOO"]
            .iter()
            .map(|p| kep(&path(p), "1"))
            .chain([kep("keps/sig-a/20190101-foo.md", "6")])
            .collect();
        let cases: Vec<Vec<(String, Option<KepEntry>)>> = vec![
            vec![],
            vec![(path("sig-b/2-foo"), None)],
            vec![
                (path("sig-c/4-Foo"), Some(kep(&path("sig-c/4-Foo"), "4"))),
                (path("sig-a/1-foo"), Some(kep(&path("sig-a/1-foo"), "7"))),
            ],
        ];
        for changes in cases {
            let mut keps = Keps::indexed(base.clone());
            for (p, entry) in &changes {
                keps.set(p, entry.clone().map(Arc::new));
            }
            let all: Vec<KepEntry> = keps.iter().cloned().collect();
            for slug in ["foo", "bar", "baz", ""] {
                let want: Vec<&KepEntry> = all
                    .iter()
                    .filter(|k| slug_key(&k.metadata_path).as_deref() == Some(slug))
                    .collect();
                assert_eq!(keps.with_slug(slug), want, "{changes:?} {slug}");
            }
        }
    }

    #[test]
    fn an_unchanged_list_is_the_shared_base() {
        let base: Arc<[KepEntry]> = vec![kep("k1", "1")].into();
        let mut keps = Keps::from(base.clone());
        keps.set("k1", Some(Arc::new(kep("k1", "1"))));
        assert!(Arc::ptr_eq(&keps.to_shared(), &base));
    }
}
