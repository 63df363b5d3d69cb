//! `kep-lsp check [PATH...]`: lint KEP files and folders, print the findings, and exit 0 (no
//! finding reaches `--deny`), 1 (one does) or 2 (a path could not be read, or bad usage).
//!
//! A file whose content is not text (not UTF-8, a NUL byte, too large) is a finding on that file
//! (`invalid-content`), not a failure of the run. A folder walk over a repository covers its
//! `keps/` only, as upstream's validator does.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::Args;

use crate::analysis::{self, Code, Context, NoWorkspace, Severity, WorkspaceView};
use crate::knowledge::Knowledge;
use crate::workspace::{self, WorkspaceIndex};

use super::files::{self, Target};
use super::report::{self, FileReport, Format};
use crate::clock;

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// KEP files or folders to check (folders are searched for KEP files). Without one: the KEP
    /// root (and `.kep-lsp.toml`) of the repository the current directory is in, else `.`.
    pub paths: Vec<PathBuf>,
    /// Print each repository's profile (which rules apply, and why) on stderr.
    #[arg(long, short)]
    pub verbose: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit with status 1 when a finding of this severity or worse is reported.
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = parse_severity)]
    pub deny: Severity,
    /// Print only the findings' first lines: no source excerpt, no summary, no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Never colour the output (by default colour is used on a terminal only; NO_COLOR works too).
    #[arg(long)]
    pub no_color: bool,
    /// Do not report this diagnostic code (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub disable: Vec<Code>,
    /// Turn on an opt-in diagnostic code, e.g. `misspelling` (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub enable: Vec<Code>,
    /// The date to check dates against, as YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<String>,
    /// The upcoming Kubernetes release, e.g. v1.37, for sig-node's tech-lead rule (default: the
    /// release in development on --today by the release calendar).
    #[arg(long, value_name = "v1.NN", value_parser = parse_release)]
    pub release: Option<u64>,
    /// Threads to use (default: the machine's cores; small runs use one).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not one of error, warning, info, hint"))
}

fn parse_code(s: &str) -> Result<Code, String> {
    Code::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let near = names
            .iter()
            .map(|n| (strsim::levenshtein(n, s), *n))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, n)| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        format!("unknown diagnostic code `{s}`{near}; see docs/diagnostics.md for the list")
    })
}

fn parse_date(s: &str) -> Result<String, String> {
    if crate::model::date::parse_date(s).is_ok() {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not a date like 2026-01-31"))
    }
}

fn parse_release(s: &str) -> Result<u64, String> {
    crate::knowledge::release_calendar::parse_release(s)
        .ok_or_else(|| format!("`{s}` is not a Kubernetes release like v1.37"))
}

/// The outcome of one file.
enum Outcome {
    Checked(FileReport),
    /// Not a KEP file (found by a folder walk): nothing to report, not counted.
    Skipped,
    Failed(String),
}

/// Run `check` and return the process exit code.
pub fn run_check(args: &CheckArgs) -> i32 {
    let color = if args.no_color {
        anstream::ColorChoice::Never
    } else {
        anstream::ColorChoice::Auto
    };
    let mut stdout = anstream::AutoStream::new(std::io::stdout().lock(), color);
    let mut stderr = anstream::AutoStream::new(std::io::stderr().lock(), color);
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot read the current directory: {e}");
            return 2;
        }
    };
    let today = args.today.clone().unwrap_or_else(clock::today_utc);
    let paths = if args.paths.is_empty() {
        default_paths(&cwd)
    } else {
        args.paths.clone()
    };
    let result = check_paths_with(
        &paths,
        &cwd,
        &args.disable,
        &analysis::Options::enabling(&args.enable),
        args.jobs,
        &today,
        args.release,
    );

    let mut failed = false;
    for message in &result.errors {
        let _ = writeln!(stderr, "\x1b[1;31merror\x1b[0m: {message}");
        failed = true;
    }
    if args.verbose {
        for (root, lines) in &result.profiles {
            let _ = writeln!(stderr, "profile of {root}:");
            for line in lines {
                let _ = writeln!(stderr, "  {line}");
            }
        }
    }
    if !args.quiet {
        for note in &result.notes {
            let _ = writeln!(stderr, "note: {note}");
        }
    }
    let written = match args.format {
        Format::Human => report::write_human(&mut stdout, &result.reports, result.files_checked, args.quiet),
        Format::Json => report::write_json(&mut stdout, &result.reports),
        Format::Github => report::write_github(&mut stdout, &result.reports),
    };
    if let Err(e) = written.and_then(|_| stdout.flush()) {
        // A closed pipe (`kep-lsp check | head`) is not worth a message, but is still a failure.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: writing the report: {e}");
        }
        return 2;
    }
    if failed {
        2
    } else if result
        .reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity <= args.deny)
    {
        1
    } else {
        0
    }
}

