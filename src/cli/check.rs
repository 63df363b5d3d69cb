//! `kep-lsp check [PATH...]`: lint KEP files and folders, print the findings, and exit 0 (no
//! finding reaches `--deny`), 1 (one does) or 2 (a path could not be read, or bad usage).
//!
//! A file whose content is not text (not UTF-8, a NUL byte, too large) is a finding on that file
//! (`invalid-content`), not a failure of the run. A folder walk over a repository covers its
//! `keps/` only, as upstream's validator does.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

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
enum Outcome<P> {
    /// Checked; `Some` when it has findings (the report as `prepare` turned it).
    Checked(Option<P>),
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
    let mut stdout = stdout(color);
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
    // Each file is rendered on the thread that checked it and printed as soon as the files
    // before it are: nothing of a file is kept once printed.
    let mut printer = report::Printer::new(args.format, args.quiet);
    let mut denied = false;
    let mut written = Ok(());
    let options = analysis::Options::enabling(&args.enable);
    let request = CheckRequest {
        paths: &paths,
        cwd: &cwd,
        disable: &args.disable,
        options: &options,
        jobs: args.jobs,
        today: &today,
        upcoming_minor: args.release,
    };
    let mut run = check_streaming(
        &request,
        |report| report::render(&report, args.format, args.quiet),
        |rendered| {
            denied |= rendered.reaches(args.deny);
            // After a failed write (a closed pipe) the rest is not printed, but still checked:
            // the exit code does not depend on the reader.
            if written.is_ok() {
                written = printer.file(&mut stdout, &rendered);
            }
        },
    );
    let written = written.and_then(|_| printer.finish(&mut stdout, run.files_checked));
    // The process ends soon: the indexes are left to the OS. Freeing a large tree's index (its
    // texts, entries and parsed metadata, small allocations one by one) took a tenth of a second
    // on one thread after the last finding was printed.
    std::mem::forget(std::mem::take(&mut run.indexes));

    // stderr as before the output was streamed: the errors (the files that could not be read
    // are known only once read), then the profiles, then the notes.
    let mut failed = false;
    for message in &run.errors {
        let _ = writeln!(stderr, "\x1b[1;31merror\x1b[0m: {message}");
        failed = true;
    }
    if args.verbose {
        for (root, lines) in &run.profiles {
            let _ = writeln!(stderr, "profile of {root}:");
            for line in lines {
                let _ = writeln!(stderr, "  {line}");
            }
        }
    }
    if !args.quiet {
        for note in &run.notes {
            let _ = writeln!(stderr, "note: {note}");
        }
    }
    if let Err(e) = written.and_then(|_| stdout.flush()) {
        // A closed pipe (`kep-lsp check | head`) is not worth a message, but is still a failure.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: writing the report: {e}");
        }
        return 2;
    }
    if failed {
        2
    } else if denied {
        1
    } else {
        0
    }
}

