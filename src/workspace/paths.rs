//! Repository paths: finding the root, and the `/`-separated repo-relative form the core speaks.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The repository of `start`: the nearest ancestor (itself included) that holds a
/// `.kep-lsp.toml`, a `keps/` folder (for `docs/keps/`, the folder above `docs/`), or a `kep/`
/// folder of `NNNN-name` folders.
///
/// `start` may be a file or a folder, relative or absolute; a relative path is resolved against
/// the current directory so that `kep-lsp check keps/sig-node` finds the repo from inside it.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    RootFinder::default().find(start)
}

/// `find_root` for many paths: what it learns of each folder on the way up (whether it holds a
/// `.kep-lsp.toml`, `keps/`, ...) is kept, so that the ~5,500 KEP folders of a large tree, which
/// share their ancestors, cost a few file-system calls each instead of some thirty. Valid while
/// the tree does not change (one `check` run).
#[derive(Default)]
pub(crate) struct RootFinder {
    /// Folder -> whether it holds a `.kep-lsp.toml` file.
    config: HashMap<PathBuf, bool>,
    /// Folder holding a `.kep-lsp.toml` -> its `kep-root` setting.
    kep_root: HashMap<PathBuf, Option<String>>,
    /// Folder -> whether it holds a `keps/` folder.
    keps: HashMap<PathBuf, bool>,
    /// Folder -> whether it holds a `.git`.
    git: HashMap<PathBuf, bool>,
    /// Folder -> `holds_singular_kep_root`.
    singular: HashMap<PathBuf, bool>,
}

/// `probe(dir)`, asked once per folder.
fn memo(cache: &mut HashMap<PathBuf, bool>, dir: &Path, probe: impl FnOnce(&Path) -> bool) -> bool {
    if let Some(&known) = cache.get(dir) {
        return known;
    }
    let found = probe(dir);
    cache.insert(dir.to_path_buf(), found);
    found
}

impl RootFinder {
    /// `find_root(start)`.
    pub(crate) fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let start = if start.is_absolute() {
            start.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(start)
        };
        // Canonicalize so that `..` components and symlinked checkouts resolve to one root; fall
        // back to the path as written when it does not exist (a deleted file still has a repo).
        let start = start.canonicalize().unwrap_or(start);
        self.find_canonical(&start)
    }

    /// `find(start)` for a `start` that is absolute and canonical, or absolute and does not
    /// exist (what `find` makes of its path before it looks up).
    pub(crate) fn find_canonical(&mut self, start: &Path) -> Option<PathBuf> {
        let config_name = crate::analysis::config_file::FILE_NAME;
        let has_config = |cache: &mut HashMap<PathBuf, bool>, dir: &Path| {
            memo(cache, dir, |d| d.join(config_name).is_file())
        };
        // A `.kep-lsp.toml` whose `kep-root` holds `start` marks the root, even above a nearer
        // folder holding `keps/` (`kep-root = "sub/keps"`).
        if let Some(dir) = start.ancestors().find(|d| has_config(&mut self.config, d)) {
            let kep_root = self.kep_root.entry(dir.to_path_buf()).or_insert_with(|| {
                let text = super::scan::read_text(&dir.join(config_name)).unwrap_or_default();
                crate::analysis::config_file::parse(&text).0.kep_root
            });
            if let Some(kep_root) = kep_root
                && start.starts_with(dir.join(kep_root))
            {
                return Some(dir.to_path_buf());
            }
        }
        for dir in start.ancestors() {
            if has_config(&mut self.config, dir) {
                return Some(dir.to_path_buf());
            }
            if memo(&mut self.keps, dir, |d| d.join("keps").is_dir()) {
                // `docs/keps/`: the repository is the folder holding `docs/` (its hack/, Makefile
                // and config file are there), not `docs/` itself, unless `docs/` is a repository
                // itself.
                let docs_parent = (dir.file_name().is_some_and(|n| n == "docs")
                    && !memo(&mut self.git, dir, |d| d.join(".git").exists()))
                .then(|| dir.parent())
                .flatten();
                return Some(docs_parent.unwrap_or(dir).to_path_buf());
            }
            if memo(&mut self.singular, dir, holds_singular_kep_root) {
                return Some(dir.to_path_buf());
            }
        }
        None
    }
}

