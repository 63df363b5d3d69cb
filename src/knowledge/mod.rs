//! What is true of the KEP world, independent of any one file: the field schema, the SIG list,
//! the README template and the PRR approvers. Embedded copies (under `data/`) make everything work
//! offline; a workspace's own sigs.yaml / OWNERS_ALIASES replace them via the `with_*` builders.

// Generated (see its first line); the generator owns its layout, not rustfmt.
#[rustfmt::skip]
mod embedded_groups;
pub(crate) mod owners;
pub mod profile;
pub(crate) mod release_calendar;
pub(crate) mod schema;
pub mod sigs;
pub mod template;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub use profile::{Profile, TocCheck};
pub use sigs::SigRegistry;
pub use template::Template;

pub const EMBEDDED_SIGS_YAML: &str = include_str!("../../data/sigs.yaml");
/// The alias whose members approve PRR (R11).
const PRR_APPROVERS: &str = "prod-readiness-approvers";
pub(crate) const EMBEDDED_OWNERS_ALIASES: &str = include_str!("../../data/OWNERS_ALIASES");
pub const EMBEDDED_TEMPLATE_README: &str = include_str!("../../data/template/README.md");
pub(crate) const EMBEDDED_TEMPLATE_KEP_YAML: &str = include_str!("../../data/template/kep.yaml");
pub(crate) const EMBEDDED_TEMPLATE_PRR_YAML: &str = include_str!("../../data/template/prr.yaml");

/// Knowledge shared by every analysis. Cheap to clone (the parts are behind `Arc`s).
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub sigs: Arc<SigRegistry>,
    pub template: Arc<Template>,
    /// The `prod-readiness-approvers` alias of OWNERS_ALIASES, handles without `@`.
    pub prr_approvers: Arc<Vec<String>>,
    /// Every alias of OWNERS_ALIASES (emeritus PRR approvers, sig-node tech leads...), parsed
    /// once here rather than by each rule on each keystroke.
    pub aliases: Arc<BTreeMap<String, Vec<String>>>,
    /// The repository profile (kubernetes/enhancements unless a workspace says otherwise):
    /// which rule families apply and which template fields are known and required.
    pub profile: Arc<Profile>,
}

impl Knowledge {
    /// The embedded knowledge, built once. The SIG list comes from the generated table of the
    /// embedded sigs.yaml (no YAML parse: that was most of the start-up cost).
    pub fn embedded() -> Knowledge {
        static EMBEDDED: OnceLock<Knowledge> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let aliases = owners::aliases(EMBEDDED_OWNERS_ALIASES);
                Knowledge {
                    sigs: Arc::new(SigRegistry::from_embedded(embedded_groups::EMBEDDED_GROUPS)),
                    template: Arc::new(Template::from_markdown(EMBEDDED_TEMPLATE_README)),
                    prr_approvers: Arc::new(aliases.get(PRR_APPROVERS).cloned().unwrap_or_default()),
                    aliases: Arc::new(aliases),
                    profile: Arc::new(Profile::kubernetes()),
                }
            })
            .clone()
    }

    /// Replace the SIG list with a workspace's sigs.yaml; on a parse error keep the current one
    /// and return the error text for the caller to report.
    pub fn with_sigs_yaml(mut self, text: &str) -> Result<Knowledge, (Knowledge, String)> {
        // A checkout of kubernetes/community's sigs.yaml is usually the very copy we embed:
        // take the table generated from it rather than parse its 190 KB (~20 ms) for nothing.
        if text == EMBEDDED_SIGS_YAML {
            self.sigs = Knowledge::embedded().sigs;
            return Ok(self);
        }
        match SigRegistry::from_sigs_yaml(text) {
            Ok(sigs) => {
                self.sigs = Arc::new(sigs);
                Ok(self)
            }
            Err(e) => Err((self, e)),
        }
    }

    /// Replace the aliases (and so the PRR approvers) with a workspace's OWNERS_ALIASES; one
    /// without aliases keeps the current ones.
    pub fn with_owners_aliases(mut self, text: &str) -> Knowledge {
        if text == EMBEDDED_OWNERS_ALIASES {
            let embedded = Knowledge::embedded();
            self.prr_approvers = embedded.prr_approvers;
            self.aliases = embedded.aliases;
            return self;
        }
        let aliases = owners::aliases(text);
        if aliases.is_empty() {
            return self;
        }
        if let Some(approvers) = aliases.get(PRR_APPROVERS).filter(|a| !a.is_empty()) {
            self.prr_approvers = Arc::new(approvers.clone());
        }
        self.aliases = Arc::new(aliases);
        self
    }

    /// Use a repository's profile, and its own template README (when it has one) for the
    /// template sections and their order.
    pub(crate) fn with_profile(mut self, profile: Profile, template_readme: Option<&str>) -> Knowledge {
        if let Some(text) = template_readme {
            self.template = Arc::new(Template::from_markdown(text));
        }
        self.profile = Arc::new(profile);
        self
    }

    /// The members of an OWNERS_ALIASES alias (empty when unknown).
    pub(crate) fn alias(&self, name: &str) -> &[String] {
        self.aliases.get(name).map_or(&[], Vec::as_slice)
    }
}