/// Standard output as `check` writes it: styles stripped (`plain::PlainWriter`, as `AutoStream`
/// would) unless colour is on (`AutoStream`'s choice), and buffered when they are: the findings
/// of a large tree are hundreds of thousands of lines, and stdout's own line buffering would
/// make a system call of each.
fn stdout(color: anstream::ColorChoice) -> Box<dyn Write> {
    let raw = std::io::stdout().lock();
    let color = match color {
        anstream::ColorChoice::Auto => anstream::AutoStream::choice(&raw),
        chosen => chosen,
    };
    if color == anstream::ColorChoice::Never {
        Box::new(super::plain::PlainWriter::new(std::io::BufWriter::new(raw)))
    } else {
        // A terminal (or a forced colour): as it was, line by line.
        Box::new(anstream::AutoStream::new(raw, color))
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

/// What a streamed check leaves besides the files' reports.
pub(crate) struct CheckRun {
    pub files_checked: usize,
    /// Paths that could not be checked (exit 2): the walk's, then the files' in output order.
    pub errors: Vec<String>,
    /// Problems met while indexing a repository: reported, not fatal.
    pub notes: Vec<String>,
    /// Per repository (root as shown): its profile's summary, then why each part was decided.
    pub profiles: Vec<(String, Vec<String>)>,
    /// The repositories' indexes, dropped by the caller (or not: see `run_check`).
    pub indexes: Vec<Arc<WorkspaceIndex>>,
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
    let mut reports = Vec::new();
    let request = CheckRequest {
        paths,
        cwd,
        disable,
        options,
        jobs,
        today,
        upcoming_minor,
    };
    let run = check_streaming(&request, |report| report, |report| reports.push(report));
    CheckResult {
        reports,
        files_checked: run.files_checked,
        errors: run.errors,
        notes: run.notes,
        profiles: run.profiles,
    }
}

/// One file to check, with the repository it is checked in.
struct Job {
    target: Target,
    /// Its repo-relative path (through its canonical path: the root is canonical).
    rel: Option<String>,
    index: Option<Arc<WorkspaceIndex>>,
}

/// How many files' results may wait for their turn to be printed, per thread: enough that a
/// large README does not stall the other threads, few enough that memory stays bounded.
const WINDOW_PER_THREAD: usize = 32;

/// The text of a job's file: the index's copy of a kep.yaml it read (not read again), else the
/// file as read from disk (`Err`: why it could not be read).
fn job_content(job: &Job) -> Result<workspace::FileContent, String> {
    let held = job
        .rel
        .as_deref()
        .zip(job.index.as_ref())
        .filter(|(rel, _)| rel.ends_with("kep.yaml"))
        .and_then(|(rel, index)| index.held_text(rel));
    match held {
        Some(text) => Ok(workspace::FileContent {
            text: text.to_string(),
            problem: None,
        }),
        None => workspace::read_content(&job.target.path),
    }
}

/// What one `check` run is asked: the files and folders (`paths`, relative ones against
/// `cwd`), the codes left out, the opt-in codes (`options`), how many threads (`jobs`; `None`:
/// all cores for large runs), the date (`YYYY-MM-DD`) and the upcoming release's minor
/// (`Some(37)` for v1.37; `None`: the release calendar's on `today`).
#[derive(Clone, Copy)]
pub(crate) struct CheckRequest<'a> {
    pub paths: &'a [PathBuf],
    pub cwd: &'a Path,
    pub disable: &'a [Code],
    pub options: &'a analysis::Options,
    pub jobs: Option<usize>,
    pub today: &'a str,
    pub upcoming_minor: Option<u64>,
}

/// What every file's analysis in one `check` run shares: the request, and each repository's
/// knowledge and settings (by canonical root).
struct CheckEnv<'a> {
    request: &'a CheckRequest<'a>,
    knowledge: &'a HashMap<PathBuf, Knowledge>,
    settings: &'a HashMap<PathBuf, RepoSettings>,
}

impl CheckEnv<'_> {
    /// The findings of the file at `core_path` holding `text`, in its repository (`index`) or
    /// alone, with the repository's settings (or the run's) applied.
    fn findings(
        &self,
        index: Option<&Arc<WorkspaceIndex>>,
        core_path: &str,
        text: &str,
    ) -> Vec<analysis::Finding> {
        let embedded;
        let (view, knowledge): (&dyn WorkspaceView, &Knowledge) = match index {
            Some(index) => (index.as_ref(), &self.knowledge[index.root()]),
            None => {
                embedded = Knowledge::embedded();
                (&NoWorkspace, &embedded)
            }
        };
        let ctx = Context {
            knowledge,
            workspace: view,
            today: Some(self.request.today),
            upcoming_minor: self.request.upcoming_minor,
        };
        let repo = index.and_then(|i| self.settings.get(i.root()));
        let options = repo.map_or(self.request.options, |r| &r.options);
        // `check` prints findings, never their fixes: no proof of the kep.yaml fixes.
        let options = analysis::Options {
            findings_only: true,
            ..*options
        };
        let mut findings = analysis::analyze_with(core_path, text, &ctx, &options).findings;
        let disabled = repo.map_or(self.request.disable, |r| &r.disable);
        findings.retain(|f| !disabled.contains(&f.code));
        if let Some(r) = repo {
            for f in &mut findings {
                if let Some(s) = r.severity.get(&f.code) {
                    f.severity = *s;
                }
            }
        }
        findings
    }
}

