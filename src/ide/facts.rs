//! What the authoring features know about the whole workspace, gathered once and reused for
//! every keystroke: the KEPs, the people (with how often they appear, per SIG, and the
//! OWNERS_ALIASES groups they belong to), the newest milestone and the next free KEP number.
//!
//! Built from any `WorkspaceView` (the server builds it when its index changes and caches it);
//! `WorkspaceFacts::default()` is single-file mode.

use std::collections::BTreeMap;

use crate::analysis::{KepEntry, Role, WorkspaceView};

use crate::knowledge::owners;
use crate::model::handle::clean_handle;
use crate::model::milestone;
use crate::syntax::yaml;

/// One GitHub handle seen in the workspace (without `@`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandleFact {
    pub handle: String,
    /// KEPs naming the handle (authors, reviewers, approvers, editor).
    pub kep_count: usize,
    /// KEPs naming the handle, per owning SIG.
    pub by_sig: BTreeMap<String, usize>,
    /// KEPs naming the handle, per people field (a KEP counts once per role).
    pub roles: BTreeMap<Role, usize>,
    /// OWNERS_ALIASES groups and OWNERS roles (`approvers`, `reviewers`) holding the handle.
    pub groups: Vec<String>,
}

/// Workspace-wide facts for completion and hover.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceFacts {
    pub keps: std::sync::Arc<[KepEntry]>,
    /// Sorted by handle (lower case).
    pub handles: Vec<HandleFact>,
    /// The newest `latest-milestone` among the KEPs, as (major, minor).
    pub newest_milestone: Option<(u64, u64)>,
    /// One more than the highest kep-number in the tree (1 for an empty tree).
    pub next_kep_number: u64,
}

impl WorkspaceFacts {
    /// Gather the facts from a workspace: its KEPs, and the root OWNERS / OWNERS_ALIASES files.
    pub fn from_view(ws: &dyn WorkspaceView) -> WorkspaceFacts {
        let aliases = ws.file_text("OWNERS_ALIASES");
        let owners = ws.file_text("OWNERS");
        let mut texts: Vec<&str> = Vec::new();
        if let Some(t) = aliases.as_deref() {
            texts.push(t);
        }
        if let Some(t) = owners.as_deref() {
            texts.push(t);
        }
        WorkspaceFacts::from_parts(ws.keps(), &texts)
    }

    /// Build from KEP entries and the texts of OWNERS-style files, read by
    /// `knowledge::owners::memberships` (OWNERS_ALIASES's aliases, OWNERS's approvers/reviewers).
    pub(crate) fn from_parts(keps: std::sync::Arc<[KepEntry]>, owners_texts: &[&str]) -> WorkspaceFacts {
        let mut handles: BTreeMap<String, HandleFact> = BTreeMap::new();
        let mut newest: Option<(u64, u64)> = None;
        let mut max_number = 0u64;
        for kep in keps.iter() {
            if let Some(v) = parse_milestone(&kep.latest_milestone) {
                newest = newest.max(Some(v));
            }
            if let Ok(n) = kep.number.trim().parse::<u64>() {
                max_number = max_number.max(n);
            }
            let mut seen: Vec<String> = Vec::new();
            let mut seen_roles: Vec<(String, Role)> = Vec::new();
            for p in &kep.people {
                let Some(h) = clean_handle(&p.handle) else {
                    continue;
                };
                let key = h.to_ascii_lowercase();
                let fact = handles.entry(key.clone()).or_insert_with(|| HandleFact {
                    handle: h.clone(),
                    ..HandleFact::default()
                });
                if !seen_roles.contains(&(key.clone(), p.role)) {
                    *fact.roles.entry(p.role).or_default() += 1;
                    seen_roles.push((key.clone(), p.role));
                }
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                fact.kep_count += 1;
                *fact.by_sig.entry(kep.owning_sig.clone()).or_default() += 1;
            }
        }
        for text in owners_texts {
            for (group, member) in owners::memberships(text) {
                let Some(h) = clean_handle(&member) else {
                    continue;
                };
                let fact = handles
                    .entry(h.to_ascii_lowercase())
                    .or_insert_with(|| HandleFact {
                        handle: h.clone(),
                        ..HandleFact::default()
                    });
                if !fact.groups.contains(&group) {
                    fact.groups.push(group);
                }
            }
        }
        WorkspaceFacts {
            keps,
            handles: handles.into_values().collect(),
            newest_milestone: newest,
            next_kep_number: max_number + 1,
        }
    }

    pub(crate) fn handle(&self, handle: &str) -> Option<&HandleFact> {
        let h = clean_handle(handle).unwrap_or_default().to_ascii_lowercase();
        self.handles
            .binary_search_by(|f| f.handle.to_ascii_lowercase().cmp(&h))
            .ok()
            .map(|i| &self.handles[i])
    }

