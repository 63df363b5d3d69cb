//! The values: status (R17), stage (R18, R12), latest-milestone and stage for implementable KEPs
//! (R7, R8), implemented => stable (R20), groups (R19), and the checks upstream lacks: milestone
//! map vs stage and order, dates, replaced without successor, template leftovers in scalars.

use std::ops::Range;

use super::Checker;
use crate::analysis::{Code, Finding, Fix, Severity, TextEdit};
use crate::knowledge::schema::{self, LEGACY_STATUSES, REMOVAL_STAGES, STAGES, STATUSES};
use crate::model::date::parse_date;
use crate::model::kep::{KepMetadata, Spanned};
use crate::model::milestone::{Version, parse_milestone};

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

fn status(c: &mut Checker<'_>, meta: &KepMetadata) {
    let Some(st) = &meta.status else { return };
    // Upstream compares the decoded string as it is: `"implementable "` (quoted, with a
    // space) or a block scalar's `implemented\n` is not a status.
    let value = st.value.as_str();
    if schema::is_status(value) || value.is_empty() {
        return;
    }
    if c.legacy && (LEGACY_STATUSES.contains(&value.trim()) || value.trim() == "accepted") {
        c.push(Finding::new(
            Code::LegacyStatus,
            st.span.clone(),
            format!("status `{value}` is from the 2017-2018 KEP workflow (today: provisional, implementable, implemented, ...)"),
        ));
        return;
    }
    let names = STATUSES.iter().map(|(n, _)| *n);
    let list: Vec<&str> = names.clone().collect();
    let mut f = Finding::new(
        Code::InvalidStatus,
        st.span.clone(),
        format!("invalid status: {value}, should be one of [{}]", list.join(" ")),
    );
    if let Some(s) = schema::did_you_mean(value, names) {
        f.message.push_str(&format!(": did you mean `{s}`?"));
        f = f.with_fix(c.replace_value_fix(&st.span, s, format!("Change status to `{s}`")));
    }
    c.push(f);
}

fn stage(c: &mut Checker<'_>, meta: &KepMetadata) {
    let Some(sg) = &meta.stage else { return };
    let value = sg.value.as_str();
    if schema::is_stage(value) || value.is_empty() {
        return;
    }
    let names = STAGES.iter().map(|(n, _)| *n);
    let list: Vec<&str> = names.clone().collect();
    let mut f = Finding::new(
        Code::InvalidStage,
        sg.span.clone(),
        format!("invalid stage: {value}, should be one of [{}]", list.join(" ")),
    );
    if let Some(s) = schema::did_you_mean(value, names) {
        f.message.push_str(&format!(": did you mean `{s}`?"));
        f = f.with_fix(c.replace_value_fix(&sg.span, s, format!("Change stage to `{s}`")));
    }
    c.push(f);
}

fn status_value(meta: &KepMetadata) -> &str {
    meta.status.as_ref().map(|s| s.value.as_str()).unwrap_or("")
}

