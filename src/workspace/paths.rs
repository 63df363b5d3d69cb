//! Repository paths: finding the root, and the `/`-separated repo-relative form the core speaks.

use std::path::{Component, Path, PathBuf};

/// The nearest ancestor of `start` (itself included) that holds a `keps/` folder.
///
/// `start` may be a file or a folder, relative or absolute; a relative path is resolved against
/// the current directory so that `kep-lsp check keps/sig-node` finds the repo from inside it.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = if start.is_absolute() {
        start.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(start)
    };
    // Canonicalize so that `..` components and symlinked checkouts resolve to one root; fall back
    // to the path as written when it does not exist (a deleted file still has a repo).
    let start = start.canonicalize().unwrap_or(start);
    start
        .ancestors()
        .find(|dir| dir.join("keps").is_dir())
        .map(Path::to_path_buf)
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
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
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
    fn rel_path_rejects_outside() {
        assert_eq!(
            rel_path(Path::new("/r"), Path::new("/r/keps/a.md")).as_deref(),
            Some("keps/a.md")
        );
        assert_eq!(rel_path(Path::new("/r"), Path::new("/other/a.md")), None);
    }
}
