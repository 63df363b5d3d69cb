//! Rules on KEP metadata: kep.yaml and legacy front matter (R1-R5, R7, R8, R17-R20 and the
//! checks upstream lacks: dates, handles, milestones, template leftovers, duplicates).
//!
//! One `Checker` walks the parsed YAML once per family: `structure` (keys, types, required
//! fields), `values` (status, stage, milestones, groups, dates), `people` (handles, duplicate
//! entries, leftovers). Legacy front matter runs the same rules, leniently: it is history, so
//! nothing there is an error except YAML that does not parse.

mod node_approvers;
mod people;
mod structure;
mod values;

pub use people::is_handle;
pub use values::{Version, parse_date, parse_milestone};

use std::ops::Range;

use crate::analysis::metadata::{from_root, front_matter, parse_legacy};
use crate::analysis::rules::{layout, prr};
use crate::analysis::yaml::{self, YamlDoc};
use crate::analysis::{Code, Context, Finding, Fix, KepMetadata, Severity, TextEdit};

/// Check a kep.yaml: returns the model (when the YAML is a mapping) and the findings.
pub fn check_kep_yaml(path: &str, text: &str, ctx: &Context<'_>) -> (Option<KepMetadata>, Vec<Finding>) {
    let doc = yaml::parse(text);
    let meta = from_root(doc.root.as_ref(), 0..text.len(), false);
    let mut c = Checker::new(path, text, ctx, false, 0..text.len());
    c.run(&doc, &meta);
    let mut findings = c.findings;
    findings.extend(layout::check_kep_layout(path, text, &meta, ctx));
    if ctx.profile().prr_rules {
        findings.extend(prr::check_kep_prr(path, text, &meta, ctx));
    }
    (Some(meta), findings)
}

/// Check the front matter of a legacy single-file KEP (spans relative to the whole Markdown).
pub fn check_legacy_front_matter(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
) -> (Option<KepMetadata>, Vec<Finding>) {
    let Some((doc, meta)) = parse_legacy(text) else {
        let first = text.find('\n').unwrap_or(text.len());
        let f = Finding::new(
            Code::YamlSyntax,
            0..first,
            "the front matter is not closed: add a `---` line after the metadata",
        )
        .with_severity(Severity::Warning);
        return (None, vec![f]);
    };
    let block = front_matter(text).unwrap_or(0..0);
    let mut c = Checker::new(path, text, ctx, true, block);
    c.run(&doc, &meta);
    let mut findings = c.findings;
    // History: a legacy KEP predates strict validation and CI never checks it again, so
    // nothing there is an error (even YAML that does not parse); lower levels are kept.
    for f in &mut findings {
        if f.severity == Severity::Error {
            f.severity = Severity::Warning;
        }
    }
    (Some(meta), findings)
}

/// State shared by the metadata rule families.
pub(crate) struct Checker<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub ctx: &'a Context<'a>,
    pub legacy: bool,
    /// The byte range of the metadata block (whole file, or the front matter).
    pub block: Range<usize>,
    /// Whether the block parsed without a YAML error (then fixes must keep it so).
    pub parses: bool,
    pub findings: Vec<Finding>,
}

impl<'a> Checker<'a> {
    fn new(path: &'a str, text: &'a str, ctx: &'a Context<'a>, legacy: bool, block: Range<usize>) -> Self {
        Checker {
            path,
            text,
            ctx,
            legacy,
            block,
            parses: true,
            findings: Vec::new(),
        }
    }

    fn run(&mut self, doc: &YamlDoc, meta: &KepMetadata) {
        self.parses = doc.errors.is_empty();
        for e in &doc.errors {
            self.push(Finding::new(
                Code::YamlSyntax,
                e.range.clone(),
                format!("yaml: line {}: {}", e.line, e.message),
            ));
        }
        let Some(root) = doc.root.as_ref() else {
            if doc.errors.is_empty() {
                structure::check_required(self, None, meta);
            }
            return;
        };
        if root.as_mapping().is_none() {
            if !root.is_null() {
                self.push(Finding::new(
                    Code::WrongType,
                    root.span.clone(),
                    format!(
                        "cannot unmarshal {} into a KEP: the metadata must be a mapping of `key: value` lines",
                        root.yaml_tag()
                    ),
                ));
                return;
            }
            structure::check_required(self, None, meta);
            return;
        }
        structure::check(self, root, meta);
        values::check(self, meta);
        people::check(self, root, meta);
        if self.ctx.profile().sig_node_rules {
            node_approvers::check(self, root, meta);
        }
    }

    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// A range for "somewhere in the file": the first key, or the first line.
    pub fn first_key_range(&self, meta: &KepMetadata) -> Range<usize> {
        if let Some(f) = meta.fields.first() {
            return f.key.span.clone();
        }
        let start = self.block.start.min(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(self.text.len());
        start..end.min(self.block.end.max(start))
    }

    /// The start of the line holding `pos`.
    pub fn line_start(&self, pos: usize) -> usize {
        self.text
            .get(..pos)
            .and_then(|t| t.rfind('\n'))
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    /// Just past the newline ending the line holding `pos` (or the end of the text).
    pub fn line_end_incl(&self, pos: usize) -> usize {
        self.text
            .get(pos..)
            .and_then(|t| t.find('\n'))
            .map(|i| pos + i + 1)
            .unwrap_or(self.text.len())
    }

    /// An edit deleting the whole lines from `range.start` to `range.end`, if nothing else
    /// shares those lines (so that the YAML stays valid).
    pub fn delete_lines(&self, range: Range<usize>) -> Option<TextEdit> {
        let start = self.line_start(range.start);
        let before = self.text.get(start..range.start)?;
        if !matches!(before.trim(), "" | "-") {
            return None;
        }
        let end_line = self.line_end_incl(range.end.saturating_sub(1).max(range.start));
        let after = self.text.get(range.end..end_line)?.trim();
        if !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        Some(TextEdit::new(start..end_line, ""))
    }

    /// A fix replacing a spanned value (quote style read back from the text).
    pub fn replace_value_fix(&self, span: &Range<usize>, new_value: &str, title: String) -> Fix {
        let raw = self.text.get(span.clone()).unwrap_or("");
        let text = if raw.starts_with('"') {
            format!("\"{new_value}\"")
        } else if raw.starts_with('\'') {
            format!("'{new_value}'")
        } else {
            new_value.to_string()
        };
        Fix::new(title, vec![TextEdit::new(span.clone(), text)])
    }

    /// The KEP's location from its path (folder sig, number), when under `keps/`.
    pub fn location(&self) -> Option<layout::KepLocation> {
        layout::kep_location(self.path)
    }
}

#[cfg(test)]
mod tests;
