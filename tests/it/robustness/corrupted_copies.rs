//! `check` over 400 corrupted copies of real KEP files from ../shared/enhancements (truncated,
//! bytes flipped, bytes inserted, spliced with another file; a fixed seed, so every run sees the
//! same bytes): exit 0 or 1, never 2 (nothing here is a path that cannot be read), never a panic
//! or a hang, and an `invalid-content` finding on every file that is not UTF-8 or holds a NUL.
//!
//! Reads `env!("CARGO_MANIFEST_DIR")/../shared`; skips with a note when it is absent.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COPIES: usize = 400;
const SEED: u64 = 0x6b65_702d_6c73_7031;

/// splitmix64: a small deterministic generator (no crate needed for a fixed test stream).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-enough in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The kep.yaml and README.md files of the tree, repo-relative, sorted.
fn kep_files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("keps"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| (p.ends_with("/kep.yaml") || p.ends_with("/README.md")) && !p.contains("prod-readiness"))
        .collect();
    files.sort();
    files
}

/// One corruption of `bytes` (with `other`, another file, for splices); returns what was done.
fn corrupt(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) -> &'static str {
    let len = bytes.len().max(1);
    match rng.below(4) {
        0 => {
            bytes.truncate(rng.below(len));
            "truncated"
        }
        1 => {
            for _ in 0..=rng.below(8) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 + rng.below(255) as u8;
            }
            "flipped"
        }
        2 => {
            let at = rng.below(len).min(bytes.len());
            let junk: &[&[u8]] = &[
                b"\0",
                b"\xff",
                b"\xe9",
                b"\xc3",
                b"\xf0\x9f",
                b"\r",
                b"---\n",
                b"\t",
            ];
            let piece = junk[rng.below(junk.len())];
            bytes.splice(at..at, piece.iter().copied());
            "inserted"
        }
        _ => {
            let at = rng.below(len).min(bytes.len());
            let cut = (at + rng.below(200)).min(bytes.len());
            let from = rng.below(other.len().max(1)).min(other.len());
            let to = (from + rng.below(300)).min(other.len());
            bytes.splice(at..cut, other[from..to].iter().copied());
            "spliced"
        }
    }
}

#[test]
fn check_survives_corrupted_copies_of_real_kep_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let source = shared.join("enhancements");
    let files = kep_files(&source);
    assert!(files.len() > COPIES, "only {} KEP files", files.len());

    let dir: PathBuf = std::env::temp_dir().join(format!("kep-lsp-corrupted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for name in ["OWNERS_ALIASES", "sigs.yaml"] {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(source.join(name), dir.join(name)).unwrap();
    }
    let mut rng = Rng(SEED);
    let mut chosen = BTreeSet::new();
    while chosen.len() < COPIES {
        chosen.insert(files[rng.below(files.len())].clone());
    }
    let mut not_text = Vec::new();
    let mut kinds = std::collections::BTreeMap::new();
    for rel in &chosen {
        let mut bytes = std::fs::read(source.join(rel)).unwrap();
        let other = std::fs::read(source.join(&files[rng.below(files.len())])).unwrap();
        for _ in 0..=rng.below(2) {
            *kinds.entry(corrupt(&mut rng, &mut bytes, &other)).or_insert(0) += 1;
        }
        let to = dir.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, &bytes).unwrap();
        if std::str::from_utf8(&bytes).map_or(true, |t| t.contains('\0')) {
            not_text.push(rel.clone());
        }
    }

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .args(["check", "--format", "json", "--today", "2026-08-01", "."])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kep-lsp");
    // Read the pipes on threads so a full pipe cannot stall the child.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut s).unwrap();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(240) {
            let _ = child.kill();
            panic!(
                "check did not finish in 240 s over {COPIES} corrupted files (kept in {})",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8(out.join().unwrap()).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    let code = status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "exit {code:?} (kept in {}); stderr:\n{stderr}",
        dir.display()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let findings: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let flagged: BTreeSet<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "invalid-content" && f["severity"] == "error")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let missing: Vec<&String> = not_text
        .iter()
        .filter(|p| !flagged.contains(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "files that are not text without an invalid-content finding: {missing:#?}"
    );
    // Nothing that is text is called not text.
    let wrong: Vec<&&str> = flagged
        .iter()
        .filter(|p| !not_text.iter().any(|n| n == **p))
        .collect();
    assert!(wrong.is_empty(), "text files flagged as not text: {wrong:#?}");
    println!(
        "{COPIES} corrupted copies ({kinds:?}), {} not text, all flagged; exit {code:?} in {:?}",
        not_text.len(),
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