/// Check what `request` asks (as `check_paths_with`), handing each file with findings to `sink` in
/// output order (sorted by displayed path, `.kep-lsp.toml` reports among them) as soon as its turn
/// comes, after `prepare` turned it into what the caller keeps (on the thread that checked it).
/// Files without findings are counted, not handed over.
pub(crate) fn check_streaming<P: Send>(
    request: &CheckRequest<'_>,
    prepare: impl Fn(FileReport) -> P + Sync,
    mut sink: impl FnMut(P),
) -> CheckRun {
    let CheckRequest {
        paths,
        cwd,
        disable,
        options,
        jobs: threads,
        ..
    } = *request;
    // The walk for the files and the scan of the repository of each folder given (known before
    // the walk) run side by side: both read the whole tree, and nothing can be checked before
    // both are done.
    // The files' paths are resolved (`place`) while the scan still runs: the scan takes the
    // longer, and nothing of it is needed until the indexes are attached.
    let ((placed, mut errors), mut scanned) = std::thread::scope(|scope| {
        let early = scope.spawn(|| scan_given_folders(paths, cwd));
        let (targets, errors) = files::gather(paths, cwd);
        let placed = place(targets);
        let scanned = early
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        ((placed, errors), scanned)
    });
    let mut notes = Vec::new();

    let (mut jobs, indexes) = plan(placed, &mut scanned, &mut notes);
    // The output order, decided before the files are checked so each can be printed as soon as
    // the ones before it are (stable: the walk's order among equal names).
    jobs.sort_by(|a, b| a.target.display.cmp(&b.target.display));
    let knowledge: HashMap<PathBuf, Knowledge> = indexes
        .iter()
        .map(|(root, index)| (root.clone(), index.knowledge()))
        .collect();
    let Repos {
        settings,
        config_reports,
        profiles,
    } = repo_settings(&indexes, options, disable, cwd);

    let env = CheckEnv {
        request,
        knowledge: &knowledge,
        settings: &settings,
    };
    let check_one = |job: &Job| -> Outcome<P> {
        let Job { target, rel, index } = job;
        let content = match job_content(job) {
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
        let findings = match content.problem {
            // Nothing else is said of a file that is not text: every other finding would rest
            // on a guess of what it holds.
            Some(problem) if disable.contains(&problem.code) => Vec::new(),
            Some(problem) => vec![problem],
            None => env.findings(index.as_ref(), core_path, &content.text),
        };
        Outcome::Checked((!findings.is_empty()).then(|| {
            prepare(FileReport {
                display: target.display.clone(),
                text: content.text,
                findings,
            })
        }))
    };

    // `.kep-lsp.toml` reports go among the files' in display order (before a file of the same
    // name, as a stable sort of both would put them).
    let mut config_reports = config_reports.into_iter().peekable();
    let mut files_checked = config_reports.len();
    let mut send_configs_up_to = |display: Option<&str>, sink: &mut dyn FnMut(P)| {
        while let Some(config) = config_reports.next_if(|c| display.is_none_or(|d| c.display.as_str() <= d)) {
            sink(prepare(config));
        }
    };
    run_ordered(&jobs, threads, check_one, |i, outcome| {
        send_configs_up_to(Some(&jobs[i].target.display), &mut sink);
        match outcome {
            Outcome::Checked(report) => {
                files_checked += 1;
                if let Some(report) = report {
                    sink(report);
                }
            }
            Outcome::Skipped => {}
            Outcome::Failed(message) => errors.push(message),
        }
    });
    send_configs_up_to(None, &mut sink);
    drop(jobs);
    CheckRun {
        files_checked,
        errors,
        notes,
        profiles,
        indexes: indexes.into_values().collect(),
    }
}

/// A target with its repository's root and its repo-relative path (through its canonical
/// path: the root is canonical), as `place` finds them.
struct Placed {
    target: Target,
    root: Option<PathBuf>,
    rel: Option<String>,
}

/// Each target with its repository (found once per folder) and its repo-relative path; walked
/// files outside the walk's scope are dropped. Reads the file system only (no index), so it
/// runs while the repositories are scanned.
fn place(targets: Vec<Target>) -> Vec<Placed> {
    // Folder -> (its canonical path, its repository's root).
    type Dir = (Option<PathBuf>, Option<PathBuf>);
    let mut dirs: HashMap<PathBuf, Dir> = HashMap::new();
    let mut walks: HashMap<PathBuf, WalkScope> = HashMap::new();
    let mut kep_roots: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut finder = workspace::RootFinder::default();
    let mut placed = Vec::with_capacity(targets.len());
    for target in targets {
        let abs = target.path.clone();
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        // The folder's canonical path (shared by its files) and repository, found once.
        let (canonical_dir, root) = dirs.entry(dir).or_insert_with_key(|dir| {
            let canonical = dir.canonicalize().ok();
            let root = match &canonical {
                Some(canonical) => finder.find_canonical(canonical),
                None if dir.is_absolute() => finder.find_canonical(dir),
                None => finder.find(dir),
            };
            (canonical, root)
        });
        let root = root.clone();
        // The file's canonical path through its folder's; a file that is itself a symlink is
        // resolved on its own.
        let canonical = match std::fs::symlink_metadata(&abs) {
            Ok(meta) if !meta.file_type().is_symlink() => canonical_dir
                .as_ref()
                .zip(abs.file_name())
                .map(|(dir, name)| dir.join(name)),
            _ => abs.canonicalize().ok(),
        };
        if let Some(from) = &target.walked_from {
            let walk = walks.entry(from.clone()).or_insert_with(|| WalkScope::of(from));
            let file = canonical.as_deref().unwrap_or(&abs);
            let file_kep_root = root.as_deref().map(|root| {
                kep_roots
                    .entry(root.to_path_buf())
                    .or_insert_with(|| canonical_or_as_is(&workspace::profile::kep_root_dir(root)))
                    .as_path()
            });
            if walk.leaves_out(file, file_kep_root) {
                continue;
            }
        }
        // The index's root is the root it was scanned for (`WorkspaceIndex::root`).
        let rel = root
            .as_deref()
            .zip(canonical)
            .and_then(|(root, canonical)| workspace::rel_path(root, &canonical));
        placed.push(Placed { target, root, rel });
    }
    placed
}

/// Each placed target with its repository's index (one scan per repository, its problems
/// added to `notes`); files outside any repository are checked alone. Returns the jobs and
/// the indexes by root.
fn plan(
    placed: Vec<Placed>,
    scanned: &mut HashMap<PathBuf, Scanned>,
    notes: &mut Vec<String>,
) -> (Vec<Job>, HashMap<PathBuf, Arc<WorkspaceIndex>>) {
    let mut indexes: HashMap<PathBuf, Arc<WorkspaceIndex>> = HashMap::new();
    let mut jobs = Vec::with_capacity(placed.len());
    for Placed { target, root, rel } in placed {
        let index = root.map(|root| {
            indexes
                .entry(root.clone())
                .or_insert_with(|| {
                    let (index, problems) = scanned
                        .remove(&root)
                        .unwrap_or_else(|| WorkspaceIndex::scan_keeping_metadata(&root));
                    notes.extend(problems.iter().map(|p| format!("{}: {p}", root.display())));
                    Arc::new(index)
                })
                .clone()
        });
        jobs.push(Job { target, rel, index });
    }
    (jobs, indexes)
}

/// A repository's index as `WorkspaceIndex::scan_keeping_metadata` returns it.
type Scanned = (WorkspaceIndex, Vec<workspace::ScanProblem>);

/// The index of the repository of each folder in `paths`, by root (as `plan` finds it for the
/// files in the folder), scanned before the walk has listed them. `plan` takes the ones its
/// files need; one that no file needs (a folder with no KEP file) was scanned for nothing.
fn scan_given_folders(paths: &[PathBuf], cwd: &Path) -> HashMap<PathBuf, Scanned> {
    let mut scanned = HashMap::new();
    for given in paths {
        let folder = files::lexical_abs(cwd, given);
        if !folder.is_dir() {
            continue;
        }
        if let Some(root) = workspace::find_root(&folder) {
            scanned
                .entry(root)
                .or_insert_with_key(|root| WorkspaceIndex::scan_keeping_metadata(root));
        }
    }
    scanned
}

/// Per repository: the rule options and severities from its `.kep-lsp.toml` and the command
/// line, its config file's own findings, and its profile with the reasons (`--verbose`), the
/// last two sorted by displayed path.
fn repo_settings(
    indexes: &HashMap<PathBuf, Arc<WorkspaceIndex>>,
    options: &analysis::Options,
    disable: &[Code],
    cwd: &Path,
) -> Repos {
    let mut settings: HashMap<PathBuf, RepoSettings> = HashMap::new();
    let mut config_reports = Vec::new();
    let mut profiles = Vec::new();
    for (root, index) in indexes {
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
    config_reports.sort_by(|a, b| a.display.cmp(&b.display));
    Repos {
        settings,
        config_reports,
        profiles,
    }
}

/// What `repo_settings` decides for the repositories of one run.
struct Repos {
    settings: HashMap<PathBuf, RepoSettings>,
    config_reports: Vec<FileReport>,
    /// (displayed root, profile summary and reasons).
    profiles: Vec<(String, Vec<String>)>,
}

fn canonical_or_as_is(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// What a folder walk covers (see `outside_kep_root`), decided once per folder walked.
struct WalkScope {
    /// The walked folder, canonical.
    from: PathBuf,
    /// Its repository's root and canonical KEP root, when it is inside one.
    repo: Option<(PathBuf, PathBuf)>,
}

impl WalkScope {
    fn of(from: &Path) -> WalkScope {
        let repo = workspace::find_root(from).map(|root| {
            let keps = canonical_or_as_is(&workspace::profile::kep_root_dir(&root));
            (root, keps)
        });
        WalkScope {
            from: canonical_or_as_is(from),
            repo,
        }
    }

    /// `outside_kep_root` for a file the walk found (`file` canonical; `file_kep_root`: the
    /// canonical KEP root of its own repository).
    fn leaves_out(&self, file: &Path, file_kep_root: Option<&Path>) -> bool {
        match &self.repo {
            Some((root, keps)) => {
                (self.from == *root || self.from.starts_with(keps)) && !file.starts_with(keps)
            }
            None => file_kep_root.is_some_and(|keps| !file.starts_with(keps)),
        }
    }
}

/// Map `f` over `items` and hand each result to `sink` (with its index) in item order, on the
/// calling thread, as soon as its turn comes. On several threads when there are enough items
/// (`jobs`, default: the cores): threads take the next item from a shared counter, so one huge
/// README does not hold up a whole pre-cut chunk, and run at most `WINDOW_PER_THREAD` items per
/// thread ahead of the sink, so the results waiting for their turn stay few whatever the number
/// of items. The results wait in one queue; the sink is woken once `WAKE_BATCH` of them are
/// ready in order (or the last ones are), not for each: a wake-up per file through a channel
/// was ~7 % of a large tree's time in futex calls and rescheduling.
fn run_ordered<T: Sync, R: Send>(
    items: &[T],
    jobs: Option<usize>,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(usize, R),
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = jobs
        .unwrap_or(if items.len() < 16 { 1 } else { cores })
        .clamp(1, 64)
        .min(items.len().max(1));
    if threads == 1 {
        for (i, item) in items.iter().enumerate() {
            sink(i, f(item));
        }
        return;
    }
    let window = WINDOW_PER_THREAD * threads;
    let next = AtomicUsize::new(0);
    let queue: Queue<R> = Queue {
        state: Mutex::new(QueueState {
            ready: std::collections::VecDeque::with_capacity(window),
            turn: 0,
            sunk: 0,
            sink_waits: false,
            parked: 0,
            stop: false,
        }),
        sink_cv: Condvar::new(),
        workers_cv: Condvar::new(),
        total: items.len(),
        window,
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (next, queue, f) = (&next, &queue, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if !queue.wait_for_turn(i) {
                        break;
                    }
                    // A panic is handed to the sink's thread, which stops the others and resumes it.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)));
                    queue.put(i, result);
                }
            });
        }
        // Stops the workers however this thread leaves the scope (a panic too), so the scope's
        // join does not wait on a worker parked at the window.
        let _stop = StopOnDrop(&queue);
        let mut batch = Vec::with_capacity(window);
        let mut turn = 0;
        while turn < items.len() {
            queue.take_ready(&mut batch);
            for result in batch.drain(..) {
                match result {
                    Ok(r) => sink(turn, r),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
                turn += 1;
            }
            queue.sunk(turn);
        }
    });
}

