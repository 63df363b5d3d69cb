//! The one table of kep.yaml fields that drives validation, completion and hover.
//!
//! Mirrors `api.Proposal` of kubernetes/enhancements (api/proposal.go) and the template
//! (keps/NNNN-kep-template/kep.yaml). Validation in `analysis::rules::metadata` reads the types,
//! `required` flags and allowed values from here; the LSP's completion and hover read the docs.

/// The type a field's value must have (what yaml.v3 decodes it into).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    /// A Go `string`: any scalar (an int like `kep-number: 1591` is accepted as a string).
    String,
    /// A Go `[]string`: a sequence of scalars.
    StringList,
    /// A map with fixed sub-keys (the `milestone` map), each a string.
    Map(&'static [SubKey]),
    Bool,
    /// `feature-gates`: a list of `{name: string, components: [string]}`.
    FeatureGates,
}

/// A fixed sub-key of a map field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubKey {
    pub name: &'static str,
    pub docs: &'static str,
}

/// One kep.yaml field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    /// Required by upstream CI (R5: go-playground `required`).
    pub required: bool,
    /// The values allowed, when the field is an enum (status, stage).
    pub allowed: &'static [&'static str],
    /// One paragraph for hover.
    pub docs: &'static str,
    /// What the template holds (a leftover when left in a real KEP), as YAML text.
    pub template: Option<&'static str>,
    /// The upstream rule that checks the field, if any.
    pub rule: Option<&'static str>,
    /// Only valid in legacy front matter (2017-2019 single-file KEPs).
    pub legacy_only: bool,
}

/// The KEP statuses (api/proposal.go `ValidStatuses`), in upstream's order, with meaning.
pub const STATUSES: &[(&str, &str)] = &[
    (
        "provisional",
        "Proposed and being defined; the owning SIG agrees the work is needed.",
    ),
    (
        "implementable",
        "The approvers approved the KEP for implementation.",
    ),
    ("implemented", "Implemented and no longer actively changed."),
    ("deferred", "Not actively worked on."),
    ("rejected", "Not moving forward; kept as history."),
    ("withdrawn", "Withdrawn by its authors."),
    (
        "replaced",
        "Replaced by a new KEP; `superseded-by` should point to it.",
    ),
];

/// Statuses of the 2017-2018 workflow that legacy KEPs may carry (history, not errors).
pub(crate) const LEGACY_STATUSES: &[&str] = &[
    "draft",
    "opened",
    "accepted",
    "started",
    "orphaned",
    "retired",
    "superseded",
];

/// The stages (api/proposal.go `ValidStages`), in order, with meaning.
pub const STAGES: &[(&str, &str)] = &[
    ("alpha", "Alpha: behind a feature gate, off by default."),
    ("beta", "Beta: well tested, usually on by default."),
    ("stable", "Stable (GA): the feature gate is locked on or removed."),
    ("deprecated", "Removal: the feature is deprecated."),
    ("disabled", "Removal: the feature is disabled by default."),
    ("removed", "Removal: the feature is removed."),
];

/// The stages of a removal (deprecated -> disabled -> removed): an implemented KEP may end there.
pub(crate) const REMOVAL_STAGES: &[&str] = &["deprecated", "disabled", "removed"];

/// The `milestone:` sub-keys (api/proposal.go `Milestone`).
pub(crate) const MILESTONE_KEYS: &[SubKey] = &[
    SubKey {
        name: "alpha",
        docs: "The release in which the feature reached (or targets) alpha.",
    },
    SubKey {
        name: "beta",
        docs: "The release in which the feature reached (or targets) beta.",
    },
    SubKey {
        name: "stable",
        docs: "The release in which the feature reached (or targets) stable (GA).",
    },
    SubKey {
        name: "deprecated",
        docs: "The release in which the feature was (or will be) deprecated.",
    },
    SubKey {
        name: "disabled",
        docs: "The release in which the feature was (or will be) disabled.",
    },
    SubKey {
        name: "removed",
        docs: "The release in which the feature was (or will be) removed.",
    },
];

