//! `kep-lsp promote`: move a KEP to a new stage, like `kepctl promote`: stage, latest-milestone,
//! milestone.<stage> and last-updated rewritten in place (comments kept), the stage's entry added
//! to the PRR file (created from the template when missing), and what the stage still lacks.

use std::path::PathBuf;

use clap::Args;

use crate::analysis::apply_edits;
use crate::ide::scaffold::{Promote, PrrChange, promote};
use crate::workspace::{find_root, read_text, rel_path};

use super::repo::Repo;

#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// The KEP: its folder or its kep.yaml.
    pub kep: PathBuf,
    /// The new stage: alpha, beta, stable, deprecated, disabled or removed.
    #[arg(long)]
    pub stage: String,
    /// The release (e.g. v1.36; default: the release after the newest in the repository).
    #[arg(long)]
    pub milestone: Option<String>,
    /// Today's date for last-updated (default: the system clock, UTC).
    #[arg(long)]
    pub today: Option<String>,
}

/// Exit code: 0 promoted, 1 refused (bad stage, not a KEP), 2 usage or I/O error.
pub fn run_promote(args: &PromoteArgs) -> i32 {
    let file = if args.kep.is_dir() {
        args.kep.join("kep.yaml")
    } else {
        args.kep.clone()
    };
    let Ok(file) = file.canonicalize() else {
        eprintln!("kep-lsp promote: {}: no such kep.yaml", file.display());
        return 2;
    };
    let Some(root) = file.parent().and_then(find_root) else {
        eprintln!(
            "kep-lsp promote: {} is not inside a repository with keps/",
            file.display()
        );
        return 2;
    };
    let Some(rel) = rel_path(&root, &file) else {
        eprintln!(
            "kep-lsp promote: {} is outside {}",
            file.display(),
            root.display()
        );
        return 2;
    };
    let text = match read_text(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kep-lsp promote: {}: {e}", file.display());
            return 2;
        }
    };
    let repo = Repo::open(&root, args.today.clone());
    let req = Promote {
        path: rel.clone(),
        text: text.clone(),
        stage: args.stage.clone(),
        milestone: args.milestone.clone(),
        today: repo.today().to_owned(),
    };
    let p = match promote(&req, &repo.ctx()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("kep-lsp promote: {e}");
            return 1;
        }
    };
    if let Err(e) = std::fs::write(&file, apply_edits(&text, &p.kep_yaml_edits)) {
        eprintln!("kep-lsp promote: {}: {e}", file.display());
        return 2;
    }
    outln!("updated {rel}");
    let prr_file = repo.root().join(&p.prr_path);
    let prr_result = match &p.prr {
        PrrChange::Unchanged => Ok(false),
        PrrChange::Create(content) => prr_file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&prr_file, content))
            .map(|_| true),
        PrrChange::Edit(edits) => read_text(&prr_file)
            .map_err(std::io::Error::other)
            .and_then(|t| std::fs::write(&prr_file, apply_edits(&t, edits)))
            .map(|_| true),
    };
    match prr_result {
        Ok(true) => outln!("updated {}", p.prr_path),
        Ok(false) => {}
        Err(e) => {
            eprintln!("kep-lsp promote: {}: {e}", prr_file.display());
            return 2;
        }
    }
    if !p.lacks.is_empty() {
        outln!("still to do for stage {}:", args.stage);
        for l in &p.lacks {
            outln!(
                "  {}: {}[{}]: {}",
                l.path,
                l.finding.severity.as_str(),
                l.finding.code.as_str(),
                l.finding.message
            );
        }
    }
    0
}