/// How many results in order wake the sink of `run_ordered` (fewer only at the end).
const WAKE_BATCH: usize = 16;

/// The results of `run_ordered` waiting for the sink, and the window the workers wait on.
struct Queue<R> {
    state: Mutex<QueueState<R>>,
    /// The sink waits here for results in order.
    sink_cv: Condvar,
    /// Workers wait here for the window to move.
    workers_cv: Condvar,
    /// How many items there are.
    total: usize,
    /// How far ahead of the sink a worker may start an item.
    window: usize,
}

struct QueueState<R> {
    /// Slot `k` holds item `turn + k`'s result once it is done.
    ready: std::collections::VecDeque<Option<std::thread::Result<R>>>,
    /// The first item not yet taken by the sink.
    turn: usize,
    /// How many items the sink has handled (the window starts there).
    sunk: usize,
    /// Whether the sink is waiting for results.
    sink_waits: bool,
    /// Workers parked at the window.
    parked: usize,
    stop: bool,
}

impl<R> Queue<R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState<R>> {
        // A poisoned lock means a panic elsewhere, which `run_ordered` resumes; the state is
        // still consistent (every change is made under the lock in one step).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait until item `i` is less than the window ahead of the sink; `false` when stopped.
    fn wait_for_turn(&self, i: usize) -> bool {
        let mut state = self.lock();
        while i >= state.sunk + self.window && !state.stop {
            state.parked += 1;
            state = self.workers_cv.wait(state).unwrap_or_else(|e| e.into_inner());
            state.parked -= 1;
        }
        !state.stop
    }

