//! The real KEP tree beside the repository (`../shared/enhancements`), for unit tests that read
//! it. A fresh clone without `../shared` has none: the tests that need it then skip, with a note.

use std::path::{Path, PathBuf};

/// `../shared/enhancements`, or `None` (and a note on stderr) when it is absent.
pub(crate) fn enhancements() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/enhancements");
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!(
            "note: {} absent; the part that reads it is skipped",
            root.display()
        );
        None
    }
}

/// The files under `../shared/enhancements/keps` whose path `wanted` accepts, with their texts,
/// in walk order (by file name); none when the tree is absent. Files that are not UTF-8 are
/// left out.
pub(crate) fn kep_files(wanted: impl Fn(&Path) -> bool) -> Vec<(PathBuf, String)> {
    let Some(root) = enhancements() else {
        return Vec::new();
    };
    walkdir::WalkDir::new(root.join("keps"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && wanted(e.path()))
        .filter_map(|e| Some((e.path().to_path_buf(), std::fs::read_to_string(e.path()).ok()?)))
        .collect()
}

/// The texts of `kep_files(wanted)`.
pub(crate) fn kep_texts(wanted: impl Fn(&Path) -> bool) -> Vec<String> {
    kep_files(wanted).into_iter().map(|(_, text)| text).collect()
}
