//! The authoring features as pure functions: completion, hover, code actions, symbols, links,
//! folding, and the new-KEP / promote scaffolding.
//!
//! Like the analysis core they take text, BYTE offsets and an `analysis::Context` (plus the
//! cached `WorkspaceFacts`) and return plain structs with byte ranges; the LSP edge converts
//! them to protocol types and positions. They work on half-typed, unparsable text.

pub(crate) mod anchor_links;
pub mod code_actions;
pub mod completion;
pub(crate) mod diagnostic_hover;
pub(crate) mod facts;
pub mod folding;
pub mod formatting;
pub(crate) mod groups;
pub mod hover;
pub(crate) mod inlay_hints;
pub mod links;
pub(crate) mod references;
pub(crate) mod rename;
pub mod scaffold;
pub(crate) mod schema_view;
pub mod symbols;
pub(crate) mod yaml_edit;

use std::ops::Range;

use crate::analysis::{DocumentKind, classify};
use crate::syntax::front_matter;

pub use facts::WorkspaceFacts;

/// The byte range of the YAML metadata in a file: the whole text of a kep.yaml or PRR file,
/// the lines between the first two `---` lines of a legacy KEP; `None` for other files.
pub(crate) fn metadata_block(path: &str, text: &str) -> Option<Range<usize>> {
    match classify(path, text) {
        DocumentKind::KepYaml | DocumentKind::PrrYaml => Some(0..text.len()),
        DocumentKind::Template if path.ends_with(".yaml") => Some(0..text.len()),
        DocumentKind::LegacyKep => front_matter::block(text),
        _ => None,
    }
}

/// The folder number and SIG a KEP path implies: `keps/sig-node/2625-name/kep.yaml` gives
/// (`Some("2625")`, `Some("sig-node")`).
pub(crate) fn path_facts(path: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let number = parts.iter().rev().skip(1).find_map(|p| {
        let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
        (!digits.is_empty() && p[digits.len()..].starts_with('-')).then_some(digits)
    });
    let sig = parts
        .iter()
        .position(|p| *p == "keps")
        .and_then(|i| parts.get(i + 1))
        .filter(|p| !p.ends_with(".md") && !p.ends_with(".yaml"))
        .map(|s| s.to_string());
    (number, sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_path_facts() {
        let md = "---\ntitle: x\n---\n# T\n";
        assert_eq!(&md[front_matter::block(md).unwrap()], "title: x\n");
        assert_eq!(front_matter::block("# T\n---\n"), None);
        assert_eq!(
            path_facts("keps/sig-node/2625-cpu/kep.yaml"),
            (Some("2625".into()), Some("sig-node".into()))
        );
        assert_eq!(path_facts("kep.yaml"), (None, None));
    }
}
