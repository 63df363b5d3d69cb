//! The groups from kubernetes/community's sigs.yaml (SIGs, working groups, user groups,
//! committees): the valid values of `owning-sig` and `participating-sigs` (R19).
//!
//! Also a short list of RETIRED groups that real, historical KEPs still name: those get a
//! `retired-sig` warning, not an `unknown-sig` error.
//!
//! The embedded sigs.yaml is not parsed at run time: `embedded_groups.rs` holds its groups as a
//! generated Rust table (`render_embedded_table`, kept fresh by tests/it/docs/sourcegen.rs), because
//! parsing 192 KB of YAML was 62 % of the instructions of a one-file `kep-lsp check`.

use crate::syntax::yaml::{self, Node};

/// Which list of sigs.yaml a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    Sig,
    WorkingGroup,
    UserGroup,
    Committee,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Sig => "SIG",
            GroupKind::WorkingGroup => "working group",
            GroupKind::UserGroup => "user group",
            GroupKind::Committee => "committee",
        }
    }
}

/// One group of sigs.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `sig-node`: the value KEPs use.
    pub dir: String,
    /// `Node`.
    pub name: String,
    pub kind: GroupKind,
    /// `mission_statement` (SIGs) or the charter-less description, trimmed.
    pub mission: String,
    /// GitHub handles (no `@`).
    pub chairs: Vec<String>,
    pub tech_leads: Vec<String>,
}

/// A [`Group`] as the generated table of the embedded sigs.yaml holds it (static data, so that
/// no YAML is parsed at start).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmbeddedGroup {
    pub dir: &'static str,
    pub name: &'static str,
    pub kind: GroupKind,
    pub mission: &'static str,
    pub chairs: &'static [&'static str],
    pub tech_leads: &'static [&'static str],
}

impl From<&EmbeddedGroup> for Group {
    fn from(g: &EmbeddedGroup) -> Group {
        let handles = |hs: &[&str]| hs.iter().map(|h| h.to_string()).collect();
        Group {
            dir: g.dir.to_string(),
            name: g.name.to_string(),
            kind: g.kind,
            mission: g.mission.to_string(),
            chairs: handles(g.chairs),
            tech_leads: handles(g.tech_leads),
        }
    }
}