    /// The KEP a reference names: `/keps/sig-x/NNNN-name`, `keps/...`, a GitHub URL into
    /// kubernetes/enhancements, or `KEP-NNNN`.
    pub(crate) fn resolve_ref(&self, reference: &str) -> Option<&KepEntry> {
        let r = yaml::unquote(reference).trim();
        if let Some(num) = r.strip_prefix("KEP-").or_else(|| r.strip_prefix("kep-")) {
            let num = num.trim();
            return self
                .keps
                .iter()
                .find(|k| k.number.trim_start_matches('0') == num.trim_start_matches('0'));
        }
        let path = match r.find("/keps/") {
            Some(i) => &r[i + 1..],
            None => r.trim_start_matches("./"),
        };
        let path = path.trim_end_matches('/');
        // URLs name `.../tree/master/keps/...` or files inside the folder.
        let path = path
            .strip_suffix("/README.md")
            .or_else(|| path.strip_suffix("/kep.yaml"))
            .unwrap_or(path);
        if !path.starts_with("keps/") {
            return None;
        }
        self.keps
            .iter()
            .find(|k| k.dir == path || k.metadata_path == path)
    }
}

/// `v1.30`, `1.30`, `"v1.30"` as (1, 30): the milestone as upstream reads it
/// (`model::milestone`), written quoted or not.
pub(crate) fn parse_milestone(s: &str) -> Option<(u64, u64)> {
    let (major, minor, _) = milestone::parse_milestone(yaml::unquote(s))?;
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kep(number: &str, sig: &str, ms: &str, people: &[&str]) -> KepEntry {
        with_roles(
            number,
            sig,
            ms,
            &people.iter().map(|h| (*h, Role::Author)).collect::<Vec<_>>(),
        )
    }

    fn with_roles(number: &str, sig: &str, ms: &str, people: &[(&str, Role)]) -> KepEntry {
        KepEntry {
            number: number.into(),
            owning_sig: sig.into(),
            latest_milestone: ms.into(),
            dir: format!("keps/{sig}/{number}-x"),
            people: people
                .iter()
                .map(|(h, role)| crate::analysis::Person {
                    handle: h.to_string(),
                    role: *role,
                })
                .collect(),
            ..KepEntry::default()
        }
    }

    #[test]
    fn counts_each_role_once_per_kep() {
        let facts = WorkspaceFacts::from_parts(
            vec![
                with_roles(
                    "1",
                    "sig-node",
                    "v1.30",
                    &[("a", Role::Author), ("b", Role::Reviewer), ("A", Role::Approver)],
                ),
                with_roles(
                    "2",
                    "sig-apps",
                    "v1.30",
                    &[("a", Role::Approver), ("@a", Role::Approver), ("b", Role::Author)],
                ),
            ]
            .into(),
            &[],
        );
        let a = facts.handle("a").unwrap();
        assert_eq!(a.kep_count, 2);
        assert_eq!(a.roles, BTreeMap::from([(Role::Author, 1), (Role::Approver, 2)]));
        let b = facts.handle("b").unwrap();
        assert_eq!(b.roles, BTreeMap::from([(Role::Author, 1), (Role::Reviewer, 1)]));
    }

    #[test]
    fn counts_people_milestones_numbers() {
        let facts = WorkspaceFacts::from_parts(
            vec![
                kep("2625", "sig-node", "\"v1.33\"", &["@ffromani", "klueska", "TBD"]),
                kep("0034", "sig-apps", "v1.9", &["@klueska", "@klueska"]),
            ]
            .into(),
            &["aliases:\n  sig-node-leads:\n    - klueska\n"],
        );
        assert_eq!(facts.next_kep_number, 2626);
        assert_eq!(facts.newest_milestone, Some((1, 33)));
        let k = facts.handle("@Klueska").unwrap();
        assert_eq!(k.kep_count, 2);
        assert_eq!(k.by_sig.get("sig-node"), Some(&1));
        assert_eq!(k.groups, vec!["sig-node-leads".to_string()]);
        assert!(facts.handle("TBD").is_none());
        assert_eq!(
            facts
                .resolve_ref("\"/keps/sig-node/2625-x\"")
                .map(|k| k.number.as_str()),
            Some("2625")
        );
        assert_eq!(
            facts.resolve_ref("KEP-34").map(|k| k.number.as_str()),
            Some("0034")
        );
        assert_eq!(
            facts
                .resolve_ref(
                    "https://github.com/kubernetes/enhancements/tree/master/keps/sig-apps/0034-x/README.md"
                )
                .map(|k| k.number.as_str()),
            Some("0034")
        );
    }
}
