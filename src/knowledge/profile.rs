//! The repository profile: which KEP conventions a repository follows, decided once per workspace
//! from its own files (see `workspace::profile` for the detection, `.kep-lsp.toml` for overrides).
//!
//! kubernetes/enhancements is one repository that runs the KEP process; many subprojects copied
//! it with their own template, no SIG folders, no production readiness review and their own TOC
//! tooling (or none). The profile says which rule families apply there, which kep.yaml fields
//! their template knows and requires, and which mdtoc (if any) their CI runs, so that a KEP the
//! repository's own tooling accepts gets no error from us.

use std::collections::BTreeSet;
use std::fmt;

use crate::knowledge::schema;
use crate::syntax::yaml;

/// Whether, and with which mdtoc, the repository checks its tables of contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocCheck {
    /// No TOC convention: nothing runs mdtoc, so `toc-missing` / `toc-stale` stay silent.
    Off,
    /// CI runs mdtoc (`hack/verify-toc.sh`, a Makefile target or a workflow).
    Mdtoc {
        /// mdtoc before v1.1.0 (inline-code support, kubernetes-sigs/mdtoc 2022): its anchors
        /// drop the text of code spans (`Description of the `Foo` plugin` ->
        /// `#description-of-the--plugin`).
        pre_inline_code: bool,
    },
}

impl TocCheck {
    pub(crate) fn is_on(self) -> bool {
        !matches!(self, TocCheck::Off)
    }

    /// The dialect of an mdtoc version as go.mod or a script pins it: `v1.4.0`, `1.0.1`, or a Go
    /// pseudo-version `v1.0.1-0.20210715095838-a44ffea...` (its date tells whether it has the
    /// inline-code commit of 2021-07-15, first released in v1.1.0). `None` when it is no version.
    /// A commit hash (7 to 40 hex digits) is pre-inline-code when it is one of the commits
    /// before that support, else taken as newer.
    pub(crate) fn from_mdtoc_version(version: &str) -> Option<TocCheck> {
        let raw = version.trim().trim_matches(['"', '\'']);
        let is_commit = (7..=40).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_hexdigit());
        if is_commit {
            let commit = raw.to_ascii_lowercase();
            let pre_inline_code = PRE_INLINE_CODE_COMMITS.iter().any(|c| c.starts_with(&commit));
            return Some(TocCheck::Mdtoc { pre_inline_code });
        }
        let v = raw.trim_start_matches('v');
        let (release, pre) = v.split_once('-').unwrap_or((v, ""));
        let mut parts = release.split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        // A pseudo-version's middle part is yyyymmddhhmmss (`0.20210715095838-hash`).
        let pseudo_date = pre
            .split(['.', '-'])
            .find(|p| p.len() == 14 && p.bytes().all(|b| b.is_ascii_digit()));
        let pre_inline_code = match pseudo_date {
            Some(date) if (major, minor) < (1, 1) => date < "20210715",
            _ => (major, minor, patch) < (1, 1, 0),
        };
        Some(TocCheck::Mdtoc { pre_inline_code })
    }
}

impl fmt::Display for TocCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TocCheck::Off => f.write_str("off"),
            TocCheck::Mdtoc {
                pre_inline_code: false,
            } => f.write_str("mdtoc"),
            TocCheck::Mdtoc {
                pre_inline_code: true,
            } => f.write_str("mdtoc (pre-inline-code anchors)"),
        }
    }
}

