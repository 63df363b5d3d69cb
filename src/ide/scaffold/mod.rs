//! New-KEP scaffolding and promotion, as pure functions returning file contents and edits
//! (the CLI writes them; the server can offer them as workspace edits).
//!
//! `new_kep` works like `kepctl create`: `keps/<sig>/<number>-<name>/README.md` from the
//! template with the title filled in, and a kep.yaml filled with number, title, authors, SIG,
//! dates and status provisional (the template's comments kept). `promote` works like `kepctl
//! promote`: it rewrites stage, latest-milestone and milestone.<stage> as text edits (comments
//! and formatting stay), adds the stage's entry to the PRR file (created from the PRR template
//! when missing), and lists what the new stage still lacks.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::analysis::{
    self, Code, Context, Finding, KepEntry, Severity, TextEdit, WorkspaceView, apply_edits,
};
use crate::knowledge::{EMBEDDED_TEMPLATE_KEP_YAML, EMBEDDED_TEMPLATE_PRR_YAML, EMBEDDED_TEMPLATE_README};

use super::facts::{WorkspaceFacts, parse_milestone};
use super::groups;
use super::schema_view::STAGES;
use super::yaml_edit::quote_like;
use crate::model::handle::clean_handle;
use crate::syntax::headings::{self, normalize};
use crate::syntax::yaml::{self, YamlText};

mod new;
mod promote;

pub use new::{NewKep, new_kep, slug};
pub use promote::{Lack, Promote, Promotion, PrrChange, promote};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaffoldError {
    UnknownSig(String, Option<String>),
    EmptyTitle,
    Exists(String),
    NoStage(String),
    NotAKep(String),
    /// A milestone argument that is not `v1.30` / `1.30`: promoting would write it into
    /// kep.yaml and leave an invalid-milestone error behind.
    BadMilestone(String),
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::UnknownSig(s, Some(d)) => write!(f, "unknown SIG `{s}` (did you mean `{d}`?)"),
            ScaffoldError::UnknownSig(s, None) => write!(f, "unknown SIG `{s}`: not a group of sigs.yaml"),
            ScaffoldError::EmptyTitle => write!(f, "the title is empty"),
            ScaffoldError::Exists(p) => write!(f, "{p} already exists"),
            ScaffoldError::NoStage(s) => write!(
                f,
                "unknown stage `{s}`: one of {}",
                STAGES.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ),
            ScaffoldError::NotAKep(p) => write!(f, "{p} is not a kep.yaml"),
            ScaffoldError::BadMilestone(m) => {
                write!(f, "`{m}` is not a milestone like \"v1.36\"")
            }
        }
    }
}

impl std::error::Error for ScaffoldError {}
