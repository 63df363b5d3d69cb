//! `kep-lsp list`: the repository's KEPs, filtered like `kepctl query` (SIG, status, stage,
//! author, approver, participating SIG, PRR approver, milestone; see `list_filter`), as a
//! table, JSON, YAML or CSV.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::list_filter::{self, Filter, KepFacts};
use crate::analysis::{KepEntry, WorkspaceView};
use crate::workspace::{WorkspaceIndex, find_root};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Yaml,
    Csv,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// A folder inside the repository (default: the current one).
    pub path: Option<PathBuf>,
    /// Only KEPs owned by one of these SIGs (repeat the flag or separate with commas).
    #[arg(long)]
    pub sig: Vec<String>,
    /// Only KEPs with one of these statuses.
    #[arg(long)]
    pub status: Vec<String>,
    /// Only KEPs at one of these stages.
    #[arg(long)]
    pub stage: Vec<String>,
    /// Only KEPs with one of these handles among `authors` (`@` optional).
    #[arg(long)]
    pub author: Vec<String>,
    /// Only KEPs with one of these handles among `approvers`.
    #[arg(long)]
    pub approver: Vec<String>,
    /// Only KEPs with one of these SIGs among `participating-sigs`.
    #[arg(long)]
    pub participating_sig: Vec<String>,
    /// Only KEPs whose PRR file (keps/prod-readiness/<sig>/<number>.yaml) names one of these
    /// handles as the approver of a stage.
    #[arg(long)]
    pub prr: Vec<String>,
    /// Only KEPs whose `latest-milestone` or a `milestone.<stage>` is one of these (`v1.30`).
    #[arg(long)]
    pub milestone: Vec<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

impl ListArgs {
    /// The filters the flags ask for (comma-separated values split).
    pub(crate) fn filter(&self) -> Filter {
        let v = list_filter::split_values;
        Filter {
            sig: v(&self.sig),
            status: v(&self.status),
            stage: v(&self.stage),
            author: v(&self.author),
            approver: v(&self.approver),
            participating_sig: v(&self.participating_sig),
            prr: v(&self.prr),
            milestone: v(&self.milestone),
        }
    }
}

/// The KEPs of `view` that pass the filters, by number then folder.
pub(crate) fn select(view: &dyn WorkspaceView, filter: &Filter) -> Vec<KepFacts> {
    let mut keps: Vec<KepFacts> = view
        .keps()
        .iter()
        .map(|k| list_filter::facts(k, view))
        .filter(|k| filter.matches(k))
        .collect();
    keps.sort_by(|a, b| {
        let n = |k: &KepEntry| k.number.trim().parse::<u64>().unwrap_or(u64::MAX);
        n(&a.entry)
            .cmp(&n(&b.entry))
            .then_with(|| a.entry.dir.cmp(&b.entry.dir))
    });
    keps
}

pub(crate) fn render_table(keps: &[KepFacts]) -> String {
    let headers = ["NUMBER", "SIG", "STATUS", "STAGE", "MILESTONE", "TITLE"];
    let rows: Vec<[&str; 6]> = keps
        .iter()
        .map(|k| &k.entry)
        .map(|k| {
            [
                k.number.as_str(),
                k.owning_sig.as_str(),
                k.status.as_str(),
                k.stage.as_str(),
                k.latest_milestone.as_str(),
                k.title.as_str(),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str; 6]| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i == 5 {
                l.push_str(c);
            } else {
                l.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&headers);
    for r in &rows {
        line(r);
    }
    out
}

pub(crate) fn render_json(keps: &[KepFacts]) -> String {
    let items: Vec<serde_json::Value> = keps.iter().map(list_filter::to_json).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// Exit code: 0 listed, 2 no repository.
pub fn run_list(args: &ListArgs) -> i32 {
    let start = args.path.clone().or_else(|| std::env::current_dir().ok());
    let Some(root) = start
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| find_root(&p))
    else {
        eprintln!("kep-lsp list: no repository found (a folder holding keps/)");
        return 2;
    };
    let (index, _) = WorkspaceIndex::scan(&root);
    let keps = select(&index, &args.filter());
    match args.format {
        ListFormat::Table => out!("{}", render_table(&keps)),
        ListFormat::Json => outln!("{}", render_json(&keps)),
        ListFormat::Yaml => out!("{}", list_filter::render_yaml(&keps)),
        ListFormat::Csv => out!("{}", list_filter::render_csv(&keps)),
    }
    0
}
