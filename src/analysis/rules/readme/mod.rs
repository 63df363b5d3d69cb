//! Rules on a KEP's README.md: template sections, table of contents, title, placeholders,
//! unresolved blocks and links. One Markdown parse (the `Outline`) is shared by all of them.
//!
//! Legacy single-file KEPs (2018-2019) followed another template and had no TOC markers, so
//! only the rules that make sense for any Markdown run on them (links, unresolved blocks).

mod heading_case;
mod links;
mod prose;
mod render_mismatch;
mod sections;
mod spelling;
mod toc;
mod toc_fixes;

pub use toc::check_toc_only;

pub(crate) use prose::{h1_title_range, title_start};
pub(crate) use sections::insert_section_edits;
pub use spelling::check_misspellings;
pub use toc::dialect as toc_dialect;

use crate::analysis::{Context, Finding, KepMetadata};
use crate::knowledge::template::PrrTarget;
use crate::syntax::outline::{self, Outline};

/// Where a KEP stands, as far as the README rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Phase {
    /// provisional, or a status the rules do not know / history (withdrawn, rejected...).
    pub implementable: bool,
    /// implementable/implemented with latest-milestone >= v1.21 (or unknown): when upstream
    /// requires a PRR, the questionnaire is expected too.
    pub needs_prr: bool,
    /// Status provisional or implementable: the KEP is being written or reviewed, so a missing
    /// section is worth a warning; for the others (implemented, withdrawn, replaced, rejected,
    /// deferred, or a status outside the list) it is history, worth an info.
    pub active: bool,
    /// The parts of the PRR questionnaire the KEP's `stage` calls for.
    pub prr_target: PrrTarget,
}

impl Phase {
    /// `prr_rules`: whether the repository runs production readiness review at all (a
    /// subproject without `keps/prod-readiness/` never expects the questionnaire).
    pub(crate) fn of(meta: Option<&KepMetadata>, prr_rules: bool) -> Phase {
        let status = meta
            .and_then(|m| m.status.as_ref())
            .map(|s| s.value.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let implementable = matches!(status.as_str(), "implementable" | "implemented");
        let milestone = meta
            .and_then(|m| m.latest_milestone.as_ref())
            .map(|m| m.value.as_str());
        let needs_prr = prr_rules && implementable && milestone.is_none_or(|m| milestone_at_least(m, 1, 21));
        let stage = meta.and_then(|m| m.stage.as_ref()).map(|s| s.value.as_str());
        Phase {
            implementable,
            needs_prr,
            active: matches!(status.as_str(), "provisional" | "implementable"),
            prr_target: PrrTarget::of_stage(stage),
        }
    }
}

/// Whether a milestone like `v1.30` / `1.30` / `"v1.21.0"` is at least `major.minor`; an
/// unparsable one counts as recent (the strictest reading).
fn milestone_at_least(m: &str, major: u64, minor: u64) -> bool {
    let v = m.trim().trim_matches('"').trim_start_matches(['v', 'V']);
    let mut parts = v.split('.').map(|p| p.trim().parse::<u64>());
    match (parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b))) => (a, b) >= (major, minor),
        _ => true,
    }
}

/// Everything the README rules read, computed once.
pub(crate) struct Readme<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub outline: Outline,
    pub meta: Option<KepMetadata>,
    pub phase: Phase,
    /// The caller shows findings and none of their fixes (`Options::findings_only`): the
    /// costly fixes (a section insertion regenerates the whole TOC) are not computed.
    pub findings_only: bool,
}

/// The folder of a `/`-separated path (`""` at the top).
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `meta` is given for legacy KEPs (their own front matter); for a modern README the rules read
/// the sibling kep.yaml through the workspace view when `meta` is `None`.
/// `heading_case` turns on the opt-in `heading-case` check (modern READMEs only), which shares
/// the outline and the template matching with the section rules.
pub fn check_readme(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
    meta: Option<&KepMetadata>,
    legacy: bool,
    heading_case: bool,
) -> Vec<Finding> {
    check_readme_with(path, text, ctx, meta, legacy, heading_case, false)
}

/// `check_readme`; with `findings_only` the `missing-section` findings come without their fix
/// (the same findings otherwise), for callers that show no fixes.
pub(crate) fn check_readme_with(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
    meta: Option<&KepMetadata>,
    legacy: bool,
    heading_case: bool,
    findings_only: bool,
) -> Vec<Finding> {
    let path = path.replace('\\', "/");
    let meta = match meta {
        Some(m) => Some(m.clone()),
        None if !legacy => {
            let dir = dir_of(&path);
            let kep_yaml = if dir.is_empty() {
                "kep.yaml".to_string()
            } else {
                format!("{dir}/kep.yaml")
            };
            ctx.workspace
                .kep_metadata(&kep_yaml)
                .map(std::sync::Arc::unwrap_or_clone)
        }
        None => None,
    };
    let readme = Readme {
        path: &path,
        text,
        outline: outline::outline(text),
        phase: Phase::of(meta.as_ref(), ctx.profile().prr_rules),
        meta,
        findings_only,
    };
    let mut findings = Vec::new();
    if !legacy {
        let template = &ctx.knowledge.template;
        let found = template.locate(&readme.outline);
        findings.extend(
            toc::check(&readme, ctx)
                .into_iter()
                .map(|f| own_toc_kept(&readme, ctx, f)),
        );
        findings.extend(sections::check(&readme, ctx, &found));
        findings.extend(prose::check_title(&readme));
        if heading_case {
            findings.extend(heading_case::check(text, &readme.outline, template, &found));
        }
    }
    findings.extend(prose::check_unresolved(&readme));
    if let Some(h1) = readme.outline.h1() {
        findings.extend(crate::analysis::rules::title_style::check_h1(text, h1));
    }
    findings.extend(links::check(&readme, ctx));
    findings
}

/// A README without markers whose TOC is written by hand: `toc-missing`'s fix marks that list
/// (and regenerates it) instead of adding a second TOC above it.
fn own_toc_kept(r: &Readme<'_>, ctx: &Context<'_>, mut f: Finding) -> Finding {
    if f.code == crate::analysis::Code::TocMissing
        && outline::find_toc(r.text).is_none()
        && let Some(fix) = toc_fixes::wrap_hand_written_toc(r.text, toc::dialect(ctx))
    {
        f.fixes = vec![fix];
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones() {
        assert!(milestone_at_least("v1.21", 1, 21));
        assert!(milestone_at_least("\"v1.30\"", 1, 21));
        assert!(!milestone_at_least("v1.20", 1, 21));
        assert!(!milestone_at_least("1.9", 1, 21));
        assert!(milestone_at_least("next", 1, 21));
    }
}
