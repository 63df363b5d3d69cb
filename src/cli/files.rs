//! Which files `check` looks at: the paths given, and in folders every `.md`/`.yaml` file the
//! walk finds (the core's `classify` later decides which are KEP files), with the name to print.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// One file to check.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Absolute (lexically: symlinks kept), for reading it.
    pub path: PathBuf,
    /// What the output calls it: relative to the current directory when under it, else as given.
    pub display: String,
    /// Whether the user named this file (not just a folder holding it).
    pub explicit: bool,
    /// The folder whose walk found it (absolute, lexically), for files the user did not name.
    pub walked_from: Option<PathBuf>,
}

/// Folders a KEP is never in, skipped by the walk (version control, build output, editors' deps).
fn skipped_dir(name: &str) -> bool {
    (name.starts_with('.') && name != "." && name != "..") || name == "target" || name == "node_modules"
}

fn candidate(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".yaml")
}

/// Expand `paths` (relative ones against `cwd`) into files. Problems (a path that does not exist,
/// a folder that cannot be read) are returned as messages; the other paths are still expanded.
pub(crate) fn gather(paths: &[PathBuf], cwd: &Path) -> (Vec<Target>, Vec<String>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    // Path -> its index in `targets`. Keyed by the bytes of the lexically resolved path: that
    // form has one spelling per path, so byte equality is `Path` equality, and hashing the
    // bytes skips `Path`'s hash by components (a large tree has tens of thousands of files).
    let mut seen: HashMap<std::ffi::OsString, usize> = HashMap::new();
    let mut add =
        |given: &Path, given_abs: &Path, suffix: &Path, explicit: bool, targets: &mut Vec<Target>| {
            let walked_from = (!explicit).then(|| given_abs.to_path_buf());
            let shown = if suffix.as_os_str().is_empty() {
                given.to_path_buf()
            } else {
                given.join(suffix)
            };
            // `lexical_abs(cwd, &shown)`: the given path's, then the suffix's plain names (a walk's
            // suffix has no `.` or `..`; anything else takes the long way).
            let path = if suffix.as_os_str().is_empty() {
                given_abs.to_path_buf()
            } else if suffix.components().all(|c| matches!(c, Component::Normal(_))) {
                let mut path = given_abs.to_path_buf();
                path.push(suffix);
                path
            } else {
                lexical_abs(cwd, &shown)
            };
            match seen.get(path.as_os_str()) {
                // Met again: the most specific way the user asked for it wins (the file itself, or
                // the deeper of two folders: `check repo repo/legacy` checks legacy/ as named).
                Some(&i) => {
                    let t: &mut Target = &mut targets[i];
                    if explicit {
                        t.explicit = true;
                        t.walked_from = None;
                    } else if let (Some(old), Some(new)) = (&t.walked_from, &walked_from)
                        && new.starts_with(old)
                    {
                        t.walked_from = walked_from;
                    }
                }
                None => {
                    seen.insert(path.as_os_str().to_owned(), targets.len());
                    targets.push(Target {
                        display: display_of(&path, &shown, cwd),
                        path,
                        explicit,
                        walked_from,
                    });
                }
            }
        };
    for given in paths {
        let on_disk = cwd.join(given);
        let given_abs = lexical_abs(cwd, given);
        let meta = match std::fs::metadata(&on_disk) {
            Ok(m) => m,
            Err(e) => {
                errors.push(format!("{}: {}", given.display(), e));
                continue;
            }
        };
        if !meta.is_dir() {
            add(given, &given_abs, Path::new(""), true, &mut targets);
            continue;
        }
        let walk = WalkDir::new(&on_disk)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir() && e.depth() > 0 && skipped_dir(&e.file_name().to_string_lossy()))
            });
        for item in walk {
            match item {
                Ok(item) if item.file_type().is_file() && candidate(&item.file_name().to_string_lossy()) => {
                    let suffix = item.path().strip_prefix(&on_disk).unwrap_or(item.path());
                    add(given, &given_abs, suffix, false, &mut targets);
                }
                Ok(_) => {}
                Err(e) => {
                    // A symlink loop is the repository's shape, not an I/O failure: skip it quietly.
                    if e.loop_ancestor().is_none() {
                        let at = e.path().unwrap_or(&on_disk).display().to_string();
                        let why = e.io_error().map_or(e.to_string(), |io| io.to_string());
                        errors.push(format!("{at}: {why}"));
                    }
                }
            }
        }
    }
    (targets, errors)
}

/// `cwd.join(path)` with `.` and `..` resolved lexically (symlinks kept as the user wrote them).
pub(crate) fn lexical_abs(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path relative to `cwd` when it lies under it, else as given (without a leading `./`).
pub(crate) fn display_path(path: &Path, cwd: &Path) -> String {
    display_of(&lexical_abs(cwd, path), path, cwd)
}

/// `display_path(path, cwd)` with `abs` its `lexical_abs(cwd, path)`, known already.
fn display_of(abs: &Path, path: &Path, cwd: &Path) -> String {
    let shown = match abs.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_relative_under_cwd() {
        let cwd = Path::new("/repo");
        assert_eq!(
            display_path(Path::new("./keps/a/kep.yaml"), cwd),
            "keps/a/kep.yaml"
        );
        assert_eq!(display_path(Path::new("/repo/keps/a.md"), cwd), "keps/a.md");
        assert_eq!(
            display_path(Path::new("../other/kep.yaml"), cwd),
            "../other/kep.yaml"
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/kep.yaml"), cwd),
            "/elsewhere/kep.yaml"
        );
    }
}
