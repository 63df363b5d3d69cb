//! The field facts completion and hover show: the kep.yaml fields in template order with their
//! type, whether CI requires them, their allowed values and documentation.
//!
//! This is a view over `knowledge::schema` so that completion and hover say what validation
//! checks. Until the schema table lands on main it holds the same facts (from kep-format.md §2-3)
//! itself; the accessors below are the only thing the features call.

/// The shape of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    StringList,
    /// The `milestone` map.
    Milestones,
    FeatureGates,
    Bool,
}

impl FieldType {
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::StringList => "list of strings",
            FieldType::Milestones => "map of stage to milestone",
            FieldType::FeatureGates => "list of {name, components}",
            FieldType::Bool => "boolean",
        }
    }
}

/// One kep.yaml field as the features see it.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ty: FieldType,
    /// Required by CI (R5).
    pub required: bool,
    pub doc: &'static str,
    /// The upstream rule that checks the field, if any.
    pub rule: Option<&'static str>,
}

const FIELDS: &[FieldInfo] = &[
    FieldInfo {
        name: "title",
        ty: FieldType::String,
        required: true,
        rule: Some("R5"),
        doc: "The KEP's title. Should match the README's `# KEP-NNNN: Title` heading.",
    },
    FieldInfo {
        name: "kep-number",
        ty: FieldType::String,
        required: true,
        rule: Some("R5"),
        doc: "The tracking issue number in kubernetes/enhancements; the same number starts the KEP's folder name.",
    },
    FieldInfo {
        name: "authors",
        ty: FieldType::StringList,
        required: true,
        rule: Some("R5"),
        doc: "GitHub handles of the authors, usually quoted with `@` (`- \"@jane.doe\"`).",
    },
    FieldInfo {
        name: "owning-sig",
        ty: FieldType::String,
        required: true,
        rule: Some("R19"),
        doc: "The SIG that owns the KEP (a `dir` of sigs.yaml, e.g. `sig-node`); normally the SIG folder the KEP lives in.",
    },
    FieldInfo {
        name: "participating-sigs",
        ty: FieldType::StringList,
        required: false,
        rule: Some("R19"),
        doc: "Other groups involved, each a `dir` of sigs.yaml.",
    },
    FieldInfo {
        name: "status",
        ty: FieldType::String,
        required: true,
        rule: Some("R17"),
        doc: "Where the KEP is in the workflow: provisional, implementable, implemented, deferred, rejected, withdrawn or replaced.",
    },
    FieldInfo {
        name: "creation-date",
        ty: FieldType::String,
        required: false,
        rule: None,
        doc: "The date the KEP was first written, `YYYY-MM-DD`.",
    },
    FieldInfo {
        name: "last-updated",
        ty: FieldType::String,
        required: false,
        rule: None,
        doc: "The date of the last substantial change, `YYYY-MM-DD`; not before creation-date.",
    },
    FieldInfo {
        name: "reviewers",
        ty: FieldType::StringList,
        required: false,
        rule: None,
        doc: "GitHub handles of the reviewers (`TBD` while unknown).",
    },
    FieldInfo {
        name: "approvers",
        ty: FieldType::StringList,
        required: true,
        rule: Some("R5"),
        doc: "GitHub handles of the approvers from the owning SIG (for sig-node: its approvers and tech leads, R16).",
    },
    FieldInfo {
        name: "editor",
        ty: FieldType::String,
        required: false,
        rule: None,
        doc: "Legacy field, still accepted: the KEP's editor.",
    },
    FieldInfo {
        name: "see-also",
        ty: FieldType::StringList,
        required: false,
        rule: None,
        doc: "Related KEPs as repo paths (`/keps/sig-aaa/1234-name`).",
    },
    FieldInfo {
        name: "replaces",
        ty: FieldType::StringList,
        required: false,
        rule: None,
        doc: "KEPs this one replaces, as repo paths.",
    },
    FieldInfo {
        name: "superseded-by",
        ty: FieldType::StringList,
        required: false,
        rule: None,
        doc: "KEPs that replace this one, as repo paths; expected when the status is `replaced`.",
    },
    FieldInfo {
        name: "stage",
        ty: FieldType::String,
        required: false,
        rule: Some("R7, R12, R18"),
        doc: "The target maturity stage in the current cycle: alpha, beta, stable (features) or deprecated, disabled, removed (removals). Required for implementable/implemented KEPs.",
    },
    FieldInfo {
        name: "latest-milestone",
        ty: FieldType::String,
        required: false,
        rule: Some("R7, R8"),
        doc: "The most recent release with work on this KEP, `\"vX.Y\"`. Required for implementable/implemented KEPs; from v1.21 on it makes a PRR file necessary.",
    },
    FieldInfo {
        name: "milestone",
        ty: FieldType::Milestones,
        required: false,
        rule: Some("R2"),
        doc: "The release at which the feature was, or is targeted to be, at each stage (`alpha`, `beta`, `stable`, `deprecated`, `disabled`, `removed`).",
    },
    FieldInfo {
        name: "feature-gates",
        ty: FieldType::FeatureGates,
        required: false,
        rule: Some("R2"),
        doc: "The feature gates and the components that must enable them (PRR, from alpha).",
    },
    FieldInfo {
        name: "disable-supported",
        ty: FieldType::Bool,
        required: false,
        rule: None,
        doc: "Whether the feature can be disabled once enabled (PRR, from alpha).",
    },
    FieldInfo {
        name: "metrics",
        ty: FieldType::StringList,
        required: false,
        rule: None,
        doc: "Metrics that tell whether the feature works (PRR, from beta).",
    },
];