/// The keys of one `feature-gates` item.
pub(crate) const FEATURE_GATE_KEYS: &[SubKey] = &[
    SubKey {
        name: "name",
        docs: "The feature gate's name, e.g. `MyFeature`.",
    },
    SubKey {
        name: "components",
        docs: "The components that must enable it, e.g. `kube-apiserver`.",
    },
];

/// Values for a feature gate's `components`: the Kubernetes binaries that read feature gates,
/// most used first (by how often the keps/ tree of kubernetes/enhancements names them, 2026:
/// kube-apiserver 237, kubelet 157, kube-controller-manager 111, kube-scheduler 80, ...).
pub(crate) const COMPONENTS: &[(&str, &str)] = &[
    (
        "kube-apiserver",
        "The API server: API fields, validation, admission, registry behaviour.",
    ),
    (
        "kubelet",
        "The node agent: pods, containers, volumes and devices on the node.",
    ),
    (
        "kube-controller-manager",
        "The built-in controllers (workloads, nodes, endpoints, GC...).",
    ),
    (
        "kube-scheduler",
        "The default scheduler: placement, plugins, preemption.",
    ),
    (
        "kube-proxy",
        "The node's Service proxy (iptables, ipvs, nftables).",
    ),
    ("kubectl", "The command-line client."),
    (
        "cloud-controller-manager",
        "The cloud provider's controllers (nodes, routes, load balancers).",
    ),
    ("kubeadm", "The cluster bootstrap tool."),
];

/// The keys of a PRR file (api/approval.go `PRRApproval`) besides `kep-number`.
pub(crate) const PRR_STAGE_KEYS: &[&str] = &["alpha", "beta", "stable", "deprecated", "removed", "disabled"];

/// Top-level keys the Go struct accepts by accident (untagged fields): flagged as unknown warnings.
pub(crate) const QUIRK_KEYS: &[&str] = &["id", "name", "path", "prnumber"];

macro_rules! field {
    ($name:literal, $ty:expr, $req:expr, $allowed:expr, $tpl:expr, $rule:expr, $docs:literal) => {
        Field {
            name: $name,
            ty: $ty,
            required: $req,
            allowed: $allowed,
            docs: $docs,
            template: $tpl,
            rule: $rule,
            legacy_only: false,
        }
    };
}

const STATUS_NAMES: &[&str] = &[
    "provisional",
    "implementable",
    "implemented",
    "deferred",
    "rejected",
    "withdrawn",
    "replaced",
];
const STAGE_NAMES: &[&str] = &["alpha", "beta", "stable", "deprecated", "disabled", "removed"];

