//! latest-milestone and stage for implementable KEPs (R7, R8), and the milestone map against
//! the stage and in release order.

use super::*;

pub(super) fn milestones(c: &mut Checker<'_>, meta: &KepMetadata) {
    let status = status_value(meta);
    let prr_status = matches!(status, "implementable" | "implemented");
    if prr_status && !c.legacy && c.ctx.profile().prr_rules {
        prr_fields(c, meta);
    }
    let latest = latest_milestone(c, meta, prr_status);
    let parsed = milestone_map(c, meta);
    stage_consistency(c, meta, latest, &parsed);
}

/// R7 (upstream's PRR check, before it decides whether PRR applies): an implementable or
/// implemented KEP has `latest-milestone` and `stage`.
fn prr_fields(c: &mut Checker<'_>, meta: &KepMetadata) {
    let status = status_value(meta);
    let stage = meta
        .stage
        .as_ref()
        .map(|s| s.value.as_str())
        .filter(|s| !s.is_empty());
    let status_span = meta.status.as_ref().map(|s| s.span.clone()).unwrap_or(0..0);
    // Upstream tests `LatestMilestone == ""`: an empty value is as missing as no key.
    if meta.latest_milestone.as_ref().is_none_or(|l| l.value.is_empty()) {
        let mut f = Finding::new(
            Code::MissingMilestoneOrStage,
            status_span.clone(),
            format!("missing the latest milestone field: a {status} KEP needs `latest-milestone: \"vX.Y\"`"),
        );
        if let Some(v) = stage.and_then(|s| meta.milestone.get(s))
            && !c.key_in_text("latest-milestone", None)
        {
            f = f.with_fix(Fix::new(
                format!("Add `latest-milestone: \"{}\"`", v.value),
                vec![c.insert_field("latest-milestone", &format!("latest-milestone: \"{}\"", v.value))],
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
            f = f.with_fix(Fix::new(
                format!("Add `stage: {s}`"),
                vec![c.insert_field("stage", &format!("stage: {s}"))],
            ));
        }
        c.push(f);
    }
}

/// R8: latest-milestone parses (an error where upstream parses it, else a warning); its version
/// and field when it does.
fn latest_milestone<'m>(
    c: &mut Checker<'_>,
    meta: &'m KepMetadata,
    prr_status: bool,
) -> Option<(Version, &'m Spanned<String>)> {
    meta.latest_milestone.as_ref().and_then(|l| {
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
    })
}

/// The milestone map's entries that parse, in stage order (the others reported), each track
/// (alpha/beta/stable, deprecated/disabled/removed) checked to be in release order.
fn milestone_map<'m>(
    c: &mut Checker<'_>,
    meta: &'m KepMetadata,
) -> Vec<(&'static str, Version, &'m Spanned<String>)> {
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
    parsed
}

/// The stage has its milestone, latest-milestone is not before it, and an implemented KEP is
/// stable (R20).
fn stage_consistency(
    c: &mut Checker<'_>,
    meta: &KepMetadata,
    latest: Option<(Version, &Spanned<String>)>,
    parsed: &[(&'static str, Version, &Spanned<String>)],
) {
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
