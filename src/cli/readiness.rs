//! `kep-lsp readiness`: every KEP that targets a release, against the freeze criteria
//! (`analysis::readiness`), with a summary line per SIG; table, JSON, CSV or Markdown (for a
//! tracking issue).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::analysis::readiness::{CRITERIA, Criterion, KepFiles, evaluate, release_name};
use crate::analysis::rules::prr::prr_path;
use crate::analysis::{Context, WorkspaceView};
use crate::clock;
use crate::knowledge::release_calendar::{parse_release, upcoming_release};
use crate::model::kep_yaml::parse_metadata;
use crate::workspace::{WorkspaceIndex, find_root, read_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadinessFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ReadinessArgs {
    /// A folder inside the repository (default: the current one).
    pub path: Option<PathBuf>,
    /// The release, `v1.NN` (default: the upcoming release on --today by the release calendar).
    #[arg(long)]
    pub release: Option<String>,
    /// Only KEPs owned by this SIG.
    #[arg(long)]
    pub sig: Option<String>,
    /// Today, as YYYY-MM-DD (default: today, UTC); picks the default release.
    #[arg(long)]
    pub today: Option<String>,
    #[arg(long, value_enum, default_value_t = ReadinessFormat::Table)]
    pub format: ReadinessFormat,
}

/// One tracked KEP and its verdicts.
#[derive(Debug, Clone)]
pub(crate) struct Tracked {
    pub number: String,
    pub sig: String,
    pub title: String,
    pub stage: String,
    pub criteria: Vec<Criterion>,
}

impl Tracked {
    fn met(&self) -> usize {
        self.criteria.iter().filter(|c| c.met).count()
    }
}

/// Evaluate every KEP of `index` that targets `v1.<minor>` (its `latest-milestone` or one of
/// its `milestone.*`), by number.
pub(crate) fn collect(index: &WorkspaceIndex, minor: u64, sig: Option<&str>) -> Vec<Tracked> {
    let knowledge = index.knowledge();
    let ctx = Context {
        knowledge: &knowledge,
        workspace: index,
        today: None,
        upcoming_minor: Some(minor),
    };
    let mut out = Vec::new();
    for k in index.keps().iter() {
        if !k.metadata_path.ends_with("kep.yaml") || sig.is_some_and(|s| s != k.owning_sig) {
            continue;
        }
        let Ok(meta_text) = read_text(&index.root().join(&k.metadata_path)) else {
            continue;
        };
        let meta = parse_metadata(&meta_text);
        let targets = meta
            .latest_milestone
            .iter()
            .chain(meta.milestone.values())
            .any(|m| parse_release(&m.value) == Some(minor));
        if !targets {
            continue;
        }
        let readme_path = format!("{}/README.md", k.dir);
        let readme = read_text(&index.root().join(&readme_path)).ok();
        let prr = prr_path(&k.owning_sig, &k.number);
        let prr_text = read_text(&index.root().join(&prr)).ok();
        let files = KepFiles {
            metadata_path: &k.metadata_path,
            metadata: &meta_text,
            readme_path: &readme_path,
            readme: readme.as_deref(),
            prr_path: &prr,
            prr: prr_text.as_deref(),
        };
        out.push(Tracked {
            number: k.number.clone(),
            sig: k.owning_sig.clone(),
            title: k.title.clone(),
            stage: k.stage.clone(),
            criteria: evaluate(&files, minor, &ctx),
        });
    }
    out.sort_by(|a, b| {
        let n = |t: &Tracked| t.number.trim().parse::<u64>().unwrap_or(u64::MAX);
        n(a).cmp(&n(b)).then_with(|| a.sig.cmp(&b.sig))
    });
    out
}

/// "sig-node: 14 tracked, 3 at risk" per SIG (at risk: a criterion not met), then a total.
pub(crate) fn summary(keps: &[Tracked]) -> Vec<String> {
    let mut by_sig: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for k in keps {
        let e = by_sig.entry(k.sig.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(k.met() < k.criteria.len());
    }
    let mut lines: Vec<String> = by_sig
        .iter()
        .map(|(sig, (n, r))| format!("{sig}: {n} tracked, {r} at risk"))
        .collect();
    let risk = keps.iter().filter(|k| k.met() < k.criteria.len()).count();
    lines.push(format!("total: {} tracked, {risk} at risk", keps.len()));
    lines
}

fn missing(k: &Tracked) -> impl Iterator<Item = &Criterion> {
    k.criteria.iter().filter(|c| !c.met)
}

pub(crate) fn render_table(keps: &[Tracked], release: &str) -> String {
    let mut out = format!("{release} freeze readiness\n");
    for k in keps {
        out.push_str(&format!(
            "\nKEP-{} {} ({}, {}): {}/{}\n",
            k.number,
            k.title,
            k.sig,
            k.stage,
            k.met(),
            k.criteria.len()
        ));
        for c in missing(k) {
            out.push_str(&format!("  ✗ {}: {} ({}:{})\n", c.id, c.detail, c.file, c.line));
        }
    }
    out.push('\n');
    for l in summary(keps) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

pub(crate) fn render_markdown(keps: &[Tracked], release: &str) -> String {
    let mut out = format!("## {release} enhancements freeze readiness\n\n");
    out.push_str("| KEP | SIG | Stage | Met | Missing |\n|---|---|---|---|---|\n");
    for k in keps {
        let miss: Vec<String> = missing(k)
            .map(|c| format!("{} (`{}:{}`)", c.id, c.file, c.line))
            .collect();
        out.push_str(&format!(
            "| KEP-{} {} | {} | {} | {}/{} | {} |\n",
            k.number,
            k.title.replace('|', "\\|"),
            k.sig,
            k.stage,
            k.met(),
            k.criteria.len(),
            if miss.is_empty() {
                "✓".to_string()
            } else {
                miss.join("<br>")
            }
        ));
    }
    out.push('\n');
    for l in summary(keps) {
        out.push_str(&format!("- {l}\n"));
    }
    out
}

pub(crate) fn render_csv(keps: &[Tracked]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("number,sig,stage,criterion,met,file,line,detail\n");
    for k in keps {
        for c in &k.criteria {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                k.number,
                k.sig,
                k.stage,
                c.id,
                c.met,
                c.file,
                c.line,
                quote(&c.detail)
            ));
        }
    }
    out
}

pub(crate) fn render_json(keps: &[Tracked], release: &str) -> String {
    let items: Vec<serde_json::Value> = keps
        .iter()
        .map(|k| {
            serde_json::json!({
                "number": k.number,
                "title": k.title,
                "sig": k.sig,
                "stage": k.stage,
                "met": k.met(),
                "criteria": k.criteria.iter().map(|c| serde_json::json!({
                    "id": c.id, "met": c.met, "file": c.file, "line": c.line, "detail": c.detail,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "release": release,
        "criteria": CRITERIA,
        "keps": items,
        "summary": summary(keps),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}

/// Exit code: 0 reported, 2 no repository or no release.
pub fn run_readiness(args: &ReadinessArgs) -> i32 {
    let date = args.today.clone().unwrap_or_else(clock::today_utc);
    let minor = match &args.release {
        Some(r) => parse_release(r),
        None => upcoming_release(&date).map(|u| u.minor),
    };
    let Some(minor) = minor else {
        eprintln!("kep-lsp readiness: no release: give --release v1.NN");
        return 2;
    };
    let start = args.path.clone().or_else(|| std::env::current_dir().ok());
    let Some(root) = start
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| find_root(&p))
    else {
        eprintln!("kep-lsp readiness: no repository found (a folder holding keps/)");
        return 2;
    };
    let (index, _) = WorkspaceIndex::scan(&root);
    let keps = collect(&index, minor, args.sig.as_deref());
    let release = release_name(minor);
    match args.format {
        ReadinessFormat::Table => out!("{}", render_table(&keps, &release)),
        ReadinessFormat::Markdown => out!("{}", render_markdown(&keps, &release)),
        ReadinessFormat::Csv => out!("{}", render_csv(&keps)),
        ReadinessFormat::Json => outln!("{}", render_json(&keps, &release)),
    }
    0
}
