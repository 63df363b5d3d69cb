//! The values (split: `status` status and stage, `milestones`, `dates`; here the rest):
//! status (R17), stage (R18, R12), latest-milestone and stage for implementable KEPs
//! (R7, R8), implemented => stable (R20), groups (R19), and the checks upstream lacks: milestone
//! map vs stage and order, dates, replaced without successor, template leftovers in scalars.

use std::ops::Range;

use super::Checker;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::knowledge::schema::{self, LEGACY_STATUSES, REMOVAL_STAGES, STAGES, STATUSES};
use crate::model::date::parse_date;
use crate::model::kep::{KepMetadata, Spanned};
use crate::model::milestone::{Version, parse_milestone};

mod dates;
mod milestones;
mod status;

use dates::dates;
use milestones::milestones;
use status::{stage, status, status_value};

pub(super) fn check(c: &mut Checker<'_>, meta: &KepMetadata) {
    status(c, meta);
    stage(c, meta);
    milestones(c, meta);
    groups(c, meta);
    dates(c, meta);
    scalar_leftovers(c, meta);
    if meta.status.as_ref().is_some_and(|s| s.value == "replaced") && meta.superseded_by.is_empty() {
        let s = meta.status.as_ref().map(|s| s.span.clone()).unwrap_or(0..0);
        c.push(Finding::new(
            Code::ReplacedWithoutSuccessor,
            s,
            "status is replaced but superseded-by is empty: name the KEP that replaces this one",
        ));
    }
}

/// R19: owning-sig and participating-sigs are groups of sigs.yaml (retired ones: a warning).
fn groups(c: &mut Checker<'_>, meta: &KepMetadata) {
    let sigs = c.ctx.knowledge.sigs.clone();
    if sigs.is_empty() || !c.ctx.profile().sig_rules {
        return;
    }
    let check = |c: &mut Checker<'_>, field: &str, g: &Spanned<String>| {
        // As kepctl compares: the decoded string as it is (`sig-node\n` from a block scalar is
        // not a group).
        let name = g.value.as_str();
        if name.is_empty() || sigs.contains(name) {
            return;
        }
        if schema::is_template_leftover(field, name) {
            // Reported as a leftover (below) and as unknown: both are true.
        } else if let Some(why) = sigs.retired(name) {
            // kepctl's Validate rejects it as any unknown group; only legacy KEPs (history,
            // never validated again) get a warning.
            let sev = if c.legacy {
                Severity::Warning
            } else {
                Severity::Error
            };
            c.push(
                Finding::new(
                    Code::RetiredSig,
                    g.span.clone(),
                    format!("invalid {field}: {name}: it is not in sigs.yaml any more ({why})"),
                )
                .with_severity(sev),
            );
            return;
        }
        let mut f = Finding::new(
            Code::UnknownSig,
            g.span.clone(),
            format!("invalid {field}: {name} is not a group in sigs.yaml"),
        );
        if let Some(s) = sigs.suggest(name) {
            f.message.push_str(&format!(": did you mean `{s}`?"));
            f = f.with_fix(c.replace_value_fix(&g.span, s, format!("Change to `{s}`")));
        }
        c.push(f);
    };
    if let Some(o) = &meta.owning_sig {
        check(c, "owning-sig", o);
    }
    for p in &meta.participating_sigs {
        check(c, "participating-sig", p);
    }
}

/// Scalars the template holds, left in a real KEP.
fn scalar_leftovers(c: &mut Checker<'_>, meta: &KepMetadata) {
    let scalars: [(&str, &Option<Spanned<String>>); 6] = [
        ("title", &meta.title),
        ("kep-number", &meta.kep_number),
        ("owning-sig", &meta.owning_sig),
        ("status", &meta.status),
        ("stage", &meta.stage),
        ("creation-date", &meta.creation_date),
    ];
    let mut hits: Vec<(String, Range<usize>, String)> = Vec::new();
    for (name, v) in scalars {
        if let Some(v) = v
            && schema::is_template_leftover(name, &v.value)
        {
            hits.push((name.to_string(), v.span.clone(), v.value.trim().to_string()));
        }
    }
    if let Some(v) = &meta.last_updated
        && schema::is_template_leftover("last-updated", &v.value)
    {
        hits.push(("last-updated".into(), v.span.clone(), v.value.trim().to_string()));
    }
    let lists: [(&str, &Vec<Spanned<String>>); 4] = [
        ("participating-sigs", &meta.participating_sigs),
        ("see-also", &meta.see_also),
        ("replaces", &meta.replaces),
        ("metrics", &meta.metrics),
    ];
    for (name, items) in lists {
        for v in items {
            if schema::is_template_leftover(name, &v.value) {
                hits.push((name.to_string(), v.span.clone(), v.value.trim().to_string()));
            }
        }
    }
    for g in &meta.feature_gates {
        if let Some(n) = &g.name
            && schema::is_template_leftover("feature-gates", &n.value)
        {
            hits.push(("feature-gates".into(), n.span.clone(), n.value.trim().to_string()));
        }
    }
    let folder_number = c.location().and_then(|l| l.number);
    for (name, span, value) in hits {
        let mut f = Finding::new(
            Code::TemplateLeftover,
            span.clone(),
            format!("{name} is still the template's `{value}`: replace it with this KEP's value"),
        );
        // The mechanical ones: the number is the folder's, a new KEP's date is today.
        let replacement = match name.as_str() {
            "kep-number" => folder_number.clone(),
            "creation-date" | "last-updated" => c.ctx.today.map(str::to_string),
            _ => None,
        };
        if let Some(r) = replacement {
            f = f.with_fix(c.replace_value_fix(&span, &r, format!("Change to {r}")));
        }
        c.push(f);
    }
}
