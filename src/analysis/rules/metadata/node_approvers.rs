//! R16: sig-node's approver rules (upstream pkg/nodeapprovers), for kep.yaml files under
//! `keps/sig-node/` when the repository is known.
//!
//! 1. Markers: an entry of `reviewers`/`approvers` with the inline comment
//!    `# sig-node-assigned-reviewer` / `# sig-node-assigned-approver` must be listed in the same
//!    role of the OWNERS file beside the kep.yaml, and every OWNERS entry must be so marked.
//! 2. Tech leads (KEPs whose latest-milestone is v1.36 or later, not withdrawn/rejected/replaced):
//!    an actively-alpha KEP lists a `sig-node-tech-leads` member and no marker; any other lists a
//!    tech lead or a marked approver. "Actively alpha" (stage alpha, latest-milestone the upcoming
//!    release or later) needs the upcoming release, which upstream fetches from GitHub
//!    (kubernetes/sig-release's newest `releases/release-1.NN`); here it is the context's
//!    (`Context::upcoming_release`: a setting, `check --release`, else the release calendar on
//!    today's date), never another KEP's milestone. Without one, only what fails for any
//!    release is reported.

use std::ops::Range;

use super::Checker;
use crate::analysis::{Code, Finding};
use crate::knowledge::owners::parse_owners;
use crate::model::kep::KepMetadata;
use crate::model::milestone::parse_milestone;
use crate::syntax::yaml::Node;

const REVIEWER_MARKER: &str = "sig-node-assigned-reviewer";
const APPROVER_MARKER: &str = "sig-node-assigned-approver";
const TECH_LEADS_ALIAS: &str = "sig-node-tech-leads";
/// KEPs whose latest-milestone is before v1.36 are grandfathered for the tech-lead rule.
const MIN_ENFORCED_MINOR: u64 = 36;

/// One people entry: normalized handle, span, and whether it carries `marker`.
struct Person {
    user: String,
    span: Range<usize>,
    marked: bool,
}

fn normalize(s: &str) -> String {
    s.trim().trim_start_matches('@').to_ascii_lowercase()
}

/// The scalar items of a people list with their inline comment checked against `marker`.
fn people(c: &Checker<'_>, list: Option<&Node>, marker: &str) -> Vec<Person> {
    let items = list.and_then(Node::as_sequence).unwrap_or(&[]);
    items
        .iter()
        .filter_map(|item| {
            let value = item.as_str()?;
            let rest_of_line = c
                .text
                .get(item.span.end..c.line_end_incl(item.span.end))
                .unwrap_or("");
            let comment = rest_of_line.trim().strip_prefix('#').map(str::trim).unwrap_or("");
            Some(Person {
                user: normalize(value),
                span: item.span.clone(),
                marked: comment == marker,
            })
        })
        .collect()
}

pub(super) fn check(c: &mut Checker<'_>, root: &Node, meta: &KepMetadata) {
    if c.legacy || !c.ctx.workspace.has_root() {
        return;
    }
    let Some(loc) = c.location().filter(|l| l.sig == "sig-node") else {
        return;
    };
    let reviewers = people(c, root.get("reviewers"), REVIEWER_MARKER);
    let approvers = people(c, root.get("approvers"), APPROVER_MARKER);
    markers(c, root, &loc.dir, &reviewers, &approvers);
    tech_leads(c, root, meta, &approvers);
}

fn key_span(root: &Node, key: &str, meta_first: Range<usize>) -> Range<usize> {
    root.as_mapping()
        .and_then(|p| p.iter().find(|(k, _)| k.as_str() == Some(key)))
        .map(|(k, _)| k.span.clone())
        .unwrap_or(meta_first)
}

fn markers(c: &mut Checker<'_>, root: &Node, dir: &str, reviewers: &[Person], approvers: &[Person]) {
    let marked_r: Vec<&Person> = reviewers.iter().filter(|p| p.marked).collect();
    let marked_a: Vec<&Person> = approvers.iter().filter(|p| p.marked).collect();
    let owners_path = format!("{dir}/OWNERS");
    let Some(owners_text) = c.ctx.workspace.file_text(&owners_path) else {
        for (role, p) in marked_r
            .iter()
            .map(|p| ("reviewer", p))
            .chain(marked_a.iter().map(|p| ("approver", p)))
        {
            c.push(Finding::new(
                Code::SigNodeApprovers,
                p.span.clone(),
                format!(
                    "assigned {role} \"{}\": OWNERS file not found: add {owners_path} listing them",
                    p.user
                ),
            ));
        }
        return;
    };
    let owners = parse_owners(&owners_text);
    for (role, marked, listed, key) in [
        ("reviewer", &marked_r, &owners.reviewers, "reviewers"),
        ("approver", &marked_a, &owners.approvers, "approvers"),
    ] {
        for p in marked.iter() {
            if !listed.iter().any(|o| normalize(o) == p.user) {
                c.push(Finding::new(
                    Code::SigNodeApprovers,
                    p.span.clone(),
                    format!(
                        "assigned {role} \"{}\" not listed under {key} in OWNERS: add them there",
                        p.user
                    ),
                ));
            }
        }
        let marker = if role == "reviewer" {
            REVIEWER_MARKER
        } else {
            APPROVER_MARKER
        };
        for o in listed {
            let u = normalize(o);
            if !marked.iter().any(|p| p.user == u) {
                let span = key_span(root, key, 0..0);
                c.push(Finding::new(
                    Code::SigNodeApprovers,
                    span,
                    format!(
                        "assigned {role} \"{u}\" listed in OWNERS but not annotated as {marker} in kep.yaml: add `- \"@{u}\" # {marker}`"
                    ),
                ));
            }
        }
    }
}

