//! A property over the real READMEs of ../shared/enhancements (skipped with a note when absent):
//! removing one template section that the KEP's stage requires (with its subsections) gives
//! exactly one `missing-section` finding naming it (its own, or its missing parent's "(with
//! ...)"), at the severity the rules give (warning for a provisional or implementable KEP, info
//! for the others, info for a PRR question), and nothing else newly missing; applying that
//! finding's fix gives back the original's `missing-section` findings (or fewer, where the
//! original lacked subsections the fix's skeleton brings), no `toc-stale` the original did not
//! have (the fix regenerates the TOC), and, for a README in the template's order (none of the
//! section's subsections kept elsewhere), no `section-order` finding.
//!
//! What is due is restated here from the rules (docs/kep-format.md sections 5 and 6), not read
//! from the code under test: the sections the template asks of a provisional KEP always; Design
//! Details, Test Plan and Graduation Criteria once implementable; the PRR questionnaire's parts
//! (and each question) when upstream requires a PRR and the stage reaches the part.
//!
//! Cases the property does not speak about are skipped and counted: the removed heading also
//! holds a README heading that stands for another section outside the removed one's subtree (a
//! "### Test Plan" written under Proposal), or stands for two sections ("Goals and Non-Goals"),
//! or its title appears again elsewhere (removing one leaves the other to stand for it).
//!
//! Sampling: every README, every `STRIDE`-th candidate in a deterministic rotation (README `i`
//! tests candidates `j` with `(i + j) % STRIDE == 0`), so that the debug build stays within a
//! few seconds; over the test's runs every candidate kind is covered on many READMEs.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::MemWorkspace;
use kep_lsp::analysis::rules::readme::check_readme;
use kep_lsp::analysis::{Code, Context, Finding, Severity, apply_edits};
use kep_lsp::knowledge::Knowledge;
use kep_lsp::knowledge::template::{PrrTarget, Requirement, TemplateSection, normalize};
use kep_lsp::model::kep_yaml::parse_metadata;
use kep_lsp::syntax::outline::outline;

const STRIDE: usize = 40;

/// The KEP facts the due rules read, from kep.yaml.
struct Kep {
    status: String,
    stage: Option<String>,
    milestone: Option<String>,
}

impl Kep {
    fn implementable(&self) -> bool {
        matches!(self.status.as_str(), "implementable" | "implemented")
    }

    /// Upstream's PRR rule (kep-format.md section 5): implementable/implemented and
    /// latest-milestone >= v1.21 (an unreadable or absent milestone counts as recent).
    fn needs_prr(&self) -> bool {
        let recent = self.milestone.as_deref().is_none_or(|m| {
            let v = m.trim().trim_matches('"').trim_start_matches('v');
            let mut p = v.split('.').map(|x| x.trim().parse::<u64>());
            match (p.next(), p.next()) {
                (Some(Ok(a)), Some(Ok(b))) => (a, b) >= (1, 21),
                _ => true,
            }
        });
        self.implementable() && recent
    }

    fn due(&self, s: &TemplateSection) -> bool {
        match s.requirement {
            Requirement::Provisional => true,
            Requirement::Implementable => self.implementable(),
            Requirement::ProductionReadiness | Requirement::ProductionReadinessQuestion => {
                let reach = PrrTarget::of_stage(self.stage.as_deref());
                self.needs_prr() && s.prr_target.is_none_or(|t| t <= reach)
            }
            Requirement::Never => false,
        }
    }

    fn severity(&self, s: &TemplateSection) -> Severity {
        if s.requirement == Requirement::ProductionReadinessQuestion {
            Severity::Info
        } else if matches!(self.status.as_str(), "provisional" | "implementable") {
            Severity::Warning
        } else {
            Severity::Info
        }
    }
}

fn messages(fs: &[Finding], code: Code) -> Vec<(Severity, String)> {
    let mut v: Vec<_> = fs
        .iter()
        .filter(|f| f.code == code)
        .map(|f| (f.severity, f.message.clone()))
        .collect();
    v.sort();
    v
}

/// The sections a `missing-section` finding names: its own (the first quoted title) and those
/// missing with it (`(with "Goals", "Non-Goals")`). Where a section "goes" changes with what is
/// around it; which sections are missing does not.
fn named(f: &Finding) -> Vec<String> {
    let m = &f.message;
    let mut out = vec![m.split('"').nth(1).unwrap_or("").to_string()];
    if let Some(with) = m.find(" (with ") {
        let list = &m[with + 7..];
        let list = &list[..list.find(") is missing").unwrap_or(list.len())];
        out.extend(list.split('"').skip(1).step_by(2).map(str::to_string));
    }
    out
}