fn milestones(c: &mut Checker<'_>, meta: &KepMetadata) {
    let status = status_value(meta);
    let prr_status = matches!(status, "implementable" | "implemented");
    let stage = meta
        .stage
        .as_ref()
        .map(|s| s.value.as_str())
        .filter(|s| !s.is_empty());
    let status_span = meta.status.as_ref().map(|s| s.span.clone()).unwrap_or(0..0);

    // R7 (upstream's PRR check, before it decides whether PRR applies).
    if prr_status && !c.legacy && c.ctx.profile().prr_rules {
        // Upstream tests `LatestMilestone == ""`: an empty value is as missing as no key.
        if meta.latest_milestone.as_ref().is_none_or(|l| l.value.is_empty()) {
            let mut f = Finding::new(
                Code::MissingMilestoneOrStage,
                status_span.clone(),
                format!(
                    "missing the latest milestone field: a {status} KEP needs `latest-milestone: \"vX.Y\"`"
                ),
            );
            if let Some(v) = stage.and_then(|s| meta.milestone.get(s))
                && !c.key_in_text("latest-milestone", None)
            {
                let insert = field_insert_point(c, meta, "latest-milestone");
                f = f.with_fix(Fix::new(
                    format!("Add `latest-milestone: \"{}\"`", v.value),
                    vec![TextEdit::insert(
                        insert.0,
                        format!("{}latest-milestone: \"{}\"\n", insert.1, v.value),
                    )],
                ));
            }
            c.push(f);
        }
        if stage.is_none() {
            let mut f = Finding::new(
                Code::MissingMilestoneOrStage,
                status_span.clone(),
                format!("missing the stage field: a {status} KEP needs `stage:` (alpha, beta, stable, ...)"),
            );
            // The latest stage the milestone map reached is the mechanical answer.
            let reached = STAGES
                .iter()
                .rev()
                .map(|(n, _)| *n)
                .find(|n| meta.milestone.contains_key(*n));
            if let Some(s) = reached
                && meta.stage.is_none()
                && !c.key_in_text("stage", None)
            {
                let insert = field_insert_point(c, meta, "stage");
                f = f.with_fix(Fix::new(
                    format!("Add `stage: {s}`"),
                    vec![TextEdit::insert(insert.0, format!("{}stage: {s}\n", insert.1))],
                ));
            }
            c.push(f);
        }
    }

    // R8: latest-milestone parses (an error where upstream parses it, else a warning).
    let latest = meta.latest_milestone.as_ref().and_then(|l| {
        let v = parse_milestone(&l.value);
        if v.is_none() && !l.value.trim().is_empty() {
            let sev = if prr_status && !c.legacy {
                Severity::Error
            } else {
                Severity::Warning
            };
            c.push(
                Finding::new(
                    Code::InvalidMilestone,
                    l.span.clone(),
                    format!(
                        "creating a SemVer object for latest milestone: `{}` is not a version like \"v1.30\"",
                        l.value
                    ),
                )
                .with_severity(sev),
            );
        }
        v.map(|v| (v, l))
    });
    let mut parsed: Vec<(&str, Version, &Spanned<String>)> = Vec::new();
    for (name, _) in STAGES {
        if let Some(m) = meta.milestone.get(*name) {
            let placeholder = matches!(
                m.value.trim().to_ascii_lowercase().as_str(),
                "" | "tbd" | "todo" | "n/a" | "x.y"
            );
            match parse_milestone(&m.value) {
                Some(v) => parsed.push((name, v, m)),
                // A future stage without a release yet: common and harmless.
                None if m.value.trim().is_empty() => {}
                None => c.push(
                    Finding::new(
                        Code::InvalidMilestone,
                        m.span.clone(),
                        format!("milestone.{name} `{}` is not a version like \"v1.30\"", m.value),
                    )
                    .with_severity(if placeholder {
                        Severity::Hint
                    } else {
                        Severity::Warning
                    }),
                ),
            }
        }
    }
    // Order within the feature track and the removal track.
    for track in [
        &["alpha", "beta", "stable"][..],
        &["deprecated", "disabled", "removed"][..],
    ] {
        let in_track: Vec<_> = parsed.iter().filter(|(n, _, _)| track.contains(n)).collect();
        for w in in_track.windows(2) {
            let (a, av, _) = w[0];
            let (b, bv, bs) = w[1];
            if bv < av {
                c.push(Finding::new(
                    Code::MilestoneOrder,
                    bs.span.clone(),
                    format!("milestone.{b} ({}) is before milestone.{a} ({}): a stage cannot come before the one it follows", bs.value, w[0].2.value),
                ));
            }
        }
    }
    // The stage should have its milestone, and latest-milestone should not be before it.
    if let Some(sg) = meta.stage.as_ref().filter(|s| schema::is_stage(s.value.trim())) {
        let s = sg.value.trim();
        let has_map = !meta.milestone.is_empty();
        match parsed.iter().find(|(n, _, _)| *n == s) {
            None if has_map && !meta.milestone.contains_key(s) => c.push(Finding::new(
                Code::MilestoneStageMismatch,
                sg.span.clone(),
                format!("stage is {s} but the milestone map has no `{s}:` entry: add the release of {s}"),
            )),
            Some((_, sv, sm)) => {
                if let Some((lv, l)) = latest
                    && lv < *sv
                {
                    c.push(Finding::new(
                        Code::MilestoneStageMismatch,
                        l.span.clone(),
                        format!(
                            "latest-milestone {} is before milestone.{s} {}: the current stage's release cannot be after the latest milestone",
                            l.value, sm.value
                        ),
                    ));
                }
            }
            None => {}
        }
        // R20: implemented implies stable (a removal KEP may end at deprecated/disabled/removed).
        if status_value(meta) == "implemented"
            && !c.legacy
            && sg.value != "stable"
            && !REMOVAL_STAGES.contains(&s)
        {
            c.push(
                Finding::new(
                    Code::ImplementedNotStable,
                    sg.span.clone(),
                    format!("status:implemented implies stage:stable but found: {s}"),
                )
                .with_fix(c.replace_value_fix(
                    &sg.span,
                    "stable",
                    "Change stage to `stable`".into(),
                )),
            );
        }
    }
}