/// Every kep.yaml field, in the template's order.
pub(crate) const FIELDS: &[Field] = &[
    field!(
        "title",
        FieldType::String,
        true,
        &[],
        Some("KEP Template"),
        Some("R5"),
        "The KEP's title; should match the README's `# KEP-NNNN: Title` heading."
    ),
    field!(
        "kep-number",
        FieldType::String,
        true,
        &[],
        Some("NNNN"),
        Some("R5"),
        "The tracking issue number in kubernetes/enhancements; equals the folder's number."
    ),
    field!(
        "authors",
        FieldType::StringList,
        true,
        &[],
        Some("- \"@jane.doe\""),
        Some("R5"),
        "GitHub handles of the authors, quoted with `@` (`- \"@jane\"`)."
    ),
    field!(
        "owning-sig",
        FieldType::String,
        true,
        &[],
        Some("sig-xyz"),
        Some("R5"),
        "The group that owns the KEP: a `dir` of sigs.yaml (`sig-node`, `wg-batch`, ...)."
    ),
    field!(
        "participating-sigs",
        FieldType::StringList,
        false,
        &[],
        Some("- sig-aaa"),
        Some("R19"),
        "Other groups involved, each a `dir` of sigs.yaml."
    ),
    field!(
        "status",
        FieldType::String,
        true,
        STATUS_NAMES,
        Some("provisional|implementable|implemented|deferred|rejected|withdrawn|replaced"),
        Some("R17"),
        "Where the KEP stands: provisional, implementable, implemented, deferred, rejected, withdrawn or replaced."
    ),
    field!(
        "creation-date",
        FieldType::String,
        false,
        &[],
        Some("yyyy-mm-dd"),
        None,
        "The date the KEP was created, `YYYY-MM-DD`."
    ),
    field!(
        "reviewers",
        FieldType::StringList,
        false,
        &[],
        Some("- \"@alice.doe\""),
        None,
        "GitHub handles of the reviewers."
    ),
    field!(
        "approvers",
        FieldType::StringList,
        true,
        &[],
        Some("- \"@oscar.doe\""),
        Some("R5"),
        "GitHub handles of the approvers (from the owning SIG)."
    ),
    field!(
        "editor",
        FieldType::String,
        false,
        &[],
        None,
        None,
        "Legacy: the KEP editor's handle. Still accepted."
    ),
    field!(
        "last-updated",
        FieldType::String,
        false,
        &[],
        None,
        None,
        "The date of the last significant change, `YYYY-MM-DD`; not before creation-date."
    ),
    field!(
        "see-also",
        FieldType::StringList,
        false,
        &[],
        Some("- \"/keps/sig-aaa/1234-we-heard-you-like-keps\""),
        None,
        "Related KEPs, as paths (`/keps/sig-x/NNNN-name`)."
    ),
    field!(
        "replaces",
        FieldType::StringList,
        false,
        &[],
        Some("- \"/keps/sig-ccc/3456-replaced-kep\""),
        None,
        "KEPs this one replaces, as paths."
    ),
    field!(
        "superseded-by",
        FieldType::StringList,
        false,
        &[],
        None,
        None,
        "KEPs that replace this one, as paths (set it when status is replaced)."
    ),
    field!(
        "stage",
        FieldType::String,
        false,
        STAGE_NAMES,
        Some("alpha|beta|stable"),
        Some("R18"),
        "The target maturity stage in the current release cycle: alpha, beta, stable, or for removals deprecated, disabled, removed. Required for implementable/implemented KEPs."
    ),
    field!(
        "latest-milestone",
        FieldType::String,
        false,
        &[],
        Some("\"v1.19\""),
        Some("R8"),
        "The most recent release worked on, `vMAJOR.MINOR` (e.g. `\"v1.30\"`). Required for implementable/implemented KEPs."
    ),
    field!(
        "milestone",
        FieldType::Map(MILESTONE_KEYS),
        false,
        &[],
        None,
        None,
        "The release of each stage: `alpha`, `beta`, `stable` (and `deprecated`, `disabled`, `removed`), each `\"vX.Y\"`."
    ),
    field!(
        "feature-gates",
        FieldType::FeatureGates,
        false,
        &[],
        Some("- name: MyFeature"),
        None,
        "The feature gates: a list of `{name, components}`."
    ),
    field!(
        "disable-supported",
        FieldType::Bool,
        false,
        &[],
        Some("true"),
        None,
        "Whether the feature can be disabled once enabled (true/false)."
    ),
    field!(
        "metrics",
        FieldType::StringList,
        false,
        &[],
        Some("- my_feature_metric"),
        None,
        "Metrics that tell whether the feature works."
    ),
];

/// Legacy front-matter keys that kep.yaml never had (2018-2019 template).
pub(crate) const LEGACY_FIELDS: &[Field] = &[Field {
    name: "kep-number",
    ty: FieldType::String,
    required: false,
    allowed: &[],
    docs: "Legacy: the KEP's number (often missing or 0 in 2018-2019 KEPs).",
    template: None,
    rule: None,
    legacy_only: true,
}];

