//! Builds the `KepMetadata` model from kep.yaml text or legacy front matter.
//!
//! Lenient by design: a value of the wrong type is left out of the model (the rules report it);
//! legacy `- name: "@x"` people entries are read as the handle they hold.

use std::ops::Range;

use crate::model::kep::{FeatureGate, FieldEntry, KepMetadata, Spanned};
use crate::syntax::front_matter;
use crate::syntax::yaml::{self, Node, NodeKind, YamlDoc};

/// Parse kep.yaml text into the model, reading what upstream reads (best effort: broken YAML
/// gives what could be read).
pub fn parse_metadata(text: &str) -> KepMetadata {
    let (doc, _) = parse_kep_yaml(text);
    from_root(doc.root.as_ref(), 0..text.len(), false)
}

/// bufio.Scanner's limit (`bufio.MaxScanTokenSize`, 64 KiB): upstream cannot read a line of
/// this many bytes or more (its newline not counted).
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024;

/// What upstream's `KEPHandler.Parse` (api/proposal.go) does to a kep.yaml before yaml.v3
/// sees it: it reads the file line by line with a `bufio.Scanner` (a line of 64 KiB or more
/// fails the whole file: `reading file: bufio.Scanner: token too long`) and drops every line
/// that *contains* `---`; with one such line only the text after it is YAML, with two or more
/// only the text between the first two.
#[derive(Debug, Clone, Default)]
pub struct KepYamlView {
    /// The text with every line upstream does not read blanked to spaces (same chars at the
    /// same char indices, every `\n` kept), and yaml.v3's accepted tabs turned to spaces.
    pub masked: String,
    /// 1-based lines containing `---`.
    pub split_lines: Vec<usize>,
    /// 1-based lines with content (not blank, not a comment) that upstream does not read.
    pub dropped_lines: Vec<usize>,
    /// The first line of 64 KiB or more (1-based), with its byte range.
    pub too_long: Option<(usize, Range<usize>)>,
    /// For each 1-based line of the file, the line number yaml.v3 gives it (0: not read).
    pub go_lines: Vec<usize>,
}

impl KepYamlView {
    /// The line number yaml.v3's messages give to 1-based file line `line`.
    pub(crate) fn go_line(&self, line: usize) -> usize {
        self.go_lines
            .get(line)
            .copied()
            .filter(|l| *l > 0)
            .unwrap_or(line)
    }
}

/// Upstream's view of a kep.yaml (see `KepYamlView`).
pub(crate) fn kep_yaml_view(text: &str) -> (KepYamlView, Option<yaml::YamlError>) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let split_lines: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("---"))
        .map(|(i, _)| i + 1)
        .collect();
    let keep = |line: usize| -> bool {
        match split_lines.as_slice() {
            [] => true,
            [only] => line > *only,
            [a, b, ..] => line > *a && line < *b,
        }
    };
    let mut view = KepYamlView {
        split_lines: split_lines.clone(),
        go_lines: vec![0],
        ..KepYamlView::default()
    };
    // One char per char of `text` (blanked lines keep their char count, not their bytes).
    let mut masked = String::with_capacity(text.len());
    let mut offset = 0;
    let mut go_line = 0;
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        let content = l.trim_end_matches('\n');
        if view.too_long.is_none() && content.len() >= MAX_LINE_BYTES {
            view.too_long = Some((n, offset..offset + content.len()));
        }
        let kept = keep(n) && !split_lines.contains(&n);
        if kept {
            go_line += 1;
            view.go_lines.push(go_line);
            masked.push_str(l);
        } else {
            view.go_lines.push(0);
            let t = content.trim();
            if !split_lines.contains(&n) && !t.is_empty() && !t.starts_with('#') {
                view.dropped_lines.push(n);
            }
            masked.extend(l.chars().map(|c| if c == '\n' { c } else { ' ' }));
        }
        offset += l.len();
    }
    let (masked, first_error) = yaml::mask_go_tabs(text, masked);
    view.masked = masked;
    (view, first_error)
}

/// Parse a kep.yaml as upstream reads it: the YAML parse of `kep_yaml_view`'s text, with
/// spans into `text`.
pub fn parse_kep_yaml(text: &str) -> (YamlDoc, KepYamlView) {
    let (view, first_error) = kep_yaml_view(text);
    let doc = yaml::parse_masked(text, &view.masked, first_error);
    (doc, view)
}

/// Parse the front matter of a legacy KEP: the YAML parse (spans relative to the WHOLE text)
/// and the model. `None` when there is no closed front matter.
pub(crate) fn parse_legacy(text: &str) -> Option<(YamlDoc, KepMetadata)> {
    let block = front_matter::closed_block(text)?;
    let mut doc = yaml::parse(text.get(block.clone())?);
    if let Some(root) = doc.root.as_mut() {
        root.shift(block.start);
    }
    for e in &mut doc.errors {
        e.range = e.range.start + block.start..e.range.end + block.start;
        e.line += 1;
    }
    let meta = from_root(doc.root.as_ref(), block, true);
    Some((doc, meta))
}

