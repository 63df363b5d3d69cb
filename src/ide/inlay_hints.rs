//! Inlay hints on kep.yaml: after each `see-also`, `replaces` and `superseded-by` entry, the
//! title and status of the KEP it names (from the workspace index), so a reader sees what a
//! bare `/keps/sig-x/NNNN-name` path is without opening it. An entry that names no KEP gets no
//! hint: the `unresolved-reference` finding already says so.

use crate::analysis::{DocumentKind, classify};
use crate::ide::WorkspaceFacts;
use crate::model::kep_yaml::parse_metadata;

/// One hint: `label` shown at byte `offset` of the text (the end of the reference's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlayHint {
    pub offset: usize,
    pub label: String,
}

/// The hints of a kep.yaml (`path` decides the kind; other files get none), in text order.
/// Labels read `Title · status` (`status` left out when the KEP has none).
pub(crate) fn inlay_hints(path: &str, text: &str, facts: &WorkspaceFacts) -> Vec<InlayHint> {
    if classify(path, text) != DocumentKind::KepYaml {
        return Vec::new();
    }
    let meta = parse_metadata(text);
    let mut out: Vec<InlayHint> = meta
        .see_also
        .iter()
        .chain(&meta.replaces)
        .chain(&meta.superseded_by)
        .filter_map(|r| {
            let kep = facts.resolve_ref(&r.value)?;
            let title = kep.title.trim();
            let status = kep.status.trim();
            let label = match (title.is_empty(), status.is_empty()) {
                (_, true) => format!("KEP-{}: {title}", kep.number.trim()),
                _ => format!("KEP-{}: {title} · {status}", kep.number.trim()),
            };
            Some(InlayHint {
                offset: r.span.end.min(text.len()),
                label,
            })
        })
        .collect();
    out.sort_by_key(|h| h.offset);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::KepEntry;

    fn facts() -> WorkspaceFacts {
        let kep = |n: &str, dir: &str, title: &str, status: &str| KepEntry {
            number: n.into(),
            title: title.into(),
            owning_sig: "sig-node".into(),
            status: status.into(),
            stage: String::new(),
            latest_milestone: String::new(),
            dir: dir.into(),
            metadata_path: format!("{dir}/kep.yaml"),
            people: Vec::new(),
        };
        WorkspaceFacts {
            keps: vec![
                kep("1002", "keps/sig-node/1002-b", "Node stuff", "implemented"),
                kep("1003", "keps/sig-apps/1003-c", "Apps work", ""),
            ]
            .into(),
            handles: Vec::new(),
            newest_milestone: None,
            next_kep_number: 1004,
        }
    }

    #[test]
    fn title_and_status_after_each_resolved_reference() {
        let text = "title: A\nsee-also:\n  - \"/keps/sig-node/1002-b\"\n  - /keps/sig-x/9-none\nreplaces:\n  - keps/sig-apps/1003-c/\nsuperseded-by:\n  - KEP-1002\n";
        let hints = inlay_hints("keps/sig-node/1001-a/kep.yaml", text, &facts());
        let got: Vec<(&str, &str)> = hints
            .iter()
            .map(|h| (&text[..h.offset], h.label.as_str()))
            .map(|(before, l)| (before.rsplit('\n').next().unwrap_or(""), l))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "  - \"/keps/sig-node/1002-b\"",
                    "KEP-1002: Node stuff · implemented"
                ),
                ("  - keps/sig-apps/1003-c/", "KEP-1003: Apps work"),
                ("  - KEP-1002", "KEP-1002: Node stuff · implemented"),
            ]
        );
        assert!(inlay_hints("keps/sig-node/1001-a/README.md", text, &facts()).is_empty());
    }
}