fn tech_leads(c: &mut Checker<'_>, root: &Node, meta: &KepMetadata, approvers: &[Person]) {
    let status = meta.status.as_ref().map(|s| s.value.trim()).unwrap_or("");
    if matches!(status, "withdrawn" | "rejected" | "replaced") {
        return;
    }
    let minor = meta
        .latest_milestone
        .as_ref()
        .and_then(|m| parse_milestone(&m.value))
        .map(|v| v.1)
        .unwrap_or(0);
    if minor < MIN_ENFORCED_MINOR {
        return;
    }
    let approvers_key = key_span(root, "approvers", c.first_key_range(meta));
    if approvers.is_empty() {
        c.push(Finding::new(
            Code::SigNodeApprovers,
            approvers_key,
            "no approvers listed: a sig-node KEP needs a sig-node-tech-leads member or an assigned approver",
        ));
        return;
    }
    let leads: Vec<String> = c
        .ctx
        .knowledge
        .alias(TECH_LEADS_ALIAS)
        .iter()
        .map(|m| normalize(m))
        .collect();
    if leads.is_empty() {
        return;
    }
    let has_lead = approvers.iter().any(|p| leads.contains(&p.user));
    let has_marked = approvers.iter().any(|p| p.marked);
    let stage = meta.stage.as_ref().map(|s| s.value.trim()).unwrap_or("");
    let upcoming = c.ctx.upcoming_release();
    let assumed = upcoming.map(|u| {
        let estimated = if u.estimated {
            " (estimated by the release calendar)"
        } else {
            ""
        };
        format!("; assuming the upcoming release is {}{estimated}", u.name())
    });
    if stage != "alpha" {
        if !has_lead && !has_marked {
            c.push(Finding::new(
                Code::SigNodeApprovers,
                approvers_key,
                format!("non-alpha KEP must list a {TECH_LEADS_ALIAS} member or an approver marked # {APPROVER_MARKER}"),
            ));
        }
        return;
    }
    let Some(upcoming) = upcoming else {
        // Actively alpha or not, a KEP with neither a tech lead nor a marked approver fails.
        if !has_lead && !has_marked {
            c.push(Finding::new(
                Code::SigNodeApprovers,
                approvers_key,
                format!(
                    "alpha-stage KEP must list a {TECH_LEADS_ALIAS} member as approver ({}), or, once its latest-milestone is before the upcoming release, an approver marked # {APPROVER_MARKER}",
                    leads.join(", ")
                ),
            ));
        }
        return;
    };
    let assumed = assumed.unwrap_or_default();
    if minor >= upcoming.minor {
        if !has_lead {
            c.push(Finding::new(
                Code::SigNodeApprovers,
                approvers_key,
                format!(
                    "alpha-stage KEP must list at least one {TECH_LEADS_ALIAS} member as approver ({}){assumed}",
                    leads.join(", ")
                ),
            ));
        }
        for p in approvers.iter().filter(|p| p.marked) {
            c.push(Finding::new(
                Code::SigNodeApprovers,
                p.span.clone(),
                format!(
                    "alpha-stage KEP must not use # {APPROVER_MARKER} marker (\"{}\"){assumed}",
                    p.user
                ),
            ));
        }
    } else if !has_lead && !has_marked {
        // Upstream words this "non-alpha KEP must ...": the KEP is alpha, from a past cycle.
        c.push(Finding::new(
            Code::SigNodeApprovers,
            approvers_key,
            format!(
                "alpha-stage KEP from a past cycle (latest-milestone v1.{minor}, before the upcoming release) must list a {TECH_LEADS_ALIAS} member or an approver marked # {APPROVER_MARKER}{assumed}"
            ),
        ));
    }
}