/// Build the model from a parsed root (a mapping; anything else gives an empty model).
pub(crate) fn from_root(root: Option<&Node>, block: Range<usize>, legacy: bool) -> KepMetadata {
    let mut m = KepMetadata {
        block,
        legacy,
        ..KepMetadata::default()
    };
    let Some(pairs) = root.and_then(Node::as_mapping) else {
        return m;
    };
    for (k, v) in pairs {
        let Some(key) = k.as_str() else { continue };
        m.fields.push(FieldEntry {
            key: Spanned::new(key.to_string(), k.span.clone()),
            value_span: v.span.clone(),
        });
        // The first occurrence wins for the model; duplicates are the rules' business.
        if m.fields.iter().filter(|f| f.key.value == key).count() > 1 {
            continue;
        }
        match key {
            "title" => m.title = string(v),
            "kep-number" => m.kep_number = string(v),
            "authors" => m.authors = people(v),
            "owning-sig" => m.owning_sig = string(v),
            "participating-sigs" => m.participating_sigs = strings(v),
            "reviewers" => m.reviewers = people(v),
            "approvers" => m.approvers = people(v),
            "editor" => m.editor = person(v),
            "creation-date" => m.creation_date = string(v),
            "last-updated" => m.last_updated = string(v),
            "status" => m.status = string(v),
            "see-also" => m.see_also = strings(v),
            "replaces" => m.replaces = strings(v),
            "superseded-by" => m.superseded_by = strings(v),
            "stage" => m.stage = string(v),
            "latest-milestone" => m.latest_milestone = string(v),
            "milestone" => {
                for (mk, mv) in v.as_mapping().unwrap_or(&[]) {
                    if let (Some(name), Some(val)) = (mk.as_str(), string(mv)) {
                        m.milestone.entry(name.to_string()).or_insert(val);
                    }
                }
            }
            "feature-gates" => {
                for item in v.as_sequence().unwrap_or(&[]) {
                    if item.as_mapping().is_some() {
                        m.feature_gates.push(FeatureGate {
                            name: item.get("name").and_then(string),
                            components: item.get("components").map(strings).unwrap_or_default(),
                        });
                    }
                }
            }
            "disable-supported" => {
                m.disable_supported = v
                    .as_str()
                    .and_then(parse_bool)
                    .map(|b| Spanned::new(b, v.span.clone()))
            }
            "metrics" => m.metrics = strings(v),
            _ => {}
        }
    }
    m
}

/// yaml.v3's reading of a bool field (YAML 1.2 core plus the 1.1 words it still accepts for
/// typed bools).
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => Some(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => Some(false),
        _ => None,
    }
}

/// A scalar as a string (non-null); what yaml.v3 puts into a Go string field.
pub(crate) fn string(n: &Node) -> Option<Spanned<String>> {
    match &n.kind {
        NodeKind::Scalar(s) if !s.is_null() => Some(Spanned::new(s.value.clone(), n.span.clone())),
        _ => None,
    }
}

/// The scalars of a sequence.
pub(crate) fn strings(n: &Node) -> Vec<Spanned<String>> {
    n.as_sequence().unwrap_or(&[]).iter().filter_map(string).collect()
}

/// A person: a scalar, or a legacy map: the 2017 draft of KEP-1 wrote `{name: Caleb Miles,
/// github: calebamiles, slack: ...}` (the handle is `github`), 2018 KEPs `{name: "@x"}`.
fn person(n: &Node) -> Option<Spanned<String>> {
    string(n)
        .or_else(|| n.get("github").and_then(string))
        .or_else(|| n.get("name").and_then(string))
}

fn people(n: &Node) -> Vec<Spanned<String>> {
    n.as_sequence().unwrap_or(&[]).iter().filter_map(person).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_from_kep_yaml() {
        let t = "title: X\nkep-number: 1591\nauthors:\n  - \"@a\"\nmilestone:\n  beta: \"v1.2\"\nstage:\n";
        let m = parse_metadata(t);
        assert_eq!(m.kep_number.as_ref().map(|s| s.value.as_str()), Some("1591"));
        assert_eq!(&t[m.authors[0].span.clone()], "\"@a\"");
        assert_eq!(m.milestone["beta"].value, "v1.2");
        assert!(m.stage.is_none());
        assert_eq!(m.fields.len(), 5);
    }

    #[test]
    fn upstream_view_splits_on_lines_containing_dashes() {
        // One such line: only the text after it.
        let t = "title: A\n# ---- people ----\nstatus: provisional\n";
        let (doc, view) = parse_kep_yaml(t);
        let root = doc.root.unwrap();
        assert_eq!(root.get("title"), None);
        assert_eq!(root.get("status").and_then(Node::as_str), Some("provisional"));
        assert_eq!(view.dropped_lines, [1]);
        assert_eq!(view.go_line(3), 1);
        // Two or more: the text between the first two.
        let t = "---\ntitle: A\n---\nstatus: x\n---\n";
        let (doc, view) = parse_kep_yaml(t);
        let root = doc.root.unwrap();
        assert_eq!(root.get("title").and_then(Node::as_str), Some("A"));
        assert_eq!(root.get("status"), None);
        assert_eq!(view.split_lines, [1, 3, 5]);
    }

    #[test]
    fn lines_of_64_kib_fail_upstream() {
        let t = format!("title: {}\n", "x".repeat(MAX_LINE_BYTES));
        assert_eq!(kep_yaml_view(&t).0.too_long.map(|(l, _)| l), Some(1));
        let t = format!("title: {}\n", "x".repeat(MAX_LINE_BYTES - 8));
        assert_eq!(kep_yaml_view(&t).0.too_long, None);
    }

    #[test]
    fn legacy_front_matter_spans_are_whole_file() {
        let t = "---\ntitle: Old\nreviewers:\n  - name: \"@tim\"\n---\n# Body\n";
        let (doc, m) = parse_legacy(t).unwrap();
        assert!(doc.errors.is_empty());
        let title = m.title.unwrap();
        assert_eq!(&t[title.span.clone()], "Old");
        assert_eq!(&t[m.reviewers[0].span.clone()], "\"@tim\"");
        assert_eq!(
            &t[m.block.clone()],
            "title: Old\nreviewers:\n  - name: \"@tim\"\n"
        );
        assert!(m.legacy);
        assert_eq!(front_matter::closed_block("# no\n"), None);
        assert_eq!(front_matter::closed_block("---\nopen: forever\n"), None);
    }
}