/// Where to insert a new top-level field line: before the next present field in template
/// order, else at the end of the block. Returns (offset, prefix).
fn field_insert_point(c: &Checker<'_>, meta: &KepMetadata, name: &str) -> (usize, &'static str) {
    let pos = schema::FIELDS.iter().position(|f| f.name == name).unwrap_or(0);
    let next = schema::FIELDS[pos + 1..]
        .iter()
        .find_map(|f| meta.fields.iter().find(|e| e.key.value == f.name))
        .filter(|e| c.line_start(e.key.span.start) == e.key.span.start);
    match next {
        Some(e) => (e.key.span.start, ""),
        None => {
            let end = c.block.end.min(c.text.len());
            if end > 0 && !c.text[..end].ends_with('\n') {
                (end, "\n")
            } else {
                (end, "")
            }
        }
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

fn dates(c: &mut Checker<'_>, meta: &KepMetadata) {
    let today = c.ctx.today.and_then(|t| parse_date(t).ok());
    let mut parsed = Vec::new();
    for (name, d) in [
        ("creation-date", &meta.creation_date),
        ("last-updated", &meta.last_updated),
    ] {
        let Some(d) = d else {
            parsed.push(None);
            continue;
        };
        let v = d.value.trim();
        if schema::is_template_leftover(name, v) {
            parsed.push(None);
            continue;
        }
        match parse_date(v) {
            Ok(date) => {
                if let Some(t) = today
                    && date > t
                {
                    c.push(Finding::new(
                        Code::DateOrder,
                        d.span.clone(),
                        format!("{name} {v} is in the future"),
                    ));
                }
                parsed.push(Some((date, d)));
            }
            Err(why) => {
                let mut f = Finding::new(
                    Code::InvalidDate,
                    d.span.clone(),
                    format!("{name} `{v}` is not a date ({why}): write YYYY-MM-DD"),
                );
                // 2025-30-01: day and month swapped is the usual slip.
                if v.len() == 10 && v.is_ascii() {
                    let swapped = format!("{}-{}-{}", &v[0..4], &v[8..10], &v[5..7]);
                    if parse_date(&swapped).is_ok() {
                        f = f.with_fix(c.replace_value_fix(
                            &d.span,
                            &swapped,
                            format!("Change to {swapped}"),
                        ));
                    }
                }
                c.push(f);
                parsed.push(None);
            }
        }
    }
    if let (Some(Some((created, _))), Some(Some((updated, u)))) = (parsed.first(), parsed.get(1))
        && updated < created
    {
        let created_text = meta.creation_date.as_ref().map(|d| d.value.trim()).unwrap_or("");
        c.push(Finding::new(
            Code::DateOrder,
            u.span.clone(),
            format!(
                "last-updated {} is before creation-date {created_text}",
                u.value.trim()
            ),
        ));
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
