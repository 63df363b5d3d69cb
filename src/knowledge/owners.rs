//! OWNERS and OWNERS_ALIASES files: aliases and their members, approvers and reviewers.
//!
//! Used for the PRR approvers (`prod-readiness-approvers` in OWNERS_ALIASES, R11) and for the
//! sig-node approver rules (R16). Handles are returned without `@`.

use crate::analysis::yaml::{self, Node};

/// Members of `alias` in an OWNERS_ALIASES text, without `@`. Empty when absent or unparsable.
pub fn alias_members(text: &str, alias: &str) -> Vec<String> {
    let doc = yaml::parse(text);
    doc.root
        .as_ref()
        .and_then(|r| r.get("aliases"))
        .and_then(|a| a.get(alias))
        .map(string_list)
        .unwrap_or_default()
}

/// An OWNERS file: its approvers and reviewers (aliases left as written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owners {
    pub approvers: Vec<String>,
    pub reviewers: Vec<String>,
}

/// Parse an OWNERS file (top-level `approvers`/`reviewers`; `filters` are not merged).
pub fn parse_owners(text: &str) -> Owners {
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
        let members = alias_members(EMBEDDED_OWNERS_ALIASES, "prod-readiness-approvers");
        assert!(members.iter().any(|m| m == "johnbelamaric"), "{members:?}");
        assert!(members.iter().all(|m| !m.starts_with('@')));
        assert!(alias_members(EMBEDDED_OWNERS_ALIASES, "no-such-alias").is_empty());
        assert!(alias_members("{{", "x").is_empty());
    }

    #[test]
    fn owners_file() {
        let o = parse_owners("approvers:\n  - alice\n  - '@bob'\nreviewers:\n  - carol\n");
        assert_eq!(o.approvers, ["alice", "bob"]);
        assert_eq!(o.reviewers, ["carol"]);
    }
}