    /// Store item `i`'s result; wake the sink when a batch is ready in order.
    fn put(&self, i: usize, result: std::thread::Result<R>) {
        let mut state = self.lock();
        let k = i - state.turn;
        if state.ready.len() <= k {
            state.ready.resize_with(k + 1, || None);
        }
        state.ready[k] = Some(result);
        if state.sink_waits && self.batch_ready(&state) {
            self.sink_cv.notify_one();
        }
    }

    /// Whether the sink has enough to take: `WAKE_BATCH` results in order, or all the rest.
    fn batch_ready(&self, state: &QueueState<R>) -> bool {
        let want = WAKE_BATCH.min(self.total - state.turn);
        want > 0 && state.ready.iter().take(want).filter(|r| r.is_some()).count() == want
    }

    /// Move the results ready in order into `batch` (at least one; waits for them).
    fn take_ready(&self, batch: &mut Vec<std::thread::Result<R>>) {
        let mut state = self.lock();
        while !self.batch_ready(&state) {
            state.sink_waits = true;
            state = self.sink_cv.wait(state).unwrap_or_else(|e| e.into_inner());
            state.sink_waits = false;
        }
        while let Some(Some(_)) = state.ready.front() {
            if let Some(Some(result)) = state.ready.pop_front() {
                batch.push(result);
            }
        }
        state.turn += batch.len();
    }

