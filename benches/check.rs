//! The numbers we quote for `kep-lsp check`: the median of N runs of (1) scanning and checking the
//! whole ../shared/enhancements tree, (2) scanning it alone, (3) analysing its largest README,
//! (4) analysing each hostile README of tests/it/common/hostile.rs (20 000 headings, list items,
//! links, table rows; one 5 MB line; 10 000-deep lists and blockquotes), which must stay
//! near-linear. Targets: whole tree < 1 s on 2 cores, one README < 1 ms.
//!
//! `cargo bench --bench check [-- FILTER...]` (release): only the cases whose name contains one
//! of the filters (`tree`, `scan`, `largest`, `hostile/headings`...). `KEP_BENCH_RUNS` sets N
//! (default 15). Reads `env!("CARGO_MANIFEST_DIR")/../shared/enhancements` for (1)-(3) and skips
//! them with a note when it is absent.
//!
//! A hand-rolled harness rather than criterion: the whole-tree case runs ~1 s and criterion's
//! warm-up plus 100 samples would take minutes per case on the shared 2-core machine; the
//! median of N and the CPU time per run are what we quote.

#[path = "../tests/it/common/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kep_lsp::analysis::{Context, NoWorkspace, Options, WorkspaceView, analyze, analyze_with};
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

/// The filters given after `--` (cargo adds `--bench`, which is not one).
fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}

fn selected(filters: &[String], name: &str) -> bool {
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn main() {
    let filters = filters();
    let runs: usize = std::env::var("KEP_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    hostile_readmes(&filters, runs);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/enhancements");
    if !root.join("keps").is_dir() {
        eprintln!("note: {} not found; skipping the tree cases", root.display());
        return;
    }
    let root = root.canonicalize().expect("canonical root");
    tree(&filters, runs, &root);
}

/// Each hostile README alone (single-file mode) and next to an implementable kep.yaml (so the
/// PRR sections are required too and every README rule runs).
fn hostile_readmes(filters: &[String], runs: usize) {
    let knowledge = kep_lsp::knowledge::Knowledge::embedded();
    let path = "keps/sig-node/1234-hostile/README.md";
    let kep = HostileRepo {
        kep_yaml: "title: Hostile\nkep-number: 1234\nauthors:\n  - \"@alice\"\nowning-sig: sig-node\n\
                   status: implementable\nstage: beta\nlatest-milestone: v1.30\napprovers:\n  - \"@bob\"\n",
    };
    for (name, text) in hostile::cases() {
        let case = format!("hostile/{name}");
        if !selected(filters, &case) {
            continue;
        }
        let ctx = Context {
            knowledge: &knowledge,
            workspace: &kep,
            today: Some("2026-11-25"),
            upcoming_minor: None,
        };
        let mut findings = 0;
        let t = time(runs, || findings = analyze(path, &text, &ctx).findings.len());
        println!(
            "{case} ({} bytes, {findings} findings, {runs} runs): {t}",
            text.len()
        );
    }
}

/// A repository holding only the hostile README's kep.yaml.
struct HostileRepo {
    kep_yaml: &'static str,
}

impl WorkspaceView for HostileRepo {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<std::sync::Arc<str>> {
        (path == "keps/sig-node/1234-hostile/kep.yaml").then(|| self.kep_yaml.into())
    }
    fn exists(&self, path: &str) -> bool {
        path == "keps/sig-node/1234-hostile/kep.yaml" || "keps/sig-node/1234-hostile".starts_with(path)
    }
    fn keps(&self) -> std::sync::Arc<[kep_lsp::analysis::KepEntry]> {
        std::sync::Arc::from(Vec::new())
    }
}

fn tree(filters: &[String], runs: usize, root: &Path) {
    let root = root.to_path_buf();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if selected(filters, "tree") {
        tree_check(runs, &root, cores);
    }
    if selected(filters, "scan") {
        let scan = time(runs, || WorkspaceIndex::scan(&root));
        println!("scan only: {scan}");
    }
    if selected(filters, "largest") {
        largest(runs, &root);
    }
}

fn tree_check(runs: usize, root: &Path, cores: usize) {
    let root = root.to_path_buf();
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
}

fn largest(runs: usize, root: &Path) {
    let Some(readme) = largest_readme(&root.join("keps")) else {
        return;
    };
    let text = std::fs::read_to_string(&readme).expect("read the README");
    let rel = rel_path(root, &readme).expect("under the root");
    let (index, _) = WorkspaceIndex::scan(root);
    let knowledge = index.knowledge();
    let view: &dyn WorkspaceView = &index;
    let ctx = Context {
        knowledge: &knowledge,
        workspace: view,
        today: Some("2026-11-25"),
        upcoming_minor: None,
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
    // Its kep.yaml: what every keystroke in kep.yaml costs the server (PRR file, OWNERS,
    // references and the README's title are looked up through the index).
    // The server publishes diagnostics without fixes (`findings_only`); a code action
    // analyses with every kep.yaml fix proved safe (one re-analysis per fix).
    let yaml_rel = rel.replace("README.md", "kep.yaml");
    if let Ok(yaml) = std::fs::read_to_string(root.join(&yaml_rel)) {
        let diagnostics = Options {
            findings_only: true,
            ..Options::default()
        };
        let t = time(runs * 20, || analyze_with(&yaml_rel, &yaml, &ctx, &diagnostics));
        println!("analyze its kep.yaml ({yaml_rel}, {} bytes): {t}", yaml.len());
        let fixes: usize = analyze(&yaml_rel, &yaml, &ctx)
            .findings
            .iter()
            .map(|f| f.fixes.len())
            .sum();
        let t = time(runs * 20, || analyze(&yaml_rel, &yaml, &ctx));
        println!("analyze its kep.yaml with its {fixes} fixes checked (code action): {t}");
    }
}
