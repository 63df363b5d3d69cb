//! The KEP metadata model: what a kep.yaml (or legacy front matter) says, with the byte span of
//! every value so that rules, hover, completion and code actions can point at it.
//!
//! Built by `metadata::parse_metadata`; read by the README rules (title, stage), the workspace
//! index and the LSP features. Spans are byte ranges into the text that was analysed (for legacy
//! KEPs: the whole Markdown file, not just the front matter).

use std::collections::BTreeMap;
use std::ops::Range;

/// A value with the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Spanned { value, span }
    }
}

/// One top-level key of the metadata, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEntry {
    pub key: Spanned<String>,
    /// The span of the value node (empty at the end of the key when the value is missing).
    pub value_span: Range<usize>,
}

/// The metadata of one KEP. Absent fields are `None`/empty; wrong-typed ones are reported by the
/// rules and left out here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KepMetadata {
    pub title: Option<Spanned<String>>,
    pub kep_number: Option<Spanned<String>>,
    pub authors: Vec<Spanned<String>>,
    pub owning_sig: Option<Spanned<String>>,
    pub participating_sigs: Vec<Spanned<String>>,
    pub reviewers: Vec<Spanned<String>>,
    pub approvers: Vec<Spanned<String>>,
    pub editor: Option<Spanned<String>>,
    pub creation_date: Option<Spanned<String>>,
    pub last_updated: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
    pub see_also: Vec<Spanned<String>>,
    pub replaces: Vec<Spanned<String>>,
    pub superseded_by: Vec<Spanned<String>>,
    pub stage: Option<Spanned<String>>,
    pub latest_milestone: Option<Spanned<String>>,
    /// `milestone:` sub-keys (`alpha`, `beta`, ...) to their values.
    pub milestone: BTreeMap<String, Spanned<String>>,
    pub feature_gates: Vec<FeatureGate>,
    pub disable_supported: Option<Spanned<bool>>,
    pub metrics: Vec<Spanned<String>>,
    /// Read from legacy front matter (a 2017-2019 single-file KEP).
    pub legacy: bool,
    /// Every top-level key in file order (for completion of missing fields, outline, hover).
    pub fields: Vec<FieldEntry>,
    /// The byte range of the metadata block in the analysed text (whole file for kep.yaml; the
    /// lines between the `---` markers for legacy KEPs).
    pub block: Range<usize>,
}

/// One `feature-gates` item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeatureGate {
    pub name: Option<Spanned<String>>,
    pub components: Vec<Spanned<String>>,
}
