//! Differential test against the validator of kubernetes/enhancements (CI's metadata test,
//! kepctl's `Validate`, the sig-node approver check), from the verdicts recorded in
//! `../shared/golden/meta` (format in its README.md; reads ../shared, skips when it is absent).
//!
//! Each case's repository is `meta/common/` with the case folder laid over it. We analyse the
//! case's files with the repository as workspace view and the knowledge the index would build
//! from the repository's `sigs.yaml` and `OWNERS_ALIASES`, and require an error-severity finding
//! on the kep.yaml (for `no-kep-yaml`: on a file of the KEP folder) exactly when
//! `verdict.kep_lsp_must_error` is true. Agreement is printed per quirk kind.
//!
//! Speed: the common files and the knowledge are read once; a case adds its few files to an
//! in-memory view (the same view `tests/common` builds, with the index entries of
//! `workspace::entry_from_text`). A case whose files are not UTF-8 cannot go through that view;
//! it is checked the way `kep-lsp check` does it, on a copy of its repository in a temp folder.
//!
//! The upcoming release: the validator ran with upcoming minor 37 (golden/README.md), so every
//! Context here pins `upcoming_minor: Some(37)` (what `check --release v1.37` does), and `TODAY`
//! sits inside the v1.37 cycle as well.
//!
//! `GOLDEN_META_VERBOSE=1` prints, for every disagreeing case, our findings and upstream's lines.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use kep_lsp::analysis::{Analysis, Context, KepEntry, Options, Severity, WorkspaceView, analyze};
use kep_lsp::knowledge::Knowledge;

/// A date inside the v1.37 release cycle (the validator's upcoming release).
const TODAY: &str = "2026-07-01";

/// The validator's upcoming release, v1.37 (golden/README.md).
const UPCOMING_MINOR: u64 = 37;

/// A repository as bytes by repo-relative path.
type Files = BTreeMap<String, Arc<[u8]>>;

fn load_dir(dir: &Path, out: &mut Files) {
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(dir)
            .expect("under dir")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "expected.json" {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
        out.insert(rel, Arc::from(bytes));
    }
}

/// The workspace view of one case: the common files plus the case's, UTF-8 ones readable.
struct CaseView {
    texts: BTreeMap<String, Arc<str>>,
    paths: Vec<String>,
    index: OnceLock<Arc<[KepEntry]>>,
}

impl CaseView {
    fn new(files: &Files, common_texts: &BTreeMap<String, Arc<str>>) -> CaseView {
        let mut texts = common_texts.clone();
        for (p, b) in files {
            if let Ok(t) = std::str::from_utf8(b) {
                texts.insert(p.clone(), Arc::from(t));
            }
        }
        let mut paths: Vec<String> = common_texts.keys().cloned().collect();
        paths.extend(files.keys().cloned());
        CaseView {
            texts,
            paths,
            index: OnceLock::new(),
        }
    }

    /// The same view with `path` holding `text` (a fixed copy of one of its files).
    fn with_text(&self, path: &str, text: &str) -> CaseView {
        let mut texts = self.texts.clone();
        texts.insert(path.to_string(), Arc::from(text));
        CaseView {
            texts,
            paths: self.paths.clone(),
            index: OnceLock::new(),
        }
    }
}

/// The corpus: the common files, the knowledge the index builds from them, the manifest.
struct Golden {
    meta: std::path::PathBuf,
    manifest: String,
    common_files: Files,
    common_texts: BTreeMap<String, Arc<str>>,
    knowledge: Knowledge,
}

fn golden() -> Option<Golden> {
    let shared = common::shared_dir()?;
    let meta = shared.join("golden/meta");
    let Ok(manifest) = std::fs::read_to_string(meta.join("manifest.jsonl")) else {
        eprintln!("note: {} is absent: skipping", meta.display());
        return None;
    };
    let mut common_files = Files::new();
    load_dir(&meta.join("common"), &mut common_files);
    let common_texts: BTreeMap<String, Arc<str>> = common_files
        .iter()
        .filter_map(|(p, b)| Some((p.clone(), Arc::from(std::str::from_utf8(b).ok()?))))
        .collect();
    // As the index builds it (WorkspaceIndex::reload_knowledge), once for every case.
    let mut knowledge = Knowledge::embedded();
    if let Some(sigs) = common_texts.get("sigs.yaml") {
        knowledge = knowledge.with_sigs_yaml(sigs).unwrap_or_else(|(k, _)| k);
    }
    if let Some(aliases) = common_texts.get("OWNERS_ALIASES") {
        knowledge = knowledge.with_owners_aliases(aliases);
    }
    Some(Golden {
        meta,
        manifest,
        common_files,
        common_texts,
        knowledge,
    })
}

