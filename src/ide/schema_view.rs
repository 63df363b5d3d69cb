//! The field facts completion and hover show, read from `knowledge::schema` (the one table that
//! also drives validation, so the three never disagree), plus the presentation bits only the
//! authoring features need: type descriptions, each status's next step in the workflow, and
//! which fields hold people, KEP references, groups or dates.

use crate::knowledge::schema::{self, FieldType};

pub use crate::knowledge::schema::{Field as FieldInfo, STAGES, STATUSES};

/// Every kep.yaml field in template order.
pub(crate) fn fields() -> &'static [FieldInfo] {
    schema::FIELDS
}

pub(crate) fn field(name: &str) -> Option<&'static FieldInfo> {
    schema::field(name)
}

/// The keys of the `milestone` map, in lifecycle order.
pub(crate) fn milestone_keys() -> impl Iterator<Item = &'static str> {
    schema::MILESTONE_KEYS.iter().map(|k| k.name)
}

pub(crate) fn milestone_doc(key: &str) -> Option<&'static str> {
    schema::MILESTONE_KEYS
        .iter()
        .find(|k| k.name == key)
        .map(|k| k.docs)
}

/// The keys a PRR file has besides `kep-number`.
pub(crate) fn prr_stage_keys() -> &'static [&'static str] {
    schema::PRR_STAGE_KEYS
}

pub(crate) fn describe(ty: FieldType) -> &'static str {
    match ty {
        FieldType::String => "string",
        FieldType::StringList => "list of strings",
        FieldType::Map(_) => "map of stage to milestone",
        FieldType::FeatureGates => "list of {name, components}",
        FieldType::Bool => "boolean",
    }
}

/// Where a status leads (hover and completion show it beside the schema's meaning).
pub(crate) fn workflow_note(status: &str) -> &'static str {
    match status {
        "provisional" => "Next: implementable, once the approvers agree.",
        "implementable" => {
            "Next: implemented (or deferred, withdrawn). Needs stage and latest-milestone (R7)."
        }
        "implemented" => "The end state; a feature KEP must then be at stage stable (R20).",
        "deferred" => "May return to provisional or implementable.",
        "replaced" => "Name the successor in superseded-by.",
        _ => "",
    }
}

/// The description of a status with its workflow note.
pub(crate) fn status_doc(status: &str) -> String {
    let d = schema::status_description(status).unwrap_or("");
    let n = workflow_note(status);
    if n.is_empty() {
        d.to_string()
    } else {
        format!("{d} {n}")
    }
}

/// Whether a field holds GitHub handles.
pub(crate) fn is_people(name: &str) -> bool {
    matches!(name, "authors" | "reviewers" | "approvers" | "editor")
}

/// Whether a field holds KEP references.
pub(crate) fn is_kep_ref(name: &str) -> bool {
    matches!(name, "see-also" | "replaces" | "superseded-by")
}
