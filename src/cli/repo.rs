//! What the commands that write a repository (`new`, `promote`) share: the scanned repository,
//! its knowledge (workspace sigs.yaml and OWNERS_ALIASES over the embedded ones) and today's
//! date, lent out as the analysis `Context` the scaffolding needs.

use std::path::{Path, PathBuf};

use crate::analysis::Context;
use crate::knowledge::Knowledge;
use crate::workspace::WorkspaceIndex;

use crate::clock::today_utc;

pub(crate) struct Repo {
    root: PathBuf,
    index: WorkspaceIndex,
    knowledge: Knowledge,
    today: String,
}

impl Repo {
    /// Scan the repository at `root`; `today` defaults to the system clock (UTC). Problems of
    /// the scan are not the command's business: the scaffolding needs what could be read.
    pub(crate) fn open(root: &Path, today: Option<String>) -> Repo {
        let (index, _) = WorkspaceIndex::scan(root);
        let knowledge = index.knowledge();
        Repo {
            root: root.to_path_buf(),
            index,
            knowledge,
            today: today.unwrap_or_else(today_utc),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn today(&self) -> &str {
        &self.today
    }

    pub(crate) fn ctx(&self) -> Context<'_> {
        Context {
            knowledge: &self.knowledge,
            workspace: &self.index,
            today: Some(&self.today),
            upcoming_minor: None,
        }
    }
}