/// Groups that sigs.yaml no longer lists but old KEPs name (checked against the real repo:
/// keps/ and legacy/ of kubernetes/enhancements), with what happened to them.
pub const RETIRED_GROUPS: &[(&str, &str)] = &[
    (
        "kubernetes-wide",
        "not a group: the 2017 KEP-1 used it for all of Kubernetes",
    ),
    ("sig-pm", "SIG PM was retired in 2019"),
    ("sig-service-catalog", "SIG Service Catalog was retired in 2020"),
    ("sig-usability", "SIG Usability was retired in 2021"),
    ("wg-multitenancy", "WG Multitenancy was retired in 2022"),
    (
        "wg-component-standard",
        "WG Component Standard was retired in 2021",
    ),
    ("wg-machine-learning", "WG Machine Learning was retired in 2021"),
    ("wg-lts", "WG LTS concluded in 2024"),
    ("wg-code-organization", "WG Code Organization was retired in 2021"),
    ("wg-apply", "WG Apply was retired"),
    ("wg-k8s-infra", "WG K8s Infra became sig-k8s-infra"),
    ("wg-iot-edge", "WG IoT Edge was retired"),
    ("wg-policy", "WG Policy was retired"),
    ("wg-reliability", "WG Reliability was retired"),
    ("wg-api-expression", "WG API Expression was retired"),
    ("wg-naming", "WG Naming was retired"),
    ("wg-resource-management", "WG Resource Management was retired"),
    ("wg-security-audit", "WG Security Audit became sig-security"),
    ("wg-data-protection", "WG Data Protection was retired"),
    ("wg-structured-logging", "WG Structured Logging was retired"),
    (
        "sig-aws",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    (
        "sig-azure",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    (
        "sig-gcp",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    (
        "sig-ibmcloud",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    (
        "sig-openstack",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    (
        "sig-vmware",
        "cloud-provider SIGs became subprojects of sig-cloud-provider in 2019",
    ),
    ("sig-big-data", "SIG Big Data was retired in 2020"),
    ("sig-cluster-ops", "SIG Cluster Ops was retired"),
];

/// The registry of groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigRegistry {
    groups: Vec<Group>,
}

impl SigRegistry {
    /// Parse sigs.yaml. Errors when the text is not YAML or lists no group at all.
    pub fn from_sigs_yaml(text: &str) -> Result<SigRegistry, String> {
        let doc = yaml::parse(text);
        if let Some(e) = doc.errors.first() {
            return Err(format!("sigs.yaml: line {}: {}", e.line, e.message));
        }
        let root = doc.root.ok_or_else(|| "sigs.yaml is empty".to_string())?;
        let mut groups = Vec::new();
        for (list, kind) in [
            ("sigs", GroupKind::Sig),
            ("workinggroups", GroupKind::WorkingGroup),
            ("usergroups", GroupKind::UserGroup),
            ("committees", GroupKind::Committee),
        ] {
            for item in root.get(list).and_then(Node::as_sequence).unwrap_or(&[]) {
                let Some(dir) = item.get("dir").and_then(Node::as_str) else {
                    continue;
                };
                let text_of = |k: &str| {
                    item.get(k)
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .trim()
                        .to_string()
                };
                let mission = match text_of("mission_statement") {
                    m if m.is_empty() => text_of("description"),
                    m => m,
                };
                let handles = |role: &str| -> Vec<String> {
                    item.get("leadership")
                        .and_then(|l| l.get(role))
                        .and_then(Node::as_sequence)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|p| p.get("github").and_then(Node::as_str).map(str::to_string))
                        .collect()
                };
                groups.push(Group {
                    dir: dir.to_string(),
                    name: text_of("name"),
                    kind,
                    mission,
                    chairs: handles("chairs"),
                    tech_leads: handles("tech_leads"),
                });
            }
        }
        if groups.is_empty() {
            return Err("sigs.yaml lists no groups (no sigs/workinggroups/usergroups/committees)".into());
        }
        Ok(SigRegistry { groups })
    }

    /// The registry of a generated table (`embedded_groups.rs`), in table order.
    pub(crate) fn from_embedded(table: &[EmbeddedGroup]) -> SigRegistry {
        SigRegistry {
            groups: table.iter().map(Group::from).collect(),
        }
    }

    pub fn get(&self, dir: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.dir == dir)
    }

    pub fn contains(&self, dir: &str) -> bool {
        self.get(dir).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Why a group that sigs.yaml no longer lists is gone, if it is a known retired one (and
    /// not listed again).
    pub fn retired(&self, dir: &str) -> Option<&'static str> {
        if self.contains(dir) {
            return None;
        }
        RETIRED_GROUPS
            .iter()
            .find(|(d, _)| *d == dir)
            .map(|(_, why)| *why)
    }

    /// The closest current group to `name` (did-you-mean), also matching common short forms
    /// (`sig-apimachinery`, `sig-arch`, `sig-scheduler`) and a name without its kind prefix
    /// (`api-machinery` for `sig-api-machinery`, `batch` for `wg-batch`).
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let squash = |s: &str| s.replace('-', "");
        let n = squash(&name.trim().to_ascii_lowercase());
        if n.is_empty() {
            return None;
        }
        if let Some(g) = self.groups.iter().find(|g| squash(&g.dir) == n) {
            return Some(&g.dir);
        }
        // The prefix dropped: the one group whose name is the prefix plus this one.
        let mut unprefixed = ["sig", "wg", "ug", "committee"]
            .iter()
            .filter_map(|p| self.groups.iter().find(|g| squash(&g.dir) == format!("{p}{n}")));
        if let (Some(g), None) = (unprefixed.next(), unprefixed.next()) {
            return Some(&g.dir);
        }
        let mut best: Option<(&str, f64)> = None;
        for g in &self.groups {
            let d = squash(&g.dir);
            let score = strsim::jaro_winkler(&n, &d);
            let common = n.bytes().zip(d.bytes()).take_while(|(a, b)| a == b).count();
            let close = strsim::levenshtein(&n, &d) <= 2
                || (n.len() >= 6 && d.starts_with(&n))
                || (common >= 8 && common * 4 >= n.len().min(d.len()) * 3)
                || score >= 0.93;
            if close && best.is_none_or(|(_, s)| score > s) {
                best = Some((&g.dir, score));
            }
        }
        best.map(|(d, _)| d)
    }
}

/// The source of `src/knowledge/embedded_groups.rs` for `registry` (the parsed embedded
/// sigs.yaml); used only by tests/it/docs/sourcegen.rs, which fails when the committed file differs.
///
/// The table is marked `#[rustfmt::skip]`: rustfmt cannot break the long mission strings and its
/// handling of over-long lines differs between versions, so the generator, not rustfmt, owns the
/// layout (one field a line, as rustfmt would write a struct literal, for readable diffs).
pub fn render_embedded_table(registry: &SigRegistry) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str(
        "//! @generated from data/sigs.yaml; do not edit: `UPDATE_EXPECT=1 cargo test --test it docs::sourcegen::`\n\
         //!\n\
         //! The groups of the embedded sigs.yaml in file order, written by\n\
         //! `knowledge::sigs::render_embedded_table`, so that `Knowledge::embedded()` parses no YAML.\n\
         \n\
         use super::sigs::{EmbeddedGroup, GroupKind};\n\
         \n\
         #[rustfmt::skip]\n\
         pub(super) static EMBEDDED_GROUPS: &[EmbeddedGroup] = &[\n",
    );
    // `{:?}` of a str is a valid Rust string literal (quotes, backslashes, control and
    // non-printable characters escaped), so the table reads back exactly what was parsed.
    let list = |hs: &[String]| {
        let items: Vec<String> = hs.iter().map(|h| format!("{h:?}")).collect();
        format!("&[{}]", items.join(", "))
    };
    for g in registry.iter() {
        let kind = match g.kind {
            GroupKind::Sig => "Sig",
            GroupKind::WorkingGroup => "WorkingGroup",
            GroupKind::UserGroup => "UserGroup",
            GroupKind::Committee => "Committee",
        };
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "    EmbeddedGroup {{\n        \
                 dir: {:?},\n        \
                 name: {:?},\n        \
                 kind: GroupKind::{kind},\n        \
                 mission: {:?},\n        \
                 chairs: {},\n        \
                 tech_leads: {},\n    \
             }},\n",
            g.dir,
            g.name,
            g.mission,
            list(&g.chairs),
            list(&g.tech_leads),
        );
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::EMBEDDED_SIGS_YAML;

    #[test]
    fn embedded_sigs_yaml() {
        let r = SigRegistry::from_sigs_yaml(EMBEDDED_SIGS_YAML).unwrap();
        let node = r.get("sig-node").unwrap();
        assert_eq!(node.kind, GroupKind::Sig);
        assert_eq!(node.name, "Node");
        assert!(!node.tech_leads.is_empty());
        assert_eq!(r.get("wg-batch").map(|g| g.kind), Some(GroupKind::WorkingGroup));
        assert_eq!(
            r.get("committee-steering").map(|g| g.kind),
            Some(GroupKind::Committee)
        );
        assert!(r.retired("wg-multitenancy").is_some());
        assert!(r.retired("sig-node").is_none());
        assert_eq!(r.suggest("sig-apimachinery"), Some("sig-api-machinery"));
        assert_eq!(r.suggest("sig-nodes"), Some("sig-node"));
        assert_eq!(r.suggest("sig-scheduler"), Some("sig-scheduling"));
        assert_eq!(r.suggest("monkeys"), None);
        // Without the kind prefix.
        assert_eq!(r.suggest("api-machinery"), Some("sig-api-machinery"));
        assert_eq!(r.suggest("node"), Some("sig-node"));
        assert_eq!(r.suggest("batch"), Some("wg-batch"));
        assert_eq!(r.suggest("steering"), Some("committee-steering"));
    }

    #[test]
    fn rendered_table_escapes_what_rust_literals_must() {
        let yaml = "workinggroups:\n  - dir: wg-odd\n    name: 'Say \"hi\" \\ bye'\n    \
                    description: |\n      Two\n      lines\tand ’quotes’\n    leadership:\n      \
                    chairs:\n        - github: a\n        - github: b\n";
        let table = render_embedded_table(&SigRegistry::from_sigs_yaml(yaml).unwrap());
        let body = table.split_once("&[\n").map(|(_, b)| b);
        assert_eq!(
            body,
            Some(
                r#"    EmbeddedGroup {
        dir: "wg-odd",
        name: "Say \"hi\" \\ bye",
        kind: GroupKind::WorkingGroup,
        mission: "Two\nlines\tand ’quotes’",
        chairs: &["a", "b"],
        tech_leads: &[],
    },
];
"#
            )
        );
        assert!(table.starts_with("//! @generated from data/sigs.yaml; do not edit: `UPDATE_EXPECT=1"));
        assert!(
            table.contains("#[rustfmt::skip]\npub(super) static EMBEDDED_GROUPS: &[EmbeddedGroup] = &[\n")
        );
    }

    #[test]
    fn not_sigs_yaml() {
        assert!(SigRegistry::from_sigs_yaml("a: [").is_err());
        assert!(SigRegistry::from_sigs_yaml("foo: bar").is_err());
    }
}