    /// The sink has handled the items before `done`: the window moves.
    fn sunk(&self, done: usize) {
        let mut state = self.lock();
        state.sunk = done;
        // Waking costs a system call: only when a worker waits.
        if state.parked > 0 {
            self.workers_cv.notify_all();
        }
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.workers_cv.notify_all();
    }
}

struct StopOnDrop<'a, R>(&'a Queue<R>);

impl<R> Drop for StopOnDrop<'_, R> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come in item order on any number of threads, with items of very different cost.
    #[test]
    fn ordered_on_any_number_of_threads() {
        let items: Vec<usize> = (0..2000).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            run_ordered(
                &items,
                Some(jobs),
                |&n| {
                    if n % 97 == 0 {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    n * 2
                },
                |i, r| seen.push((i, r)),
            );
            let want: Vec<(usize, usize)> = items.iter().map(|&n| (n, n * 2)).collect();
            assert_eq!(seen, want, "{jobs} threads");
        }
    }

    /// Every count of items ends (the last results, fewer than a wake-up batch, reach the
    /// sink), in order, with items that finish out of order.
    #[test]
    fn every_tail_reaches_the_sink() {
        for n in 0..(WAKE_BATCH * 3 + 2) {
            let items: Vec<usize> = (0..n).collect();
            for jobs in [2, 3] {
                let mut seen = Vec::new();
                run_ordered(
                    &items,
                    Some(jobs),
                    |&i| {
                        if i % 5 == 0 {
                            std::thread::sleep(std::time::Duration::from_micros(200));
                        }
                        i
                    },
                    |i, r| seen.push((i, r)),
                );
                assert_eq!(
                    seen,
                    items.iter().map(|&i| (i, i)).collect::<Vec<_>>(),
                    "{n} items, {jobs} threads"
                );
            }
        }
    }

    /// No worker gets more than the window ahead of the sink.
    #[test]
    fn workers_stay_within_the_window() {
        let items: Vec<usize> = (0..3000).collect();
        let sunk = AtomicUsize::new(0);
        let ahead = AtomicUsize::new(0);
        run_ordered(
            &items,
            Some(4),
            |&n| {
                let gap = n.saturating_sub(sunk.load(Ordering::SeqCst));
                ahead.fetch_max(gap, Ordering::SeqCst);
            },
            |i, ()| sunk.store(i + 1, Ordering::SeqCst),
        );
        assert!(ahead.load(Ordering::SeqCst) < WINDOW_PER_THREAD * 4);
    }

    /// A panic in one item reaches the caller (and the other workers stop).
    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        let caught = std::panic::catch_unwind(|| {
            run_ordered(&items, Some(3), |&n| assert!(n != 500, "item 500"), |_, ()| {})
        });
        assert!(caught.is_err());
    }
}
