//! The groups (SIGs, working groups, user groups, committees) as completion and hover use them:
//! the context's `SigRegistry` (the embedded sigs.yaml, or the workspace's own).

use crate::analysis::Context;

pub use crate::knowledge::sigs::Group;

/// Every group, in sigs.yaml order.
pub(crate) fn groups<'a>(ctx: &Context<'a>) -> impl Iterator<Item = &'a Group> + use<'a> {
    ctx.knowledge.sigs.iter()
}

pub(crate) fn group<'a>(ctx: &Context<'a>, dir: &str) -> Option<&'a Group> {
    ctx.knowledge.sigs.get(dir)
}

/// What happened to a group sigs.yaml no longer lists, if it is a known retired one.
pub(crate) fn retired(ctx: &Context<'_>, dir: &str) -> Option<&'static str> {
    ctx.knowledge.sigs.retired(dir)
}
