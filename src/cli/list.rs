//! `kep-lsp list`: the repository's KEPs, filtered by SIG, status and stage, as a table or JSON.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::analysis::{KepEntry, WorkspaceView};
use crate::workspace::{WorkspaceIndex, find_root};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// A folder inside the repository (default: the current one).
    pub path: Option<PathBuf>,
    /// Only KEPs owned by this SIG.
    #[arg(long)]
    pub sig: Option<String>,
    /// Only KEPs with this status.
    #[arg(long)]
    pub status: Option<String>,
    /// Only KEPs at this stage.
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// The KEPs that pass the filters, by number then folder.
pub fn select(mut keps: Vec<KepEntry>, args: &ListArgs) -> Vec<KepEntry> {
    let keep = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    keps.retain(|k| {
        keep(&args.sig, &k.owning_sig) && keep(&args.status, &k.status) && keep(&args.stage, &k.stage)
    });
    keps.sort_by(|a, b| {
        let n = |k: &KepEntry| k.number.trim().parse::<u64>().unwrap_or(u64::MAX);
        n(a).cmp(&n(b)).then_with(|| a.dir.cmp(&b.dir))
    });
    keps
}

pub fn render_table(keps: &[KepEntry]) -> String {
    let headers = ["NUMBER", "SIG", "STATUS", "STAGE", "MILESTONE", "TITLE"];
    let rows: Vec<[&str; 6]> = keps
        .iter()
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

pub fn render_json(keps: &[KepEntry]) -> String {
    let items: Vec<serde_json::Value> = keps
        .iter()
        .map(|k| {
            serde_json::json!({
                "number": k.number,
                "title": k.title,
                "owning_sig": k.owning_sig,
                "status": k.status,
                "stage": k.stage,
                "latest_milestone": k.latest_milestone,
                "path": k.metadata_path,
            })
        })
        .collect();
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
    let keps = select(index.keps(), args);
    match args.format {
        ListFormat::Table => print!("{}", render_table(&keps)),
        ListFormat::Json => println!("{}", render_json(&keps)),
    }
    0
}