/// Every kep.yaml field in template order.
pub fn fields() -> &'static [FieldInfo] {
    FIELDS
}

pub fn field(name: &str) -> Option<&'static FieldInfo> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The statuses with their place in the workflow.
pub const STATUSES: &[(&str, &str)] = &[
    (
        "provisional",
        "Proposed and being defined; the owning SIG agrees the work is needed. Next: implementable.",
    ),
    (
        "implementable",
        "Approvers approved it for implementation. Next: implemented (or deferred/withdrawn).",
    ),
    (
        "implemented",
        "Implemented and no longer actively changed; requires stage stable for features (R20).",
    ),
    ("deferred", "Not actively worked on."),
    ("rejected", "Not moving forward; kept as history."),
    ("withdrawn", "Withdrawn by the authors."),
    (
        "replaced",
        "Replaced by a new KEP; `superseded-by` should point to it.",
    ),
];

/// The stages with their meaning.
pub const STAGES: &[(&str, &str)] = &[
    ("alpha", "Feature stage: off by default behind a feature gate."),
    (
        "beta",
        "Feature stage: usually on by default, API may still change.",
    ),
    ("stable", "Feature stage: generally available (GA)."),
    ("deprecated", "Removal stage: the feature is deprecated."),
    ("disabled", "Removal stage: the feature is disabled by default."),
    ("removed", "Removal stage: the feature is removed."),
];

/// The keys of the `milestone` map, in lifecycle order.
pub const MILESTONE_KEYS: &[&str] = &["alpha", "beta", "stable", "deprecated", "disabled", "removed"];

/// Whether a field holds GitHub handles.
pub fn is_people(name: &str) -> bool {
    matches!(name, "authors" | "reviewers" | "approvers" | "editor")
}

/// Whether a field holds KEP references.
pub fn is_kep_ref(name: &str) -> bool {
    matches!(name, "see-also" | "replaces" | "superseded-by")
}

/// Whether a field holds group names.
pub fn is_sig(name: &str) -> bool {
    matches!(name, "owning-sig" | "participating-sigs")
}

pub fn is_date(name: &str) -> bool {
    matches!(name, "creation-date" | "last-updated")
}
