//! The numbers we quote for `kep-lsp check`: the median of N runs of (1) scanning and checking the
//! whole ../shared/enhancements tree, (2) scanning it alone, (3) analysing its largest README.
//! Targets: whole tree < 1 s on 2 cores, one README < 1 ms.
//!
//! `cargo bench --bench check` (release). `KEP_BENCH_RUNS` sets N (default 15). Reads
//! `env!("CARGO_MANIFEST_DIR")/../shared/enhancements`; exits with a note when it is absent.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kep_lsp::analysis::{Context, NoWorkspace, WorkspaceView, analyze};
use kep_lsp::cli::check::check_paths;
use kep_lsp::workspace::{WorkspaceIndex, rel_path};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// CPU time of the whole process so far (all threads), from /proc/self/stat (Linux; 10 ms ticks).
/// Wall time alone misleads on a shared machine: waiting for a core is not work.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the `(comm)`: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The median wall time of `runs` runs, and the mean CPU time per run when known.
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "median wall {:?}", self.wall)?;
        if let Some(cpu) = self.cpu {
            write!(f, ", mean CPU {cpu:?}")?;
        }
        Ok(())
    }
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Timing {
    // One warm-up run: the first walk pays for a cold page cache.
    std::hint::black_box(f());
    let cpu_before = cpu_time();
    let walls = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    let cpu = cpu_before.zip(cpu_time()).map(|(a, b)| (b - a) / runs as u32);
    Timing {
        wall: median(walls),
        cpu,
    }
}

fn largest_readme(keps: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(keps)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "README.md" && !e.path().to_string_lossy().contains("NNNN-kep-template"))
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .map(|e| e.into_path())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/enhancements");
    if !root.join("keps").is_dir() {
        eprintln!("note: {} not found; nothing to measure", root.display());
        return;
    }
    let root = root.canonicalize().expect("canonical root");
    let runs: usize = std::env::var("KEP_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let mut files = 0;
    let mut findings = 0;
    let whole = time(runs, || {
        let result = check_paths(
            std::slice::from_ref(&root),
            &root,
            &[],
            &Default::default(),
            None,
            "2026-11-25",
        );
        files = result.files_checked;
        findings = result.reports.iter().map(|r| r.findings.len()).sum();
    });
    println!("check whole tree ({files} files, {findings} findings, {cores} cores, {runs} runs): {whole}");

    let scan = time(runs, || WorkspaceIndex::scan(&root));
    println!("scan only: {scan}");

    let Some(readme) = largest_readme(&root.join("keps")) else {
        return;
    };
    let text = std::fs::read_to_string(&readme).expect("read the README");
    let rel = rel_path(&root, &readme).expect("under the root");
    let (index, _) = WorkspaceIndex::scan(&root);
    let knowledge = index.knowledge();
    let view: &dyn WorkspaceView = &index;
    let ctx = Context {
        knowledge: &knowledge,
        workspace: view,
        today: Some("2026-11-25"),
    };
    let one = time(runs * 20, || analyze(&rel, &text, &ctx));
    println!("analyze largest README ({rel}, {} bytes): {one}", text.len());
    // The same without the repository: what the workspace lookups (kep.yaml, link targets) cost.
    let alone = Context {
        workspace: &NoWorkspace,
        ..ctx
    };
    let one_alone = time(runs * 20, || analyze(&rel, &text, &alone));
    println!("analyze largest README, no workspace: {one_alone}");
}