/// A `kep/` folder holding at least one `NNNN-...` folder: the KEP root some subprojects use.
fn holds_singular_kep_root(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir.join("kep")) else {
        return false;
    };
    entries.flatten().any(|e| {
        e.file_name()
            .to_str()
            .is_some_and(|n| n.as_bytes().first().is_some_and(u8::is_ascii_digit) && n.contains('-'))
            && e.path().is_dir()
    })
}

/// `path` relative to `root`, `/`-separated, or `None` when it is not under `root`.
pub fn rel_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// The canonical repo-relative form of a path as rules write it: no leading `/` or `./`, no
/// trailing `/`, no empty or `.` segments; `..` that would leave the root gives `None`.
pub fn normalize_rel(path: &str) -> Option<String> {
    // A repo-relative path is a link from the root, with `\` read as `/` (copied only when it
    // has one: index lookups call this for every file a rule asks about).
    if path.contains('\\') {
        crate::model::repo_link::resolve("", &path.replace('\\', "/"))
    } else {
        crate::model::repo_link::resolve("", path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_rule_paths() {
        assert_eq!(normalize_rel("/keps/sig-node/").as_deref(), Some("keps/sig-node"));
        assert_eq!(normalize_rel("./keps//a/../b").as_deref(), Some("keps/b"));
        assert_eq!(normalize_rel("../x"), None);
        assert_eq!(normalize_rel("").as_deref(), Some(""));
    }

    #[test]
    fn roots_of_each_kep_layout() {
        let base = std::env::temp_dir().join(format!("kep-lsp-find-root-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let mk = |p: &str| std::fs::create_dir_all(base.join(p)).expect("mkdir");
        mk("a/docs/keps/0001-x");
        mk("b/kep/12-y");
        mk("c/kep/notes");
        mk("d/docs/keps/0002-z");
        std::fs::create_dir_all(base.join("d/docs/.git")).expect("mkdir");
        mk("e/sub/keps/3-w");
        std::fs::write(base.join("e/.kep-lsp.toml"), "kep-root = \"sub/keps\"\n").expect("write");
        let root = |p: &str| {
            find_root(&base.join(p)).map(|r| {
                r.strip_prefix(base.canonicalize().unwrap())
                    .unwrap()
                    .to_path_buf()
            })
        };
        // docs/keps belongs to the folder above docs/, unless docs/ is a repository itself.
        assert_eq!(root("a/docs/keps/0001-x"), Some("a".into()));
        assert_eq!(root("d/docs/keps/0002-z"), Some("d/docs".into()));
        // kep/ counts when it holds NNNN-name folders.
        assert_eq!(root("b/kep/12-y"), Some("b".into()));
        assert_eq!(root("c/kep/notes").filter(|r| r.starts_with("c")), None);
        // A config file whose kep-root holds the path marks the root above a nearer keps/.
        assert_eq!(root("e/sub/keps/3-w"), Some("e".into()));
        mk("e/other/keps/4-v");
        assert_eq!(root("e/other/keps/4-v"), Some("e/other".into()));
        // One finder asked for every folder, in any order, answers as `find_root` does.
        let mut finder = RootFinder::default();
        for p in [
            "a/docs/keps/0001-x",
            "e/sub/keps/3-w",
            "d/docs/keps/0002-z",
            "b/kep/12-y",
            "c/kep/notes",
            "e/sub/keps",
            "e/other/keps/4-v",
            "a/docs/keps/0001-x",
            "a",
            "e",
        ] {
            assert_eq!(finder.find(&base.join(p)), find_root(&base.join(p)), "{p}");
        }
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn rel_path_rejects_outside() {
        assert_eq!(
            rel_path(Path::new("/r"), Path::new("/r/keps/a.md")).as_deref(),
            Some("keps/a.md")
        );
        assert_eq!(rel_path(Path::new("/r"), Path::new("/other/a.md")), None);
    }
}
