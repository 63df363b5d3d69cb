//! Rules on production-readiness files (keps/prod-readiness/sig-X/NNNN.yaml).

use crate::analysis::{Context, Finding, KepMetadata};

pub fn check_prr_file(_path: &str, _text: &str, _ctx: &Context<'_>) -> Vec<Finding> {
    Vec::new()
}

pub fn check_kep_prr(_path: &str, _text: &str, _meta: &KepMetadata, _ctx: &Context<'_>) -> Vec<Finding> {
    Vec::new()
}
