//! "A fix never makes a file worse", checked mechanically: every fix a finding offers, and the
//! fix-all action, applied to the file, must not
//! 1. duplicate a key: a `key:` line (same key, same indentation) that the text already had
//!    (parsable or not) must not appear more often after the fix;
//! 2. turn YAML that parsed (as upstream reads it) into YAML that does not;
//! 3. add an error finding: no error code may be reported more often after the fix.
//!
//! Used by tests/it/golden/meta.rs (the golden cases) and tests/it/corpus/fixes.rs (the real tree).
#![allow(dead_code)]

use std::collections::BTreeMap;

use kep_lsp::analysis::{Analysis, DocumentKind, Severity, TextEdit, apply_edits, classify};
use kep_lsp::ide::code_actions::fix_all;
use kep_lsp::model::kep_yaml::parse_kep_yaml;
use kep_lsp::syntax::yaml;

/// `(indentation, key)` of every line that looks like a mapping key (`key:`, `- key:`), counted.
fn key_lines(text: &str) -> BTreeMap<(usize, String), usize> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let rest = line.trim_start_matches([' ', '-']);
        let key: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if key.is_empty() {
            continue;
        }
        let after = rest[key.len()..].trim_start_matches([' ', '\t']);
        if after.starts_with(':') && after[1..].chars().next().is_none_or(|c| c == ' ' || c == '\t') {
            *out.entry((indent, key)).or_insert(0) += 1;
        }
    }
    out
}

/// Whether the metadata parses as upstream reads it (kep.yaml: `KEPHandler.Parse`'s view).
fn parses(path: &str, text: &str) -> bool {
    match classify(path, text) {
        DocumentKind::KepYaml => parse_kep_yaml(text).0.errors.is_empty(),
        DocumentKind::PrrYaml => yaml::parse(text).errors.is_empty(),
        _ => true,
    }
}

fn error_counts(a: &Analysis) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for f in a.findings.iter().filter(|f| f.severity == Severity::Error) {
        *out.entry(f.code.as_str()).or_insert(0) += 1;
    }
    out
}

/// Apply every offered fix (and fix-all) to `text` at `path`, re-analysing with `analyse`;
/// returns one line per violation (empty when every fix is safe) and the number of fixes tried.
pub fn check_fixes(path: &str, text: &str, analyse: &dyn Fn(&str) -> Analysis) -> (Vec<String>, usize) {
    let before = analyse(text);
    let mut candidates: Vec<(String, Vec<TextEdit>)> = Vec::new();
    for f in &before.findings {
        for fix in &f.fixes {
            candidates.push((
                format!("{} fix `{}`", f.code.as_str(), fix.title),
                fix.edits.clone(),
            ));
        }
    }
    if let Some(all) = fix_all(&before.findings) {
        candidates.push((all.title.clone(), all.edits.clone()));
    }
    let keys_before = key_lines(text);
    let parsed_before = parses(path, text);
    let errors_before = error_counts(&before);
    let mut bad = Vec::new();
    for (what, edits) in &candidates {
        let fixed = apply_edits(text, edits);
        let keys_after = key_lines(&fixed);
        for ((indent, key), n) in &keys_after {
            let was = keys_before.get(&(*indent, key.clone())).copied().unwrap_or(0);
            if was > 0 && *n > was {
                bad.push(format!(
                    "{path}: {what}: adds a second `{key}:` (indent {indent})"
                ));
            }
        }
        if parsed_before && !parses(path, &fixed) {
            bad.push(format!("{path}: {what}: the YAML no longer parses"));
        }
        let after = analyse(&fixed);
        for (code, n) in error_counts(&after) {
            let was = errors_before.get(code).copied().unwrap_or(0);
            if n > was {
                bad.push(format!("{path}: {what}: adds an error {code} ({was} -> {n})"));
            }
        }
    }
    (bad, candidates.len())
}