/// Everything `check` found, before printing.
pub struct CheckResult {
    /// Files with findings, sorted by displayed path.
    pub reports: Vec<FileReport>,
    pub files_checked: usize,
    /// Paths that could not be checked (exit 2).
    pub errors: Vec<String>,
    /// Problems met while indexing a repository: reported, not fatal.
    pub notes: Vec<String>,
    /// Per repository (root as shown): its profile's summary, then why each part was decided.
    pub profiles: Vec<(String, Vec<String>)>,
}

/// What `check` with no path checks: the KEP root of the repository the current directory is
/// in, and its `.kep-lsp.toml` (reported through its repository); `.` outside any repository.
fn default_paths(cwd: &Path) -> Vec<PathBuf> {
    let Some(root) = workspace::find_root(cwd) else {
        return vec![PathBuf::from(".")];
    };
    let detected = workspace::profile::detect(&root);
    let kep_root = root.join(&detected.profile.kep_root);
    if kep_root.is_dir() {
        vec![kep_root]
    } else {
        vec![root]
    }
}

/// `.kep-lsp.toml` over the command line: its disabled codes and severities, and the opt-in codes
/// either turns on (`--disable`/`--enable` add to the file's lists).
struct RepoSettings {
    disable: Vec<Code>,
    severity: std::collections::BTreeMap<Code, Severity>,
    options: analysis::Options,
}

/// Gather the files under `paths` (relative ones against `cwd`), index their repositories and
/// analyse every file on `jobs` threads (default: all cores for large runs), leaving out the
/// `disable`d codes.
pub fn check_paths(
    paths: &[PathBuf],
    cwd: &Path,
    disable: &[Code],
    options: &analysis::Options,
    jobs: Option<usize>,
    today: &str,
) -> CheckResult {
    check_paths_with(paths, cwd, disable, options, jobs, today, None)
}

