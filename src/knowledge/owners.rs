//! OWNERS and OWNERS_ALIASES files: aliases and their members, approvers and reviewers.
//!
//! Used for the PRR approvers (`prod-readiness-approvers` in OWNERS_ALIASES, R11) and for the
//! sig-node approver rules (R16). Handles are returned without `@`.

use std::collections::BTreeMap;

use crate::syntax::yaml::{self, Node};

/// Every alias of an OWNERS_ALIASES text with its members (without `@`). Empty when the text
/// has no `aliases` mapping or does not parse.
pub(crate) fn aliases(text: &str) -> BTreeMap<String, Vec<String>> {
    let doc = yaml::parse(text);
    let Some(pairs) = doc
        .root
        .as_ref()
        .and_then(|r| r.get("aliases"))
        .and_then(Node::as_mapping)
    else {
        return BTreeMap::new();
    };
    pairs
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), string_list(v))))
        .collect()
}

/// An OWNERS file: its approvers and reviewers (aliases left as written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Owners {
    pub approvers: Vec<String>,
    pub reviewers: Vec<String>,
}

/// Parse an OWNERS file (top-level `approvers`/`reviewers`; `filters` are not merged).
pub(crate) fn parse_owners(text: &str) -> Owners {
    let doc = yaml::parse(text);
    let get = |k: &str| {
        doc.root
            .as_ref()
            .and_then(|r| r.get(k))
            .map(string_list)
            .unwrap_or_default()
    };
    Owners {
        approvers: get("approvers"),
        reviewers: get("reviewers"),
    }
}

/// Every (group, member) pair an OWNERS-style text names, members without `@`: the aliases of
/// an OWNERS_ALIASES file (group = the alias) and the `approvers`/`reviewers` of an OWNERS file
/// (group = `approvers` or `reviewers`). Empty when the text does not parse. Hover and
/// completion show a handle's groups from these.
pub(crate) fn memberships(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = aliases(text)
        .into_iter()
        .flat_map(|(alias, members)| members.into_iter().map(move |m| (alias.clone(), m)))
        .collect();
    let owners = parse_owners(text);
    for (group, members) in [("approvers", owners.approvers), ("reviewers", owners.reviewers)] {
        out.extend(members.into_iter().map(|m| (group.to_string(), m)));
    }
    out
}

fn string_list(node: &Node) -> Vec<String> {
    node.as_sequence()
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .map(|s| s.trim().trim_start_matches('@').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::EMBEDDED_OWNERS_ALIASES;

    #[test]
    fn prr_approvers_from_embedded_aliases() {
        let all = aliases(EMBEDDED_OWNERS_ALIASES);
        let members = &all["prod-readiness-approvers"];
        assert!(members.iter().any(|m| m == "johnbelamaric"), "{members:?}");
        assert!(members.iter().all(|m| !m.starts_with('@')));
        assert!(all["sig-node-tech-leads"].iter().all(|m| !m.is_empty()));
        assert!(!all.contains_key("no-such-alias"));
        assert!(aliases("{{").is_empty());
        assert!(aliases("aliases: 3\n").is_empty());
    }

    #[test]
    fn owners_file() {
        let o = parse_owners("approvers:\n  - alice\n  - '@bob'\nreviewers:\n  - carol\n");
        assert_eq!(o.approvers, ["alice", "bob"]);
        assert_eq!(o.reviewers, ["carol"]);
    }

    #[test]
    fn memberships_of_both_kinds() {
        let pairs = |t: &str| memberships(t);
        assert_eq!(
            pairs("aliases:\n  sig-node-leads:\n    - \"@alice\"\n    - bob\n"),
            [
                ("sig-node-leads".to_string(), "alice".to_string()),
                ("sig-node-leads".into(), "bob".into())
            ]
        );
        assert_eq!(
            pairs("approvers:\n  - alice\nreviewers:\n  - carol\n"),
            [
                ("approvers".to_string(), "alice".to_string()),
                ("reviewers".into(), "carol".into())
            ]
        );
        assert!(pairs("aliases: [").is_empty());
    }
}