/// Every commit of sigs.k8s.io/mdtoc before inline-code support (a44ffea, 2021-07-15): scripts
/// that `go install sigs.k8s.io/mdtoc@<commit>` pin one of these (jobset and scheduler-plugins
/// pin b8c54a5, the v1.0.1-era merge of 2021-02-06). Read from the mdtoc repository's history.
const PRE_INLINE_CODE_COMMITS: &[&str] = &[
    "b8c54a57d69f29386d055584e595f38d65ce2a1f",
    "4c3eed40304df0fb99f77e4b579261b780d76f60",
    "b07bb9060d879a6ef101e29524b20222ff0e78ea",
    "6e45d451ba155cfa35a10b2701101464bc4c680c",
    "f46ec98deb38721e2f9e5ac8362f3369e35257fd",
    "0957a05c28d210a74e506807f0235a392cf4047c",
    "ceabff9bd4df5a6bd60e4a0e0524b147d94eaaa4",
    "9f2afa29b6eda81cc3d59439c3ed21a114b62b60",
    "abd98bc72ccf38460641a46a3d476391a644ec45",
    "2b51a527ab09c9d9d6d75da3a0cdf42703b049a6",
    "d7b1b6edb832be252e805878749a441efbca050a",
    "79d8af4052207380d4e009130dd548c69b76249b",
    "fa426ac3aa757789dec339804f8c902d1fbbc765",
    "18f9032bec18f4aa138134f493f89e89607076f4",
    "068b50a33cb45c9c11aa4f8bc6b7931145a39085",
    "97d64133ff9c82a737b7f45b59b091aef8ce7140",
    "ee652eb78c047a7b6c7417d9324a97bb05689563",
    "8ad23298dbd835525616b8d13d24c770b36f8b38",
    "4dc3d6f908138504b02a1766f1f8ea282d6bdd7c",
    "bfd0b5a373f81562e8be6af6c1187df813b41b9e",
    "314e7e799ad51135e1420974d6b992c626316ccc",
    "a28aba7a2a7898d1f69d6730ac63e516f8ccacc3",
    "35702a33078526b75f0f4bb640023ac1cc263029",
    "48e29362745f010d66675f08f29574dd89023256",
    "8ad877d0d805c39c2c546373220ad152617471b4",
    "566549d77618589533c2ad20c89a779438b81407",
];

/// The two kinds of repository the rules tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    /// kubernetes/enhancements: every rule, the embedded template, SIGs, PRR, sig-node approvers.
    Kubernetes,
    /// A repository that copied the KEP process: rule families on only where its files show the
    /// convention (SIG folders, `keps/prod-readiness/`, an mdtoc check).
    Subproject,
}

impl ProfileKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Kubernetes => "kubernetes",
            ProfileKind::Subproject => "subproject",
        }
    }
}

/// The top-level kep.yaml keys of a repository's own template: every key it holds is known, and
/// only the upstream-required fields it holds are required.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateFields {
    pub keys: BTreeSet<String>,
}

impl TemplateFields {
    /// The top-level keys of a template kep.yaml; `None` when it does not parse as a mapping
    /// (then the embedded schema applies unchanged).
    pub(crate) fn from_kep_yaml(text: &str) -> Option<TemplateFields> {
        let doc = yaml::parse(text);
        if !doc.errors.is_empty() {
            return None;
        }
        let pairs = doc.root.as_ref()?.as_mapping()?;
        let keys = pairs
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .map(str::to_owned)
            .collect();
        Some(TemplateFields { keys })
    }
}

/// What one repository's KEPs are checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub kind: ProfileKind,
    /// Repo-relative folder holding the KEPs (`keps`, `docs/keps`, `kep`).
    pub kep_root: String,
    /// Repo-relative folder of the repository's own template (README.md + kep.yaml), or `None`
    /// for kubernetes/enhancements' template embedded in kep-lsp.
    pub template_dir: Option<String>,
    /// The fields of the repository's template kep.yaml; `None`: the embedded schema as is.
    pub template_fields: Option<TemplateFields>,
    /// owning-sig / participating-sigs must be groups of sigs.yaml (R19), the SIG folder should
    /// match owning-sig: only where sigs.yaml or `sig-*` folders exist.
    pub sig_rules: bool,
    /// Production readiness (R7, R9-R12, the PRR questionnaire): only where
    /// `keps/prod-readiness/` exists.
    pub prr_rules: bool,
    /// sig-node approvers (R16): only in kubernetes/enhancements.
    pub sig_node_rules: bool,
    pub toc: TocCheck,
    /// Why each decision was taken (file found, config key), for the server log and
    /// `check --verbose`.
    pub reasons: Vec<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::kubernetes()
    }
}

