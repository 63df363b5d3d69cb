//! Rules on production-readiness files (keps/prod-readiness/sig-X/NNNN.yaml).
// STUB: to be written (metadata helper).

use crate::analysis::{Context, Finding};

pub fn check_prr_file(_path: &str, _text: &str, _ctx: &Context<'_>) -> Vec<Finding> {
    Vec::new()
}
