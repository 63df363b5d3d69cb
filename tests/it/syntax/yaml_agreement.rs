//! The YAML reader's two views agree: on every kep.yaml and PRR file of ../shared/enhancements
//! and on every YAML input of the golden metadata cases (../shared/golden/meta), where the
//! parse succeeds, the line structure has the parser's keys, at the parser's byte spans, with
//! the parser's nesting: for each key of a block mapping, `path_at(key start)` is the key's
//! path in the tree, the top-level keys are the tree's, and each one-line scalar value has
//! the parser's span. A document written as one flow
//! mapping (`{ "title": ... }`, JSON) has no block structure to compare. Skips (with a note) without
//! ../shared. Left out: files with anchors or merge keys (there the tree holds copies whose
//! spans are the alias's) and with explicit keys (`? key` / `: value`, which the line reading
//! does not read; only the golden cases' hostile inputs use them).

use std::path::{Path, PathBuf};

use kep_lsp::syntax::yaml::{self, Node, NodeKind, PathSegment};

use crate::common;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Every key of a block mapping in the tree under `node`, with its path (outermost first).
fn block_keys(text: &str, node: &Node, path: &mut Vec<PathSegment>, out: &mut Vec<(Vec<PathSegment>, Node)>) {
    // Flow collections are one value on the line: the line structure does not look inside.
    if text[node.span.clone()].starts_with(['{', '[']) {
        return;
    }
    match &node.kind {
        NodeKind::Mapping(pairs) => {
            for (k, v) in pairs {
                let NodeKind::Scalar(name) = &k.kind else { continue };
                let name = &name.value;
                path.push(PathSegment::Key(name.to_string()));
                out.push((path.clone(), k.clone()));
                block_keys(text, v, path, out);
                path.pop();
            }
        }
        NodeKind::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(PathSegment::Item(i));
                block_keys(text, item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The scalar values of block mappings and block sequences (not inside flow collections, not
/// block scalars), with their key as written (`- item` for a sequence's).
fn block_scalars(text: &str, node: &Node, out: &mut Vec<(String, Node)>) {
    if text[node.span.clone()].starts_with(['{', '[']) {
        return;
    }
    let one_line = |s: &yaml::Scalar| !matches!(s.style, yaml::Style::Literal | yaml::Style::Folded);
    match &node.kind {
        NodeKind::Mapping(pairs) => {
            for (k, v) in pairs {
                match &v.kind {
                    NodeKind::Scalar(s) if one_line(s) => {
                        out.push((text[k.span.clone()].to_string(), v.clone()))
                    }
                    _ => block_scalars(text, v, out),
                }
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                match &item.kind {
                    NodeKind::Scalar(s) if one_line(s) => out.push(("- item".to_string(), item.clone())),
                    _ => block_scalars(text, item, out),
                }
            }
        }
        _ => {}
    }
}

/// The disagreements on one file (empty when the parse fails: nothing to compare).
fn disagreements(text: &str, values: &mut usize) -> Vec<String> {
    let y = yaml::read(text, 0..text.len());
    let doc = y.parsed();
    let Some(root) = doc.root.as_ref().filter(|_| doc.errors.is_empty()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut keys = Vec::new();
    block_keys(text, root, &mut Vec::new(), &mut keys);
    let mut scalars = Vec::new();
    block_scalars(text, root, &mut scalars);
    if let NodeKind::Mapping(pairs) = &root.kind
        && !text[root.span.clone()].starts_with('{')
    {
        let tree: Vec<&str> = pairs
            .iter()
            .filter_map(|(k, _)| match &k.kind {
                NodeKind::Scalar(s) => Some(s.value.as_str()),
                _ => None,
            })
            .collect();
        if tree != y.top_keys() {
            out.push(format!("top keys: tree {tree:?}, lines {:?}", y.top_keys()));
        }
    }
    for (path, key) in keys {
        let got = y.path_at(key.span.start);
        if got != path {
            out.push(format!(
                "key at {:?}: tree path {path:?}, lines {got:?}",
                key.span
            ));
            continue;
        }
        let line = &y.lines[y.line_at(key.span.start).unwrap()];
        let range = match &line.kind {
            yaml::LineKind::Key { key, .. } => Some(key.clone()),
            yaml::LineKind::Item { key, .. } => key.clone(),
            _ => None,
        };
        if range.as_ref() != Some(&key.span) {
            out.push(format!("key {path:?}: tree span {:?}, lines {range:?}", key.span));
        }
    }
    // One-line scalars: the value as the line reading cuts it (comment and blanks left out)
    // is the parser's span.
    for (key, value) in scalars {
        if value.span.is_empty() || text[value.span.clone()].contains(['\n', '\r']) {
            continue;
        }
        *values += 1;
        let line = &y.lines[y.line_at(value.span.start).unwrap()];
        let got = match &line.kind {
            yaml::LineKind::Key { value, .. } => Some(value.clone()),
            yaml::LineKind::Item { value, key: None, .. } => Some(value.clone()),
            yaml::LineKind::Item {
                key: Some(k), value, ..
            } => {
                let after = k.end + 1;
                let rest = &text[after..value.end];
                Some(after + (rest.len() - rest.trim_start().len())..value.end)
            }
            _ => None,
        };
        if got.as_ref() != Some(&value.span) {
            out.push(format!(
                "value of {key:?}: tree {:?} {:?}, lines {got:?}",
                value.span,
                &text[value.span.clone()],
            ));
        }
    }
    out
}

#[test]
fn line_structure_agrees_with_the_parse_on_real_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    let enhancements = shared.join("enhancements/keps");
    yaml_files(&enhancements, &mut files);
    files.retain(|p| {
        p.file_name().is_some_and(|n| n == "kep.yaml")
            || p.components().any(|c| c.as_os_str() == "prod-readiness")
    });
    yaml_files(&shared.join("golden/meta/cases"), &mut files);
    let (mut compared, mut values, mut failed) = (0, 0, Vec::new());
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let explicit_keys = text.lines().any(|l| l.trim_start().starts_with("? "));
        if text.contains("<<") || text.contains('&') || text.contains('*') || explicit_keys {
            continue;
        }
        compared += 1;
        let d = disagreements(&text, &mut values);
        if !d.is_empty() {
            failed.push(format!("{}:\n  {}", p.display(), d.join("\n  ")));
        }
    }
    eprintln!(
        "yaml agreement: {compared} files compared ({values} one-line values), {} disagree",
        failed.len()
    );
    assert!(compared > 0 || files.is_empty());
    assert!(
        failed.is_empty(),
        "{} files disagree:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
