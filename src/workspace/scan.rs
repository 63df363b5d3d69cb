//! Walking a repository's `keps/` folder once: every file path, the texts the index needs
//! (metadata files, OWNERS) and the problems met on the way, which never stop the walk.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
/// texts of the files the index parses, each with what `derive` made of it.
#[derive(Debug)]
pub(crate) struct ScanOutput<D> {
    pub files: Vec<String>,
    pub dirs: Vec<String>,
    /// (path, text, derived) of kep.yaml, legacy front-matter KEPs and OWNERS files, in walk order.
    /// The texts are shared as read (made `Arc` on the thread that read them: no copy of them
    /// all on the scan's thread, and no second copy alive at once).
    pub texts: Vec<(String, Arc<str>, D)>,
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
/// instead of the whole file: most .md files are READMEs that the index does not need. `Err`
/// with its length (bytes) when it is over `MAX_FILE_SIZE` (then nothing is read).
fn opens_with_front_matter(path: &Path) -> std::io::Result<Result<bool, u64>> {
    let mut head = [0u8; 7];
    let mut file = fs::File::open(path)?;
    // The size from the open file (no second path lookup), as the walk used to ask it.
    if let Some(len) = file
        .metadata()
        .ok()
        .map(|m| m.len())
        .filter(|len| *len > MAX_FILE_SIZE)
    {
        return Ok(Err(len));
    }
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
    Ok(Ok(head.starts_with(b"---")))
}

/// A file the walk found that may hold a text the index needs.
struct Candidate {
    /// Its place in the walk, for the order of the problems.
    seq: usize,
    rel: String,
    path: PathBuf,
    /// A Markdown file: read only when it opens with front matter (a legacy KEP).
    markdown: bool,
    owners: bool,
}

/// What reading a candidate gave.
enum Fetched<D> {
    Text(Arc<str>, D),
    Bad(FileContent),
    Problem(String),
    /// Not a file the index needs (a README).
    Skipped,
}

/// Walk `root/<kep_root>` (`keps`, `docs/keps`...). Symlinks are followed (a symlinked KEP
/// folder is still a KEP) and walkdir detects loops, which become problems. The walk lists the
/// paths; the files the index needs are then read and `derive`d on the machine's cores (one
/// thread read and parsed the ~5,500 kep.yaml files of a ten-times tree while nothing else
/// could start). The output is in walk order whatever the threads.
pub(crate) fn scan_keps<D: Send>(
    root: &Path,
    kep_root: &str,
    derive: impl Fn(&str, &str) -> D + Sync,
) -> ScanOutput<D> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut bad_content = Vec::new();
    // (walk position, problem): sorted by position once the reads' problems join the walk's.
    let mut problems: Vec<(usize, ScanProblem)> = Vec::new();
    let mut candidates = Vec::new();
    let keps = root.join(kep_root);
    let prr_dir = format!("{kep_root}/prod-readiness/");
    for (seq, item) in WalkDir::new(&keps)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .enumerate()
    {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| rel_path(root, p))
                    .unwrap_or_else(|| keps.display().to_string());
                problems.push((
                    seq,
                    ScanProblem {
                        path,
                        message: walk_error_message(&e),
                    },
                ));
                continue;
            }
        };
        let Some(rel) = rel_path(root, item.path()) else {
            problems.push((
                seq,
                ScanProblem {
                    path: item.path().display().to_string(),
                    message: "path is not valid UTF-8; skipped".to_owned(),
                },
            ));
            continue;
        };
        if item.file_type().is_dir() {
            dirs.push(rel);
            continue;
        }
        let name = item.file_name().to_string_lossy();
        let kep_like = name.ends_with(".md") || name.ends_with(".yaml");
        // Opening a FIFO or device named like a KEP file would block the scan forever, so
        // only regular files are ever opened (the walk follows links: this is the target's type).
        if kep_like && !item.file_type().is_file() {
            problems.push((
                seq,
                ScanProblem {
                    path: rel.clone(),
                    message: "not a regular file; not read".to_owned(),
                },
            ));
            files.push(rel);
            continue;
        }
        let in_prr = rel.starts_with(&prr_dir);
        // A file over the size limit is not read. The candidates below learn their size where
        // they are opened (on the reading threads); of the others only a kep.yaml under
        // prod-readiness/ is reported, so only its size is asked here.
        if name == "kep.yaml"
            && in_prr
            && let Some(len) = item
                .metadata()
                .ok()
                .map(|m| m.len())
                .filter(|len| *len > MAX_FILE_SIZE)
        {
            bad_content.push((rel.clone(), too_large(len)));
            files.push(rel);
            continue;
        }
        let markdown = name.ends_with(".md");
        if !in_prr && (name == "kep.yaml" || name == "OWNERS" || markdown) {
            candidates.push(Candidate {
                seq,
                rel: rel.clone(),
                markdown,
                owners: name == "OWNERS",
                path: item.path().to_path_buf(),
            });
        }
        files.push(rel);
    }
    let fetched = map_on_cores(&candidates, |c| fetch(c, &derive));
    let mut texts = Vec::new();
    for (c, fetched) in candidates.into_iter().zip(fetched) {
        match fetched {
            Fetched::Text(text, derived) => texts.push((c.rel, text, derived)),
            Fetched::Bad(content) => bad_content.push((c.rel, content)),
            Fetched::Problem(message) => problems.push((c.seq, ScanProblem { path: c.rel, message })),
            Fetched::Skipped => {}
        }
    }
    problems.sort_by_key(|(seq, _)| *seq);
    ScanOutput {
        files,
        dirs,
        texts,
        bad_content,
        problems: problems.into_iter().map(|(_, p)| p).collect(),
    }
}

