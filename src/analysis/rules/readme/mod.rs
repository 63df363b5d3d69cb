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
use crate::knowledge::template::{PrrTarget, Template, TemplateSection};
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
    pub outline: std::sync::Arc<Outline>,
    pub meta: Option<KepMetadata>,
    pub phase: Phase,
    /// The caller shows findings and none of their fixes (`Options::findings_only`): the
    /// costly fixes (a section insertion regenerates the whole TOC) are not computed.
    pub findings_only: bool,
    /// Values derived from the outline may be reused from the last analysis of the same path
    /// where their inputs are equal (`Options::reuse_outline`, `recent`).
    pub reuse: bool,
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
    let options = crate::analysis::Options {
        heading_case,
        ..Default::default()
    };
    check_readme_with(path, text, ctx, meta, legacy, &options)
}

/// `check_readme` with the options' `heading_case`; with `findings_only` the
/// `missing-section` findings come without their fix (the same findings otherwise), for
/// callers that show no fixes; with `reuse_outline` the outline is re-read from the last one
/// of the same path (`outline_of`).
pub(crate) fn check_readme_with(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
    meta: Option<&KepMetadata>,
    legacy: bool,
    options: &crate::analysis::Options,
) -> Vec<Finding> {
    let (heading_case, findings_only) = (options.heading_case, options.findings_only);
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
            // The workspace keeps what it parsed: check's index from its scan, the server's an
            // open kep.yaml's per version and a file's while its text is the same.
            ctx.workspace
                .kep_metadata(&kep_yaml)
                .map(std::sync::Arc::unwrap_or_clone)
        }
        None => None,
    };
    let readme = Readme {
        path: &path,
        text,
        outline: if options.reuse_outline {
            outline_of(&path, text)
        } else {
            std::sync::Arc::new(outline::outline(text))
        },
        phase: Phase::of(meta.as_ref(), ctx.profile().prr_rules),
        meta,
        findings_only,
        reuse: options.reuse_outline,
    };
    let mut findings = Vec::new();
    if !legacy {
        let template = &ctx.knowledge.template;
        let found = located(&path, template, &readme.outline, options.reuse_outline);
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

/// The outline of `text`, the README at `path`: when one of the last few analysed READMEs had
/// that path, re-read from its outline around the edit (`syntax::outline_reuse`, equal to a
/// full parse; a full parse where reuse cannot be shown exact), else parsed. Typing into a
/// README in the server re-analyses it on every keystroke, and the parse was most of it.
fn outline_of(path: &str, text: &str) -> std::sync::Arc<Outline> {
    use std::sync::{Arc, Mutex};
    /// Path, text and outline of the last READMEs analysed (a few: several may be open, and
    /// `check` goes through thousands, each once).
    type Recent = Vec<(String, Arc<str>, Arc<Outline>)>;
    static RECENT: Mutex<Recent> = Mutex::new(Vec::new());
    const KEPT: usize = 4;
    let last = {
        let recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, t, o)| (t.clone(), o.clone()))
    };
    let outline = match last {
        Some((t, o)) if *t == *text => return o,
        Some((t, o)) => crate::syntax::outline_reuse::outline_after_edit(&t, &o, text)
            .unwrap_or_else(|| outline::outline(text)),
        None => outline::outline(text),
    };
    let outline = Arc::new(outline);
    let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    recent.retain(|(p, _, _)| p != path);
    if recent.len() >= KEPT {
        recent.remove(0);
    }
    recent.push((path.to_string(), Arc::from(text), outline.clone()));
    outline
}

/// `template.locate(outline)` for the README at `path` (see `Readme::reuse`): reused while the
/// template's sections and the headings (level and text, in order) are those it was computed
/// from, which is all it reads (the sections it compares are spans of that heading order).
fn located(path: &str, template: &Template, outline: &Outline, reuse: bool) -> Vec<Option<usize>> {
    type Inputs = (Vec<TemplateSection>, Vec<(u8, String)>);
    static RECENT: crate::analysis::recent::Recent<Inputs, Vec<Option<usize>>> =
        crate::analysis::recent::Recent::new();
    if !reuse {
        return template.locate(outline);
    }
    let same = |(sections, headings): &Inputs| {
        *sections == template.sections
            && headings.len() == outline.headings.len()
            && headings
                .iter()
                .zip(&outline.headings)
                .all(|((level, text), h)| *level == h.level && *text == h.text)
    };
    RECENT.get(path, same, || {
        let headings = outline
            .headings
            .iter()
            .map(|h| (h.level, h.text.clone()))
            .collect();
        ((template.sections.clone(), headings), template.locate(outline))
    })
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
