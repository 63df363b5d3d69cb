//! The promises every analysis result keeps, whatever the input: the fuzz targets and the
//! property tests check the same list (tests/proptest_*.rs include this file by path).
//!
//! - every finding's range, and every fix edit's range, lies inside the text on char boundaries;
//! - a finding has a message;
//! - the edits of one fix do not overlap (an LSP `WorkspaceEdit` must not overlap);
//! - a fix applied to YAML that parsed cleanly leaves YAML that still parses cleanly (for
//!   kep.yaml, PRR files and a legacy KEP's front matter).

use std::ops::Range;

use kep_lsp::analysis::{Analysis, DocumentKind, apply_edits};
use kep_lsp::syntax::front_matter;
use kep_lsp::syntax::yaml;

/// The first broken promise, described; `Ok` when all hold.
pub fn check_analysis(text: &str, analysis: &Analysis) -> Result<(), String> {
    for f in &analysis.findings {
        check_range(text, &f.range).map_err(|e| format!("{} range {:?}: {e}", f.code.as_str(), f.range))?;
        if f.message.trim().is_empty() {
            return Err(format!("{} has an empty message", f.code.as_str()));
        }
        for fix in &f.fixes {
            let mut ranges: Vec<&Range<usize>> = fix.edits.iter().map(|e| &e.range).collect();
            for r in &ranges {
                check_range(text, r)
                    .map_err(|e| format!("{} fix {:?} edit {r:?}: {e}", f.code.as_str(), fix.title))?;
            }
            ranges.sort_by_key(|r| (r.start, r.end));
            for w in ranges.windows(2) {
                // Touching is fine; two inserts at one point are fine; overlap is not.
                if w[1].start < w[0].end {
                    return Err(format!(
                        "{} fix {:?} has overlapping edits {:?} and {:?}",
                        f.code.as_str(),
                        fix.title,
                        w[0],
                        w[1]
                    ));
                }
            }
            let fixed = apply_edits(text, &fix.edits);
            check_fix_keeps_yaml(analysis.kind, text, &fixed)
                .map_err(|e| format!("{} fix {:?}: {e}", f.code.as_str(), fix.title))?;
        }
    }
    Ok(())
}

/// Inside `text` and on char boundaries.
pub fn check_range(text: &str, r: &Range<usize>) -> Result<(), String> {
    if r.start > r.end {
        return Err("start after end".into());
    }
    if r.end > text.len() {
        return Err(format!("ends past the text ({} bytes)", text.len()));
    }
    if !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
        return Err("not on a char boundary".into());
    }
    Ok(())
}

/// The YAML a fix touches: the whole file for kep.yaml/PRR, the front matter for legacy KEPs.
fn yaml_part(kind: Option<DocumentKind>, text: &str) -> Option<&str> {
    match kind? {
        DocumentKind::KepYaml | DocumentKind::PrrYaml => Some(text),
        DocumentKind::LegacyKep => front_matter::closed_block(text).and_then(|r| text.get(r)),
        _ => None,
    }
}

/// Whether `text` parses as YAML without a syntax error.
pub fn yaml_parses(text: &str) -> bool {
    yaml::parse(text).errors.is_empty()
}

fn check_fix_keeps_yaml(kind: Option<DocumentKind>, before: &str, after: &str) -> Result<(), String> {
    let Some(old) = yaml_part(kind, before) else {
        return Ok(());
    };
    if !yaml_parses(old) {
        return Ok(());
    }
    match yaml_part(kind, after) {
        Some(new) if yaml_parses(new) => Ok(()),
        Some(new) => Err(format!("the fixed YAML no longer parses:\n{new}")),
        None => Err("the fix removed the front matter".into()),
    }
}
