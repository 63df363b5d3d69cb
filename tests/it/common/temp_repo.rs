//! The one temporary repository of the tests: an empty folder or a private copy of a fixture
//! repository under the temp folder (removed on drop), files written into it, and a snapshot of
//! every path in it (bytes, mtime, permissions) to prove a session wrote nothing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use super::lsp_client::file_uri;

pub struct TempRepo(pub PathBuf);

/// A fresh folder name under the temp folder: the test's `name`, the process and a counter, so
/// two tests of the one test binary (threads of one process under `cargo test`) never share one.
fn fresh_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kep-lsp-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

impl TempRepo {
    /// An empty folder (not canonicalized: paths are shown as the test builds them).
    pub fn empty(name: &str) -> TempRepo {
        let dir = fresh_dir(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        TempRepo(dir)
    }

    /// A copy of `src` (canonicalized, as the server sees its root).
    pub fn copy_of(src: &Path, name: &str) -> TempRepo {
        let dir = fresh_dir(name);
        for e in walkdir::WalkDir::new(src).into_iter().filter_map(Result::ok) {
            let rel = e.path().strip_prefix(src).expect("under the fixture");
            let to = dir.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(e.path(), &to).expect("copy");
            }
        }
        TempRepo(dir.canonicalize().expect("temp repo exists"))
    }

    /// Write `bytes` at `rel`, making its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> &TempRepo {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// The folder `rel`, made if absent.
    pub fn dir(&self, rel: &str) -> PathBuf {
        let d = self.0.join(rel);
        std::fs::create_dir_all(&d).expect("mkdir");
        d
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.path(rel))
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("file exists")
    }

    /// Every path under the repo (the repo itself included) with what a write, a touch, a chmod
    /// or a delete would change.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, FileState> {
        walkdir::WalkDir::new(&self.0)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| {
                let meta = std::fs::symlink_metadata(e.path()).expect("metadata");
                let bytes = if meta.is_file() {
                    std::fs::read(e.path()).expect("read")
                } else {
                    Vec::new()
                };
                let state = FileState {
                    is_dir: meta.is_dir(),
                    bytes,
                    modified: meta.modified().ok(),
                    readonly: meta.permissions().readonly(),
                    mode: mode(&meta),
                };
                (e.path().to_path_buf(), state)
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    pub is_dir: bool,
    pub bytes: Vec<u8>,
    pub modified: Option<SystemTime>,
    pub readonly: bool,
    pub mode: u32,
}

#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode()
}

#[cfg(not(unix))]
fn mode(_: &std::fs::Metadata) -> u32 {
    0
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
