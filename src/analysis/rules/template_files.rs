//! The template folder is checked leniently: its placeholders are the point. Only what would
//! break tools that read it: YAML that does not parse and duplicate keys.

use crate::analysis::{Code, Finding};
use crate::syntax::front_matter;
use crate::syntax::yaml::{self, Node, NodeKind};

pub(crate) fn check_template_file(path: &str, text: &str) -> Vec<Finding> {
    let (doc, offset) = if path.ends_with(".yaml") || path.ends_with(".yml") {
        (yaml::parse(text), 0)
    } else if let Some(block) = front_matter::closed_block(text) {
        (yaml::parse(text.get(block.clone()).unwrap_or("")), block.start)
    } else {
        return Vec::new();
    };
    let mut out: Vec<Finding> = doc
        .errors
        .iter()
        .map(|e| {
            Finding::new(
                Code::YamlSyntax,
                e.range.start + offset..e.range.end + offset,
                format!("yaml: {}", e.message),
            )
        })
        .collect();
    if let Some(root) = &doc.root {
        duplicates(root, offset, &mut out);
    }
    out
}

fn duplicates(node: &Node, offset: usize, out: &mut Vec<Finding>) {
    match &node.kind {
        NodeKind::Mapping(pairs) => {
            for (i, (k, v)) in pairs.iter().enumerate() {
                if let Some(name) = k.as_str()
                    && pairs[..i].iter().any(|(p, _)| p.as_str() == Some(name))
                {
                    out.push(Finding::new(
                        Code::DuplicateKey,
                        k.span.start + offset..k.span.end + offset,
                        format!("mapping key \"{name}\" already defined: keep one"),
                    ));
                }
                duplicates(v, offset, out);
            }
        }
        NodeKind::Sequence(items) => items.iter().for_each(|n| duplicates(n, offset, out)),
        _ => {}
    }
}
