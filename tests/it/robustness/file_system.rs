//! File-system faults for the workspace index and `kep-lsp check`: a FIFO named like a KEP file
//! (reading it would block forever), a folder named like a file, a dangling symlink (a file that
//! vanished between listing and reading), a symlink loop, non-UTF-8 bytes and names, a sparse
//! 100 MB file, files deleted while a scan runs. Each must give a clear message, the rest of the
//! tree must still be checked, and nothing may hang (every run has a deadline).

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kep_lsp::analysis::WorkspaceView;
use kep_lsp::workspace::WorkspaceIndex;

use crate::common::temp_repo::TempRepo;

const DEADLINE: Duration = Duration::from_secs(60);
const GOOD: &str = "keps/sig-storage/2924-csi-migration-cephfs";

/// A repository holding one good KEP (tests/fixtures/robust's 2924) beside the faulty ones.
fn temp_repo(name: &str) -> TempRepo {
    let repo = TempRepo::empty(&format!("faults-{name}"));
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/robust")
        .join(GOOD);
    for f in ["kep.yaml", "README.md"] {
        repo.write(
            &format!("{GOOD}/{f}"),
            &fs::read(src.join(f)).expect("read fixture"),
        );
    }
    repo
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// `kep-lsp check ARGS` in `cwd`, killed (and the test failed) past DEADLINE.
fn check(cwd: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("check")
        .args(["--today", "2026-11-25"])
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kep-lsp");
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kep-lsp check {args:?} hung for {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// A repo with one good KEP and one of every fault.
fn faulty_repo(name: &str) -> TempRepo {
    let repo = temp_repo(name);
    let fifo = repo.dir("keps/sig-node/1001-fifo");
    mkfifo(&fifo.join("kep.yaml"));
    mkfifo(&fifo.join("README.md"));
    let dir_as_file = repo.dir("keps/sig-node/1002-dir");
    fs::create_dir_all(dir_as_file.join("kep.yaml")).expect("mkdir");
    let vanished = repo.dir("keps/sig-node/1003-vanished");
    std::os::unix::fs::symlink(vanished.join("gone.yaml"), vanished.join("kep.yaml")).expect("symlink");
    let lo = repo.dir("keps/sig-node/1004-loop");
    std::os::unix::fs::symlink(&lo, lo.join("again")).expect("symlink loop");
    let bad = repo.dir("keps/sig-node/1005-latin1");
    fs::write(bad.join("kep.yaml"), b"title: caf\xe9\n").expect("write");
    let name = repo.dir("keps/sig-node/1006-name");
    fs::write(name.join(std::ffi::OsStr::from_bytes(b"bad-\xff.md")), "# x\n").expect("write");
    let huge = repo.dir("keps/sig-node/1007-huge");
    let f = fs::File::create(huge.join("kep.yaml")).expect("create");
    f.set_len(100 << 20).expect("sparse 100 MB");
    repo
}

#[test]
fn check_survives_every_fault_and_checks_the_rest() {
    let repo = faulty_repo("check");
    let (code, out) = check(&repo.0, &["keps"]);
    // The good KEP was checked: its README lacks template sections, which is reported.
    assert!(out.contains(&format!("{GOOD}/README.md")), "{out}");
    for (path, what) in [
        ("1001-fifo/kep.yaml", "not a regular file"),
        ("1005-latin1/kep.yaml", "not UTF-8"),
        ("1007-huge/kep.yaml", "too large"),
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(path))
            .unwrap_or_else(|| panic!("{path}: {out}"));
        assert!(line.contains(what), "{path}: expected {what:?} in {line:?}");
    }
    assert_eq!(code, 2, "unreadable files make the run fail: {out}");
}

#[test]
fn check_of_a_fifo_named_explicitly_does_not_block() {
    let repo = faulty_repo("fifo");
    let (code, out) = check(&repo.0, &["keps/sig-node/1001-fifo/kep.yaml", GOOD]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not a regular file"), "{out}");
    assert!(
        out.contains(&format!("{GOOD}/README.md")),
        "the other path is still checked: {out}"
    );
}

#[test]
fn the_index_scan_survives_every_fault() {
    let repo = faulty_repo("scan");
    let start = Instant::now();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    assert!(start.elapsed() < DEADLINE);
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let has = |path: &str, what: &str| text.iter().any(|p| p.contains(path) && p.contains(what));
    assert!(has("1001-fifo/kep.yaml", "not a regular file"), "{text:#?}");
    assert!(has("1004-loop", "loop"), "{text:#?}");
    // Files that are read but are not text are findings on them (`invalid-content`), kept apart
    // for the server to publish, not problems of the scan.
    let bad: Vec<(String, String)> = index
        .bad_content()
        .into_iter()
        .map(|(path, c)| (path, c.problem.map(|f| f.message).unwrap_or_default()))
        .collect();
    assert_eq!(bad.len(), 2, "{bad:#?}");
    assert_eq!(bad[0].0, "keps/sig-node/1005-latin1/kep.yaml");
    assert!(bad[0].1.contains("not UTF-8"), "{bad:#?}");
    assert_eq!(bad[1].0, "keps/sig-node/1007-huge/kep.yaml");
    assert!(bad[1].1.contains("too large"), "{bad:#?}");
    assert!(!has("1005-latin1", ""), "{text:#?}");
    assert!(has("1006-name", "not valid UTF-8"), "{text:#?}");
    assert!(
        index.keps().iter().any(|k| k.dir == GOOD),
        "the good KEP is indexed"
    );
}

#[test]
fn files_vanishing_during_scans_are_problems_not_panics() {
    let repo = temp_repo("vanish");
    let churn = repo.dir("keps/sig-node");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut i = 0u64;
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let d = churn.join(format!("{}-churn", 3000 + i % 40));
            let _ = fs::create_dir_all(&d);
            let _ = fs::write(
                d.join("kep.yaml"),
                format!("title: t{i}\nkep-number: {}\n", 3000 + i % 40),
            );
            let _ = fs::write(d.join("legacy.md"), "---\ntitle: x\n---\n");
            if i % 3 == 0 {
                let _ = fs::remove_dir_all(&d);
            }
            i += 1;
        }
        i
    });
    let start = Instant::now();
    let mut scans = 0;
    while start.elapsed() < Duration::from_secs(3) {
        let (index, _problems) = WorkspaceIndex::scan(&repo.0);
        assert!(index.keps().iter().any(|k| k.dir == GOOD));
        scans += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let churned = writer.join().expect("writer");
    eprintln!("{scans} scans while {churned} files came and went");
    assert!(scans > 0 && churned > 0);
}