/// `check_paths` with the upcoming release pinned (`Some(37)` for v1.37; `None`: the release
/// calendar's on `today`).
pub fn check_paths_with(
    paths: &[PathBuf],
    cwd: &Path,
    disable: &[Code],
    options: &analysis::Options,
    jobs: Option<usize>,
    today: &str,
    upcoming_minor: Option<u64>,
) -> CheckResult {
    let threads = jobs;
    let (targets, mut errors) = files::gather(paths, cwd);
    let mut notes = Vec::new();

    // One index per repository; files outside any repository are checked alone.
    let mut roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut indexes: HashMap<PathBuf, Arc<WorkspaceIndex>> = HashMap::new();
    let mut walk_roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut jobs = Vec::with_capacity(targets.len());
    for target in targets {
        let abs = target.path.clone();
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = roots
            .entry(dir.clone())
            .or_insert_with(|| workspace::find_root(&dir))
            .clone();
        if let Some(from) = &target.walked_from {
            let walk_root = walk_roots
                .entry(from.clone())
                .or_insert_with(|| workspace::find_root(from))
                .clone();
            if outside_kep_root(from, walk_root.as_deref(), &abs, root.as_deref()) {
                continue;
            }
        }
        let index = root.map(|root| {
            indexes
                .entry(root.clone())
                .or_insert_with(|| {
                    let (index, problems) = WorkspaceIndex::scan(&root);
                    notes.extend(problems.iter().map(|p| format!("{}: {p}", root.display())));
                    Arc::new(index)
                })
                .clone()
        });
        // Repo-relative through the canonical path (the root is canonical); as shown otherwise.
        let rel = index.as_ref().and_then(|index| {
            let canonical = abs.canonicalize().ok()?;
            workspace::rel_path(index.root(), &canonical)
        });
        jobs.push((target, rel, index));
    }
    let knowledge: HashMap<PathBuf, Knowledge> = indexes
        .iter()
        .map(|(root, index)| (root.clone(), index.knowledge()))
        .collect();
    let mut settings: HashMap<PathBuf, RepoSettings> = HashMap::new();
    let mut config_reports = Vec::new();
    let mut profiles = Vec::new();
    for (root, index) in &indexes {
        let detected = index.detected();
        let config = &detected.config;
        let mut enable: Vec<Code> = config.enable.iter().copied().collect();
        if options.misspellings {
            enable.push(Code::Misspelling);
        }
        if options.heading_case {
            enable.push(Code::HeadingCase);
        }
        let disable: Vec<Code> = config.disable.iter().chain(disable).copied().collect();
        enable.retain(|c| !disable.contains(c));
        settings.insert(
            root.clone(),
            RepoSettings {
                options: analysis::Options::enabling(&enable),
                disable,
                severity: config.severity.clone(),
            },
        );
        let shown = files::display_path(root, cwd);
        let mut lines = vec![detected.profile.summary()];
        lines.extend(detected.profile.reasons.iter().cloned());
        profiles.push((shown, lines));
        if let Some((text, findings)) = detected.config_file
            && !findings.is_empty()
        {
            let path = root.join(analysis::config_file::FILE_NAME);
            config_reports.push(FileReport {
                display: files::display_path(&path, cwd),
                text,
                findings,
            });
        }
    }
    profiles.sort();

    let check_one = |(target, rel, index): &(Target, Option<String>, Option<Arc<WorkspaceIndex>>)| {
        let content = match workspace::read_content(&target.path) {
            Ok(content) => content,
            Err(message) => return Outcome::Failed(format!("{}: {message}", target.display)),
        };
        let core_path = rel.as_deref().unwrap_or(&target.display);
        // A repository's config file is reported once, through its repository (below).
        if analysis::config_file::is_config_file(core_path) && index.is_some() {
            return Outcome::Skipped;
        }
        let kind = analysis::classify(core_path, &content.text);
        // A README.md under keps/ is a KEP's for upstream whatever its folder is called (R6).
        let kep_readme = rel.is_some() && analysis::rules::layout::is_kep_readme_path(core_path);
        if !kind.is_kep() && !target.explicit && !kep_readme {
            return Outcome::Skipped;
        }
        if let Some(problem) = content.problem {
            // Nothing else is said of a file that is not text: every other finding would rest
            // on a guess of what it holds.
            let findings = if disable.contains(&problem.code) {
                Vec::new()
            } else {
                vec![problem]
            };
            return Outcome::Checked(FileReport {
                display: target.display.clone(),
                text: content.text,
                findings,
            });
        }
        let text = content.text;
        let embedded;
        let (view, knowledge): (&dyn WorkspaceView, &Knowledge) = match index {
            Some(index) => (index.as_ref(), &knowledge[index.root()]),
            None => {
                embedded = Knowledge::embedded();
                (&NoWorkspace, &embedded)
            }
        };
        let ctx = Context {
            knowledge,
            workspace: view,
            today: Some(today),
            upcoming_minor,
        };
        let repo = index.as_ref().and_then(|i| settings.get(i.root()));
        let options = repo.map_or(options, |r| &r.options);
        // `check` prints findings, never their fixes: no proof of the kep.yaml fixes.
        let options = analysis::Options {
            findings_only: true,
            ..*options
        };
        let mut findings = analysis::analyze_with(core_path, &text, &ctx, &options).findings;
        let disabled = repo.map_or(disable, |r| &r.disable);
        findings.retain(|f| !disabled.contains(&f.code));
        if let Some(r) = repo {
            for f in &mut findings {
                if let Some(s) = r.severity.get(&f.code) {
                    f.severity = *s;
                }
            }
        }
        Outcome::Checked(FileReport {
            display: target.display.clone(),
            text,
            findings,
        })
    };

    let outcomes = run_parallel(&jobs, threads, check_one);
    let mut files_checked = config_reports.len();
    let mut reports = config_reports;
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report) => {
                files_checked += 1;
                if !report.findings.is_empty() {
                    reports.push(report);
                }
            }
            Outcome::Skipped => {}
            Outcome::Failed(message) => errors.push(message),
        }
    }
    reports.sort_by(|a, b| a.display.cmp(&b.display));
    CheckResult {
        reports,
        files_checked,
        errors,
        notes,
        profiles,
    }
}

/// Whether a file that the walk of folder `from` found lies outside the KEP root that walk
/// covers. Upstream reads KEPs under `<repository>/keps/` only (pkg/repo/validate.go), so a walk
/// from a repository's root (or from inside its `keps/`) leaves out everything else: Go test
/// fixtures (`pkg/**/testdata/`, themselves shaped like small repositories with a `keps/`),
/// docs, scripts. A walk from a folder inside a repository but outside its `keps/`
/// (`check legacy/`) checks what the user named; a walk from above any repository takes each file
/// with its own repository (`from_root`, `file_root`: the nearest repository roots). The KEP
/// root is the repository's own (`keps/`, `docs/keps/`, `kep/` or configured: the profile's).
fn outside_kep_root(from: &Path, from_root: Option<&Path>, file: &Path, file_root: Option<&Path>) -> bool {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let file = canonical(file);
    match from_root {
        Some(root) => {
            let keps = canonical(&workspace::profile::kep_root_dir(root));
            let from = canonical(from);
            (from == root || from.starts_with(&keps)) && !file.starts_with(&keps)
        }
        None => file_root
            .is_some_and(|root| !file.starts_with(canonical(&workspace::profile::kep_root_dir(root)))),
    }
}

/// Map `f` over `items` on several threads when there are enough of them; results in order.
/// Threads take the next item from a shared counter, so one huge README does not hold up a
/// whole pre-cut chunk.
fn run_parallel<T: Sync, R: Send>(items: &[T], jobs: Option<usize>, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = jobs
        .unwrap_or(if items.len() < 16 { 1 } else { cores })
        .clamp(1, 64)
        .min(items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