/// Template values that, left in a real KEP, are leftovers (value, field).
pub(crate) const TEMPLATE_LEFTOVERS: &[(&str, &str)] = &[
    ("title", "KEP Template"),
    ("kep-number", "NNNN"),
    ("authors", "@jane.doe"),
    ("owning-sig", "sig-xyz"),
    ("participating-sigs", "sig-aaa"),
    ("participating-sigs", "sig-bbb"),
    ("reviewers", "@alice.doe"),
    ("approvers", "@oscar.doe"),
    (
        "status",
        "provisional|implementable|implemented|deferred|rejected|withdrawn|replaced",
    ),
    ("stage", "alpha|beta|stable"),
    ("creation-date", "yyyy-mm-dd"),
    ("last-updated", "yyyy-mm-dd"),
    ("see-also", "/keps/sig-aaa/1234-we-heard-you-like-keps"),
    ("see-also", "/keps/sig-bbb/2345-everyone-gets-a-kep"),
    ("replaces", "/keps/sig-ccc/3456-replaced-kep"),
    ("feature-gates", "MyFeature"),
    ("metrics", "my_feature_metric"),
];

/// The Go field of `api.Proposal` that kep.yaml key `key` decodes into, as upstream's
/// messages name it (`Key: 'Proposal.Number' ...`); "" for a key that is not a field.
pub(crate) fn go_field_name(key: &str) -> &'static str {
    match key {
        "title" => "Title",
        "kep-number" => "Number",
        "authors" => "Authors",
        "owning-sig" => "OwningSIG",
        "participating-sigs" => "ParticipatingSIGs",
        "reviewers" => "Reviewers",
        "approvers" => "Approvers",
        "editor" => "Editor",
        "creation-date" => "CreationDate",
        "last-updated" => "LastUpdated",
        "status" => "Status",
        "see-also" => "SeeAlso",
        "replaces" => "Replaces",
        "superseded-by" => "SupersededBy",
        "stage" => "Stage",
        "latest-milestone" => "LatestMilestone",
        "milestone" => "Milestone",
        "feature-gates" => "FeatureGates",
        "disable-supported" => "DisableSupported",
        "metrics" => "Metrics",
        _ => "",
    }
}

/// The field called `name`, if kep.yaml has one.
pub(crate) fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The required fields (R5), in template order.
pub(crate) fn required_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|f| f.required)
}

pub(crate) fn is_status(s: &str) -> bool {
    STATUSES.iter().any(|(n, _)| *n == s)
}

pub(crate) fn is_stage(s: &str) -> bool {
    STAGES.iter().any(|(n, _)| *n == s)
}

pub(crate) fn status_description(s: &str) -> Option<&'static str> {
    STATUSES.iter().find(|(n, _)| *n == s).map(|(_, d)| *d)
}

/// Whether `value` of `field` is what the template holds.
pub(crate) fn is_template_leftover(field: &str, value: &str) -> bool {
    TEMPLATE_LEFTOVERS
        .iter()
        .any(|(f, v)| *f == field && *v == value.trim())
}

/// The closest of `candidates` to `word` if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.trim().to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let d = strsim::levenshtein(&w, c);
        let limit = if c.len() <= 4 { 1 } else { 2.max(c.len() / 4) };
        let score = strsim::jaro_winkler(&w, c);
        let plausible = d <= limit || score >= 0.9 || (w.len() > 3 && c.starts_with(&w)) || w.starts_with(c);
        if plausible && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_are_upstreams() {
        let names: Vec<_> = required_fields().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "title",
                "kep-number",
                "authors",
                "owning-sig",
                "status",
                "approvers"
            ]
        );
    }

    #[test]
    fn go_names_are_upstreams() {
        assert_eq!(go_field_name("kep-number"), "Number");
        assert_eq!(go_field_name("owning-sig"), "OwningSIG");
        assert!(FIELDS.iter().all(|f| !go_field_name(f.name).is_empty()));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("imlpemented", STATUS_NAMES.iter().copied()),
            Some("implemented")
        );
        assert_eq!(
            did_you_mean("editors", FIELDS.iter().map(|f| f.name)),
            Some("editor")
        );
        assert_eq!(did_you_mean("monkeys", STAGE_NAMES.iter().copied()), None);
    }
}