impl WorkspaceView for CaseView {
    fn has_root(&self) -> bool {
        true
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.texts.get(path.trim_start_matches('/')).cloned()
    }
    fn exists(&self, path: &str) -> bool {
        let p = path.trim_start_matches('/').trim_end_matches('/');
        let dir = format!("{p}/");
        self.paths.iter().any(|k| k == p || k.starts_with(&dir))
    }
    fn keps(&self) -> Arc<[KepEntry]> {
        self.index
            .get_or_init(|| {
                self.texts
                    .iter()
                    .filter(|(p, _)| p.starts_with("keps/"))
                    .filter_map(|(p, t)| kep_lsp::workspace::entry_from_text(p, t))
                    .collect::<Vec<_>>()
                    .into()
            })
            .clone()
    }
}

/// What we said about a case: the error findings on the files that count, as `path: message`.
struct Ours {
    errors: Vec<String>,
    /// Findings of warning severity or worse (for the verbose listing).
    all: Vec<String>,
}

fn summarize(path: &str, a: &Analysis, ours: &mut Ours, counts: bool) {
    for f in &a.findings {
        let line = format!(
            "{path}: {} {} {}",
            f.severity.as_str(),
            f.code.as_str(),
            f.message
        );
        if counts && f.severity == Severity::Error {
            ours.errors.push(line.clone());
        }
        if f.severity <= Severity::Warning {
            ours.all.push(line);
        }
    }
}

/// Which of the case's files must carry the error: the kep.yaml, or (no kep.yaml) any file of
/// the KEP folder.
fn counts(path: &str, kep_yaml: Option<&str>, kep_dir: &str) -> bool {
    match kep_yaml {
        Some(k) => path == k,
        None => path.starts_with(&format!("{kep_dir}/")),
    }
}

/// The case checked as `kep-lsp check` does, on a temp copy of its repository (for files that
/// are not UTF-8, which the in-memory view cannot hold).
fn check_on_disk(id: &str, files: &Files, kep_yaml: Option<&str>, kep_dir: &str) -> Ours {
    let root = std::env::temp_dir().join(format!("kep-lsp-golden-meta-{id}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (p, b) in files {
        let to = root.join(p);
        std::fs::create_dir_all(to.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&to, b).expect("write");
    }
    let result = kep_lsp::cli::check::check_paths_with(
        std::slice::from_ref(&root),
        &root,
        &[],
        &Options::default(),
        Some(1),
        TODAY,
        Some(UPCOMING_MINOR),
    );
    let mut ours = Ours {
        errors: Vec::new(),
        all: Vec::new(),
    };
    for r in &result.reports {
        let rel = r.display.replace('\\', "/");
        let rel = rel.trim_start_matches("./");
        let rel = Path::new(rel)
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| rel.to_string());
        let c = counts(&rel, kep_yaml, kep_dir);
        for f in &r.findings {
            let line = format!("{rel}: {} {} {}", f.severity.as_str(), f.code.as_str(), f.message);
            if c && f.severity == Severity::Error {
                ours.errors.push(line.clone());
            }
            if f.severity <= Severity::Warning {
                ours.all.push(line);
            }
        }
    }
    for e in &result.errors {
        ours.all.push(format!("check error (not a finding): {e}"));
    }
    let _ = std::fs::remove_dir_all(&root);
    ours
}

