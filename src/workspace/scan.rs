//! Walking a repository's `keps/` folder once: every file path, the texts the index needs
//! (metadata files, OWNERS) and the problems met on the way, which never stop the walk.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::Path;

use walkdir::WalkDir;

use super::content::{FileContent, read_content, too_large};
use super::paths::rel_path;

/// Files above this size are not read (no KEP file comes near; a huge file is a mistake, and
/// reading it would stall the server).
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A file or folder the scan could not use; the rest of the tree is still indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanProblem {
    /// Repo-relative path when known, else the path as the walk saw it.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ScanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What the walk found: every path under `keps/` (files and folders, repo-relative) and the
/// texts of the files the index parses.
#[derive(Debug, Default)]
pub(crate) struct ScanOutput {
    pub files: Vec<String>,
    pub dirs: Vec<String>,
    /// (path, text) of kep.yaml, legacy front-matter KEPs and OWNERS files.
    pub texts: Vec<(String, String)>,
    /// Files among those whose content is not text (`invalid-content`): reported on the file,
    /// not as problems of the scan.
    pub bad_content: Vec<(String, FileContent)>,
    pub problems: Vec<ScanProblem>,
}

/// Read a file as UTF-8 text with the size limit; the error is the message for a problem.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    // A FIFO or device named like a KEP file would block the read forever.
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!(
            "file too large ({} bytes, limit {MAX_FILE_SIZE})",
            meta.len()
        ));
    }
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Whether the Markdown file opens with `---` (a legacy KEP's front matter), reading 4 bytes
/// instead of the whole file: most .md files are READMEs that the index does not need.
fn opens_with_front_matter(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 7];
    let mut file = fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        let got = file.read(&mut head[n..])?;
        if got == 0 {
            break;
        }
        n += got;
    }
    let head = &head[..n];
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    Ok(head.starts_with(b"---"))
}

/// Walk `root/<kep_root>` (`keps`, `docs/keps`...). Symlinks are followed (a symlinked KEP
/// folder is still a KEP) and walkdir detects loops, which become problems.
pub(crate) fn scan_keps(root: &Path, kep_root: &str) -> ScanOutput {
    let mut out = ScanOutput::default();
    let keps = root.join(kep_root);
    let prr_dir = format!("{kep_root}/prod-readiness/");
    for item in WalkDir::new(&keps).follow_links(true).sort_by_file_name() {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| rel_path(root, p))
                    .unwrap_or_else(|| keps.display().to_string());
                out.problems.push(ScanProblem {
                    path,
                    message: walk_error_message(&e),
                });
                continue;
            }
        };
        let Some(rel) = rel_path(root, item.path()) else {
            out.problems.push(ScanProblem {
                path: item.path().display().to_string(),
                message: "path is not valid UTF-8; skipped".to_owned(),
            });
            continue;
        };
        if item.file_type().is_dir() {
            out.dirs.push(rel);
            continue;
        }
        let name = item.file_name().to_string_lossy();
        let kep_like = name.ends_with(".md") || name.ends_with(".yaml");
        // Opening a FIFO or device named like a KEP file would block the scan forever, so
        // only regular files are ever opened (the walk follows links: this is the target's type).
        if kep_like && !item.file_type().is_file() {
            out.problems.push(ScanProblem {
                path: rel.clone(),
                message: "not a regular file; not read".to_owned(),
            });
            out.files.push(rel);
            continue;
        }
        let in_prr = rel.starts_with(&prr_dir);
        if let Some(len) = item
            .metadata()
            .ok()
            .map(|m| m.len())
            .filter(|len| *len > MAX_FILE_SIZE)
            && kep_like
        {
            if name == "kep.yaml" || (name.ends_with(".md") && !in_prr) {
                out.bad_content.push((rel.clone(), too_large(len)));
            }
            out.files.push(rel);
            continue;
        }
        let wanted = if in_prr {
            false
        } else if name == "kep.yaml" || name == "OWNERS" {
            true
        } else if name.ends_with(".md") {
            match opens_with_front_matter(item.path()) {
                Ok(yes) => yes,
                Err(e) => {
                    out.problems.push(ScanProblem {
                        path: rel.clone(),
                        message: e.to_string(),
                    });
                    false
                }
            }
        } else {
            false
        };
        if wanted {
            match read_content(item.path()) {
                // OWNERS is not a KEP file: its trouble is the scan's.
                Ok(FileContent {
                    problem: Some(problem),
                    ..
                }) if name == "OWNERS" => out.problems.push(ScanProblem {
                    path: rel.clone(),
                    message: problem.message,
                }),
                Ok(content) if content.problem.is_some() => out.bad_content.push((rel.clone(), content)),
                Ok(content) => out.texts.push((rel.clone(), content.text)),
                Err(message) => out.problems.push(ScanProblem {
                    path: rel.clone(),
                    message,
                }),
            }
        }
        out.files.push(rel);
    }
    out
}

fn walk_error_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symlink loop back to {}; not followed", ancestor.display());
    }
    match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}