/// Read one candidate (a Markdown file only when it opens with front matter) and derive what
/// the index keeps from its text.
fn fetch<D>(c: &Candidate, derive: &impl Fn(&str, &str) -> D) -> Fetched<D> {
    if c.markdown {
        match opens_with_front_matter(&c.path) {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => return Fetched::Skipped,
            Ok(Err(len)) => return Fetched::Bad(too_large(len)),
            Err(e) => return Fetched::Problem(e.to_string()),
        }
    }
    // A kep.yaml over the size limit is not read either: `read_content` gives the same
    // `too_large` finding.
    match read_content(&c.path) {
        // OWNERS is not a KEP file: its trouble is the scan's.
        Ok(FileContent {
            problem: Some(problem),
            ..
        }) if c.owners => Fetched::Problem(problem.message),
        Ok(content) if content.problem.is_some() => Fetched::Bad(content),
        Ok(content) => {
            let derived = derive(&c.rel, &content.text);
            Fetched::Text(Arc::from(content.text), derived)
        }
        Err(message) => Fetched::Problem(message),
    }
}

/// `items.iter().map(f).collect()`, on the machine's cores when there are enough items: threads
/// take the next block of items from a shared counter (a slow file holds up one block, not a
/// pre-cut share).
fn map_on_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const BLOCK: usize = 16;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len() / (4 * BLOCK));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let at = next.fetch_add(BLOCK, Ordering::Relaxed);
                        let Some(block) = items.get(at..(at + BLOCK).min(items.len())) else {
                            break;
                        };
                        if block.is_empty() {
                            break;
                        }
                        out.push((at, block.iter().map(&f).collect()));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_unstable_by_key(|(at, _)| *at);
    done.into_iter().flat_map(|(_, r)| r).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come in item order whatever the threads, the block boundaries and the items'
    /// costs; few items stay on the calling thread.
    #[test]
    fn map_on_cores_keeps_item_order() {
        for n in [0, 1, 63, 64, 65, 257, 2000] {
            let items: Vec<usize> = (0..n).collect();
            let got = map_on_cores(&items, |&i| {
                if i % 101 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                i * 3
            });
            let want: Vec<usize> = items.iter().map(|i| i * 3).collect();
            assert_eq!(got, want, "{n} items");
        }
    }
}