fn missing(fs: &[Finding]) -> BTreeSet<(Severity, String)> {
    fs.iter()
        .filter(|f| f.code == Code::MissingSection)
        .flat_map(|f| named(f).into_iter().map(|n| (f.severity, n)))
        .collect()
}

#[test]
fn removing_a_required_section_is_one_finding_and_its_fix_restores_the_findings() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let base = shared.join("enhancements");
    let knowledge = Knowledge::embedded();
    let template = &knowledge.template;
    let mut readmes: Vec<(String, String, String)> = Vec::new();
    for e in walkdir::WalkDir::new(base.join("keps")).into_iter().flatten() {
        if e.file_name() != "README.md" {
            continue;
        }
        let dir = e.path().parent().unwrap();
        let (Ok(text), Ok(yaml)) = (
            std::fs::read_to_string(e.path()),
            std::fs::read_to_string(dir.join("kep.yaml")),
        ) else {
            continue;
        };
        let rel = e
            .path()
            .strip_prefix(&base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        readmes.push((rel, text, yaml));
    }
    readmes.sort();
    let t0 = std::time::Instant::now();
    let mut tested = 0;
    let (mut restored, mut restored_more, mut with_parent) = (0, 0, 0);
    // KEP_LSP_FULL=1 tests every candidate (about a minute in a debug build).
    let stride = if std::env::var_os("KEP_LSP_FULL").is_some() {
        1
    } else {
        STRIDE
    };
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    // KEP_LSP_ONLY=part-of-a-path narrows the run (to look at one README's cases).
    let only = std::env::var("KEP_LSP_ONLY").ok();
    for (i, (path, text, yaml)) in readmes.iter().enumerate() {
        if only.as_deref().is_some_and(|o| !path.contains(o)) {
            continue;
        }
        let meta = parse_metadata(yaml);
        let kep = Kep {
            status: meta
                .status
                .as_ref()
                .map(|s| s.value.trim().to_ascii_lowercase())
                .unwrap_or_default(),
            stage: meta.stage.as_ref().map(|s| s.value.clone()),
            milestone: meta.latest_milestone.as_ref().map(|s| s.value.clone()),
        };
        let yaml_path = format!("{}/kep.yaml", Path::new(path).parent().unwrap().display());
        let ws = MemWorkspace::new().with(&yaml_path, yaml);
        let ctx = Context {
            knowledge: &knowledge,
            workspace: &ws,
            today: None,
            upcoming_minor: None,
        };
        let run = |t: &str| check_readme(path, t, &ctx, None, false, false);
        let o = outline(text);
        let found = template.locate(&o);
        // Candidates: due sections present in the README, in template order.
        let candidates: Vec<&TemplateSection> = template
            .sections
            .iter()
            .filter(|s| kep.due(s) && found[s.index].is_some() && s.norm != "releasesignoffchecklist")
            .collect();
        let mut original: Option<Vec<Finding>> = None;
        for (j, s) in candidates.iter().enumerate() {
            if (i + j) % stride != 0 {
                continue;
            }
            let h = found[s.index].unwrap();
            let heading = &o.headings[h];
            let removed = heading.section.clone();
            // The template sections whose README heading lies in the removed range.
            let inside: Vec<&TemplateSection> = template
                .sections
                .iter()
                .filter(|t| found[t.index].is_some_and(|x| removed.contains(&o.headings[x].line.start)))
                .collect();
            let descends = |t: &TemplateSection| {
                let mut p = Some(t.index);
                while let Some(x) = p {
                    if x == s.index {
                        return true;
                    }
                    p = template.sections[x].parent;
                }
                false
            };
            if inside.iter().any(|t| !descends(t)) {
                *skipped.entry("holds another section").or_default() += 1;
                continue;
            }
            if found.iter().filter(|f| **f == Some(h)).count() > 1 {
                *skipped.entry("heading stands for two sections").or_default() += 1;
                continue;
            }
            // A title of the removed part that another heading also has: once the part is gone
            // or re-inserted, which heading stands for which section is another question.
            let twice = inside.iter().any(|t| {
                let x = &o.headings[found[t.index].unwrap()];
                let norm = normalize(&x.text);
                o.headings
                    .iter()
                    .any(|y| y.line.start != x.line.start && normalize(&y.text) == norm)
            });
            if twice {
                *skipped.entry("title appears twice").or_default() += 1;
                continue;
            }
            // A question whose part ("Feature Enablement and Rollback") the README lacks: the
            // part is reported, not its questions (a 2021 questionnaire without the parts).
            if s.requirement == Requirement::ProductionReadinessQuestion
                && s.parent.is_some_and(|p| found[p].is_none())
            {
                *skipped.entry("question of a missing part").or_default() += 1;
                continue;
            }
            let cut = format!("{}{}", &text[..removed.start], &text[removed.end..]);
            let cut_found = template.locate(&outline(&cut));
            if inside.iter().any(|t| cut_found[t.index].is_some()) {
                // Another heading stands for it, or for one of its subsections, once this one
                // is gone (a "Summary of changes" after the "Summary", a "Scalability &
                // Performance tests" elsewhere once the questionnaire's Scalability is gone).
                *skipped.entry("another heading stands for it").or_default() += 1;
                continue;
            }
            tested += 1;
            let before = original.get_or_insert_with(|| run(text));
            let after = run(&cut);
            let was = missing(before);
            let title = s.title.replace(" (Optional)", "");
            let case = format!("{path}: without \"{}\"", heading.text);
            // The removal adds exactly the removed section to what is missing (its subsections
            // go with it, inside its finding or its parent's), in exactly one finding.
            let now = missing(&after);
            let added: BTreeSet<&String> = now.difference(&was).map(|(_, n)| n).collect();
            let naming: Vec<&Finding> = after
                .iter()
                .filter(|f| f.code == Code::MissingSection && named(f).contains(&title))
                .collect();
            let others: Vec<&&String> = added
                .iter()
                .filter(|n| {
                    !template
                        .sections
                        .iter()
                        .any(|t| descends(t) && t.title.replace(" (Optional)", "") == ***n)
                })
                .collect();
            if !added.contains(&title) || naming.len() != 1 || !others.is_empty() {
                failures.push(format!(
                    "{case}: {} findings name it; newly missing: {added:?}, of them outside it: {others:?}",
                    naming.len()
                ));
                continue;
            }
            let f = naming[0];
            // Reported in its own finding, or in its missing parent's `(with ...)`: then the
            // fix inserts the parent too, which the original did not have.
            let own = named(f)[0] == title;
            if !own {
                with_parent += 1;
            }
            if own && f.severity != kep.severity(s) {
                failures.push(format!("{case}: {:?} {}", f.severity, f.message));
                continue;
            }
            let Some(fix) = f.fixes.first() else {
                failures.push(format!("{case}: no fix"));
                continue;
            };
            let fixed = apply_edits(&cut, &fix.edits);
            let again = run(&fixed);
            // The fix inserts the template's whole skeleton of the section: where the original
            // lacked some of its subsections (an older README without the PRR questions), those
            // are not missing any more. Nothing else may change.
            let now = missing(&again);
            if now == was {
                restored += 1;
            } else if now.is_subset(&was) {
                restored_more += 1;
            } else {
                failures.push(format!(
                    "{case}: after the fix, missing-section {:#?} instead of {was:#?}",
                    now.difference(&was).collect::<Vec<_>>()
                ));
            }
            // A README in the template's order stays in order once the section is back (in a
            // README already out of order the fix puts the section in the template's place,
            // not back in the author's disorder, and which sections the longest in-order run
            // leaves out may change; likewise when the fix also brought the parent the original
            // lacked). The TOC is regenerated by the fix, so no `toc-stale` either.
            // The README keeps one of its subsections elsewhere (a top-level "## Goals" beside
            // the Motivation): the re-inserted section brings the template's other subsections
            // ahead of it, which the order check then flags.
            let kept_elsewhere = template.sections.iter().any(|t| {
                t.index != s.index
                    && descends(t)
                    && found[t.index].is_some_and(|x| !removed.contains(&o.headings[x].line.start))
            });
            let in_order = messages(before, Code::SectionOrder).is_empty() && !kept_elsewhere;
            for code in [Code::SectionOrder, Code::TocStale] {
                if code == Code::SectionOrder && !(own && in_order) {
                    continue;
                }
                let (then, now) = (messages(before, code), messages(&again, code));
                if now.len() > then.len() {
                    failures.push(format!(
                        "{case}: the fix brings {code:?} {now:#?} (had {then:#?})"
                    ));
                }
            }
        }
    }
    eprintln!(
        "{} READMEs, {tested} removals tested (stride {stride}): fix gives the original's missing \
         sections {restored}, fewer {restored_more}; reported with a missing parent {with_parent}; \
         skipped {skipped:?}; {:?}",
        readmes.len(),
        t0.elapsed()
    );
    assert!(only.is_some() || tested > 200, "only {tested} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