impl Profile {
    /// kubernetes/enhancements: every rule on, the embedded template, mdtoc v1.4.0. Also what a
    /// file outside any repository is checked against.
    pub(crate) fn kubernetes() -> Profile {
        Profile {
            kind: ProfileKind::Kubernetes,
            kep_root: "keps".to_owned(),
            template_dir: None,
            template_fields: None,
            sig_rules: true,
            prr_rules: true,
            sig_node_rules: true,
            toc: TocCheck::Mdtoc {
                pre_inline_code: false,
            },
            reasons: Vec::new(),
        }
    }

    /// Whether upstream-required `field` is required here: always with the embedded schema;
    /// with a repository template only when that template has the field.
    pub(crate) fn requires(&self, field: &str) -> bool {
        match &self.template_fields {
            None => true,
            Some(t) => t.keys.contains(field),
        }
    }

    /// Whether a top-level key the embedded schema does not know is a field of this
    /// repository's template (then it is not an unknown key).
    pub(crate) fn knows_extra(&self, key: &str) -> bool {
        self.template_fields
            .as_ref()
            .is_some_and(|t| t.keys.contains(key) && schema::field(key).is_none())
    }

    /// One line for logs: `subproject (kep root docs/keps, template docs/keps/NNNN-template,
    /// SIG rules off, PRR off, sig-node off, TOC off)`.
    pub fn summary(&self) -> String {
        let on = |b: bool| if b { "on" } else { "off" };
        format!(
            "{} (KEP root {}, template {}, SIG rules {}, PRR rules {}, sig-node rules {}, TOC {})",
            self.kind.as_str(),
            self.kep_root,
            self.template_dir
                .as_deref()
                .unwrap_or("embedded kubernetes/enhancements"),
            on(self.sig_rules),
            on(self.prr_rules),
            on(self.sig_node_rules),
            self.toc,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_fields_overlay_the_schema() {
        let t = TemplateFields::from_kep_yaml(
            "title: T\nkep-number: NNNN\nauthors: []\nstatus: x\nproject-area: y\n",
        )
        .expect("mapping");
        let p = Profile {
            template_fields: Some(t),
            ..Profile::kubernetes()
        };
        assert!(p.requires("title"));
        assert!(!p.requires("owning-sig"));
        assert!(p.knows_extra("project-area"));
        assert!(!p.knows_extra("title"), "a schema field is not an extra");
        assert!(!p.knows_extra("bogus"));
        assert!(Profile::kubernetes().requires("owning-sig"));
        assert_eq!(TemplateFields::from_kep_yaml("a: [\n"), None);
        assert_eq!(TemplateFields::from_kep_yaml("- a\n"), None);
    }

    #[test]
    fn mdtoc_versions() {
        let pre = Some(TocCheck::Mdtoc {
            pre_inline_code: true,
        });
        let new = Some(TocCheck::Mdtoc {
            pre_inline_code: false,
        });
        assert_eq!(TocCheck::from_mdtoc_version("v1.4.0"), new);
        assert_eq!(TocCheck::from_mdtoc_version("v1.1.0"), new);
        assert_eq!(TocCheck::from_mdtoc_version("v1.0.1"), pre);
        assert_eq!(TocCheck::from_mdtoc_version("1.0.0"), pre);
        assert_eq!(
            TocCheck::from_mdtoc_version("v1.0.1-0.20210916183000-0123456789ab"),
            new
        );
        assert_eq!(
            TocCheck::from_mdtoc_version("v1.0.1-0.20201006185842-0123456789ab"),
            pre
        );
        assert_eq!(TocCheck::from_mdtoc_version("latest"), None);
        assert_eq!(
            TocCheck::from_mdtoc_version("b8c54a57d69f29386d055584e595f38d65ce2a1f"),
            pre
        );
        assert_eq!(TocCheck::from_mdtoc_version("b8c54a5"), pre);
        // The inline-code commit itself, and an unknown one: newer.
        assert_eq!(TocCheck::from_mdtoc_version("a44ffea"), new);
    }

    #[test]
    fn summary_names_every_decision() {
        assert_eq!(
            Profile::kubernetes().summary(),
            "kubernetes (KEP root keps, template embedded kubernetes/enhancements, SIG rules on, \
             PRR rules on, sig-node rules on, TOC mdtoc)"
        );
    }
}