#[test]
fn golden_meta_verdicts() {
    let Some(Golden {
        meta,
        manifest,
        common_files,
        common_texts,
        knowledge,
    }) = golden()
    else {
        return;
    };
    let verbose = std::env::var_os("GOLDEN_META_VERBOSE").is_some();

    // quirk -> (agree, total, disagreeing ids)
    let mut by_quirk: BTreeMap<String, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut details: Vec<String> = Vec::new();
    let mut cases = 0;
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("manifest line is JSON");
        let id = case["id"].as_str().expect("id");
        let quirk = case["quirk"].as_str().expect("quirk").to_string();
        let must_error = case["verdict"]["kep_lsp_must_error"].as_bool().expect("verdict");
        let kep_yaml = case["kep_yaml"].as_str();
        let kep_dir = case["base"]["kep_dir"].as_str().expect("base.kep_dir");
        let case_dir = meta.join("cases").join(id);
        let mut case_files = Files::new();
        load_dir(&case_dir, &mut case_files);
        let mut files = common_files.clone();
        files.extend(case_files.iter().map(|(p, b)| (p.clone(), b.clone())));

        let all_utf8 = case_files.values().all(|b| std::str::from_utf8(b).is_ok());
        let ours = if all_utf8 {
            let view = CaseView::new(&case_files, &common_texts);
            let ctx = Context {
                knowledge: &knowledge,
                workspace: &view,
                today: Some(TODAY),
                upcoming_minor: Some(UPCOMING_MINOR),
            };
            let mut ours = Ours {
                errors: Vec::new(),
                all: Vec::new(),
            };
            // Only the files whose findings count (the others' findings do not decide).
            for path in case_files.keys().filter(|p| counts(p, kep_yaml, kep_dir)) {
                let text = view.file_text(path).expect("utf-8");
                let a = analyze(path, &text, &ctx);
                summarize(path, &a, &mut ours, counts(path, kep_yaml, kep_dir));
            }
            ours
        } else {
            check_on_disk(id, &files, kep_yaml, kep_dir)
        };
        cases += 1;
        let agree = ours.errors.is_empty() != must_error;
        let entry = by_quirk.entry(quirk.clone()).or_default();
        entry.1 += 1;
        if agree {
            entry.0 += 1;
        } else {
            entry.2.push(id.to_string());
            if verbose {
                let expected: serde_json::Value = std::fs::read_to_string(case_dir.join("expected.json"))
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or_default();
                let upstream: Vec<String> = expected["kepval"]["per_file"]["lines"]
                    .as_array()
                    .map(|ls| {
                        ls.iter()
                            .map(|l| {
                                format!(
                                    "{}: errors {} kepctl {} node {}",
                                    l["file"], l["errors"], l["kepctl_errors"], l["node_approvers"]
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                details.push(format!(
                    "{id} [{quirk}] {} must_error={must_error}\n  ours:\n    {}\n  upstream:\n    {}",
                    case["variant"],
                    ours.all.join("\n    "),
                    upstream.join("\n    ")
                ));
            }
        }
    }
    for d in &details {
        eprintln!("{d}");
    }
    let (mut agree, mut total) = (0, 0);
    let mut report = String::from("golden/meta agreement by quirk kind:\n");
    for (quirk, (a, t, ids)) in &by_quirk {
        agree += a;
        total += t;
        report.push_str(&format!(
            "  {quirk:<22} {a:>3}/{t:<3} {:>5.1} %{}\n",
            100.0 * *a as f64 / *t as f64,
            if ids.is_empty() {
                String::new()
            } else {
                format!("  disagree: {}", ids.join(" "))
            }
        ));
    }
    report.push_str(&format!(
        "  total {agree}/{total} = {:.2} % over {cases} cases\n",
        100.0 * agree as f64 / total.max(1) as f64
    ));
    eprintln!("{report}");
    assert_eq!(agree, total, "{report}");
}

/// Every fix offered on a case's kep.yaml and PRR file (and fix-all) keeps the file as good:
/// no key given twice, no YAML broken, no error added (tests/it/common/fix_safety.rs).
#[test]
fn golden_meta_fixes_never_make_a_file_worse() {
    let Some(g) = golden() else { return };
    let mut bad = Vec::new();
    let (mut files, mut fixes) = (0, 0);
    for line in g.manifest.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("manifest line is JSON");
        let id = case["id"].as_str().expect("id");
        let mut case_files = Files::new();
        load_dir(&g.meta.join("cases").join(id), &mut case_files);
        let view = CaseView::new(&case_files, &g.common_texts);
        for path in [case["kep_yaml"].as_str(), case["prr_yaml"].as_str()]
            .into_iter()
            .flatten()
        {
            let Some(text) = view.file_text(path) else {
                continue;
            };
            files += 1;
            let analyse = |t: &str| {
                let fixed_view = view.with_text(path, t);
                let ctx = Context {
                    knowledge: &g.knowledge,
                    workspace: &fixed_view,
                    today: Some(TODAY),
                    upcoming_minor: Some(UPCOMING_MINOR),
                };
                analyze(path, t, &ctx)
            };
            let (problems, tried) = common::fix_safety::check_fixes(path, &text, &analyse);
            fixes += tried;
            bad.extend(problems.into_iter().map(|p| format!("{id}: {p}")));
        }
    }
    eprintln!(
        "golden/meta: {fixes} fixes (and fix-alls) applied over {files} files; {} made a file worse",
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
