//! `kep-lsp new`: scaffold a KEP (README.md from the template, a filled kep.yaml) in the
//! repository, like `kepctl create`. Refuses to overwrite anything.

use std::path::PathBuf;

use clap::Args;

use crate::ide::scaffold::{NewKep, new_kep};
use crate::workspace::find_root;

use super::repo::Repo;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The owning SIG (a `dir` of sigs.yaml, e.g. sig-node).
    #[arg(long)]
    pub sig: String,
    /// The KEP's title.
    #[arg(long)]
    pub title: String,
    /// The tracking issue number (default: the next free kep-number).
    #[arg(long)]
    pub number: Option<u64>,
    /// A GitHub handle of an author (repeatable).
    #[arg(long = "author")]
    pub authors: Vec<String>,
    /// The repository root (default: the nearest folder above the current one holding keps/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Today's date for creation-date and last-updated (default: the system clock, UTC).
    #[arg(long)]
    pub today: Option<String>,
}

/// Exit code: 0 written, 1 refused (exists, unknown SIG), 2 usage or I/O error.
pub fn run_new(args: &NewArgs) -> i32 {
    let Some(root) = args
        .root
        .clone()
        .or_else(|| std::env::current_dir().ok().and_then(|d| find_root(&d)))
    else {
        eprintln!("kep-lsp new: no repository found (a folder holding keps/); pass --root");
        return 2;
    };
    if !root.join("keps").is_dir() {
        eprintln!("kep-lsp new: {} holds no keps/ folder", root.display());
        return 2;
    }
    let repo = Repo::open(&root, args.today.clone());
    let req = NewKep {
        sig: args.sig.clone(),
        title: args.title.clone(),
        number: args.number,
        authors: args.authors.clone(),
        today: repo.today().to_owned(),
    };
    let files = match new_kep(&req, &repo.ctx()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("kep-lsp new: {e}");
            return 1;
        }
    };
    for (rel, _) in &files {
        if root.join(rel).exists() {
            eprintln!("kep-lsp new: {rel} already exists; not overwriting");
            return 1;
        }
    }
    for (rel, content) in &files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("kep-lsp new: {}: {e}", parent.display());
                return 2;
            }
        }
        // create_new: never clobber a file that appeared meanwhile.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, content.as_bytes()));
        if let Err(e) = written {
            eprintln!("kep-lsp new: {}: {e}", path.display());
            return 2;
        }
        outln!("created {rel}");
    }
    0
}
