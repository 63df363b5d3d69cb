//! GitHub handles known to the repository (for completion of people lists): from kep.yaml
//! people, OWNERS files, OWNERS_ALIASES and the chairs and tech leads of sigs.yaml, with how often
//! each appears and in which groups.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::KepEntry;
use crate::knowledge::owners;
use crate::knowledge::sigs::Group;

use crate::model::handle::clean_handle;

/// One handle (without `@`), how many times the repository names it, and the groups it was seen
/// with (owning SIG of a KEP, the SIG folder of an OWNERS file, the group of an alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub name: String,
    pub count: usize,
    pub sigs: Vec<String>,
}

/// The people of OWNERS_ALIASES: alias name to members, as handles (`TBD` and notes dropped).
pub(crate) fn parse_aliases(text: &str) -> BTreeMap<String, Vec<String>> {
    owners::aliases(text)
        .into_iter()
        .map(|(alias, members)| (alias, members.iter().filter_map(|m| clean_handle(m)).collect()))
        .collect()
}

/// The handles of an OWNERS file (approvers and reviewers).
pub(crate) fn parse_owners(text: &str) -> Vec<String> {
    let owners = owners::parse_owners(text);
    owners
        .approvers
        .iter()
        .chain(&owners.reviewers)
        .filter_map(|h| clean_handle(h))
        .collect()
}

/// The group an alias belongs to: `sig-node-leads` -> `sig-node`; `None` for aliases that are not
/// a group's (`prod-readiness-approvers`).
fn alias_group(alias: &str) -> Option<String> {
    const SUFFIXES: [&str; 7] = [
        "-tech-leads",
        "-leads",
        "-chairs",
        "-approvers",
        "-reviewers",
        "-emeritus",
        "-members",
    ];
    if !["sig-", "wg-", "ug-", "committee-"]
        .iter()
        .any(|p| alias.starts_with(p))
    {
        return None;
    }
    let mut group = alias;
    while let Some(stripped) = SUFFIXES.iter().find_map(|s| group.strip_suffix(s)) {
        group = stripped;
    }
    Some(group.to_owned())
}

/// The SIG folder of a repo-relative path (`keps/sig-node/OWNERS` -> `sig-node`).
pub(crate) fn folder_sig(rel_path: &str) -> Option<String> {
    let mut parts = rel_path.split('/');
    (parts.next() == Some("keps"))
        .then(|| parts.next())
        .flatten()
        .filter(|p| {
            ["sig-", "wg-", "ug-", "committee-"]
                .iter()
                .any(|s| p.starts_with(s))
        })
        .map(str::to_owned)
}

/// Count every handle over the KEPs, the OWNERS files (path, handles), the aliases and the
/// groups' leaders. Names of aliases inside OWNERS files are not people and are left out.
pub(crate) fn collect<'a>(
    keps: impl Iterator<Item = &'a KepEntry>,
    owners: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
    aliases: &BTreeMap<String, Vec<String>>,
    groups: impl Iterator<Item = &'a Group>,
) -> Vec<Handle> {
    let mut seen: BTreeMap<String, (String, usize, BTreeSet<String>)> = BTreeMap::new();
    let mut add = |handle: &str, sig: Option<&str>| {
        // GitHub handles are case-insensitive; keep the first spelling seen.
        let slot = seen
            .entry(handle.to_ascii_lowercase())
            .or_insert_with(|| (handle.to_owned(), 0, BTreeSet::new()));
        slot.1 += 1;
        if let Some(sig) = sig.filter(|s| !s.is_empty()) {
            slot.2.insert(sig.to_owned());
        }
    };
    for kep in keps {
        for person in &kep.people {
            add(&person.handle, Some(&kep.owning_sig));
        }
    }
    for (path, handles) in owners {
        let sig = folder_sig(path);
        for h in handles.iter().filter(|h| !aliases.contains_key(h.as_str())) {
            add(h, sig.as_deref());
        }
    }
    for (alias, members) in aliases {
        let sig = alias_group(alias);
        for m in members {
            add(m, sig.as_deref());
        }
    }
    for group in groups {
        for leader in group.chairs.iter().chain(&group.tech_leads) {
            add(leader, Some(&group.dir));
        }
    }
    let mut handles: Vec<Handle> = seen
        .into_values()
        .map(|(name, count, sigs)| Handle {
            name,
            count,
            sigs: sigs.into_iter().collect(),
        })
        .collect();
    handles.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    handles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_groups() {
        assert_eq!(alias_group("sig-node-leads").as_deref(), Some("sig-node"));
        assert_eq!(alias_group("wg-batch-leads").as_deref(), Some("wg-batch"));
        assert_eq!(
            alias_group("committee-steering").as_deref(),
            Some("committee-steering")
        );
        assert_eq!(alias_group("prod-readiness-approvers"), None);
    }

    #[test]
    fn owners_and_aliases_parse() {
        let owners =
            "approvers:\n  - sig-node-leads\n  - \"@alice\"\nreviewers: [bob]\nlabels:\n  - sig/node\n";
        assert_eq!(parse_owners(owners), vec!["sig-node-leads", "alice", "bob"]);
        let aliases = parse_aliases("aliases:\n  sig-node-leads:\n    - carol\n    - dave\n");
        assert_eq!(
            aliases.get("sig-node-leads"),
            Some(&vec!["carol".to_owned(), "dave".to_owned()])
        );
        assert!(parse_aliases(":\n- [").is_empty());
    }
}
